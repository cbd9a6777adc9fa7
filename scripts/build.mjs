#!/usr/bin/env node
// `npm run build`: an incremental TypeScript build (tsc -b), so a build with nothing changed takes
// about a second. The build info is dist/.tsbuildinfo, inside dist/: deleting dist/ deletes it and
// the next build compiles everything. tsc -b trusts the build info and does not look at the files
// it emitted, so when an entry point is missing (a partly deleted dist/) the build is forced.
//
// Then the CommonJS entry (`require('minishark')`), dist/cjs/, remade only when tsc's output is
// newer than it. It is one esbuild bundle of dist/index.js, not a second tsc pass: the code uses
// import.meta.url (a syntax error in CommonJS), and the library path loads chalk 5, an ESM-only
// package that jest's own require() cannot load on Node 20, so chalk is bundled in; the other
// dependencies are CommonJS packages and stay external. The dynamic import()s of the CLI become
// lazy initialisers inside the bundle, so requiring it runs no more than importing dist/index.js.
// Beside it: a copy of the .d.ts files and a package.json {"type":"commonjs"}, under which
// TypeScript reads those .d.ts as CommonJS declarations (moduleResolution node16 consumers).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const cjs = path.join(dist, 'cjs');
const entries = ['dist/index.js', 'dist/cli/run.js'];
const complete = entries.every((f) => existsSync(`${root}/${f}`));
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const args = [tsc, '-b', `${root}/tsconfig.json`, ...(complete ? [] : ['--force'])];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

/** The .js and .d.ts files tsc wrote (dist/ less dist/cjs/), relative to dist/. */
function emitted(dir = dist, rel = '') {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) { if (r !== 'cjs') out.push(...emitted(path.join(dir, e.name), r)); }
    else if (e.name.endsWith('.js') || e.name.endsWith('.d.ts')) out.push(r);
  }
  return out;
}

const bundle = path.join(cjs, 'index.js');
const files = emitted();
const newest = Math.max(...files.map((f) => statSync(path.join(dist, f)).mtimeMs));
const made = ['index.d.ts', 'package.json'].every((f) => existsSync(path.join(cjs, f)));
if (made && existsSync(bundle) && statSync(bundle).mtimeMs >= newest) process.exit(0);

rmSync(cjs, { recursive: true, force: true });
mkdirSync(cjs, { recursive: true });
const pkg = require(path.join(root, 'package.json'));
// ESM-only dependencies are bundled (see above); the test in test/package.test.ts requires the
// packed package under jest, which fails if one is left external and loaded at require time
const esmOnly = new Set(['chalk']);
require('esbuild').buildSync({
  entryPoints: [path.join(dist, 'index.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: Object.keys(pkg.dependencies).filter((d) => !esmOnly.has(d)),
  // import.meta.url is read to find package.json (../../), cli-table3 (createRequire) and the worker
  // of several-file runs (./worker.js), all relative to a module in dist/<dir>/: dist/cli/ serves all
  // three (the worker is the ESM dist/cli/worker.js, which a worker thread loads by URL either way)
  define: { 'import.meta.url': '__minishark_esm_url' },
  banner: { js: `const __minishark_esm_url = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', 'cli', 'index.js')).href;` },
  logLevel: 'warning',
});
for (const f of files.filter((x) => x.endsWith('.d.ts'))) {
  mkdirSync(path.dirname(path.join(cjs, f)), { recursive: true });
  copyFileSync(path.join(dist, f), path.join(cjs, f));
}
writeFileSync(path.join(cjs, 'package.json'), '{ "type": "commonjs" }\n');
