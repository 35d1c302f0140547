import { InvalidChildSpecError } from '../errors/invalid-child-spec-error.js';
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

const RESTARTS: readonly unknown[] = ['permanent', 'transient', 'temporary'];
const TYPES: readonly unknown[] = ['worker', 'supervisor'];

/** Done is `normal` unless the output says `shutdown` (a child supervisor that shut down). */
export function defaultExitReason(end: ChildEnd): ExitReason {
  if (end.status === 'error') return { abnormal: end.error };
  const output = end.output as { exitReason?: unknown } | null | undefined;
  return output?.exitReason === 'shutdown' ? 'shutdown' : 'normal';
}

/**
 * Validates one child spec and applies defaults, rejecting it with OTP's reason.
 *
 * @throws {@link InvalidChildSpecError}
 */
export function normalizeChildSpec(
  spec: ChildSpec,
  autoShutdown: AutoShutdown,
): NormalizedChildSpec {
  const raw = spec as unknown as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) throw new InvalidChildSpecError('missing_id', spec);
  const id = raw.id;
  if (typeof id !== 'string' || id.length === 0) throw new InvalidChildSpecError('missing_id', id);
  if (typeof raw.start !== 'function')
    throw new InvalidChildSpecError('missing_start', raw.start, id);
  const restart = raw.restart ?? 'permanent';
  if (!RESTARTS.includes(restart))
    throw new InvalidChildSpecError('invalid_restart_type', restart, id);
  const type = raw.type ?? 'worker';
  if (!TYPES.includes(type)) throw new InvalidChildSpecError('invalid_child_type', type, id);
  const shutdown = raw.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  const validShutdown =
    shutdown === 'brutal_kill' ||
    shutdown === 'infinity' ||
    (typeof shutdown === 'number' && Number.isInteger(shutdown) && shutdown >= 0);
  if (!validShutdown) throw new InvalidChildSpecError('invalid_shutdown', shutdown, id);
  const significant = raw.significant ?? false;
  if (typeof significant !== 'boolean') {
    throw new InvalidChildSpecError('invalid_significant', significant, id);
  }
  if (significant && restart === 'permanent') {
    throw new InvalidChildSpecError('significant_permanent', significant, id);
  }
  if (significant && autoShutdown === 'never') {
    throw new InvalidChildSpecError('significant_without_auto_shutdown', significant, id);
  }
  if (raw.exitReason !== undefined && typeof raw.exitReason !== 'function') {
    throw new InvalidChildSpecError('missing_start', raw.exitReason, id);
  }
  return {
    id,
    start: spec.start,
    restart: restart as RestartType,
    shutdown: shutdown as ShutdownSpec,
    type: type as ChildType,
    significant,
    exitReason: spec.exitReason ?? defaultExitReason,
  };
}
