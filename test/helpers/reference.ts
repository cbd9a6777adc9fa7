// Helpers shared by the differential suites: run tshark (scripts/tshark-ref) and minishark on a
// capture with the same -T fields options and get the rows, without spawning node for minishark.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Engine } from '../../src/dissect/engine.js';
import { DEFAULT_PREFS, setPref } from '../../src/dissect/state.js';
import { CaptureError } from '../../src/io/errors.js';
import { openCapture } from '../../src/io/reader.js';
import { FieldsPrinter, resolveFields } from '../../src/output/fields.js';

const run = promisify(execFile);
export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');
export const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');

export const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
export const hasCorpus = existsSync(CORPUS);

export type Rows = string[][];

const fieldArgs = (fields: string[], prefs: string[]) => [
  '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,',
  ...prefs.flatMap((p) => ['-o', p]),
  ...fields.flatMap((f) => ['-e', f]),
];

/** tshark-ref's -T fields rows (an unreadable file gives the rows it printed before failing). */
export async function tsharkRows(file: string, fields: string[], prefs: string[] = []): Promise<Rows> {
  let out = '';
  try {
    out = (await run(TSHARK_REF, ['-r', file, ...fieldArgs(fields, prefs)], { maxBuffer: 1 << 30, env: { ...process.env, TZ: 'UTC' } })).stdout;
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? '';
  }
  return out === '' ? [] : out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
}

/** minishark's rows for the same fields, in-process (same code path as `-T fields`). */
export async function minisharkRows(file: string, fields: string[], prefs: string[] = []): Promise<Rows> {
  const { refs, unknown } = resolveFields(fields);
  if (unknown.length) throw new Error(`unknown fields: ${unknown.join(', ')}`);
  const p = { ...DEFAULT_PREFS };
  for (const s of prefs) {
    const err = setPref(p, s);
    if (err) throw new Error(err);
  }
  const printer = new FieldsPrinter(refs, { header: false, separator: '\t', occurrence: 'a', aggregator: ',', quote: '' });
  const wanted = refs.flatMap((r) => (r.def ? [r.def] : []));
  const engine = new Engine({ prefs: p, full: wanted.some((d) => d.type === 'protocol'), fields: wanted, columns: true });
  const rows: Rows = [];
  try {
    const reader = await openCapture(file);
    for await (const batch of reader.batches()) {
      for (const rec of batch) {
        const pkt = engine.dissect(rec);
        engine.displayed(pkt);
        rows.push(printer.line(pkt).replace(/\n$/, '').split('\t'));
      }
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  return rows;
}

export interface Diff {
  frame: number;
  field: string;
  tshark: string;
  minishark: string;
}

export function compareRows(fields: string[], t: Rows, m: Rows): { compared: number; equal: number; diffs: Diff[] } {
  const diffs: Diff[] = [];
  let compared = 0;
  let equal = 0;
  if (t.length !== m.length) diffs.push({ frame: 0, field: 'frame count', tshark: String(t.length), minishark: String(m.length) });
  const n = Math.max(t.length, m.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < fields.length; j++) {
      compared++;
      const a = t[i]?.[j] ?? '';
      const b = m[i]?.[j] ?? '';
      if (a === b) equal++;
      else diffs.push({ frame: i + 1, field: fields[j]!, tshark: a, minishark: b });
    }
  }
  return { compared, equal, diffs };
}

/** Every capture file under a folder (pcap, pcapng, cap, gz), sorted. */
export function captureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap|ntar)(\.gz)?$/.test(e)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Run async jobs with a concurrency limit. */
export async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const res: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      res[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return res;
}

/** `npm run test:sweeps` sets MINISHARK_SWEEPS=1: the slowest tshark comparisons then run on every
 * capture. `npm test` runs them on an evenly spread sample, so it stays within minutes on 2 cores. */
export const SWEEPS = process.env.MINISHARK_SWEEPS === '1';

/** Every item under `npm run test:sweeps`; otherwise `n` of them, evenly spread (always the same). */
export function sweepSample<T>(all: T[], n: number, what: string): T[] {
  if (SWEEPS || all.length <= n) return all;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(all[Math.floor((i * all.length) / n)]!);
  console.warn(`${what}: ${n} of ${all.length} captures here; all of them with npm run test:sweeps`);
  return out;
}
