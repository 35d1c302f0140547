import { styleText } from 'node:util';

/** The colours the display uses, by role. */
export type DisplayTone = 'running' | 'retrying' | 'succeeded' | 'failed' | 'muted' | 'strong';

/** Colours a piece of text by its role; the identity when colour is off. */
export type DisplayStyle = (tone: DisplayTone, text: string) => string;

const FORMATS = {
  running: 'cyan',
  retrying: 'yellow',
  succeeded: 'green',
  failed: 'red',
  muted: 'dim',
  strong: 'bold',
} as const satisfies Record<DisplayTone, Parameters<typeof styleText>[0]>;

/** No colour: text as is. */
export const plainStyle: DisplayStyle = (_tone, text) => text;

/** ANSI colour through `util.styleText` (already decided on: no stream check). */
export const ansiStyle: DisplayStyle = (tone, text) =>
  styleText(FORMATS[tone], text, { validateStream: false });

/**
 * Whether to colour output to `stream`: never when `NO_COLOR` is set (and not empty, as
 * no-color.org says), nor when `FORCE_COLOR` is `0` or `false`; always on a TTY when
 * `FORCE_COLOR` is otherwise set; else when the stream is a TTY that has colours.
 *
 * @param stream - Where the display writes.
 * @param env - The environment, `process.env` by default.
 */
export function colorEnabled(
  stream: { isTTY?: boolean; hasColors?: (count?: number) => boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.hasColors?.() ?? true;
}
