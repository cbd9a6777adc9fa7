#!/usr/bin/env node
// Compare minishark and tshark (scripts/tshark-ref) cell by cell on one capture with -T fields.
// Usage: node scripts/tshark-diff.mjs FILE [-o pref:value ...] FIELD [FIELD ...]
//        prints each differing cell (frame, field, tshark, minishark) and a count; exit 1 on differences.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TSHARK_REF = path.join(root, 'scripts', 'tshark-ref');
const BIN = path.join(root, 'bin', 'minishark.js');

export function hasTshark() {
  return spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, TZ: 'UTC' } });
  return { out: r.stdout ?? '', err: r.stderr ?? '', status: r.status };
}

/** Rows of -T fields output from both tools (same -E options), with the frame count. */
export function fieldRows(file, fields, prefs = []) {
  const common = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const p of prefs) common.push('-o', p);
  for (const f of fields) common.push('-e', f);
  const t = run(TSHARK_REF, common);
  const m = run(process.execPath, [BIN, ...common]);
  const split = (s) => (s === '' ? [] : s.replace(/\n$/, '').split('\n').map((l) => l.split('\t')));
  return { tshark: split(t.out), minishark: split(m.out), tsharkErr: t.err, minisharkErr: m.err, minisharkStatus: m.status };
}

/** Compare cell by cell; returns {compared, equal, diffs: [{frame, field, tshark, minishark}]} */
export function compareFields(file, fields, prefs = []) {
  const r = fieldRows(file, fields, prefs);
  const diffs = [];
  let compared = 0;
  let equal = 0;
  const n = Math.max(r.tshark.length, r.minishark.length);
  if (r.tshark.length !== r.minishark.length) {
    diffs.push({ frame: 0, field: 'frame count', tshark: String(r.tshark.length), minishark: String(r.minishark.length) });
  }
  for (let i = 0; i < n; i++) {
    const a = r.tshark[i] ?? [];
    const b = r.minishark[i] ?? [];
    for (let j = 0; j < fields.length; j++) {
      compared++;
      const x = a[j] ?? '';
      const y = b[j] ?? '';
      if (x === y) equal++;
      else diffs.push({ frame: i + 1, field: fields[j], tshark: x, minishark: y });
    }
  }
  return { compared, equal, diffs, minisharkErr: r.minisharkErr, tsharkErr: r.tsharkErr };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const file = args.shift();
  const prefs = [];
  const fields = [];
  while (args.length) {
    const a = args.shift();
    if (a === '-o') prefs.push(args.shift());
    else fields.push(a);
  }
  if (!file || !fields.length) {
    console.error('usage: node scripts/tshark-diff.mjs FILE [-o pref:value] FIELD...');
    process.exit(2);
  }
  const res = compareFields(file, fields, prefs);
  const max = Number(process.env.MAX_DIFFS ?? 40);
  for (const d of res.diffs.slice(0, max)) console.log(`frame ${d.frame}\t${d.field}\ttshark=${JSON.stringify(d.tshark)}\tminishark=${JSON.stringify(d.minishark)}`);
  if (res.minisharkErr) console.log(`minishark stderr: ${res.minisharkErr.trim()}`);
  console.log(`${res.equal}/${res.compared} cells equal, ${res.diffs.length} differ`);
  process.exit(res.diffs.length ? 1 : 0);
}
