import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each real CLI process costs ~0.4 s CPU and up to 300 MB: keep integration files few at once.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/global-setup.ts'],
    // The leak tests force garbage collection to measure the heap.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
