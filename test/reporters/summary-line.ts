import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `N passed, N failed[, N skipped]`, that any CI reads without
 * knowing vitest's own summary format.
 */
export default class SummaryLineReporter implements Reporter {
  #line = '';

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed to load has no tests but must still count as a failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    this.#line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // The default reporter prints its summary after this hook returns; be the last line.
    process.once('beforeExit', () => this.#flush());
    process.once('exit', () => this.#flush());
  }

  #flush(): void {
    if (!this.#line) return;
    process.stdout.write(`\n${this.#line}\n`);
    this.#line = '';
  }
}
