#!/usr/bin/env node
// `npm run build`: an incremental TypeScript build (tsc -b), so a build with nothing changed takes
// about a second. The build info is dist/.tsbuildinfo, inside dist/: deleting dist/ deletes it and
// the next build compiles everything. tsc -b trusts the build info and does not look at the files
// it emitted, so when an entry point is missing (a partly deleted dist/) the build is forced.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = ['dist/index.js', 'dist/cli/run.js'];
const complete = entries.every((f) => existsSync(`${root}/${f}`));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const args = [tsc, '-b', `${root}/tsconfig.json`, ...(complete ? [] : ['--force'])];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
