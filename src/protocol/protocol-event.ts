import { redactSecrets } from '../core/redaction/redact-secrets.js';

/** Why a line from the CLI could not be turned into a message. */
export type ProtocolErrorReason =
  | 'malformed_json'
  | 'invalid_message'
  | 'line_too_long'
  | 'not_an_object';

/**
 * A line of CLI output that is not a usable message. The parser returns it instead of throwing,
 * so one bad line never ends a stream: the consumer decides whether it matters.
 */
export interface ProtocolErrorEvent {
  readonly type: 'protocol_error';
  readonly reason: ProtocolErrorReason;
  /** What went wrong, for humans: the JSON error, or a short summary of the schema issues. */
  readonly detail: string;
  /** The first 200 characters of the line. */
  readonly sample: string;
  /** Length of the line: characters for a parsed line, bytes for an overflowing one. */
  readonly length: number;
}

/** How many characters of an offending line a {@link ProtocolErrorEvent} keeps. */
export const PROTOCOL_SAMPLE_CHARS = 200;

/** How far past the sample a secret may reach and still be recognised before the cut. */
export const SECRET_MARGIN_CHARS = 1024;

/**
 * The first {@link PROTOCOL_SAMPLE_CHARS} UTF-16 units of `text`, never ending in half of a
 * surrogate pair.
 */
export function takeSample(text: string): string {
  const sample = text.slice(0, PROTOCOL_SAMPLE_CHARS);
  const last = sample.charCodeAt(sample.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? sample.slice(0, -1) : sample;
}

/**
 * {@link takeSample} of `text` with its secrets redacted *before* the cut (a secret cut in half
 * would no longer be recognised), on a window {@link SECRET_MARGIN_CHARS} longer than the
 * sample, so that a huge line is not scanned whole.
 * @internal
 */
export function redactedSample(text: string): string {
  return takeSample(redactSecrets(text.slice(0, PROTOCOL_SAMPLE_CHARS + SECRET_MARGIN_CHARS)));
}

/** Builds a {@link ProtocolErrorEvent} for `line`, keeping only a bounded sample of it. */
export function protocolError(
  reason: ProtocolErrorReason,
  detail: string,
  line: string,
): ProtocolErrorEvent {
  return {
    type: 'protocol_error',
    reason,
    detail: redactSecrets(detail),
    sample: redactedSample(line),
    length: line.length,
  };
}

/** Whether a parsed line is a {@link ProtocolErrorEvent} rather than a message. */
export function isProtocolError(
  value: { readonly type: string } | undefined,
): value is ProtocolErrorEvent {
  return value?.type === 'protocol_error';
}
