import { z } from 'zod';
import type { RuntimePlugin } from './runtime-plugin.js';

const hook = z
  .custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
    error: 'expected a function',
  })
  .optional();

/**
 * One plugin: a non-empty `name` and hooks that are functions. Loose: a plugin may be a class
 * instance with fields of its own.
 */
export const RuntimePluginSchema = z.looseObject({
  name: z.string().min(1),
  beforeQuery: hook,
  afterQuery: hook,
  onMessage: hook,
  onRetry: hook,
  onTaskStart: hook,
  onTaskEnd: hook,
});

/** The `plugins` option of `createRuntime` and `runTaskQueue`: run in this order. */
export const PluginsSchema = z
  .array(RuntimePluginSchema)
  .transform((plugins) => plugins as unknown as readonly RuntimePlugin[]);
