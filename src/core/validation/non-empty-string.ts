import { z } from 'zod';

/**
 * A string of at least one character: the schema of names, models, tool names and prompts in
 * option schemas (an empty one is refused as `expected at least 1 character`).
 *
 * @internal
 */
export const nonEmptyString = z.string().min(1);
