import type { Logger } from '../core/logging/create-logger.js';
import type { CliMessage } from '../protocol/cli-message.js';
import { createLineDecoder, type LineDecoder } from '../protocol/line-decoder.js';
import { parseCliLine } from '../protocol/parse-cli-line.js';
import type { ProtocolErrorEvent } from '../protocol/protocol-event.js';

/** What a CLI's stdout turns into. */
export interface CliOutputHandlers {
  readonly onMessage: (message: CliMessage) => void;
  readonly onProtocolError: (error: ProtocolErrorEvent) => void;
}

/**
 * Decodes a CLI's stdout into typed messages: one per line, tolerant by design. A malformed,
 * invalid or over-long line (past `maxLineBytes`, dropped without being buffered) becomes a
 * protocol-error event, logged, and decoding carries on.
 */
export function cliOutputDecoder(
  maxLineBytes: number,
  handlers: CliOutputHandlers,
  log?: Logger,
): LineDecoder {
  const protocolError = (error: ProtocolErrorEvent): void => {
    log?.warn({ reason: error.reason, sample: error.sample }, 'protocol error');
    handlers.onProtocolError(error);
  };
  return createLineDecoder({
    maxLineBytes,
    onLine: (line) => {
      const parsed = parseCliLine(line);
      if (parsed === undefined) return;
      if (parsed.type === 'protocol_error') protocolError(parsed);
      else handlers.onMessage(parsed);
    },
    onOverflow: ({ length, sample }) =>
      protocolError({
        type: 'protocol_error',
        reason: 'line_too_long',
        detail: `a line exceeded maxLineBytes (${maxLineBytes}) and was dropped`,
        sample,
        length,
      }),
  });
}
