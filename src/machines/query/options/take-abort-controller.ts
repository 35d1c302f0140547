import { InvalidOptionsError } from '../../../core/validation/invalid-options-error.js';
import { renderValue } from '../../../core/validation/render-value.js';

/** What {@link takeAbortController} hands back. */
export interface TakenAbortController<T> {
  /** The query options without `abortController`. */
  readonly options: Omit<T, 'abortController'>;
  /** The caller's `signal` joined with the controller's (either one aborting aborts it). */
  readonly signal: AbortSignal | undefined;
  /**
   * Detaches every listener the join put on the two signals. Call it once the query has
   * settled, or when it is refused before starting: a long-lived shared signal would otherwise
   * keep one listener per query. Idempotent.
   */
  dispose(): void;
}

/**
 * Takes the Agent SDK's `abortController` option out of query options: the rest goes on to
 * `parseQueryOptions`, and the controller's signal joins the caller's own `signal` (either one
 * aborting cancels the query). The caller must call `dispose()` when the query settles or is
 * refused.
 *
 * @throws {@link InvalidOptionsError} when `abortController` is not an `AbortController`.
 * @internal
 */
export function takeAbortController<T extends { readonly abortController?: AbortController }>(
  options: T,
  signal?: AbortSignal,
): TakenAbortController<T> {
  if (typeof options !== 'object' || options === null || !('abortController' in options)) {
    return { options, signal, dispose: noop };
  }
  const { abortController, ...rest } = options;
  if (abortController === undefined) return { options: rest, signal, dispose: noop };
  if (!(abortController instanceof AbortController)) {
    throw new InvalidOptionsError([
      {
        path: 'abortController',
        message: 'expected an AbortController',
        received: renderValue(abortController),
      },
    ]);
  }
  return { options: rest, ...eitherSignal(signal, abortController.signal) };
}

const noop = (): void => {};

/** A signal that aborts when either does, with that one's reason, and how to detach it. */
function eitherSignal(
  a: AbortSignal | undefined,
  b: AbortSignal,
): { readonly signal: AbortSignal; dispose(): void } {
  if (a === undefined || a === b) return { signal: b, dispose: noop };
  if (a.aborted) return { signal: a, dispose: noop };
  if (b.aborted) return { signal: b, dispose: noop };
  const both = new AbortController();
  const onA = (): void => both.abort(a.reason);
  const onB = (): void => both.abort(b.reason);
  const dispose = (): void => {
    a.removeEventListener('abort', onA);
    b.removeEventListener('abort', onB);
  };
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  both.signal.addEventListener('abort', dispose, { once: true });
  return { signal: both.signal, dispose };
}
