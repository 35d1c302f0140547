import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/machines/query/run-query.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const root = mkdtempSync(join(tmpdir(), 'claude-actors-config-root-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Agent SDK options the real CLI takes (flags and initialize fields)', () => {
  it('runs a query with every flag and initialize field of the SDK options at once', async () => {
    // `Shell` is no tool of the CLI: only `toolAliases` makes the model's call run as Bash.
    sim.env.simulator.on('all options', {
      kind: 'tool_use',
      name: 'Shell',
      input: { command: 'echo aliased-call' },
    });
    sim.env.simulator.on((r) => r.hasToolResult, { kind: 'text', text: 'all taken' });
    const handle = runQuery('all options', {
      ...sim.env.options,
      promptSuggestions: false,
      forwardSubagentText: true,
      planModeInstructions: 'Plan in three steps.',
      projectConfigRoot: root,
      toolConfig: { askUserQuestion: { previewFormat: 'html' } },
      verbatimPrompts: true,
      agentProgressSummaries: false,
      toolAliases: { Shell: 'Bash' },
      skills: ['pdf'],
      perTaskStopAffordance: true,
      // Read from initialize (`--await-initialize`): WebFetch, a default tool, is gone.
      managedSettings: { permissions: { deny: ['WebFetch'] } },
      allowedTools: ['Bash(echo *)'],
    });
    const messages = firstValueFrom(handle.messages$.pipe(toArray()));
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'succeeded', text: 'all taken', attempts: 1 });
    const init = (await messages).find((m) => m.type === 'system' && m.subtype === 'init');
    expect((init as { tools: string[] }).tools).not.toContain('WebFetch');
    expect((init as { tools: string[] }).tools).toContain('Bash');
    expect(sim.env.simulator.requests.flatMap((r) => r.toolResults)).toEqual([
      expect.objectContaining({ content: 'aliased-call', isError: false }),
    ]);
  }, 60_000);

  it('delivers plugins in initialize instead of argv (pluginDelivery: initialize)', async () => {
    const plugin = join(root, 'greeter');
    mkdirSync(join(plugin, '.claude-plugin'), { recursive: true });
    writeFileSync(
      join(plugin, '.claude-plugin', 'plugin.json'),
      JSON.stringify({ name: 'greeter', version: '1.0.0', description: 'A test plugin' }),
    );
    sim.env.simulator.on('plugin please', { kind: 'text', text: 'loaded' });
    const handle = runQuery('plugin please', {
      ...sim.env.options,
      plugins: [{ type: 'local', path: plugin }],
      pluginDelivery: 'initialize',
    });
    const messages = firstValueFrom(handle.messages$.pipe(toArray()));
    expect(await handle.result).toMatchObject({ status: 'succeeded', text: 'loaded' });
    const init = (await messages).find((m) => m.type === 'system' && m.subtype === 'init') as
      | { plugins?: { name: string; path: string }[] }
      | undefined;
    expect(init?.plugins).toContainEqual(
      expect.objectContaining({ name: 'greeter', path: plugin }),
    );
  }, 60_000);
});
