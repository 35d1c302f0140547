export {
  createRuntime,
  type RunningQuery,
  type Runtime,
  type RuntimeQueryHandle,
  type RuntimeQueryOptions,
} from './create-runtime.js';
export {
  parseRuntimeOptions,
  QueriesSupervisorOptionsSchema,
  type ResolvedRuntimeOptions,
  RootSupervisorOptionsSchema,
  type RuntimeOptions,
  RuntimeOptionsSchema,
} from './runtime-options.js';
export { type SupervisionNode, supervisionTree } from './supervision-tree.js';
