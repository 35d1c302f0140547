/**
 * A live display that ends badly, for display-tmux.test.ts: `throw` (an uncaught exception),
 * `exit` (process.exit from elsewhere), `signal` (waits for a signal nobody handles); `busy`
 * (30 tasks that keep changing, until a signal) for resizing.
 */
import { liveDisplay } from '../../src/cli/run-display.js';
import { TaskBoard } from '../../src/cli/task-board.js';

const mode = process.argv[2];
process.stdout.write(`PID=${process.pid}\n`);
const ids = mode === 'busy' ? Array.from({ length: 30 }, (_, i) => `task-${i}`) : ['a', 'b'];
const board = new TaskBoard(ids);
liveDisplay(process.stdout, board, { concurrency: 3, intervalMs: 100 });
if (mode === 'busy') {
  let n = 0;
  setInterval(() => {
    const taskId = ids[n % ids.length]!;
    const at = Date.now();
    const common = { runId: 'r', taskId, at, elapsedMs: at - board.startedAt, workerId: 'w1' };
    board.apply({ ...common, type: 'task.started', attempt: 1, queryId: 'q' });
    n += 1;
  }, 150);
}
// Keeps the process alive (the display's own timer does not).
const keepAlive = setInterval(() => {}, 1_000);
setTimeout(() => {
  if (mode === 'throw') throw new Error('boom from the fixture');
  if (mode === 'exit') process.exit(3);
}, 500);
void keepAlive;
