import { parseQueryOptions, toCliArgs } from './src/options/index.js';
import {
  createLineDecoder,
  parseCliLine,
  serializeHostMessage,
  userMessage,
} from './src/protocol/index.js';
import { createSimulatedEnvironment } from './src/testing.js';
import { buildEnv } from './src/transport/build-env.js';
import { resolveExecutable } from './src/transport/resolve-executable.js';
import { spawnClaude } from './src/transport/spawn-claude.js';

const env = await createSimulatedEnvironment();
const opts = parseQueryOptions(env.options);
const lines: any[] = [];
let onResult: (() => void) | undefined;
const dec = createLineDecoder({
  onLine: (l) => {
    const m = parseCliLine(l);
    if (m) {
      lines.push(m);
      if (m.type === 'result') onResult?.();
    }
  },
});
const proc = spawnClaude({
  executable: resolveExecutable(),
  args: toCliArgs(opts),
  env: buildEnv({ extra: { ...opts.env, CLAUDE_CODE_MAX_RETRIES: '0' } }),
  onStdout: (c) => dec.push(c),
});
const turn = (text: string) =>
  new Promise<void>((r) => {
    onResult = r;
    proc.write(serializeHostMessage(userMessage(text)));
  });
const t0 = performance.now();
await turn('SECRET-ALPHA remember this');
const t1 = performance.now();
await turn('/clear');
const t2 = performance.now();
await turn('what did I say before?');
const t3 = performance.now();
console.log(
  'turn1 ms',
  (t1 - t0).toFixed(0),
  'clear ms',
  (t2 - t1).toFixed(0),
  'turn3 ms',
  (t3 - t2).toFixed(0),
);
for (const r of env.simulator.requests)
  console.log(
    'REQ prompt=',
    JSON.stringify(r.prompt),
    'contains secret:',
    JSON.stringify(r.body).includes('SECRET-ALPHA'),
    'msgs',
    (r.body as any).messages.length,
  );
for (const m of lines)
  if (m.type === 'system' || m.type === 'result')
    console.log(
      m.type,
      m.subtype,
      m.session_id,
      m.type === 'result' ? JSON.stringify(m.result).slice(0, 80) : '',
    );
proc.closeInput();
await proc.exited;
await env.close();
