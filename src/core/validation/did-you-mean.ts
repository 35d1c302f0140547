/**
 * Edit distance between two strings: insertions, deletions, substitutions and swaps of two
 * adjacent letters (`modle` → `model` is one edit).
 */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to a mistyped word, when it is close enough to be a typo (about one
 * edit per three letters, at least one), or else one that starts with the word (3+ letters).
 *
 * @example
 * ```ts
 * didYouMean('max-paralel', ['max-parallel', 'live']); // 'max-parallel'
 * didYouMean('colour', ['live', 'json']); // undefined
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(typed.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined && typed.length >= 3) {
    best = candidates.find((candidate) => candidate.toLowerCase().startsWith(typed));
  }
  return best;
}
