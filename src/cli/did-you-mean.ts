/** Edit distance between two strings (insertions, deletions, substitutions). */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to a mistyped word, when it is close enough to be a typo (at most a
 * quarter of the word's letters wrong, and at least 2 allowed), or one the word is a prefix of.
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
  let bestDistance = Math.max(2, Math.floor(typed.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = levenshtein(typed, candidate.toLowerCase());
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
