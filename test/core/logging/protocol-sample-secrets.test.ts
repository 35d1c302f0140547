import { beforeEach, describe, expect, it } from 'vitest';
import { clearKnownSecrets, registerSecrets } from '../../../src/core/redaction/secret-registry.js';
import { createLineDecoder } from '../../../src/protocol/line-decoder.js';
import { PROTOCOL_SAMPLE_CHARS, protocolError } from '../../../src/protocol/protocol-event.js';

const CANARY = 'tok_Hq4Zr8Nw2Lx6Vb0Jm3Kp7Ty1Fs5Gd9';
const pieces = Array.from({ length: CANARY.length - 5 }, (_, i) => CANARY.slice(i, i + 6));

describe('the sample of a protocol error', () => {
  beforeEach(() => clearKnownSecrets());

  it('never keeps the start of a registered secret that the cut runs through', () => {
    registerSecrets([CANARY]);
    for (let at = PROTOCOL_SAMPLE_CHARS - CANARY.length; at <= PROTOCOL_SAMPLE_CHARS; at++) {
      const line = `${'x'.repeat(at)}${CANARY}${'y'.repeat(5000)}`;
      const { sample } = protocolError('malformed_json', 'bad line', line);
      expect(sample.length).toBeLessThanOrEqual(PROTOCOL_SAMPLE_CHARS);
      expect(pieces.filter((piece) => sample.includes(piece))).toEqual([]);
    }
  });

  it('keeps the start of the line as it was when there is no secret', () => {
    const line = `{"type":"bogus"${'z'.repeat(500)}`;
    expect(protocolError('malformed_json', 'x', line).sample).toBe(
      line.slice(0, PROTOCOL_SAMPLE_CHARS),
    );
  });

  it('of an overlong line never keeps the start of a secret either', () => {
    registerSecrets([CANARY]);
    for (let at = PROTOCOL_SAMPLE_CHARS - CANARY.length; at <= PROTOCOL_SAMPLE_CHARS; at++) {
      const samples: string[] = [];
      const decoder = createLineDecoder({
        maxLineBytes: 100,
        onLine: () => {},
        onOverflow: ({ sample }) => samples.push(sample),
      });
      decoder.push(`${'x'.repeat(at)}${CANARY}${'y'.repeat(5000)}\n`);
      decoder.end();
      expect(samples).toHaveLength(1);
      expect(samples[0]?.startsWith('xxx')).toBe(true);
      expect(pieces.filter((piece) => samples[0]?.includes(piece))).toEqual([]);
    }
  });
});
