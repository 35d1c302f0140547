import { StringDecoder } from 'node:string_decoder';
import { PROTOCOL_SAMPLE_CHARS, redactedSample, SECRET_MARGIN_CHARS } from './protocol-event.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/**
 * Bytes decoded for an overflow sample: enough for its 200 characters of up to 4 bytes, and for
 * a secret reaching past them to be recognised (and redacted) whole before the cut.
 */
const SAMPLE_BYTES = (PROTOCOL_SAMPLE_CHARS + SECRET_MARGIN_CHARS) * 4;

/** What {@link createLineDecoder} reports about a line that was too long. */
export interface LineOverflowInfo {
  /** Bytes of the line seen when it crossed the limit (the line may be longer still). */
  readonly length: number;
  /** Its first 200 characters, secrets redacted. */
  readonly sample: string;
}

/** Options of {@link createLineDecoder}. */
export interface LineDecoderOptions {
  /**
   * Longest line accepted, in bytes (without the newline). A longer line is never buffered:
   * it is reported once through `onOverflow` and skipped up to its newline.
   * @defaultValue 16 MiB
   */
  readonly maxLineBytes?: number;
  /** Called with each complete line, without its `\n` or `\r\n`. Empty lines included. */
  readonly onLine: (line: string) => void;
  /** Called once per line longer than `maxLineBytes`. */
  readonly onOverflow?: (info: LineOverflowInfo) => void;
}

/** Splits a byte stream into lines; see {@link createLineDecoder}. */
export interface LineDecoder {
  /** Feeds a chunk of output; complete lines are delivered synchronously. */
  push(chunk: Buffer | string): void;
  /** Delivers a final line that had no newline, and resets the decoder. */
  end(): void;
}

/** Default of {@link LineDecoderOptions.maxLineBytes}: 16 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Creates a decoder that splits a stream of UTF-8 bytes into lines, with bounded memory.
 *
 * Lines are cut on the newline byte and only then decoded: a UTF-8 continuation byte is never
 * `0x0a`, so a character split across chunks is reassembled whole, and the length limit is
 * counted in bytes, exactly.
 *
 * @example
 * ```ts
 * const decoder = createLineDecoder({ onLine: (line) => handle(parseCliLine(line)) });
 * child.stdout.on('data', (chunk) => decoder.push(chunk));
 * child.stdout.on('end', () => decoder.end());
 * ```
 */
export function createLineDecoder(options: LineDecoderOptions): LineDecoder {
  const { maxLineBytes = DEFAULT_MAX_LINE_BYTES, onLine, onOverflow } = options;
  let parts: Buffer[] = [];
  let bufferedBytes = 0;
  // True from an overflow until the newline that ends the overflowing line.
  let discarding = false;

  const reset = (): void => {
    parts = [];
    bufferedBytes = 0;
  };

  const overflow = (segment: Buffer): void => {
    const length = bufferedBytes + segment.length;
    const head = Buffer.concat([...parts, segment.subarray(0, SAMPLE_BYTES)]).subarray(
      0,
      SAMPLE_BYTES,
    );
    // A StringDecoder holds back a character cut at the end of the sample instead of mangling it.
    const sample = redactedSample(new StringDecoder('utf8').write(head));
    reset();
    discarding = true;
    onOverflow?.({ length, sample });
  };

  const emit = (segment: Buffer): void => {
    let line = parts.length === 0 ? segment : Buffer.concat([...parts, segment]);
    reset();
    if (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) {
      line = line.subarray(0, line.length - 1);
    }
    onLine(line.toString('utf8'));
  };

  return {
    push(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let start = 0;
      while (start <= bytes.length) {
        const newline = bytes.indexOf(NEWLINE, start);
        const end = newline === -1 ? bytes.length : newline;
        const segment = bytes.subarray(start, end);
        if (discarding) {
          if (newline !== -1) discarding = false;
        } else if (bufferedBytes + segment.length > maxLineBytes) {
          overflow(segment);
          if (newline !== -1) discarding = false;
        } else if (newline !== -1) {
          emit(segment);
        } else if (segment.length > 0) {
          // Copied: the caller may reuse its buffer once push returns.
          parts.push(Buffer.from(segment));
          bufferedBytes += segment.length;
        }
        if (newline === -1) break;
        start = newline + 1;
      }
    },
    end() {
      if (!discarding && bufferedBytes > 0) emit(Buffer.alloc(0));
      reset();
      discarding = false;
    },
  };
}
