import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError, cut, text, toolUse } from '../../src/testing/builders.js';
import { createSimulator } from '../../src/testing/create-simulator.js';
import type { Simulator } from '../../src/testing/simulator.js';

const CLAUDE = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/claude-code/bin/claude.exe', import.meta.url),
);

interface CliRun {
  code: number | null;
  messages: Array<Record<string, unknown> & { type: string }>;
  stderr: string;
}

const dirs: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Runs `claude -p` against the simulator with a fresh HOME and waits for it to exit. */
async function runCli(sim: Simulator, prompt: string, cwd: string): Promise<CliRun> {
  const home = await tempDir('sim-cli-home-');
  const child: ChildProcess = spawn(
    CLAUDE,
    ['-p', prompt, '--output-format', 'stream-json', '--verbose'],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        ...sim.env(),
        CLAUDE_CODE_MAX_RETRIES: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(killer));
  const messages = stdout
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as CliRun['messages'][number]);
  return { code, messages, stderr };
}

function resultOf(run: CliRun): Record<string, unknown> {
  const result = run.messages.find((message) => message.type === 'result');
  if (!result) throw new Error(`No result message; stderr tail: ${run.stderr.slice(-500)}`);
  return result;
}

describe('the real claude CLI against the simulator', () => {
  let sim: Simulator;
  let cwd: string;

  beforeAll(async () => {
    sim = await createSimulator();
  });
  beforeEach(async () => {
    sim.reset();
    cwd = await tempDir('sim-cli-cwd-');
  });
  afterAll(async () => {
    await sim.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('streams a scripted text reply into the result', async () => {
    sim.on('say hello', text('Hello from the simulator!', { chunkSize: 5 }));
    const run = await runCli(sim, 'please say hello', cwd);
    expect(run.code).toBe(0);
    expect(resultOf(run)).toMatchObject({
      subtype: 'success',
      is_error: false,
      result: 'Hello from the simulator!',
    });
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({
      prompt: 'please say hello',
      stream: true,
      hasToolResult: false,
    });
    expect(sim.requests[0]?.headers['x-api-key']).toBe('[redacted]');
  });

  it('runs a Read tool call and answers the tool-result follow-up', async () => {
    const notes = join(cwd, 'notes.txt');
    await writeFile(notes, 'the secret is 42\n');
    sim.on('read the notes', toolUse('Read', { file_path: notes }, { text: 'Reading.' }));
    const run = await runCli(sim, 'read the notes', cwd);
    expect(run.code).toBe(0);
    expect(resultOf(run)).toMatchObject({
      is_error: false,
      result: 'Simulated reply to: read the notes',
      permission_denials: [],
    });
    expect(sim.requests.map((request) => request.hasToolResult)).toEqual([false, true]);
    const [toolResult] = sim.requests[1]?.toolResults ?? [];
    expect(toolResult?.isError).toBe(false);
    expect(toolResult?.content).toContain('the secret is 42');
    expect(run.messages.some((message) => message.type === 'user')).toBe(true);
  });

  it('surfaces a 529 reply as the result api_error_status', async () => {
    sim.enqueue(apiError(529));
    const run = await runCli(sim, 'are you there', cwd);
    expect(resultOf(run)).toMatchObject({ is_error: true, api_error_status: 529 });
    expect(sim.requests).toHaveLength(1);
  });

  it('falls back to a non-stream request when the stream is cut', async () => {
    sim.enqueue(cut({ afterChunks: 2 }));
    const run = await runCli(sim, 'keep going', cwd);
    expect(run.code).toBe(0);
    expect(resultOf(run)).toMatchObject({
      is_error: false,
      result: 'Simulated reply to: keep going',
    });
    expect(sim.requests.map((request) => request.stream)).toEqual([true, false]);
  });
});
