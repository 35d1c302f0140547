import { z } from 'zod';

/** A point in time as the session store takes it: ms since the epoch, or a valid `Date`. */
export const InstantSchema = z
  .union([z.number().int().nonnegative(), z.instanceof(Date)])
  .transform((value) => (typeof value === 'number' ? value : value.getTime()))
  .refine((ms) => Number.isFinite(ms), { error: 'expected a valid date' });
