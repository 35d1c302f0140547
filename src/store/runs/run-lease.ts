/**
 * The host that holds a run: a process on a machine. Within one boot, (`pid`, `startTime`)
 * names one process for good (a reused pid has a later start time); `bootId`, `pidNamespace`
 * and `hostname` say whether this host can look the process up at all, `machineId` whether
 * it ran on this machine in an earlier boot.
 */
export interface RunOwner {
  /** Pid of the host process (the Node.js process running the task queue). */
  readonly pid: number;
  /** Its start time, field 22 of `/proc/<pid>/stat` (clock ticks after boot); `undefined` without `/proc`. */
  readonly startTime: number | undefined;
  /** The kernel's boot id (`/proc/sys/kernel/random/boot_id`), when there is one. */
  readonly bootId: string | undefined;
  /** The host's pid namespace (`pid:[4026531836]`): pids of another namespace name other processes. */
  readonly pidNamespace: string | undefined;
  /** `os.hostname()` of the machine: a name, not an identity (clones and containers share one). */
  readonly hostname: string;
  /**
   * The machine's id (`/etc/machine-id`), when it has one: with the hostname, what says an
   * owner of another boot ran on this very machine (it rebooted) rather than on a clone.
   */
  readonly machineId?: string | undefined;
}

/**
 * Who runs a journalled run, and until when that claim holds without news: the lease a host
 * takes when it opens or resumes a run, renews while the run goes on, and gives up when it
 * ends. Times are wall-clock ms since the epoch (comparable across the machines sharing a
 * store).
 */
export interface RunLease {
  readonly runId: string;
  /** Names this holding of the lease (a new one at each claim): renewals and releases give it. */
  readonly token: string;
  readonly owner: RunOwner;
  /** When the owner took the run. */
  readonly acquiredAt: number;
  /** Its last heartbeat. */
  readonly renewedAt: number;
  /** When the lease lapses unless renewed: past it, another host may take the run over. */
  readonly expiresAt: number;
}

/** What {@link RunLeases.claimLease} is given. */
export interface RunLeaseClaim {
  readonly runId: string;
  /** The new holding's token (unique: a random id). */
  readonly token: string;
  readonly owner: RunOwner;
  readonly at: number;
  readonly expiresAt: number;
  /**
   * The token of the lease this claim replaces, as the claimer read it (a dead or expired
   * owner's); `undefined` to claim a run nobody holds. The claim fails when the lease is no
   * longer that one.
   */
  readonly expected: string | undefined;
}

/** The lease a new run is created with (see `RunJournal.createRun`): its first holder. */
export type NewRunLease = Omit<RunLeaseClaim, 'runId' | 'expected'>;

/**
 * The leases of journalled runs, one per run at most: part of every `RunJournal`. Each call is
 * one transaction; a claim is a compare-and-set on the holder's token, so of hosts racing to
 * take the same run exactly one wins.
 */
export interface RunLeases {
  /** The run's lease, or `undefined` when no host holds it. */
  getLease(runId: string): Promise<RunLease | undefined>;
  /**
   * Takes the run when its lease is still `claim.expected` (compare-and-set).
   * @returns the new lease, or `undefined` when another host changed the lease meanwhile.
   * @throws {@link StoreError} `STORE_FAILED` when there is no such run.
   */
  claimLease(claim: RunLeaseClaim): Promise<RunLease | undefined>;
  /**
   * A heartbeat: moves the lease's `renewedAt` and `expiresAt` when `token` still holds it.
   * @returns `false` when it does not (the run was taken over, or released).
   */
  renewLease(runId: string, token: string, at: number, expiresAt: number): Promise<boolean>;
  /**
   * Gives the run up when `token` holds it.
   * @returns `false` when it did not (nothing changed).
   */
  releaseLease(runId: string, token: string): Promise<boolean>;
}
