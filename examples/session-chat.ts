/**
 * A bidirectional session: two turns on one CLI process (the second sees the first), a tool
 * call decided by code through `canUseTool`, and the per-turn cost.
 *
 *   npx tsx examples/session-chat.ts            # offline, against the simulator
 *   npx tsx examples/session-chat.ts --live     # real Claude
 */
import { createSession } from 'claude-actors';
import { createSimulatedEnvironment } from 'claude-actors/testing';

const live = process.argv.includes('--live');
const sim = live ? undefined : await createSimulatedEnvironment();
sim?.simulator
  .on('favourite colour', { kind: 'text', text: 'Noted: your favourite colour is blue.' })
  .on('write it down', {
    kind: 'tool_use',
    name: 'Write',
    input: { file_path: 'note.txt', content: 'blue' },
  });

const session = createSession({
  ...(sim?.options ?? {}),
  // Every tool call is asked about here; deny writes outside a scratch file.
  canUseTool: async (tool, input) => {
    console.log(`  canUseTool(${tool}, ${JSON.stringify(input)})`);
    return tool === 'Write'
      ? { behavior: 'deny', message: 'Writing files is not allowed in this demo.' }
      : { behavior: 'allow' };
  },
});

for (const prompt of ['My favourite colour is blue.', 'Please write it down in note.txt.']) {
  console.log(`> ${prompt}`);
  const { result, turnCostUsd } = await session.send(prompt).result;
  console.log(`< ${result.result} ($${turnCostUsd.toFixed(5)})`);
}
console.log(`session ${session.sessionId}, total $${session.totalCostUsd.toFixed(5)}`);
await session.close();
await sim?.close();
