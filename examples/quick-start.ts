/**
 * Quick start: three Claude queries run at once as actors, streamed as they arrive.
 *
 *   npm start            # offline, against the built-in simulated Messages API
 *   npm start -- --live  # against real Claude (needs ANTHROPIC_API_KEY or a logged-in CLI)
 *
 * One of the simulated queries hits an overloaded API (HTTP 529) first: watch the actor retry
 * it with backoff instead of losing it.
 */

import { type QueryOptions, runQuery, textDeltas } from 'claude-actors';
import { createSimulatedEnvironment } from 'claude-actors/testing';
import { merge } from 'rxjs';
import { map } from 'rxjs/operators';

const live = process.argv.includes('--live') || process.env.CLAUDE_ACTORS_LIVE === '1';

const sim = live ? undefined : await createSimulatedEnvironment({ chunkSize: 6, chunkDelayMs: 25 });
if (sim) {
  sim.simulator
    .on('haiku', {
      kind: 'text',
      text: 'Processes bloom and fade /\nsupervisors tend the tree /\nnothing left orphaned.',
    })
    .on('actor model', {
      kind: 'text',
      text: 'An actor owns its state and talks only by messages, so a crash stays local and can be restarted.',
    })
    .on('overloaded', [
      { kind: 'error', status: 529 },
      { kind: 'text', text: 'Recovered after a 529: the query actor retried with backoff.' },
    ]);
}

const options: QueryOptions = {
  ...(sim?.options ?? {}),
  includePartialMessages: true,
  maxTurns: 1,
  retry: { maxAttempts: 3, initialDelayMs: 300 },
};

console.log(
  live ? 'Running against real Claude…' : `Running against the simulator at ${sim!.simulator.url}…`,
);

const prompts = {
  haiku: 'Write a haiku about supervision trees.',
  actors: 'In one sentence: why the actor model?',
  flaky: 'Say something even though the API is overloaded.',
};
const handles = Object.entries(prompts).map(([name, prompt]) => ({
  name,
  handle: runQuery(prompt, options),
}));

for (const { name, handle } of handles) {
  handle.events$.subscribe((event) => {
    if (event.type === 'query.retrying') {
      console.log(
        `\n[${name}] attempt ${event.attempt} failed (${event.error.code}), retrying in ${event.delayMs} ms`,
      );
    }
  });
}
merge(
  ...handles.map(({ name, handle }) =>
    handle.messages$.pipe(
      textDeltas(),
      map((text) => ({ name, text })),
    ),
  ),
).subscribe(({ name, text }) => process.stdout.write(`[${name}] ${JSON.stringify(text)}\n`));

const results = await Promise.all(handles.map(({ handle }) => handle.result));
console.log('\nResults:');
for (const [i, result] of results.entries()) {
  console.log(
    `- ${handles[i]!.name}: ${result.status} in ${result.durationMs} ms, ${result.attempts} attempt(s), ` +
      `$${result.costUsd.toFixed(6)}: ${result.text ?? result.error?.message}`,
  );
}
await sim?.close();
process.exitCode = results.every((r) => r.status === 'succeeded') ? 0 : 1;
