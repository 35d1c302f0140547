import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import type { DashboardSnapshot, DashboardUpdate } from '../../src/dashboard/dashboard-view.js';
import { waitForNoLiveProcesses } from '../../src/process/registry/process-registry.js';
import { captureIo } from '../cli/capture.js';
import { openEvents } from '../dashboard/sse-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-dashboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first `Dashboard: <url>` line written to `stream`. */
function dashboardUrl(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(text);
      if (match) {
        stream.off('data', onData);
        resolve(match[1]!);
      }
    };
    stream.on('data', onData);
  });
}

describe('claude-actors run --dashboard (real CLI against the built-in simulator)', () => {
  it('serves the run on a loopback URL it prints, streams it, and closes at the end', async () => {
    const plan = join(dir, 'plan.yaml');
    writeFileSync(
      plan,
      'name: watched\ntasks:\n  - id: first\n    prompt: say something long enough to stream\n  - id: second\n    prompt: and then more\n    dependsOn: [first]\n',
    );
    const { io, out } = captureIo();
    const url = dashboardUrl(io.stdout);
    const done = runCommand([plan, '--dashboard', '-o', join(dir, 'out')], io);
    const pageUrl = await url;
    const events = await openEvents(`${pageUrl}events`);
    const updates: DashboardUpdate[] = [];
    const snapshot = JSON.parse((await events.next()).data) as DashboardSnapshot;
    const reading = (async () => {
      for (;;) {
        const event = await events.next();
        updates.push(...(JSON.parse(event.data) as DashboardUpdate[]));
        const runs = updates.flatMap((u) => (u.type === 'run' ? [u.run] : []));
        if (runs.at(-1)?.done) return;
      }
    })();
    expect(await done).toBe(0);
    await reading;
    events.close();
    expect(snapshot.runs[0]?.name).toBe('watched');
    expect(snapshot.runs[0]?.tasks.map((t) => [t.id, t.depth])).toEqual([
      ['first', 0],
      ['second', 1],
    ]);
    const last = updates.flatMap((u) => (u.type === 'run' ? [u.run] : [])).at(-1)!;
    expect(last.tasks.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    // The text came in pieces while the tasks ran (the flag turns on partial messages): some
    // update holds the start of its query's final text.
    const texts = updates.flatMap((u) => (u.type === 'text' ? [u.text] : []));
    const final = new Map(texts.map((t) => [t.queryId, t.text]));
    expect(final.get(texts[0]!.queryId)).toMatch(/^Simulated reply to: say something/);
    const partial = texts.filter((t) => {
      const whole = final.get(t.queryId)!;
      return t.text.length < whole.length && whole.startsWith(t.text);
    });
    expect(partial.length).toBeGreaterThan(0);
    expect(out()).toMatch(/2 succeeded, 0 failed/);
    // Closed with the run.
    await expect(
      new Promise((resolve, reject) =>
        get(pageUrl, { agent: false }).on('response', resolve).on('error', reject),
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
    await waitForNoLiveProcesses(10_000);
  });
});
