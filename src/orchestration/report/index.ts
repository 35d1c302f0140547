export { OutputPathError } from './errors/output-path-error.js';
export { outputPathProblem, taskOutputFileProblem } from './output-path-problem.js';
export type { RunStatus, RunSummary, TaskRow, TaskStatus } from './run-summary.js';
export { type SummarizeInput, summarize } from './summarize.js';
export { taskOutputPath, type WrittenReport, writeRunReport } from './write-run-report.js';
