// The differential suite: tshark (scripts/tshark-ref: only our protocols, -n, no TCP desegmentation)
// and minishark print the same -T fields rows, cell by cell, on every fixture, on the crafted TCP
// analysis captures in ../shared/spec, and on every capture of ../shared/corpus. A cell may differ only
// where KNOWN_DIFFERENCES says why (each one is also listed in the README).
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupField } from '../src/core/field.js';
import '../src/dissect/engine.js';
import { COLUMN_FIELDS } from '../src/output/columns.js';
import { ALL_FIELDS } from './helpers/fields-list.js';
import { captureFiles, compareRows, CORPUS, type Diff, FIXTURES, hasCorpus, hasTshark, minisharkRows, ROOT, tsharkRows } from './helpers/reference.js';

interface Known {
  file: RegExp;
  field: RegExp;
  reason: string;
}

/** Deliberate or accepted differences, each with its reason. Keep this short. */
export const KNOWN_DIFFERENCES: Known[] = [
  {
    file: /timestamp_invalid_(micro|nano)\.pcap$/,
    field: /^(frame\.time_(relative|delta|delta_displayed)|_ws\.col\.Time|_ws\.expert\.(message|severity|group)|tcp\.(time_relative|time_delta|analysis\.(ack_rtt|initial_rtt)))$/,
    reason: 'records with an out-of-range timestamp fraction: tshark adds an "Arrival Time" expert and computes relative times from its own normalisation; minishark keeps the raw value (epoch time printed identically)',
  },
  {
    file: /(icmp-cksum-oobr-2\.pcap|icmp-cksum-oobr-4\.pcapng|icmp-icmp_print-oobr-2\.pcap|icmp-rfc5837\.pcap|unsupported-link-type-160\.pcap)$/,
    field: /^(frame\.protocols|data\.(data|len)|_ws\.col\.(Protocol|Info))$/,
    reason: 'link types minishark does not dissect (PPP, Frame Relay, user DLTs): minishark shows the bytes as data; tshark-ref has those dissectors switched off and shows nothing',
  },
  {
    file: /zeek\/wikipedia\.pcap$/,
    field: /^(frame\.protocols|data\.(data|len)|_ws\.col\.(Protocol|Info)|_ws\.expert\.(message|severity|group))$/,
    reason: 'NetBIOS name queries (UDP 137 → 137): tshark-ref disables NBNS, so tshark 4.0\'s UDP heuristic DNS dissector takes them; minishark has no heuristic list yet, so they stay data',
  },
  {
    file: /test902\.pcapng$/,
    field: /^_ws\.col\.Time$/,
    reason: 'pcapng if_tsresol other than 10^-6/10^-9: tshark picks a column precision of its own (2 digits); minishark prints the resolution\'s digits',
  },
];

const SPEC = path.resolve(ROOT, '../shared/spec');
const FIELDS = ALL_FIELDS.filter((f) => COLUMN_FIELDS.has(f) || lookupField(f));
const MISSING = ALL_FIELDS.filter((f) => !FIELDS.includes(f));

const totals = new Map<string, { compared: number; equal: number; explained: number; files: number }>();
function tally(set: string, compared: number, equal: number, explained: number) {
  const t = totals.get(set) ?? { compared: 0, equal: 0, explained: 0, files: 0 };
  t.compared += compared;
  t.equal += equal;
  t.explained += explained;
  t.files++;
  totals.set(set, t);
}

afterAll(() => {
  const lines = [...totals].map(([set, t]) => `${set}: ${t.equal}/${t.compared} cells equal (${((100 * t.equal) / Math.max(1, t.compared)).toFixed(3)}%), ${t.explained} known differences, ${t.files} files`);
  if (lines.length) {
    const text = `differential suite, ${FIELDS.length} fields\n${lines.join('\n')}\n`;
    console.log(text);
    writeFileSync(path.join(os.tmpdir(), 'minishark-differential.txt'), text);
  }
});

it('every field in the measured list is registered', () => {
  expect(MISSING).toEqual([]);
});

function suite(set: string, files: string[]) {
  describe.concurrent(set, () => {
    for (const file of files) {
      it(path.basename(file), async () => {
        const [t, m] = await Promise.all([tsharkRows(file, FIELDS), minisharkRows(file, FIELDS)]);
        const { compared, equal, diffs } = compareRows(FIELDS, t, m);
        const rel = path.relative(path.resolve(ROOT, '..'), file);
        const unexplained: Diff[] = diffs.filter((d) => !KNOWN_DIFFERENCES.some((k) => k.file.test(rel) && k.field.test(d.field)));
        tally(set, compared, equal, diffs.length - unexplained.length);
        expect(unexplained.slice(0, 20)).toEqual([]);
      });
    }
  });
}

describe.skipIf(!hasTshark)('differential: minishark vs tshark -T fields', () => {
  suite('fixtures', captureFiles(FIXTURES));
  if (existsSync(SPEC)) suite('spec', captureFiles(SPEC));
  if (hasCorpus) suite('corpus', captureFiles(CORPUS));
});

if (!hasTshark) console.warn('differential suite skipped: tshark is not installed (apt-get install -y tshark)');
if (!hasCorpus) console.warn(`corpus part of the differential suite skipped: ${CORPUS} is absent`);
