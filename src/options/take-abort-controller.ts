import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import { renderValue } from './format-zod-issues.js';

/**
 * Takes the Agent SDK's `abortController` option out of query options: the rest goes on to
 * `parseQueryOptions`, and the controller's signal joins the caller's own `signal` (either one
 * aborting cancels the query).
 *
 * @throws {@link InvalidOptionsError} when `abortController` is not an `AbortController`.
 * @internal
 */
export function takeAbortController<T extends { readonly abortController?: AbortController }>(
  options: T,
  signal?: AbortSignal,
): { readonly options: Omit<T, 'abortController'>; readonly signal: AbortSignal | undefined } {
  if (typeof options !== 'object' || options === null || !('abortController' in options)) {
    return { options, signal };
  }
  const { abortController, ...rest } = options;
  if (abortController === undefined) return { options: rest, signal };
  if (!(abortController instanceof AbortController)) {
    throw new InvalidOptionsError([
      {
        path: 'abortController',
        message: 'expected an AbortController',
        received: renderValue(abortController),
      },
    ]);
  }
  return { options: rest, signal: eitherSignal(signal, abortController.signal) };
}

/** A signal that aborts when either does, with that one's reason. */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (a === undefined || a === b) return b;
  if (a.aborted) return a;
  if (b.aborted) return b;
  const both = new AbortController();
  const onA = (): void => both.abort(a.reason);
  const onB = (): void => both.abort(b.reason);
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  both.signal.addEventListener(
    'abort',
    () => {
      a.removeEventListener('abort', onA);
      b.removeEventListener('abort', onB);
    },
    { once: true },
  );
  return both.signal;
}
