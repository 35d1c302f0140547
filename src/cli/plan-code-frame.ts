import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';

/** `tasks[1].dependsOn[0]` → `['tasks', 1, 'dependsOn', 0]`; `["odd key"]` segments too. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g)) {
    if (match[1] !== undefined) out.push(Number(match[1]));
    else if (match[2] !== undefined) out.push(JSON.parse(match[2]) as string);
    else if (match[3] !== undefined) out.push(match[3]);
  }
  return out;
}

/** The key node of `key` in the map at `parent`, for an unknown key. */
function keyNode(parent: unknown, key: string | number): Node | undefined {
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find(
    (item) => isPair(item) && isScalar(item.key) && item.key.value === key,
  );
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

/**
 * Where a plan field is in the plan file's text, as `file:line:col` and the line with a caret
 * under the field: the key of an unknown key, the value of an invalid one, the enclosing entry
 * of a missing one. Works for YAML and JSON (JSON is read as YAML). `undefined` when the path
 * cannot be found or the text does not parse.
 *
 * @example
 * ```text
 * plan.yaml:4:16
 *   4 |     dependsOn: 5
 *     |                ^
 * ```
 */
export function planCodeFrame(
  source: string,
  text: string,
  path: string,
  unknownKey: boolean,
): string | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  if (doc.errors.length > 0) return undefined;
  const at = segments(path);
  let node: Node | undefined;
  if (unknownKey && at.length > 0) node = keyNode(doc.getIn(at.slice(0, -1), true), at.at(-1)!);
  // A missing field: point at the nearest enclosing entry that exists.
  for (let depth = at.length; node === undefined && depth >= 0; depth--) {
    const found = depth === 0 ? doc.contents : doc.getIn(at.slice(0, depth), true);
    if (found && typeof found === 'object' && 'range' in found) node = found as Node;
  }
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  const gutter = String(line).length;
  return [
    `${source}:${line}:${col}`,
    `  ${line} | ${lineText}`,
    `  ${' '.repeat(gutter)} | ${' '.repeat(col - 1)}^`,
  ].join('\n');
}
