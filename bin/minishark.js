#!/usr/bin/env node
// The minishark command: runs the compiled CLI in dist/ (built by `npm run build`; `npm start` and `npm test` build first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/run.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('minishark: not built yet: run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
