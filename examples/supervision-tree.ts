/**
 * A supervised runtime, watched live: four queries run as children of the runtime's query
 * supervisor; one hits an overloaded API and is restarted by its supervisor with backoff.
 * The supervision tree is printed as it changes.
 *
 *   npx tsx examples/supervision-tree.ts             # offline, against the simulator
 *   npx tsx examples/supervision-tree.ts --inspect   # also serve the XState inspector on loopback
 */
import { createRuntime, exposeInspector, type SupervisionNode } from 'claude-actors';
import { createSimulatedEnvironment } from 'claude-actors/testing';

function render(node: SupervisionNode, prefix = '', last = true, root = true): string[] {
  const state = node.state === undefined ? '' : ` ${JSON.stringify(node.state)}`;
  const restarts = node.restarts ? ` restarts=${node.restarts}` : '';
  const line = `${root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`}${node.id} [${node.kind}, ${node.status}]${restarts}${state}`;
  const childPrefix = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
  const children = node.children ?? [];
  return [
    line,
    ...children.flatMap((c, i) => render(c, childPrefix, i === children.length - 1, false)),
  ];
}

const env = await createSimulatedEnvironment({ chunkSize: 8, chunkDelayMs: 40 });
env.simulator.on('overloaded', [
  { kind: 'error', status: 529 },
  { kind: 'text', text: 'Recovered after a restart.' },
]);

const inspector = process.argv.includes('--inspect') ? await exposeInspector() : undefined;
if (inspector) console.log(`Inspector: open ${inspector.viewerUrl} (events on ${inspector.url})`);

const runtime = createRuntime({
  defaults: { ...env.options, retry: { maxAttempts: 3, initialDelayMs: 500 } },
  inspect: inspector?.inspect,
});
let previous = '';
runtime.tree$.subscribe((tree) => {
  const text = render(tree).join('\n');
  if (text !== previous) console.log(`\n${text}`);
  previous = text;
});

const prompts = [
  'Name a prime.',
  'Name a colour.',
  'The API is overloaded: answer anyway.',
  'Name a planet.',
];
const results = await Promise.all(prompts.map((p) => runtime.query(p).result));
for (const [i, r] of results.entries()) {
  console.log(
    `${prompts[i]} → ${r.status} after ${r.attempts} attempt(s): ${r.text ?? r.error?.message}`,
  );
}
await runtime.stop();
await inspector?.close();
await env.close();
