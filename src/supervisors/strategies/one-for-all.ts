import type { RestartStrategy } from './restart-plan.js';

/** one_for_all: terminate all the others (reverse start order), then restart all in order. */
export const oneForAll: RestartStrategy = (children, failed) => {
  const all = [...children.values()];
  return {
    terminate: all.filter((c) => c !== failed && c.status === 'running').reverse(),
    restart: all.filter((c) => c === failed || c.spec.restart !== 'temporary'),
  };
};
