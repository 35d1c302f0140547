import { readFile } from 'node:fs/promises';

/** A file the dashboard serves: its body and content type. @internal */
export interface DashboardAsset {
  readonly body: Buffer;
  readonly type: string;
}

/** The page's files, by request path: plain HTML, CSS and JS, nothing from the internet. */
const FILES: Readonly<Record<string, readonly [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/dashboard.css': ['dashboard.css', 'text/css; charset=utf-8'],
  '/dashboard.js': ['dashboard.js', 'text/javascript; charset=utf-8'],
};

/**
 * Reads the page's files from `assets/` beside this module (`src/dashboard/assets`, copied to
 * `dist/dashboard/assets` by the build), once per server.
 *
 * @throws The read error, naming the missing file, when the package was built without them.
 * @internal
 */
export async function loadDashboardAssets(): Promise<ReadonlyMap<string, DashboardAsset>> {
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([path, [file, type]]) => {
      const url = new URL(`./assets/${file}`, import.meta.url);
      const body = await readFile(url).catch((error: unknown) => {
        throw new Error(
          `The dashboard's ${file} is missing at ${url.pathname}: rebuild the package (the build copies src/dashboard/assets)`,
          { cause: error },
        );
      });
      return [path, { body, type }] as const;
    }),
  );
  return new Map(entries);
}
