import { filter, type OperatorFunction, takeLast } from 'rxjs';
import type { CliMessage, ResultMessage } from '../../../protocol/cli-message.js';
import { isResultMessage } from '../../../protocol/cli-message-guards.js';

/**
 * The last `result` message of the stream, once it completes. With retries, an earlier attempt
 * may also have written a result (an error one); only the last counts.
 */
export function finalResult(): OperatorFunction<CliMessage, ResultMessage> {
  return (messages) => messages.pipe(filter(isResultMessage), takeLast(1));
}
