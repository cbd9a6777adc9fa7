// README.md is a user's page: every command it shows runs, every flag of --help is in its options
// table, it stays short, and its links lead somewhere. Runs the built CLI (bin/minishark.js).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** A command the README shows, with the exit status the README implies. */
interface Shown { cmd: string; status: number; line: number }

/** a line that runs minishark, after an optional "$ " prompt: env assignments, then minishark or npx minishark */
const COMMAND = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:npx\s+)?minishark(?:\s|$)/;

/** The fenced code blocks of a Markdown text, each with the line number of its first line. */
function codeBlocks(md: string): { lines: string[]; start: number }[] {
  const blocks: { lines: string[]; start: number }[] = [];
  let cur: { lines: string[]; start: number } | null = null;
  md.split('\n').forEach((l, i) => {
    if (/^\s*```/.test(l)) {
      if (cur) { blocks.push(cur); cur = null; } else cur = { lines: [], start: i + 2 };
    } else if (cur) cur.lines.push(l);
  });
  return blocks;
}

/**
 * The minishark commands of the code blocks. In a transcript (a block with "$ " prompts) only the
 * prompted lines are commands, and a following "$ echo $?" shows the status; elsewhere every line
 * that starts with minishark is a command expected to exit 0.
 */
function shownCommands(md: string): Shown[] {
  const out: Shown[] = [];
  for (const b of codeBlocks(md)) {
    const transcript = b.lines.some((l) => l.startsWith('$ '));
    b.lines.forEach((raw, i) => {
      const l = transcript ? (raw.startsWith('$ ') ? raw.slice(2) : '') : raw;
      if (!COMMAND.test(l)) return;
      let status = 0;
      if (transcript) {
        const next = b.lines.slice(i + 1).findIndex((x) => x.startsWith('$ '));
        const j = next < 0 ? -1 : i + 1 + next;
        if (j >= 0 && b.lines[j] === '$ echo $?' && /^\d+$/.test(b.lines[j + 1] ?? '')) status = Number(b.lines[j + 1]);
      }
      out.push({ cmd: l.replace(/(^|\s)npx\s+minishark(?=\s|$)/, '$1minishark'), status, line: b.start + i });
    });
  }
  return out;
}

/** The flags (short and long) that `--help` prints. */
function helpFlags(help: string): string[] {
  const flags: string[] = [];
  for (const l of help.split('\n')) {
    const m = /^ {2}(-[A-Za-z](?:, --[a-z][\w-]*)?|--[a-z][\w-]*)/.exec(l);
    if (m) flags.push(...m[1].split(', '));
  }
  return flags;
}

/** The flags named in the first cell of each row of the README's "## Options" table. */
function tableFlags(md: string): Set<string> {
  const section = md.split(/^## /m).find((s) => s.startsWith('Options'));
  const flags = new Set<string>();
  for (const row of (section ?? '').split('\n').filter((l) => l.startsWith('| `-'))) {
    const cell = row.split(/(?<!\\)\|/)[1];
    for (const m of cell.matchAll(/`(--?[A-Za-z][\w-]*)/g)) flags.add(m[1]);
  }
  return flags;
}

/** The relative link targets of a Markdown text (no scheme, not an anchor of the same page). */
function relativeLinks(md: string): string[] {
  const links: string[] = [];
  for (const m of md.matchAll(/\]\(([^)\s]+)\)/g)) {
    const t = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('#')) continue;
    links.push(t.replace(/#.*$/, ''));
  }
  return links;
}

const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('README.md', () => {
  const shown = shownCommands(README);
  let dir = '';
  let env: NodeJS.ProcessEnv = {};

  beforeAll(() => {
    // the commands run in a scratch directory (files they write land there) that sees the repository's
    // fixtures, test inputs, schema and scripts, with a `minishark` on the PATH that runs this build
    dir = mkdtempSync(path.join(os.tmpdir(), 'minishark-readme-'));
    for (const d of ['fixtures', 'test', 'schema', 'scripts']) symlinkSync(path.join(ROOT, d), path.join(dir, d));
    const bin = path.join(dir, '.bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'minishark'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(path.join(bin, 'minishark'), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('shows minishark commands (the parser finds them)', () => {
    expect(shown.length).toBeGreaterThanOrEqual(20);
    expect(shown.filter((s) => s.status !== 0).length).toBeGreaterThanOrEqual(1);
  });

  for (const s of shown) {
    const missing = ['jq', 'tcpdump'].filter((t) => new RegExp(`\\|\\s*${t}\\b`).test(s.cmd) && !have(t));
    it.skipIf(missing.length > 0)(`line ${s.line} exits ${s.status}${missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''}: ${s.cmd}`, () => {
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', s.cmd], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(r.stderr).not.toMatch(/internal error/i);
      expect({ status: r.status, stderr: r.status === s.status ? '' : r.stderr }).toEqual({ status: s.status, stderr: '' });
    });
  }

  it('documents every flag of --help in its options table', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const flags = helpFlags(r.stdout);
    expect(flags).toEqual(expect.arrayContaining(['-r', '--read-file', '-Y', '-V', '-z', '--color', '-h', '--help']));
    const documented = tableFlags(README);
    expect(flags.filter((f) => !documented.has(f))).toEqual([]);
  });

  it('is at most 300 lines', () => {
    expect(README.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(300);
  });

  it('has relative links to files that exist (and so do the pages it links to)', () => {
    const pages = ['README.md', 'CHANGELOG.md', 'docs/architecture.md', 'docs/performance.md', 'docs/robustness.md', 'docs/tshark-differences.md'];
    const broken: string[] = [];
    for (const page of pages) {
      const md = readFileSync(path.join(ROOT, page), 'utf8');
      const links = relativeLinks(md);
      if (page === 'README.md') expect(links.length).toBeGreaterThanOrEqual(5);
      for (const l of links) if (!existsSync(path.resolve(ROOT, path.dirname(page), l))) broken.push(`${page}: ${l}`);
    }
    expect(broken).toEqual([]);
  });
});
