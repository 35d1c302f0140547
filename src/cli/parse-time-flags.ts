const DAY_MS = 86_400_000;

/** ms per unit of a duration flag. */
const UNITS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A `--since`/`--until` value: `2026-12-01` (midnight UTC; with `endOfDay`, the midnight after
 * it, so `--until 2026-12-01` includes that day) or an ISO date and time
 * (`2026-12-01T09:30`, UTC unless it names an offset).
 *
 * @returns ms since the epoch, or the problem as one line naming the flag and the value.
 */
export function parseDateFlag(
  flag: string,
  raw: string,
  { endOfDay = false }: { readonly endOfDay?: boolean } = {},
): number | string {
  const dateOnly = DATE_ONLY.test(raw);
  if (dateOnly || DATE_TIME.test(raw)) {
    const text = dateOnly ? `${raw}T00:00:00Z` : /Z|[+-]\d{2}:\d{2}$/.test(raw) ? raw : `${raw}Z`;
    const ms = Date.parse(text);
    // Date.parse rolls 2026-02-31 over to March: a valid date prints back as itself.
    if (Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === raw.slice(0, 10)) {
      return dateOnly && endOfDay ? ms + DAY_MS : ms;
    }
  }
  return `--${flag}: expected a date (YYYY-MM-DD) or an ISO date and time, got ${JSON.stringify(raw)}`;
}

/**
 * A `--older-than` value: a whole number and a unit, `90s`, `45m`, `12h`, `30d`, `2w`.
 *
 * @returns ms, or the problem as one line naming the flag and the value.
 */
export function parseDurationFlag(flag: string, raw: string): number | string {
  const match = /^(\d+)([smhdw])$/.exec(raw.trim());
  if (match) return Number(match[1]) * UNITS[match[2]!]!;
  return `--${flag}: expected a duration such as 30d, 12h, 45m, 90s or 2w, got ${JSON.stringify(raw)}`;
}

/**
 * A `--min-cost`/`--max-cost` value: a non-negative number of USD (`0.1`, `2`).
 *
 * @returns The number, or the problem as one line naming the flag and the value.
 */
export function parseCostFlag(flag: string, raw: string): number | string {
  const value = Number(raw);
  if (/^\d+(\.\d+)?$|^\.\d+$/.test(raw.trim()) && Number.isFinite(value)) return value;
  return `--${flag}: expected a non-negative amount of USD such as 0.5, got ${JSON.stringify(raw)}`;
}
