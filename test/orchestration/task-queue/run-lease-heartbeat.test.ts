import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunOwnedError } from '../../../src/orchestration/task-queue/errors/run-owned-error.js';
import { runLeaseHeartbeat } from '../../../src/orchestration/task-queue/run-lease-heartbeat.js';
import type { RunJournal } from '../../../src/store/runs/run-journal.js';
import type { RunLease } from '../../../src/store/runs/run-lease.js';

afterEach(() => {
  vi.useRealTimers();
});

const lease: RunLease = {
  runId: 'r1',
  token: 'mine',
  owner: { pid: 1, startTime: 1, bootId: 'b', pidNamespace: 'pid:[1]', hostname: 'here' },
  acquiredAt: 0,
  renewedAt: 0,
  expiresAt: 4_000,
};

/** A journal whose lease calls do what the test says. */
function fakeJournal(calls: {
  renewLease: RunJournal['renewLease'];
  getLease?: RunJournal['getLease'];
}): RunJournal & { renewals: number } {
  const journal = {
    renewals: 0,
    renewLease: async (...args: Parameters<RunJournal['renewLease']>) => {
      journal.renewals += 1;
      return calls.renewLease(...args);
    },
    getLease: calls.getLease ?? (async () => undefined),
    releaseLease: async () => true,
  };
  return journal as unknown as RunJournal & { renewals: number };
}

function start(journal: RunJournal) {
  const onLost = vi.fn();
  const heartbeat = runLeaseHeartbeat({
    journal,
    lease,
    now: Date.now,
    renewMs: 1_000,
    expireMs: 4_000,
    onLost,
  });
  return { heartbeat, onLost };
}

describe('runLeaseHeartbeat', () => {
  it('ends lost when a renewal is refused, even if reading the new owner fails', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const journal = fakeJournal({
      renewLease: async () => false,
      getLease: async () => {
        throw new Error('database is locked');
      },
    });
    const { heartbeat, onLost } = start(journal);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(heartbeat.lost).toBeInstanceOf(RunOwnedError);
    expect(heartbeat.lost?.message).toMatch(/This host lost run `r1`: another host took it over/);
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(onLost).toHaveBeenCalledWith(heartbeat.lost);
    // Stopped: no renewal after the lost one.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(journal.renewals).toBe(1);
    await heartbeat.release();
  });

  it('names the new owner when it can read it', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const theirs: RunLease = {
      ...lease,
      token: 'theirs',
      owner: { ...lease.owner, hostname: 'elsewhere' },
      expiresAt: 60_000,
    };
    const { heartbeat, onLost } = start(
      fakeJournal({ renewLease: async () => false, getLease: async () => theirs }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await heartbeat.settled();
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(heartbeat.lost?.message).toMatch(
      /This host lost run `r1`: .*owned by pid 1 on elsewhere/,
    );
    expect(heartbeat.lost?.owner.hostname).toBe('elsewhere');
  });

  it('gives the run up before its last confirmed lease lapses when renewals keep failing', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const journal = fakeJournal({
      renewLease: async () => {
        throw new Error('database is locked');
      },
    });
    const { heartbeat, onLost } = start(journal);
    await vi.advanceTimersByTimeAsync(2_000);
    // Expires at 4000: at 2000 another tick can still renew in time.
    expect(heartbeat.lost).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(heartbeat.lost?.message).toMatch(
      /lost run `r1`: its lease could not be renewed and lapses at 1970-01-01T00:00:04.000Z/,
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(journal.renewals).toBe(3);
  });

  it('counts from the last renewal that committed', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    let ok = 2;
    const { heartbeat, onLost } = start(
      fakeJournal({
        renewLease: async () => {
          if (ok-- > 0) return true;
          throw new Error('database is locked');
        },
      }),
    );
    // Renewed at 1000 and 2000 (until 6000); failing at 3000 and 4000 is still in time.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(heartbeat.lost).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(heartbeat.lost?.expiresAt).toBe(6_000);
  });

  it('gives the run up when a renewal hangs past the lease', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { heartbeat, onLost } = start(fakeJournal({ renewLease: () => new Promise(() => {}) }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(heartbeat.lost).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(onLost).toHaveBeenCalledTimes(1);
  });
});
