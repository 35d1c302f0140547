import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { captureIo } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'run-command-'));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('claude-actors run, before anything runs', () => {
  it('reports plan problems and preflight problems together, exit 2, and runs nothing', async () => {
    for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN']) {
      vi.stubEnv(name, undefined);
    }
    vi.stubEnv('CLAUDE_CONFIG_DIR', undefined);
    vi.stubEnv('HOME', mkdtempSync(join(tmpdir(), 'run-command-home-')));
    writeFileSync(join(dir, 'file.txt'), 'x');
    const plan = join(dir, 'bad.json');
    writeFileSync(plan, JSON.stringify({ tasks: [{ id: 'a', promt: 'x' }] }));
    const { io, out, err } = captureIo();
    const code = await runCommand([plan, '--live', '-o', join(dir, 'file.txt', 'out')], io);
    expect(code).toBe(2);
    // Each problem is a line; plan problems are followed by indented code-frame lines.
    const lines = err()
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('    '));
    expect(err()).toContain(`\n    ${plan}:1:`);
    expect(lines).toEqual([
      expect.stringMatching(/^claude-actors: invalid plan .*`tasks\[0\]\.prompt`: is required/),
      expect.stringMatching(
        /^claude-actors: invalid plan .*`tasks\[0\]\.promt`: unknown key \(did you mean `prompt`\?\)/,
      ),
      expect.stringMatching(/^claude-actors: --live: no credentials/),
      expect.stringMatching(/^claude-actors: output folder .*file\.txt\/out cannot be written/),
    ]);
    expect(out()).toBe('');
  });

  it('refuses, without --live, a plan env that would take the simulated run to a real API', async () => {
    const plan = join(dir, 'real-api.json');
    const secret = 'sk-ant-never-shown';
    writeFileSync(
      plan,
      JSON.stringify({
        defaults: { env: { CLAUDE_CODE_USE_BEDROCK: '1' } },
        tasks: [{ id: 'a', prompt: 'x', options: { env: { ANTHROPIC_API_KEY: secret } } }],
      }),
    );
    const { io, out, err } = captureIo();
    expect(await runCommand([plan, '-o', join(dir, 'real-api-out')], io)).toBe(2);
    expect(err().trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^claude-actors: plan defaults: sets env.CLAUDE_CODE_USE_BEDROCK, .*--live/,
      ),
      expect.stringMatching(/^claude-actors: task `a`: sets env.ANTHROPIC_API_KEY, .*--live/),
    ]);
    expect(err()).not.toContain(secret);
    expect(out()).toBe('');
    expect(existsSync(join(dir, 'real-api-out'))).toBe(false);
  });

  it('names every missing prompt file in one line each', async () => {
    const { io, err } = captureIo();
    const present = join(dir, 'present.md');
    writeFileSync(present, 'hi');
    expect(await runCommand([join(dir, 'a.md'), present, join(dir, 'b.md')], io)).toBe(2);
    expect(err()).toBe(
      `claude-actors: prompt file not found: ${join(dir, 'a.md')}\n` +
        `claude-actors: prompt file not found: ${join(dir, 'b.md')}\n`,
    );
  });

  it('says which prompt files are empty', async () => {
    const { io, err } = captureIo();
    const empty = join(dir, 'empty.md');
    writeFileSync(empty, ' \n');
    expect(await runCommand([empty], io)).toBe(2);
    expect(err()).toBe(`claude-actors: prompt file ${empty} is empty\n`);
  });

  it('refuses a plan file among other files instead of running it as a prompt', async () => {
    const { io, err } = captureIo();
    expect(await runCommand(['a.yaml', 'b.md'], io)).toBe(2);
    expect(err()).toContain(
      'claude-actors run: give one plan file, or prompt files: got 2 files, of which plan file(s) a.yaml\n',
    );
  });

  it('interrupted before the run starts: starts nothing and exits 1 (main makes it 130)', async () => {
    const plan = join(dir, 'ok.json');
    writeFileSync(plan, JSON.stringify({ tasks: [{ id: 'a', prompt: 'x' }] }));
    const controller = new AbortController();
    controller.abort('SIGINT');
    const { io, out, err } = captureIo();
    const code = await runCommand([plan, '-o', join(dir, 'never')], {
      ...io,
      signal: controller.signal,
    });
    expect(code).toBe(1);
    expect(out()).toBe('');
    expect(err()).toBe('');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('a missing plan file is one clear line, and no default output folder is made', async () => {
    // The checkout may have one from `npm start`: nothing is made in it, or it is not made.
    const folder = (): string | undefined =>
      existsSync('claude-actors-output') ? readdirSync('claude-actors-output').join() : undefined;
    const before = folder();
    const { io, err } = captureIo();
    expect(await runCommand(['x.yaml'], io)).toBe(2);
    expect(err()).toBe('claude-actors: plan file not found: x.yaml\n');
    expect(folder()).toBe(before);
    expect(existsSync(join('claude-actors-output', 'x'))).toBe(false);
  });
});
