import { z } from 'zod';

const pid = z.number().int().positive();
const ticks = z.number().int().nonnegative();

/**
 * One CLI process a host started, as the process registry keeps it. A pid alone names a
 * process only while it runs: the kernel hands it out again. The pair (`pid`, `startTime`)
 * names one process for the whole life of a boot, so a record never matches a stranger that
 * got the same pid later. Fields it does not know are dropped, not refused: a record written
 * by a newer version still reads.
 */
export const ProcessRecordSchema = z.object({
  /** The CLI's pid (also its process group id: it leads its own group). */
  pid,
  /** Its start time: field 22 of `/proc/<pid>/stat`, in clock ticks after boot. */
  startTime: ticks,
  /**
   * The value of `CLAUDE_ACTORS_PROC` in its environment, inherited by every tool process it
   * starts: how those are found once they left its tree, its group and its session.
   */
  marker: z
    .string()
    .regex(/^[0-9a-f-]+$/)
    .optional(),
  /** Pid of the host (the Node.js process that started it). */
  hostPid: pid,
  /** The host's start time, as `startTime`: a record whose host runs is never touched. */
  hostStartTime: ticks,
  /** The kernel's boot id when it was recorded: a record of another boot is stale. */
  bootId: z.string().optional(),
  /**
   * The host's pid namespace (`/proc/self/ns/pid`, e.g. `pid:[4026531836]`): pids of another
   * namespace (another container sharing the folder) name other processes here, so its
   * records are left alone.
   */
  pidNamespace: z.string().optional(),
  /** When it was recorded, ms since the epoch. */
  recordedAt: z.number().int().nonnegative(),
});

/** See {@link ProcessRecordSchema}. */
export type ProcessRecord = z.output<typeof ProcessRecordSchema>;
