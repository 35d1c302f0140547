/**
 * The two example plugins on a runtime, offline against the simulator:
 *
 *   npx tsx examples/plugins/demo.ts
 *
 * One query is refused by the policy (no CLI starts), the others run with the house prefix;
 * every settled query gets a line in the cost ledger, printed at the end.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from 'claude-actors';
import { createSimulatedEnvironment } from 'claude-actors/testing';
import { costLedger } from './cost-ledger.js';
import { promptPrefixPolicy } from './prompt-prefix-policy.js';

const sim = await createSimulatedEnvironment();
sim.simulator.on('haiku', { kind: 'text', text: 'Actors restart / nothing orphaned.' });
const dir = await mkdtemp(join(tmpdir(), 'claude-actors-ledger-'));
const ledger = costLedger(join(dir, 'costs.jsonl'));
const runtime = createRuntime({
  defaults: sim.options,
  plugins: [promptPrefixPolicy({ prefix: 'Be brief.', refuse: [/rm -rf/] }), ledger],
});
try {
  const results = await Promise.all([
    runtime.query('Write a haiku about actors', {}, { tags: ['poetry'] }).result,
    runtime.query('Please rm -rf the build folder').result,
  ]);
  for (const result of results) {
    process.stdout.write(`${result.status}: ${result.text ?? result.error?.message}\n`);
  }
  await ledger.flush();
  process.stdout.write(await readFile(join(dir, 'costs.jsonl'), 'utf8'));
} finally {
  await runtime.stop();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
}
