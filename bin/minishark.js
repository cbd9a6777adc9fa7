#!/usr/bin/env node
// The minishark command: runs the compiled CLI in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/run.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('minishark: not built yet: run `npm run build` (or `npm install`) first\n');
  process.exit(1);
}
await import(entry.href);
