/**
 * A plugin enforcing a prompt policy before any CLI starts: it refuses prompts that match a
 * forbidden pattern (the query fails with `PLUGIN_REFUSED`, nothing is spawned or spent) and
 * puts a fixed prefix (house rules) in front of every other prompt.
 *
 *   const runtime = createRuntime({
 *     plugins: [promptPrefixPolicy({ prefix: 'Answer in English.', refuse: [/rm -rf/] })],
 *   });
 */

import type { RuntimePlugin } from 'claude-actors';

/** What {@link promptPrefixPolicy} enforces. */
export interface PromptPrefixPolicyOptions {
  /** Put before every prompt, on a line of its own. */
  readonly prefix: string;
  /** A prompt whose text matches any of these is refused. @defaultValue none */
  readonly refuse?: readonly RegExp[];
}

/** The text of a prompt: itself, or its text blocks joined. */
function textOf(prompt: string | readonly { type: string; text?: unknown }[]): string {
  if (typeof prompt === 'string') return prompt;
  return prompt.map((block) => (typeof block.text === 'string' ? block.text : '')).join('\n');
}

/**
 * A plugin that refuses prompts matching `refuse` and prefixes the others with `prefix` (a
 * content-block prompt gets the prefix as a first text block).
 *
 * @throws {TypeError} when `prefix` is empty.
 */
export function promptPrefixPolicy(options: PromptPrefixPolicyOptions): RuntimePlugin {
  if (options.prefix.trim() === '') {
    throw new TypeError('Expected `prefix` to be a non-empty string, got an empty one');
  }
  const { prefix, refuse = [] } = options;
  return {
    name: 'prompt-prefix-policy',
    beforeQuery({ prompt }) {
      const text = textOf(prompt);
      const match = refuse.find((pattern) => pattern.test(text));
      if (match) return { refuse: `the prompt matches the forbidden pattern ${String(match)}` };
      // Already prefixed (a plugin chain or a retried call): leave it as it is.
      if (text.startsWith(prefix)) return undefined;
      return {
        prompt:
          typeof prompt === 'string'
            ? `${prefix}\n\n${prompt}`
            : [{ type: 'text', text: prefix }, ...prompt],
      };
    },
  };
}
