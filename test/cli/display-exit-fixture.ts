/**
 * A live display that ends badly, for display-tmux.test.ts: `throw` (an uncaught exception),
 * `exit` (process.exit from elsewhere), `signal` (waits for a signal nobody handles).
 */
import { liveDisplay } from '../../src/cli/run-display.js';
import { TaskBoard } from '../../src/cli/task-board.js';

const mode = process.argv[2];
process.stdout.write(`PID=${process.pid}\n`);
const board = new TaskBoard(['a', 'b']);
liveDisplay(process.stdout, board, { concurrency: 1 });
// Keeps the process alive (the display's own timer does not).
const keepAlive = setInterval(() => {}, 1_000);
setTimeout(() => {
  if (mode === 'throw') throw new Error('boom from the fixture');
  if (mode === 'exit') process.exit(3);
}, 500);
void keepAlive;
