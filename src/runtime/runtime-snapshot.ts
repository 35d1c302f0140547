/** The persisted state of a runtime's system actors (plain JSON), for `restore`. */
export interface RuntimeSnapshot {
  readonly limiter?: unknown;
  readonly breaker?: unknown;
  readonly budget?: unknown;
}
