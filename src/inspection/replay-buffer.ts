import type { StatelyInspectionEvent } from '@statelyai/inspect';

interface Entry {
  readonly text: string;
  /** Set for `@xstate.actor` entries: the actor whose registration this is. */
  readonly actorSessionId: string | undefined;
}

/** Snapshot statuses after which an actor is gone for good. */
const ENDED = new Set(['done', 'error', 'stopped']);

/**
 * The serialised events a late viewer is sent on connect: the last `capacity` events (older
 * ones are dropped and counted in {@link ReplayBuffer.dropped}), plus the
 * `@xstate.actor` registration of every actor still alive whose registration has already been
 * dropped. Without the latter, a viewer joining a long-running runtime would get snapshots of
 * actors it was never told exist (the root first of all).
 *
 * @internal
 */
export class ReplayBuffer {
  private readonly entries: Entry[] = [];
  /** Registrations dropped from `entries` of actors not yet ended, in creation order. */
  private readonly evictedLive = new Map<string, string>();
  /** Actors registered and not yet ended. */
  private readonly live = new Set<string>();
  private droppedCount = 0;

  constructor(private readonly capacity: number) {}

  /** Records one event and its serialised text. */
  push(event: StatelyInspectionEvent, text: string): void {
    if (event.type === '@xstate.actor') this.live.add(event.sessionId);
    if (event.type === '@xstate.snapshot' && ENDED.has(String(event.snapshot?.status))) {
      this.live.delete(event.sessionId);
      this.evictedLive.delete(event.sessionId);
    }
    if (this.capacity === 0) {
      if (event.type === '@xstate.actor') this.evictedLive.set(event.sessionId, text);
      this.droppedCount += 1;
      return;
    }
    const actorSessionId = event.type === '@xstate.actor' ? event.sessionId : undefined;
    this.entries.push({ text, actorSessionId });
    if (this.entries.length > this.capacity) this.evict(this.entries.shift());
  }

  /** Records a message that is not an inspection event of ours (relayed from a client). */
  pushText(text: string): void {
    if (this.capacity === 0) {
      this.droppedCount += 1;
      return;
    }
    this.entries.push({ text, actorSessionId: undefined });
    if (this.entries.length > this.capacity) this.evict(this.entries.shift());
  }

  /** What to send a client that connects now, oldest first. */
  replay(): string[] {
    return [...this.evictedLive.values(), ...this.entries.map((entry) => entry.text)];
  }

  /** Events held now (the live registrations kept past the window not counted). */
  get size(): number {
    return this.entries.length;
  }

  /** Events pushed out of the window (oldest first) since the start: not replayed any more. */
  get dropped(): number {
    return this.droppedCount;
  }

  private evict(entry: Entry | undefined): void {
    this.droppedCount += 1;
    const id = entry?.actorSessionId;
    if (id !== undefined && this.live.has(id)) this.evictedLive.set(id, entry!.text);
  }
}
