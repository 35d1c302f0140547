/**
 * The key under which a file system may store `file`: its named segments (no empty or `.`
 * segment), each Unicode-NFC-normalised and lower-cased, because macOS and Windows treat `A.md`
 * and `a.md` (or a composed and a decomposed `é`) as one file. Pure: no file system.
 *
 * @example
 * ```ts
 * outputPathKey('./Tasks//A.md'); // ['tasks', 'a.md']
 * ```
 */
export function outputPathKey(file: string): string[] {
  return file
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .map((segment) => segment.normalize('NFC').toLowerCase());
}

/** Two files of {@link outputPathConflicts} that cannot both be written. */
export interface OutputPathConflict {
  /**
   * `same_file`: both name one file (`a` comes first). `inside_file`: file `a` is a folder on
   * the way to file `b` (`tasks/b.md` and `tasks/b.md/c.md`), so one of them cannot exist.
   */
  readonly kind: 'same_file' | 'inside_file';
  /** Index into the files given. */
  readonly a: number;
  /** Index into the files given. */
  readonly b: number;
}

/**
 * Every pair of `files` that cannot be written together, compared as {@link outputPathKey}s: the
 * same file, or one file used as a folder of another. Each file is reported at most once as
 * `b` of a `same_file` conflict (against the first file of that name). Pure: no file system.
 *
 * @example
 * ```ts
 * outputPathConflicts(['tasks/b.md', 'tasks/B.md', 'tasks/b.md/c.md']);
 * // [{ kind: 'same_file', a: 0, b: 1 }, { kind: 'inside_file', a: 0, b: 2 }]
 * ```
 */
export function outputPathConflicts(files: readonly string[]): OutputPathConflict[] {
  const keys = files.map(outputPathKey);
  const firstByKey = new Map<string, number>();
  const conflicts: OutputPathConflict[] = [];
  keys.forEach((segments, index) => {
    const key = segments.join('/');
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, index);
    else conflicts.push({ kind: 'same_file', a: first, b: index });
  });
  keys.forEach((segments, index) => {
    for (let length = 1; length < segments.length; length++) {
      const folder = firstByKey.get(segments.slice(0, length).join('/'));
      if (folder !== undefined) conflicts.push({ kind: 'inside_file', a: folder, b: index });
    }
  });
  return conflicts;
}
