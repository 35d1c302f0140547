export { DEPENDENCY_PLACEHOLDER, dependencyPlaceholders } from './dependency-placeholders.js';
export {
  InvalidPlanError,
  type OrchestrationErrorCode,
  PlanGraphError,
  type PlanGraphIssue,
  type PlanGraphProblem,
  type PlanIssue,
} from './errors/index.js';
export { loadPlan } from './load-plan.js';
export { type ParsePlanOptions, parsePlan } from './parse-plan.js';
export { planJsonSchema } from './plan-json-schema.js';
export {
  type Plan,
  type PlanInput,
  type PlanQueryOptions,
  PlanQueryOptionsSchema,
  PlanSchema,
  type PlanTask,
  PlanTaskSchema,
  TASK_ID_PATTERN,
  TaskRetrySchema,
} from './plan-schema.js';
export { type PlanGraphTask, validatePlanGraph } from './validate-plan-graph.js';
