import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptionsError } from '../../../src/core/validation/invalid-options-error.js';
import { jobQueryOptions } from '../../../src/distributed/job/job-query-options.js';

describe('jobQueryOptions', () => {
  it('leaves out apiKey and secret env and header entries, and says which by path only', () => {
    const { options, dropped } = jobQueryOptions({
      model: 'sonnet',
      apiKey: 'sk-ant-supersecret-123456',
      maxThinkingTokens: 2000,
      env: { GITHUB_TOKEN: 'ghp_abcdef123456', CI: '1' },
      mcpConfig: {
        mcpServers: {
          web: { type: 'http', url: 'https://x', headers: { Authorization: 'Bearer abcdefgh12' } },
        },
      },
    });
    expect(options).toEqual({
      model: 'sonnet',
      maxThinkingTokens: 2000,
      env: { CI: '1' },
      mcpConfig: { mcpServers: { web: { type: 'http', url: 'https://x', headers: {} } } },
    });
    expect(dropped).toEqual([
      'apiKey',
      'env.GITHUB_TOKEN',
      'mcpConfig.mcpServers.web.headers.Authorization',
    ]);
    const json = JSON.stringify({ options, dropped });
    expect(json).not.toContain('supersecret');
    expect(json).not.toContain('ghp_');
    expect(json).not.toContain('abcdefgh12');
  });

  it('refuses functions and class instances, naming each option', () => {
    let caught: unknown;
    try {
      jobQueryOptions({
        stderr: () => undefined,
        outputSchema: z.object({ a: z.string() }),
      } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const error = caught as InvalidOptionsError;
    expect(error.issues.map((i) => i.path)).toEqual(['stderr', 'outputSchema']);
    expect(error.message).toMatch(/`stderr`: a function cannot be sent to a worker/);
    expect(error.issues[1]!.message).toMatch(/jsonSchema/);
  });

  it('keeps arrays and drops undefined entries', () => {
    expect(jobQueryOptions({ allowedTools: ['Read', 'Bash'], model: undefined }).options).toEqual({
      allowedTools: ['Read', 'Bash'],
    });
  });
});
