import type { RestartStrategy } from './restart-plan.js';

/**
 * rest_for_one: terminate the children started after the failed one (reverse order), then
 * restart the failed one and those after it, in start order.
 */
export const restForOne: RestartStrategy = (children, failed) => {
  const all = [...children.values()];
  const rest = all.slice(all.indexOf(failed) + 1);
  return {
    terminate: rest.filter((c) => c.status === 'running').reverse(),
    restart: [failed, ...rest.filter((c) => c.spec.restart !== 'temporary')],
  };
};
