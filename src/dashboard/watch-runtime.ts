import type { Subscription } from 'rxjs';
import type { InspectionEvent } from 'xstate';
import type { CliMessage } from '../protocol/cli-message.js';
import type { SupervisionNode } from '../runtime/supervision-tree.js';
import type { DashboardRuntime } from './dashboard-runtime.js';
import type { DashboardState } from './dashboard-state.js';
import type { DashboardSystem } from './dashboard-view.js';
import { messageText } from './message-text.js';

/** Queries whose attempt and streaming are remembered; the oldest is forgotten first. */
const MAX_TRACKED_QUERIES = 1_000;

interface QueryTrack {
  attempt: number;
  streamed: boolean;
}

interface QuerySnapshot {
  readonly status?: string;
  readonly context?: { readonly queryId?: unknown; readonly attempt?: unknown };
  readonly output?: { readonly status?: string; readonly error?: unknown };
  readonly error?: unknown;
}

/**
 * Feeds `state` from a runtime until the returned function is called: the supervision tree as
 * it changes (a supervisor's at once, a worker's state at most every `treeMs`; a child's restart
 * is also listed among the errors), the system actors, cost and
 * load every `pollMs`, and, when the runtime has its `root` actor, the live text of every
 * query and the failures of query attempts (read from the actor system's inspection events, so
 * queries started anywhere show, a task queue's included).
 *
 * @internal
 */
export function watchRuntime(
  runtime: DashboardRuntime,
  state: DashboardState,
  pollMs: number,
  treeMs: number,
): () => void {
  const restarts = new Map<string, number>();
  let lastTree = '';
  const onTree = (tree: SupervisionNode): void => {
    const text = JSON.stringify(tree);
    if (text === lastTree) return;
    lastTree = text;
    noteRestarts(tree, '', restarts, state);
    state.setTree(tree);
  };
  // `tree$` follows the supervisors; a worker's own state changes are read at most every treeMs.
  let treeTimer: NodeJS.Timeout | undefined;
  const refreshTree = (): void => {
    if (treeTimer) return;
    treeTimer = setTimeout(() => {
      treeTimer = undefined;
      onTree(runtime.tree());
    }, treeMs);
    treeTimer.unref?.();
  };
  onTree(runtime.tree());
  const treeSubscription: Subscription = runtime.tree$.subscribe({ next: onTree });

  let lastSystem = '';
  const poll = (): void => {
    let system: DashboardSystem;
    try {
      system = readSystem(runtime);
    } catch {
      return; // A runtime being stopped: the next poll reads it again.
    }
    const text = JSON.stringify(system);
    if (text === lastSystem) return;
    lastSystem = text;
    state.setSystem(system);
  };
  poll();
  const timer = setInterval(poll, pollMs);
  timer.unref?.();

  const tracks = new Map<string, QueryTrack>();
  const inspection = runtime.root?.system.inspect((event) => {
    if (event.type === '@xstate.snapshot') refreshTree();
    onInspection(event, state, tracks);
  });
  return () => {
    clearInterval(timer);
    if (treeTimer) clearTimeout(treeTimer);
    treeSubscription.unsubscribe();
    inspection?.unsubscribe();
  };
}

function readSystem(runtime: DashboardRuntime): DashboardSystem {
  const { limiter, breaker, budget } = runtime.system();
  const remaining = budget?.remainingUsd([]);
  const pool = runtime.poolStats?.();
  return {
    stats: runtime.stats().total,
    ...(limiter ? { limiter: limiter.state() } : {}),
    ...(breaker ? { breaker: breaker.state() } : {}),
    ...(remaining === undefined ? {} : { budgetRemainingUsd: remaining }),
    ...(pool ? { pool } : {}),
    running: runtime.running().length,
  };
}

/** Lists a child whose restart count grew as an error of its supervisor. */
function noteRestarts(
  node: SupervisionNode,
  parent: string,
  restarts: Map<string, number>,
  state: DashboardState,
): void {
  const path = parent ? `${parent}/${node.id}` : node.id;
  const before = restarts.get(path) ?? 0;
  if (node.restarts > before) {
    state.addError(
      `supervisor ${parent || node.id}`,
      `${node.id} exited abnormally and was restarted (restart ${node.restarts})`,
    );
  }
  restarts.set(path, node.restarts);
  for (const child of node.children ?? []) noteRestarts(child, path, restarts, state);
}

function queryIdOf(
  ref: { getSnapshot(): unknown } | undefined,
): { queryId: string; attempt: number } | undefined {
  const snapshot = ref?.getSnapshot() as QuerySnapshot | undefined;
  const queryId = snapshot?.context?.queryId;
  if (typeof queryId !== 'string') return undefined;
  const attempt = snapshot?.context?.attempt;
  return { queryId, attempt: typeof attempt === 'number' ? attempt : 1 };
}

function onInspection(
  event: InspectionEvent,
  state: DashboardState,
  tracks: Map<string, QueryTrack>,
): void {
  if (event.type === '@xstate.event') {
    if (event.event.type !== 'claude.message') return;
    const query = queryIdOf(event.actorRef);
    if (!query) return;
    const track = trackOf(tracks, query.queryId);
    if (track.attempt !== query.attempt) {
      if (track.attempt !== 0) state.appendText(query.queryId, `\n\n[attempt ${query.attempt}]\n`);
      track.attempt = query.attempt;
      track.streamed = false;
    }
    const out = messageText(
      (event.event as unknown as { message: CliMessage }).message,
      track.streamed,
    );
    track.streamed = out.streamed;
    state.appendText(query.queryId, out.text);
    return;
  }
  if (event.type !== '@xstate.snapshot') return;
  const snapshot = event.snapshot as QuerySnapshot;
  if (snapshot.status === 'active' || typeof snapshot.context?.queryId !== 'string') return;
  const queryId = snapshot.context.queryId;
  if (snapshot.status === 'error') state.addError(`query ${queryId}`, snapshot.error);
  else if (snapshot.output?.status === 'failed') {
    state.addError(`query ${queryId}`, snapshot.output.error ?? 'failed');
  }
  state.endText(queryId);
}

function trackOf(tracks: Map<string, QueryTrack>, queryId: string): QueryTrack {
  let track = tracks.get(queryId);
  if (!track) {
    track = { attempt: 0, streamed: false };
    tracks.set(queryId, track);
    if (tracks.size > MAX_TRACKED_QUERIES) tracks.delete(tracks.keys().next().value as string);
  }
  return track;
}
