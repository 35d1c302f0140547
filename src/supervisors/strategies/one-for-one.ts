import type { RestartStrategy } from './restart-plan.js';

/** one_for_one (and simple_one_for_one): restart only the child that died. */
export const oneForOne: RestartStrategy = (_children, failed) => ({
  terminate: [],
  restart: [failed],
});
