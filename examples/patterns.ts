/**
 * The orchestration patterns on one runtime, offline: parallel with a cap, a pipeline that
 * passes each output on, and a fallback across "models".
 *
 *   npx tsx examples/patterns.ts
 */
import { createRuntime, fallback, parallel, pipeline } from 'claude-actors';
import { createSimulatedEnvironment } from 'claude-actors/testing';

const sim = await createSimulatedEnvironment({ ttftMs: 200 });
sim.simulator.on('primary', { kind: 'error', status: 529 });
const runtime = createRuntime({ defaults: { ...sim.options, retry: { maxAttempts: 1 } } });

const fan = parallel(
  runtime,
  ['actors', 'supervisors', 'backoff', 'circuit breakers'].map((topic) => ({
    id: topic,
    prompt: `One line on ${topic}.`,
  })),
  { maxConcurrent: 2 },
);
fan.completed$.subscribe(({ id, result }) => console.log(`parallel: ${id} ${result.status}`));
console.log(`parallel: ${(await fan.result).succeeded} succeeded`);

const chain = await pipeline(runtime, [
  { id: 'outline', prompt: 'Outline a note on actors.' },
  { id: 'draft', prompt: 'Write the note from the outline.' },
]).result;
console.log(
  `pipeline: ${chain.status}; the draft step saw the outline: ${chain.final?.text?.includes('Outline') ?? false}`,
);

const picked = await fallback(runtime, [
  { id: 'primary', prompt: 'primary model, please' },
  { id: 'secondary', prompt: 'secondary model, please' },
]).result;
console.log(
  `fallback: ${picked.status} with ${picked.succeededWith?.id} after ${picked.tried.length} tries`,
);

await runtime.stop();
await sim.close();
