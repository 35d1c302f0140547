export {
  type PlannedRun,
  type PlannerOptions,
  planFromRequirements,
  plannerPrompt,
} from './plan-from-requirements.js';
export { PlannerError } from './planner-error.js';
