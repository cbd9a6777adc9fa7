// The package as a user gets it: `npm pack` (which builds dist/ in prepack), the tarball extracted
// as node_modules/minishark of a scratch project, and in that project the README's "Use it from
// TypeScript" examples run as they are shown, the vitest one with vitest and the jest one (CommonJS,
// `require`) with jest; both type-checked too, and `require` and `import` give the same exports.
// The scratch project's other packages (vitest, jest, chalk, …) are the repository's node_modules,
// linked one directory above it so that Node's lookup from node_modules/minishark finds them.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BIN = (name: string) => path.join(ROOT, 'node_modules', name);

/** The fenced code blocks of the README's section "Use it from TypeScript" that name a file on their
 * first line (`// echo.test.ts …`), by that file name. */
function exampleFiles(md: string): Map<string, string> {
  const section = md.split(/^## /m).find((s) => s.startsWith('Use it from TypeScript')) ?? '';
  const files = new Map<string, string>();
  for (const m of section.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)) {
    const name = /^\/\/ (\S+\.test\.[cm]?[jt]s)\b/.exec(m[1])?.[1];
    if (name) files.set(name, m[1]);
  }
  return files;
}

/** This process's environment less what marks it as a vitest worker or asks for colour, for the
 * runners started in the scratch project (their summaries are read as plain text). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (/^(VITEST|TINYPOOL|FORCE_COLOR$)/.test(k)) delete env[k];
  return env;
}

/** A command's output for an assertion message: status, then stdout and stderr. */
const shown = (r: SpawnSyncReturns<string>) => `status ${r.status}\n${r.stdout}\n${r.stderr}`;

describe('the packed package', () => {
  const examples = exampleFiles(README);
  const vitestFile = [...examples.keys()].find((f) => /from 'vitest'/.test(examples.get(f)!));
  const jestFile = [...examples.keys()].find((f) => /require\('minishark'\)/.test(examples.get(f)!));
  let tmp = '';
  let proj = '';
  let packed: { filename: string; files: { path: string }[] } = { filename: '', files: [] };
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(cmd, args, { cwd: proj, encoding: 'utf8', env: { ...childEnv(), ...env }, timeout: 120_000 });

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-pkg-'));
    proj = path.join(tmp, 'proj');
    mkdirSync(path.join(proj, 'node_modules'), { recursive: true });
    mkdirSync(path.join(proj, 'fixtures'));
    const r = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`npm pack failed: ${shown(r)}`);
    // npm pack --json prints the prepack build's output before its JSON array
    packed = (JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n[') + 1)) as (typeof packed)[])[0];
    const x = spawnSync('tar', ['xzf', path.join(tmp, packed.filename), '-C', path.join(proj, 'node_modules')], { encoding: 'utf8' });
    if (x.status !== 0) throw new Error(`tar failed: ${shown(x)}`);
    renameSync(path.join(proj, 'node_modules', 'package'), path.join(proj, 'node_modules', 'minishark'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
    copyFileSync(path.join(ROOT, 'fixtures', 'echo-veth.pcap'), path.join(proj, 'fixtures', 'echo-veth.pcap'));
    // what `npm init -y` writes: a CommonJS package, so jest's default set-up applies
    writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    for (const [name, text] of examples) writeFileSync(path.join(proj, name), text);
  });
  afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

  it('ships dist (ESM, CommonJS, types for both), bin and schema, and nothing else', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ['bin/minishark.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts',
      'dist/cjs/package.json', 'dist/cli/run.js', 'dist/cli/worker.js', 'schema/minishark.schema.json', 'package.json', 'README.md']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => !/^(bin|dist|schema)\/|^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.tsbuildinfo'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(path.join(proj, 'node_modules', 'minishark', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
  });

  it('the README has a vitest and a jest example', () => {
    expect(vitestFile).toMatch(/\.test\.ts$/);
    expect(jestFile).toMatch(/\.test\.c?js$/);
  });

  it('require() and import give the same exports, the agreed API among them', () => {
    writeFileSync(path.join(proj, 'names.cjs'), "console.log(JSON.stringify(Object.keys(require('minishark')).sort()))");
    writeFileSync(path.join(proj, 'names.mjs'), "console.log(JSON.stringify(Object.keys(await import('minishark')).sort()))");
    const cjs = run(process.execPath, ['names.cjs']);
    const esm = run(process.execPath, ['names.mjs']);
    expect(cjs.status, shown(cjs)).toBe(0);
    expect(esm.status, shown(esm)).toBe(0);
    const names = JSON.parse(esm.stdout) as string[];
    expect(JSON.parse(cjs.stdout)).toEqual(names);
    expect(names).toEqual(expect.arrayContaining(['readPackets', 'readCapture', 'compileFilter', 'fields', 'CaptureError', 'FilterError']));
  });

  it("the package's bin runs", () => {
    const r = run(process.execPath, ['node_modules/minishark/bin/minishark.js', '-r', 'fixtures/echo-veth.pcap', '-c', '3']);
    expect(r.status, shown(r)).toBe(0);
    expect(r.stdout.split('\n')[2]).toMatch(/^\s+3 .* TCP 74 51454 → 20000 \[SYN\] .*MSS=1460/);
  });

  it("the README's vitest example passes under vitest", () => {
    // CI=true: a snapshot that is missing fails instead of being written
    const r = run(process.execPath, [path.join(BIN('vitest'), 'vitest.mjs'), 'run', '--root', proj, vitestFile!], { CI: 'true' });
    expect(r.status, shown(r)).toBe(0);
    expect(r.stdout).toMatch(/Tests\s+\d+ passed/);
    expect(r.stdout).not.toMatch(/failed|skipped|todo/);
  });

  it("the README's jest example passes under jest (CommonJS)", () => {
    const r = run(process.execPath, [path.join(BIN('jest'), 'bin', 'jest.js'), '--ci', '--rootDir', proj, jestFile!]);
    expect(r.status, shown(r)).toBe(0);
    expect(r.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(r.stderr).not.toMatch(/failed|skipped/);
  });

  it('both examples type-check: ESM (nodenext) and CommonJS (node16)', () => {
    const tsc = path.join(BIN('typescript'), 'bin', 'tsc');
    const common = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types')];
    // the vitest example as an ES module (.mts); the jest one as a CommonJS module (.cts) whose
    // require() is written as TypeScript's CommonJS import (a plain require() would be typed any),
    // with jest's globals imported from @jest/globals
    const esm = path.join(proj, vitestFile!.replace(/\.ts$/, '.check.mts'));
    copyFileSync(path.join(proj, vitestFile!), esm);
    const cjs = path.join(proj, 'jest-example.check.cts');
    const jestTs = examples.get(jestFile!)!.replace(/^const (\{[^}]*\}) = require\('minishark'\);$/m, "import $1 from 'minishark';");
    expect(jestTs).toMatch(/^import \{.*\} from 'minishark';$/m);
    writeFileSync(cjs, `import { expect, test } from '@jest/globals';\n${jestTs}`);
    const a = run(process.execPath, [tsc, ...common, '--module', 'nodenext', '--moduleResolution', 'nodenext', esm]);
    expect(a.status, shown(a)).toBe(0);
    const b = run(process.execPath, [tsc, ...common, '--module', 'node16', '--moduleResolution', 'node16', cjs]);
    expect(b.status, shown(b)).toBe(0);
    expect(existsSync(path.join(proj, 'node_modules', 'minishark', 'dist', 'cjs', 'index.d.ts'))).toBe(true);
  });
});
