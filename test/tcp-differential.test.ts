// The TCP stage against tshark 4.0 (scripts/tshark-ref), cell by cell, through
// scripts/tshark-diff.mjs's compareFields: every fixture with TCP, the two crafted analysis captures
// in ../shared/spec, and every capture of ../shared/corpus that has TCP, on every field the
// conversation tracker produces (stream, completeness, relative numbers, windows, timestamps, the
// whole [SEQ/ACK analysis], the expert messages and the Info column with its prefixes). A cell may
// differ only where TCP_KNOWN_DIFFERENCES says why.
//
// compareFields spawns tshark and bin/minishark.js (the built dist/) once per capture; the
// captures are compared a few at a time in worker threads. Skips without tshark, without a build,
// and (for the corpus part) without ../shared/corpus.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without type declarations
import { compareFields, hasTshark } from '../scripts/tshark-diff.mjs';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { captureFiles } from './helpers/reference.js';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(ROOT, 'fixtures');
const SPEC = path.resolve(ROOT, '../shared/spec');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const BUILT = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));
const TSHARK: boolean = hasTshark();

/** Every field the TCP stage shows, and the columns and layers it shapes. */
export const TCP_FIELDS = [
  'tcp.stream', 'tcp.completeness', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.len', 'tcp.window_size', 'tcp.window_size_scalefactor',
  'tcp.time_relative', 'tcp.time_delta', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent', 'tcp.analysis.window_update', 'tcp.analysis.window_full',
  'tcp.analysis.zero_window', 'tcp.analysis.zero_window_probe', 'tcp.analysis.zero_window_probe_ack', 'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack', 'tcp.analysis.duplicate_ack', 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission', 'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment', 'tcp.analysis.ack_lost_segment', 'tcp.analysis.reused_ports', 'tcp.analysis.rto', 'tcp.analysis.rto_frame',
  'tcp.analysis.flags', 'tcp.analysis', '_ws.expert.message', '_ws.col.Info',
  // what the same stage also decides
  'tcp.seq_raw', 'tcp.ack_raw', 'tcp.options.sack_le', 'tcp.options.sack_re', 'tcp.payload', 'tcp.reset_cause', 'tcp.flags.str',
  'tcp.options.sack.dsack_le', 'tcp.connection.fin_active', 'tcp.connection.fin_passive',
  '_ws.col.Protocol', '_ws.col.Source', '_ws.col.Destination', 'frame.protocols', '_ws.malformed', 'data.data', 'data.len',
];

interface Known {
  file: RegExp;
  field: RegExp;
  reason: string;
}

/**
 * Differences with tshark that are accepted, each with its reason. None is in the TCP stage: it
 * comes from a stage before it and only shows in the fields compared here.
 */
export const TCP_KNOWN_DIFFERENCES: Known[] = [
  {
    file: /timestamp_invalid_(micro|nano)\.pcap$/,
    field: /^(tcp\.time_relative|tcp\.time_delta|tcp\.analysis\.ack_rtt|tcp\.analysis\.initial_rtt|_ws\.expert\.message)$/,
    reason:
      'records with an invalid timestamp fraction (>= 10^9): the capture reader keeps a different nanosecond value than ' +
      'tshark (frame.time_relative differs the same way; the TCP deltas only follow it), and the frame stage has no ' +
      '"Arrival Time: Fractional second ... is invalid" expert item',
  },
  {
    file: /zeek\/wikipedia\.pcap$/,
    field: /^(frame\.protocols|data\.(data|len)|_ws\.col\.(Protocol|Info)|_ws\.expert\.message)$/,
    reason:
      'NetBIOS name queries (UDP 137 → 137): tshark-ref disables NBNS, so tshark 4.0\'s UDP heuristic DNS dissector ' +
      'takes them; minishark has no heuristic list yet, so they stay data (not TCP: they show in the columns compared here)',
  },
];

interface Result {
  compared: number;
  equal: number;
  diffs: Array<{ frame: number; field: string; tshark: string; minishark: string }>;
  minisharkErr: string;
}

const DIFF_URL = pathToFileURL(path.join(ROOT, 'scripts', 'tshark-diff.mjs')).href;
const WORKER = `const { parentPort, workerData } = require('node:worker_threads');
import(workerData.url).then((m) => parentPort.postMessage(m.compareFields(workerData.file, workerData.fields, workerData.prefs)));`;

