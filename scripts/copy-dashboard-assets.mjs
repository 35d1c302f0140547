#!/usr/bin/env node
/**
 * The build's last step: copies the dashboard page's files (plain HTML, CSS, JS, which tsc does
 * not emit) from src/dashboard/assets to dist/dashboard/assets, where `serveDashboard` reads
 * them beside its compiled module.
 */
import { cpSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'dashboard', 'assets');
const to = join(root, 'dist', 'dashboard', 'assets');
if (!existsSync(join(root, 'dist', 'dashboard'))) {
  throw new Error(
    `copy-dashboard-assets: ${to} has no parent: run tsc -p tsconfig.build.json first`,
  );
}
cpSync(from, to, { recursive: true });
process.stdout.write(`copied the dashboard assets to ${to}\n`);
