import { describe, expect, it } from 'vitest';
import { pipeline } from '../../../src/orchestration/patterns/pipeline.js';
import { settle, usePatternRuntime } from './harness.js';

const env = usePatternRuntime((prompt) =>
  prompt.startsWith('fail')
    ? { apiErrorStatus: 400 }
    : { text: `<${prompt.split('\n')[0]}>`, delayMs: 10 },
);

describe('pipeline', () => {
  it("gives each step the previous step's output as context", async () => {
    const { status, outputs, final } = await settle(
      pipeline(env.runtime, [
        { id: 'outline', prompt: 'outline' },
        { id: 'draft', prompt: 'draft' },
        { id: 'polish', prompt: 'polish' },
      ]).result,
    );
    expect(status).toBe('succeeded');
    expect(outputs).toHaveLength(3);
    expect(final?.text).toBe('<polish>');
    expect(env.state.prompts[1]).toBe('draft\n\n<context source="outline">\n<outline>\n</context>');
    expect(env.state.prompts[2]).toContain('<context source="draft">\n<draft>\n</context>');
  });

  it('passes every output so far to a prompt function, and adds no context itself', async () => {
    await settle(
      pipeline(env.runtime, [
        { prompt: 'one' },
        { prompt: (outputs) => `two after ${outputs.map((o) => o.text).join(',')}` },
      ]).result,
    );
    expect(env.state.prompts[1]).toBe('two after <one>');
  });

  it('without useContext, sends prompts as they are', async () => {
    await settle(
      pipeline(env.runtime, [{ prompt: 'one' }, { prompt: 'two' }], { useContext: false }).result,
    );
    expect(env.state.prompts).toEqual(['one', 'two']);
  });

  it('stops at the first failing step and names it', async () => {
    const { status, failedStep, outputs } = await settle(
      pipeline(env.runtime, [
        { id: 'first', prompt: 'ok' },
        { id: 'second', prompt: 'fail here' },
        { id: 'third', prompt: 'never' },
      ]).result,
    );
    expect(status).toBe('failed');
    expect(failedStep).toBe('second');
    expect(outputs.map((o) => o.status)).toEqual(['succeeded', 'failed']);
    expect(env.state.prompts.some((p) => p.startsWith('never'))).toBe(false);
  });
});
