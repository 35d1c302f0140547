import { ChildSpecHeadSchema, ChildSpecSchema, parseWithReasons } from './child-spec-schema.js';
import { InvalidChildSpecError } from './errors/invalid-child-spec-error.js';
import type {
  AutoShutdown,
  ChildEnd,
  ChildSpec,
  ChildType,
  ExitReason,
  RestartType,
  ShutdownSpec,
} from './types.js';

/** @internal A child spec with every default applied. */
export interface NormalizedChildSpec {
  readonly id: string;
  readonly start: ChildSpec['start'];
  readonly restart: RestartType;
  readonly shutdown: ShutdownSpec;
  readonly type: ChildType;
  readonly significant: boolean;
  readonly exitReason: (end: ChildEnd, args: readonly unknown[]) => ExitReason;
}

/** Done is `normal` unless the output says `shutdown` (a child supervisor that shut down). */
export function defaultExitReason(end: ChildEnd): ExitReason {
  if (end.status === 'error') return { abnormal: end.error };
  const output = end.output as { exitReason?: unknown } | null | undefined;
  return output?.exitReason === 'shutdown' ? 'shutdown' : 'normal';
}

/**
 * Validates one child spec (zod) and applies defaults, rejecting it with OTP's reason.
 *
 * @throws {@link InvalidChildSpecError}
 */
export function normalizeChildSpec(
  spec: ChildSpec,
  autoShutdown: AutoShutdown,
): NormalizedChildSpec {
  const id = (spec as { id?: unknown } | null)?.id;
  const childId = typeof id === 'string' ? id : undefined;
  // OTP's precedence: id, start, restart, significant (with its combinations), then the rest.
  const head = parseWithReasons(ChildSpecHeadSchema, spec, childId);
  if (head.significant && head.restart === 'permanent') {
    throw new InvalidChildSpecError('significant_permanent', head.significant, head.id);
  }
  if (head.significant && autoShutdown === 'never') {
    throw new InvalidChildSpecError('significant_without_auto_shutdown', head.significant, head.id);
  }
  const parsed = parseWithReasons(ChildSpecSchema, spec, childId);
  return {
    id: parsed.id,
    start: spec.start,
    restart: parsed.restart,
    shutdown: parsed.shutdown ?? (parsed.type === 'supervisor' ? 'infinity' : 5000),
    type: parsed.type,
    significant: parsed.significant,
    exitReason: spec.exitReason ?? defaultExitReason,
  };
}
