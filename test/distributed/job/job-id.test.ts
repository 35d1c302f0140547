import { describe, expect, it } from 'vitest';
import { jobIdOf, parseJobId } from '../../../src/distributed/job/job-id.js';

describe('jobIdOf', () => {
  it('derives the id from run, task and attempt, without the `:` BullMQ refuses', () => {
    const id = jobIdOf('nightly-1', 'build_all', 3);
    expect(id).toBe('nightly-1.build_all.3');
    expect(id).not.toContain(':');
    expect(parseJobId(id)).toEqual({ runId: 'nightly-1', taskId: 'build_all', attempt: 3 });
  });

  it('gives the same id for the same run of a task and another for the next attempt', () => {
    expect(jobIdOf('r', 't', 1)).toBe(jobIdOf('r', 't', 1));
    expect(jobIdOf('r', 't', 2)).not.toBe(jobIdOf('r', 't', 1));
  });

  it.each([
    ['a:b', 't', 1, /`runId`.*"a:b"/],
    ['r', 'x.y', 1, /`taskId`.*"x.y"/],
    ['r', 't', 0, /`attempt`.*0/],
    ['r', 't', 1.5, /`attempt`.*1.5/],
  ])('refuses runId %j, taskId %j, attempt %j naming the part', (runId, taskId, attempt, message) => {
    expect(() => jobIdOf(runId, taskId, attempt)).toThrow(message);
  });

  it('parses only ids it made', () => {
    expect(parseJobId('42')).toBeUndefined();
    expect(parseJobId('r.t.0')).toBeUndefined();
  });
});
