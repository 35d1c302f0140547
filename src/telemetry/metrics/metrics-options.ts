import { z } from 'zod';

/** How the runtime's metrics are labelled. */
export const MetricsOptionsSchema = z.strictObject({
  /**
   * Most tags given their own series in the per-tag metrics (cost, tokens); the others are
   * summed under `tag="other"`, so that tags made per query cannot blow up a Prometheus
   * server. Tags are taken in the order they were first recorded.
   * @defaultValue 20
   */
  maxTags: z.number().int().nonnegative().default(20),
  /**
   * Which tags may get a series of their own (the others count under `other`); e.g.
   * `(tag) => !tag.startsWith('run:')` leaves out the task queue's per-run tags.
   * @defaultValue every tag
   */
  includeTag: z
    .custom<(tag: string) => boolean>((v) => typeof v === 'function', {
      error: 'expected a function (tag) => boolean',
    })
    .optional(),
});

/** How the runtime's metrics are labelled, as callers write it. */
export type MetricsOptions = z.input<typeof MetricsOptionsSchema>;
/** With defaults applied. */
export type ResolvedMetricsOptions = z.output<typeof MetricsOptionsSchema>;
