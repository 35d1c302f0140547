import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOutputDir, latestOutputDir } from '../../src/cli/default-output-dir.js';

describe('defaultOutputDir', () => {
  it('names the folder after the plan, as a file-safe slug', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'out-dir-'));
    expect(defaultOutputDir('Docs: the guide!', cwd)).toBe(
      join('claude-actors-output', 'docs-the-guide'),
    );
    expect(defaultOutputDir('***', cwd)).toBe(join('claude-actors-output', 'run'));
  });

  it('never reuses the folder of an earlier run', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'out-dir-'));
    mkdirSync(join(cwd, 'claude-actors-output', 'plan'), { recursive: true });
    expect(defaultOutputDir('plan', cwd)).toBe(join('claude-actors-output', 'plan-2'));
    mkdirSync(join(cwd, 'claude-actors-output', 'plan-2'));
    expect(defaultOutputDir('plan', cwd)).toBe(join('claude-actors-output', 'plan-3'));
  });

  it('finds the folder of the latest run, for --resume', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'out-dir-'));
    expect(latestOutputDir('plan', cwd)).toBeUndefined();
    mkdirSync(join(cwd, 'claude-actors-output', 'plan'), { recursive: true });
    expect(latestOutputDir('plan', cwd)).toBe(join('claude-actors-output', 'plan'));
    mkdirSync(join(cwd, 'claude-actors-output', 'plan-2'));
    expect(latestOutputDir('plan', cwd)).toBe(join('claude-actors-output', 'plan-2'));
  });
});
