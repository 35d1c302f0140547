/** Label names and values of one series. */
export type Labels = Readonly<Record<string, string>>;

/**
 * @internal Counts per label set, kept in plain memory so that counting costs a map lookup and
 * needs no metrics library; a Prometheus registry reads them when scraped.
 */
export class LabeledCounts {
  readonly #series = new Map<string, { labels: Labels; value: number }>();

  /** Adds `by` to the series of `labels`. */
  inc(labels: Labels, by = 1): void {
    const key = JSON.stringify(labels);
    const series = this.#series.get(key);
    if (series) series.value += by;
    else this.#series.set(key, { labels, value: by });
  }

  /** The value of one series (0 when it was never counted). */
  get(labels: Labels): number {
    return this.#series.get(JSON.stringify(labels))?.value ?? 0;
  }

  /** Every series, in the order they first counted. */
  entries(): [Labels, number][] {
    return [...this.#series.values()].map(({ labels, value }) => [labels, value]);
  }
}
