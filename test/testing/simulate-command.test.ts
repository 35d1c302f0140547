import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { simulateCommand } from '../../src/cli/simulate-command.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function scriptFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sim-script-'));
  const path = join(dir, 'script.json');
  await writeFile(path, content);
  return path;
}

describe('claude-actors simulate', () => {
  it('prints the URL and exports, logs each request, and stops on abort', async () => {
    const out = capture();
    const err = capture();
    const controller = new AbortController();
    const path = await scriptFile(
      JSON.stringify({
        defaults: { chunkSize: 4 },
        rules: [{ match: { contains: 'ping' }, reply: { kind: 'text', text: 'pong' } }],
      }),
    );
    const running = simulateCommand(['--script', path, '--ttft', '0'], {
      stdout: out.stream,
      stderr: err.stream,
      signal: controller.signal,
    });
    await until(() => out.text().includes('Press Ctrl+C'));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.text())?.[1];
    expect(url).toBeDefined();
    expect(out.text()).toContain(`export ANTHROPIC_BASE_URL=${url}`);
    expect(out.text()).toContain('export ANTHROPIC_API_KEY=sk-sim-local');
    expect(out.text()).toContain('export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1');

    const res = await fetch(`${url}/v1/messages?beta=true`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'claude-opus-5-5',
        stream: true,
        messages: [{ role: 'user', content: 'ping please' }],
      }),
    });
    expect(await res.text()).toContain('pong');
    await until(() => out.text().includes('-> text (4 chars)'));
    expect(out.text()).toMatch(
      /\d\d:\d\d:\d\d\.\d{3} POST \/v1\/messages\?beta=true claude-opus-5-5 stream "ping please"/,
    );

    controller.abort();
    await expect(running).resolves.toBe(0);
    expect(out.text()).toContain('Simulator stopped (abort) after 1 request(s).');
    expect(err.text()).toBe('');
    await expect(fetch(url!)).rejects.toThrow();
  });

  it.each([
    [['--port', 'abc'], '--port', '"abc"'],
    [['--port', '70000'], '--port', '"70000"'],
    [['--ttft=-5'], '--ttft', '"-5"'],
    [['--ttft', '-5'], '--ttft', 'argument is ambiguous'],
    [['--chunk-delay', '1.5'], '--chunk-delay', '"1.5"'],
    [['--colour'], "'--colour'", ''],
    [['extra'], "'extra'", ''],
  ])('rejects %j with exit code 2 naming %s', async (args, flag, value) => {
    const out = capture();
    const err = capture();
    const code = await simulateCommand(args, { stdout: out.stream, stderr: err.stream });
    expect(code).toBe(2);
    expect(err.text()).toContain(flag);
    expect(err.text()).toContain(value);
    expect(err.text()).toContain('Usage: claude-actors simulate');
    expect(out.text()).toBe('');
  });

  it.each([
    ['a missing file', null, 'Cannot read --script'],
    ['a file that is not JSON', '{ nope', 'is not valid JSON'],
    [
      'an invalid script',
      '{"rules":[{"match":{"any":true},"reply":{"kind":"txt"}}]}',
      '`rules[0].reply.kind`',
    ],
  ])('rejects %s with exit code 2', async (_name, content, message) => {
    const path = content === null ? '/nonexistent/script.json' : await scriptFile(content);
    const err = capture();
    const code = await simulateCommand(['--script', path], {
      stdout: capture().stream,
      stderr: err.stream,
    });
    expect(code).toBe(2);
    expect(err.text()).toContain(message);
    expect(err.text()).toContain(path);
  });

  it('prints usage for --help', async () => {
    const out = capture();
    expect(
      await simulateCommand(['--help'], { stdout: out.stream, stderr: capture().stream }),
    ).toBe(0);
    expect(out.text()).toContain('--chunk-delay MS');
  });
});
