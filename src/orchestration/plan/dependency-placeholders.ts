/** `{{deps.<id>}}`, spaces allowed inside the braces: replaced by the output of task `<id>`. */
export const DEPENDENCY_PLACEHOLDER = /\{\{\s*deps\.([A-Za-z0-9_-]+)\s*\}\}/g;

/** The task ids a prompt refers to with `{{deps.<id>}}`, each once, in order of appearance. */
export function dependencyPlaceholders(prompt: string): string[] {
  return [...new Set([...prompt.matchAll(DEPENDENCY_PLACEHOLDER)].map((match) => match[1]!))];
}
