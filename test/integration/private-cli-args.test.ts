import { existsSync, readFileSync, statSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/machines/query/run-query.js';
import { isSystemInit } from '../../src/protocol/cli-message-guards.js';
import { eventually, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

describe('MCP configs with secrets, running the real CLI', () => {
  it('reach the CLI through a private file, never its command line, and the file goes after', async () => {
    const canary = 'mcp-canary-7f3a9c1e5b';
    sim.env.simulator.on('which servers', { kind: 'text', text: 'listed' });
    const handle = runQuery('which servers', {
      ...sim.env.options,
      mcpConfig: {
        mcpServers: {
          tickets: {
            command: process.execPath,
            // Exits at once: the CLI marks the server failed instead of waiting for it.
            args: ['-e', 'process.exit(1)'],
            env: { TICKETS_TOKEN: canary },
          },
        },
      },
    });
    const spawned = firstValueFrom(handle.events$.pipe(filter((e) => e.type === 'query.spawned')));
    const init = firstValueFrom(handle.messages$.pipe(filter(isSystemInit)));
    const { pid } = (await spawned) as { pid: number };
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv.join(' ')).not.toContain(canary);
    const path = argv[argv.indexOf('--mcp-config') + 1]!;
    expect(path).toMatch(/claude-actors-\d+-[0-9a-f]+\/[0-9a-f]{32}\.json$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain(canary);
    // The CLI read it: the server is in its init message.
    expect((await init).mcp_servers?.map((s) => s.name)).toContain('tickets');
    expect((await handle.result).status).toBe('succeeded');
    // Removed once the CLI has exited (the result comes first).
    expect(await eventually(() => !existsSync(path), 10_000)).toBe(true);
  }, 60_000);
});
