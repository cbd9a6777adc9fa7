// -t: every time format on every fixture, both the summary lines (`-t X -r F`) and
// `-T fields -e _ws.col.Time`, byte for byte against tshark 4.0 (scripts/tshark-ref, which sets
// TZ=UTC; this process uses UTC too), then the local-time formats in two other time zones, and
// the options' errors. The differential parts skip without tshark.
process.env.TZ = 'UTC';

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { TIME_FORMATS, timeFormatError } from '../src/output/time-format.js';
// @ts-expect-error plain JS helpers
import { fixtures, ROOT, runCli } from './golden/cases.mjs';
import { sweepSample } from './helpers/reference.js';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
const FORMATS = Object.keys(TIME_FORMATS);
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');

/** stdout of a command (its exit status is not the point here: the output is compared). */
function output(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Run the jobs, at most `n` at a time (tshark runs are the slow part; the machine is shared). */
async function pool<T>(jobs: Array<() => Promise<T>>, n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

/** The first differing lines of two outputs (empty when they are equal byte for byte). */
function lineDiffs(t: string, m: string, label: string): string[] {
  if (t === m) return [];
  const a = t.split('\n');
  const b = m.split('\n');
  const d: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && d.length < 3; i++) {
    if (a[i] !== b[i]) d.push(`${label} line ${i + 1}: tshark ${JSON.stringify(a[i])} minishark ${JSON.stringify(b[i])}`);
  }
  return d.length ? d : [`${label}: outputs differ`];
}

const COLUMN = ['-T', 'fields', '-e', '_ws.col.Time'];

describe.skipIf(!hasTshark)('-t FORMAT: summary lines and _ws.col.Time = tshark on every fixture (needs tshark)', () => {
  it.each(sweepSample(fixtures() as string[], 8, '-t formats vs tshark'))('%s', async (f) => {
    const file = path.join(ROOT, 'fixtures', f);
    const runs = FORMATS.flatMap((t) => [
      { label: `-t ${t}`, args: ['-t', t, '-r', file] },
      { label: `-t ${t} -T fields -e _ws.col.Time`, args: ['-t', t, '-r', file, ...COLUMN] },
    ]);
    const theirs = await pool(
      runs.map((r) => () => output(TSHARK_REF, r.args)),
      2,
    );
    const diffs: string[] = [];
    for (let i = 0; i < runs.length; i++) {
      const m = await runCli(main, runs[i]!.args);
      expect(theirs[i], `tshark printed nothing for ${runs[i]!.label}`).not.toBe('');
      diffs.push(...lineDiffs(theirs[i]!, m.out, runs[i]!.label));
    }
    expect(diffs).toEqual([]);
  });
});

describe.skipIf(!hasTshark)('-t a|ad|adoy follow TZ as tshark does (needs tshark)', () => {
  const file = path.join(ROOT, 'fixtures', 'echo-veth.pcapng');
  // +05:30 (a half-hour offset) and -03:30 (behind UTC, another half hour)
  it.each(['Asia/Kolkata', 'America/St_Johns'])('TZ=%s', async (tz) => {
    const diffs: string[] = [];
    for (const t of ['a', 'ad', 'adoy', 'u']) {
      const theirs = await output('tshark', ['-n', '-t', t, '-r', file, ...COLUMN], { TZ: tz });
      process.env.TZ = tz;
      try {
        const m = await runCli(main, ['-t', t, '-r', file, ...COLUMN]);
        expect(theirs).not.toBe('');
        diffs.push(...lineDiffs(theirs, m.out, `TZ=${tz} -t ${t}`));
      } finally {
        process.env.TZ = 'UTC';
      }
    }
    expect(diffs).toEqual([]);
  });

  it('the local formats really move with TZ (and u does not)', async () => {
    const first = async (t: string, tz: string) => {
      process.env.TZ = tz;
      try {
        return (await runCli(main, ['-t', t, '-c', '1', '-r', file, ...COLUMN])).out;
      } finally {
        process.env.TZ = 'UTC';
      }
    };
    expect(await first('a', 'Asia/Kolkata')).not.toBe(await first('a', 'UTC'));
    expect(await first('u', 'Asia/Kolkata')).toBe(await first('u', 'UTC'));
  });
});

describe('-t errors and defaults', () => {
  it('an unknown format: tshark\'s message listing the formats, exit 1', async () => {
    const r = await runCli(main, ['-t', 'x', '-r', 'fixtures/echo-veth.pcap']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`minishark: ${timeFormatError('x')}\n`);
    expect(r.err).toContain('Invalid time stamp type "x"; it must be one of:\n\t"a"    for absolute\n');
    expect(r.err).toContain('\t"udoy" for absolute UTC with YYYY/DOY date\n');
  });

  it('-t r is the default', async () => {
    const a = await runCli(main, ['-r', 'fixtures/loss.pcap']);
    const b = await runCli(main, ['-t', 'r', '-r', 'fixtures/loss.pcap']);
    expect(b.out).toBe(a.out);
    expect(a.out.split('\n')[1]).toMatch(/^ {4}2 {3}0\.\d{6} /);
  });

  it('reaches the columns of -T json/jsonl too', async () => {
    const r = await runCli(main, ['-t', 'ud', '-c', '1', '-r', 'fixtures/echo-veth.pcap', '-T', 'jsonl', '-e', '_ws.col.Time']);
    expect(JSON.parse(r.out)._ws.col.Time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('-t dd counts from the previous displayed packet (-Y), -t d from the previous captured one', async () => {
    const args = ['-r', 'fixtures/echo-veth.pcap', '-Y', 'tcp.len > 0', ...COLUMN, '-e', 'frame.time_delta', '-e', 'frame.time_delta_displayed'];
    const dd = (await runCli(main, ['-t', 'dd', ...args])).out.trim().split('\n').map((l: string) => l.split('\t'));
    const d = (await runCli(main, ['-t', 'd', ...args])).out.trim().split('\n').map((l: string) => l.split('\t'));
    expect(dd.length).toBeGreaterThan(1);
    for (const row of dd) expect(row[2]!.startsWith(row[0]!)).toBe(true);
    for (const row of d) expect(row[1]!.startsWith(row[0]!)).toBe(true);
    expect(dd.map((r: string[]) => r[0])).not.toEqual(d.map((r: string[]) => r[0]));
  });
});
