import { PassThrough } from 'node:stream';

/** A stream that remembers what was written to it. */
export function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

/** Command io writing into two captures. */
export function captureIo() {
  const stdout = capture();
  const stderr = capture();
  return {
    io: { stdout: stdout.stream, stderr: stderr.stream },
    out: stdout.text,
    err: stderr.text,
  };
}
