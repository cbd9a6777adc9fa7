#!/usr/bin/env node
// Regenerate the golden outputs in test/golden/ from the current code:
//
//     node test/golden/update.mjs            (builds with `npm run build` first, then rewrites every file)
//     node test/golden/update.mjs details/   (only the cases whose name contains "details/")
//
// Run it after a dissector or output change, then review the change with `git diff test/golden`:
// every golden is plain text (escape codes shown as "␛"), one file per command line, listed in
// test/golden/cases.mjs. test/output-golden.test.ts compares the same command lines against them.
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cases, GOLDEN_DIR, ROOT, runCase } from './cases.mjs';

execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
const { main } = await import(path.join(ROOT, 'dist', 'cli', 'main.js'));
const only = process.argv[2];
const list = cases().filter((c) => !only || c.name.includes(only));
const keep = new Set(cases().map((c) => c.name));
for (const c of list) {
  const out = await runCase(main, c);
  const file = path.join(GOLDEN_DIR, c.name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, out);
  console.log(`${c.name}: ${out.split('\n').length - 1} lines`);
}
// goldens whose case is gone (a fixture was removed) are deleted
if (!only) {
  for (const dir of readdirSync(GOLDEN_DIR)) {
    const d = path.join(GOLDEN_DIR, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) if (!keep.has(`${dir}/${f}`)) rmSync(path.join(d, f));
  }
}
