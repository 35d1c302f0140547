export { InvalidPlanError, type PlanIssue } from './invalid-plan-error.js';
export type { OrchestrationErrorCode } from './plan-error-code.js';
export { PlanGraphError, type PlanGraphIssue, type PlanGraphProblem } from './plan-graph-error.js';
