import type { Observable } from 'rxjs';
import type { CliMessage } from '../protocol/cli-message.js';
import type { DashboardState } from './dashboard-state.js';
import { messageText } from './message-text.js';

/** What the dashboard reads of a query: a `RuntimeQueryHandle` (or `runQuery` result) has it. */
export interface DashboardQuerySource {
  readonly queryId: string;
  readonly messages$: Observable<CliMessage>;
}

/**
 * Shows a query's live text from its `messages$` (for queries the runtime's inspection does not
 * reach, e.g. a `runQuery` of its own). A new attempt restarts the streaming check.
 *
 * @returns Stops watching.
 * @internal
 */
export function watchQuery(state: DashboardState, query: DashboardQuerySource): () => void {
  let streamed = false;
  const subscription = query.messages$.subscribe({
    next: (message) => {
      if (message.type === 'system' && message.subtype === 'init') streamed = false;
      const out = messageText(message, streamed);
      streamed = out.streamed;
      state.appendText(query.queryId, out.text);
    },
    error: (error: unknown) => {
      state.addError(`query ${query.queryId}`, error);
      state.endText(query.queryId);
    },
    complete: () => state.endText(query.queryId),
  });
  return () => subscription.unsubscribe();
}
