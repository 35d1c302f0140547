/**
 * Tools defined in code, in a one-shot query: the CLI calls `mcp__calc__add`, which runs in this
 * process, and the model reads its result.
 *
 *   npx tsx examples/query-tools.ts          # offline, against the simulated Messages API
 *   npx tsx examples/query-tools.ts --live   # against real Claude
 */

import { createSdkMcpServer, runQuery, tool } from 'claude-actors';
import { createSimulatedEnvironment } from 'claude-actors/testing';
import { z } from 'zod';

const live = process.argv.includes('--live') || process.env.CLAUDE_ACTORS_LIVE === '1';

const sim = live ? undefined : await createSimulatedEnvironment();
// Offline, the simulated model calls the tool, then answers once it has the result.
sim?.simulator
  .on('2 + 40', { kind: 'tool_use', name: 'mcp__calc__add', input: { a: 2, b: 40 } })
  .on((request) => request.hasToolResult, { kind: 'text', text: 'The calculator says 42.' });

const calc = createSdkMcpServer({
  name: 'calc',
  tools: [
    tool('add', 'Adds two numbers', z.object({ a: z.number(), b: z.number() }), ({ a, b }) => {
      console.log(`  (calc.add ran here, in the host: ${a} + ${b})`);
      return `${a + b}`;
    }),
  ],
});

try {
  const result = await runQuery('Use the calculator: what is 2 + 40?', {
    ...(sim?.options ?? {}),
    sdkMcpServers: [calc],
    allowedTools: ['mcp__calc__add'],
    maxTurns: 3,
  }).result;
  console.log(result.status, '-', result.text);
} finally {
  await sim?.close();
}
