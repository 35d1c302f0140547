import { z } from 'zod';
import { safeValidate } from '../../core/validation/validate.js';
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

const PluginListSchema = z.array(RuntimePluginSchema);

/**
 * The `plugins` option of `createRuntime` and `runTaskQueue`: run in this order. The plugins
 * themselves are kept, not parsed copies: a plugin may be a class instance whose hooks are
 * methods using `this`.
 */
export const PluginsSchema = z.custom<readonly RuntimePlugin[]>().superRefine((value, ctx) => {
  const parsed = safeValidate(PluginListSchema, value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }
});
