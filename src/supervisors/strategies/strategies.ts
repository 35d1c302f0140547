import type { Strategy } from '../types.js';
import { oneForAll } from './one-for-all.js';
import { oneForOne } from './one-for-one.js';
import { restForOne } from './rest-for-one.js';
import type { RestartStrategy } from './restart-plan.js';

export type { RestartPlan, RestartStrategy } from './restart-plan.js';

/** The strategy function for each OTP strategy name. */
export const STRATEGIES: Readonly<Record<Strategy, RestartStrategy>> = {
  one_for_one: oneForOne,
  simple_one_for_one: oneForOne,
  one_for_all: oneForAll,
  rest_for_one: restForOne,
};