/** compareFields in a worker thread (it blocks on spawnSync), so that several captures run at once. */
function compare(file: string, fields: string[], prefs: string[] = []): Promise<Result> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { url: DIFF_URL, file, fields, prefs } });
    w.once('message', (r: Result) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** A few at a time: the machine runs tshark and node per capture. */
let running = 0;
const waiting: Array<() => void> = [];
const LIMIT = Math.max(2, Math.min(6, os.availableParallelism?.() ?? 2));
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= LIMIT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Does the capture have a TCP segment? (read in-process with the engine, quickly) */
async function hasTcp(file: string): Promise<boolean> {
  try {
    const engine = new Engine({ full: false, fields: [], columns: false });
    const reader = await openCapture(file);
    for await (const batch of reader.batches()) for (const rec of batch) {
        const p = engine.dissect(rec);
        if (p.tcp || p.protocols.includes('tcp')) return true;
      }
  } catch {
    // an unreadable file: tshark cannot read it either
  }
  return false;
}

const perField = new Map<string, { compared: number; equal: number }>();
const perSet = new Map<string, { compared: number; equal: number; known: number; files: number }>();

function tally(set: string, fields: string[], r: Result, known: number): void {
  const s = perSet.get(set) ?? { compared: 0, equal: 0, known: 0, files: 0 };
  s.compared += r.compared;
  s.equal += r.equal;
  s.known += known;
  s.files++;
  perSet.set(set, s);
  const rows = r.compared / fields.length;
  const bad = new Map<string, number>();
  for (const d of r.diffs) bad.set(d.field, (bad.get(d.field) ?? 0) + 1);
  for (const f of fields) {
    const t = perField.get(f) ?? { compared: 0, equal: 0 };
    t.compared += rows;
    t.equal += rows - (bad.get(f) ?? 0);
    perField.set(f, t);
  }
}

afterAll(() => {
  if (!perSet.size) return;
  const lines = [...perSet].map(([s, t]) => `${s}: ${t.equal}/${t.compared} cells equal, ${t.known} known differences, ${t.files} captures`);
  lines.push('per field (all sets):');
  for (const [f, t] of perField) lines.push(`  ${f}: ${t.equal}/${t.compared}`);
  const text = `tcp differential, ${TCP_FIELDS.length} fields\n${lines.join('\n')}\n`;
  console.log(text);
  writeFileSync(path.join(os.tmpdir(), 'minishark-tcp-differential.txt'), text);
});

function suite(set: string, files: () => Promise<string[]>, prefs: string[] = []) {
  describe(set, async () => {
    const list = await files();
    it('has captures to compare', () => {
      expect(list.length).toBeGreaterThan(0);
    });
    describe.concurrent('captures', () => {
      for (const file of list) {
        it(path.relative(path.resolve(ROOT, '..'), file), async () => {
          const r = await limited(() => compare(file, TCP_FIELDS, prefs));
          const rel = path.relative(path.resolve(ROOT, '..'), file);
          const unexplained = r.diffs.filter((d) => !TCP_KNOWN_DIFFERENCES.some((k) => k.file.test(rel) && k.field.test(d.field)));
          tally(set, TCP_FIELDS, r, r.diffs.length - unexplained.length);
          expect(r.minisharkErr).toBe('');
          expect(unexplained.slice(0, 10)).toEqual([]);
          expect(r.compared).toBeGreaterThan(0);
        });
      }
    });
  });
}

const fixtureFiles = async () => {
  const out: string[] = [];
  for (const f of captureFiles(FIXTURES)) if (await hasTcp(f)) out.push(f);
  return out;
};
const specFiles = async () => captureFiles(SPEC);
const corpusFiles = async () => {
  const out: string[] = [];
  for (const f of captureFiles(CORPUS)) if (await hasTcp(f)) out.push(f);
  return out;
};

describe.skipIf(!TSHARK || !BUILT)('TCP stage vs tshark 4.0 (skipped without tshark or a build: npm run build)', () => {
  suite('fixtures', fixtureFiles);
  describe.skipIf(!existsSync(SPEC))('spec (skipped when ../shared/spec is absent)', () => {
    suite('spec', specFiles);
    suite('spec, raw sequence numbers', specFiles, ['tcp.relative_sequence_numbers:FALSE']);
  });
  suite('fixtures, raw sequence numbers', async () => (await fixtureFiles()).filter((f) => /(loss|zerowin|echo-veth|keepalive|port-reuse)\.pcap$/.test(f)), [
    'tcp.relative_sequence_numbers:FALSE',
  ]);
  describe.skipIf(!existsSync(CORPUS))('corpus (skipped when ../shared/corpus is absent)', () => {
    suite('corpus', corpusFiles);
  });

  it.skipIf(!existsSync(SPEC))('compareFields in-process: the crafted cases, relative and raw (skipped when ../shared/spec is absent)', () => {
    const r = compareFields(path.join(SPEC, 'tcp-analysis-cases.pcap'), ['tcp.seq', 'tcp.analysis.duplicate_ack', '_ws.col.Info'], []);
    expect(r.compared).toBe(78);
    expect(r.equal).toBe(r.compared);
    const raw = compareFields(path.join(SPEC, 'tcp-analysis-cases.pcap'), ['tcp.seq', 'tcp.ack'], ['tcp.relative_sequence_numbers:FALSE']);
    expect(raw.compared).toBe(52);
    expect(raw.equal).toBe(raw.compared);
  });
});
