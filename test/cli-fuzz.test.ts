// The CLI end to end on mutated real captures, in every output mode (issue #8): whatever the bytes,
// the exit code is 0 or 2, stderr is empty or exactly one line "minishark: …" (a file cut short or
// damaged gives one such line after the packets before the fault), never a stack trace or a
// TypeError/RangeError, and JSON output parses. Seeded (fast-check), so a failure reproduces;
// `npm run fuzz` runs the same pipeline for longer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS helpers
import { runCli } from './golden/cases.mjs';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const FIX = path.join(ROOT, 'fixtures');
const SEED = Number(process.env.FUZZ_SEED ?? 8);
const RUNS = Number(process.env.CLI_FUZZ_RUNS ?? 500);

const SOURCES = ['echo-veth.pcap', 'echo-veth.pcapng', 'mixed-linktypes.pcapng', 'udp-frag.pcap', 'icmp-unreach.pcap', 'echo-ipv6.pcap', 'port-reuse.pcap', 'echo-veth-be.pcap', 'echo-any-sll2.pcap', 'loss.pcap'];
let files: Buffer[] = [];
let tmp = '';

/** every output mode of the CLI (-z taps included) */
const MODES: string[][] = [
  [],
  ['-V'],
  ['-x'],
  ['-V', '-x'],
  ['-O', 'tcp,ip'],
  ['-T', 'json'],
  ['-T', 'jsonl'],
  ['-T', 'json', '-e', 'ip.src', '-e', 'tcp.options', '-e', '_ws.col.Info'],
  ['-T', 'fields', '-E', 'header=y', '-e', 'frame.number', '-e', 'frame.protocols', '-e', 'ip.len', '-e', 'tcp.seq', '-e', 'tcp.analysis.flags', '-e', '_ws.expert.message', '-e', '_ws.col.Info'],
  ['-Y', 'tcp.len > 0 || udp || _ws.malformed'],
  ['-Y', 'ip.flags.mf == 1 || tcp.analysis.retransmission', '-V'],
  ['-q', '-z', 'conv,tcp'],
  ['-q', '-z', 'io,phs'],
  ['-q', '-z', 'expert'],
  ['-z', 'conv,ip', '-z', 'endpoints,udp', '-T', 'fields', '-e', 'frame.number'],
  ['-q', '-z', 'io,stat,1,COUNT(tcp.analysis.flags)tcp.analysis.flags'],
  ['-q', '-z', 'follow,tcp,ascii,0'],
];

beforeAll(() => {
  files = SOURCES.map((f) => readFileSync(path.join(FIX, f)));
  tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-clifuzz-'));
});

/** main() in this process with captured streams (the same code, without a node start per call) */
const cli = (args: string[]) => runCli(main, args, { NO_COLOR: '1', COLUMNS: '90' }) as Promise<{ code: number; out: string; err: string }>;

/** the length-bearing header fields (file header, record and block lengths, interface ids) */
function lengthFields(b: Buffer): Array<{ at: number; le: boolean }> {
  const out: Array<{ at: number; le: boolean }> = [];
  if (b.length < 24) return out;
  const m = b.readUInt32LE(0);
  if (m === 0xa1b2c3d4 || m === 0xa1b23c4d || m === 0xd4c3b2a1 || m === 0x4d3cb2a1) {
    const le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
    out.push({ at: 16, le }, { at: 20, le });
    for (let o = 24; o + 16 <= b.length; o += 16 + (le ? b.readUInt32LE(o + 8) : b.readUInt32BE(o + 8))) out.push({ at: o + 8, le }, { at: o + 12, le });
  } else {
    for (let o = 0; o + 12 <= b.length; ) {
      const tl = b.readUInt32LE(o + 4);
      out.push({ at: o + 4, le: true });
      if (b.readUInt32LE(o) === 6) out.push({ at: o + 8, le: true }, { at: o + 20, le: true });
      if (tl < 12 || tl % 4) break;
      o += tl;
    }
  }
  return out;
}

const INTERESTING = [0, 1, 8, 11, 12, 13, 20, 0xff, 0xffff, 0x40000, 0x40001, 0x1000000, 0x7fffffff, 0xffffffff];

const mutation = fc.record({
  file: fc.nat(SOURCES.length - 1),
  // byte flips anywhere (packet bytes) and in the first KB (headers)
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 8 }),
  lengths: fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: -8, max: 8 }))), { maxLength: 2 }),
  cut: fc.option(fc.nat(), { freq: 3 }),
  mode: fc.nat(MODES.length - 1),
});

function build(m: { file: number; flips: Array<[number, number, boolean]>; lengths: Array<[number, number]>; cut: number | null }): Buffer {
  const b = Buffer.from(files[m.file]!);
  for (const [pos, v, head] of m.flips) b[pos % (head ? Math.min(1024, b.length) : b.length)] = v;
  const fields = lengthFields(b);
  for (const [i, v] of m.lengths) {
    if (!fields.length) break;
    const f = fields[i % fields.length]!;
    if (f.at + 4 > b.length) continue;
    const cur = f.le ? b.readUInt32LE(f.at) : b.readUInt32BE(f.at);
    const nv = (Math.abs(v) <= 8 ? cur + v : v) >>> 0;
    if (f.le) b.writeUInt32LE(nv, f.at);
    else b.writeUInt32BE(nv, f.at);
  }
  return m.cut === null ? b : b.subarray(0, m.cut % (b.length + 1));
}

/** the properties every run must keep */
function check(r: { code: number; out: string; err: string }, args: string[]): void {
  expect([0, 2], `exit code of ${args.join(' ')}`).toContain(r.code);
  expect(r.err).not.toMatch(/\n\s+at |TypeError|RangeError|ReferenceError|internal error/);
  const lines = r.err.split('\n').filter(Boolean);
  expect(lines.length).toBeLessThanOrEqual(1);
  if (lines.length) expect(lines[0]).toMatch(/^minishark: /);
  expect(r.code === 2).toBe(lines.length === 1); // a message exactly when the file was at fault
  const t = args.indexOf('-T');
  if (t >= 0 && args[t + 1] === 'json') expect(() => JSON.parse(r.out)).not.toThrow();
  if (t >= 0 && args[t + 1] === 'jsonl') for (const l of r.out.split('\n')) if (l) expect(() => JSON.parse(l)).not.toThrow();
}

describe('the CLI on mutated real captures, every output mode', () => {
  it(`${RUNS} seeded inputs in process (main() with captured streams)`, async () => {
    let n = 0;
    const seen = new Set<number>();
    const codes = new Set<number>();
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const args0 = MODES[m.mode]!;
        const file = path.join(tmp, `in-${n++ % 8}.bin`);
        writeFileSync(file, build(m));
        const args = ['-r', file, ...args0];
        const r = await cli(args);
        check(r, args);
        seen.add(m.mode);
        codes.add(r.code);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // the run did exercise the modes and both outcomes (so the properties were really checked)
    expect(seen.size).toBeGreaterThanOrEqual(MODES.length - 3);
    expect(codes).toEqual(new Set([0, 2]));
  }, 60000);

  /** every record's IP/TCP header bytes flipped here and there (the record headers intact) */
  function flipHeaders(orig: Buffer): Buffer {
    const b = Buffer.from(orig);
    for (let o = 24; o + 16 <= b.length; o += 16 + b.readUInt32LE(o + 8)) {
      for (let k = 14; k < 54 && 16 + k < 16 + b.readUInt32LE(o + 8); k += 7) b[o + 16 + k]! ^= 0x5a;
    }
    return b;
  }

  it('the real process: exit code, one stderr line, no stack trace (a few inputs of each kind)', () => {
    const b = readFileSync(path.join(FIX, 'echo-veth.pcap'));
    const inputs: Array<[string, Buffer]> = [
      ['cut mid-record', b.subarray(0, 300)],
      ['caplen 0xffffffff', Buffer.concat([b.subarray(0, 32), Buffer.from([0xff, 0xff, 0xff, 0xff]), b.subarray(36)])],
      ['flipped packet bytes', flipHeaders(b)],
    ];
    for (const [what, data] of inputs) {
      const file = path.join(tmp, 'proc.pcap');
      writeFileSync(file, data);
      for (const mode of [['-T', 'json'], ['-V', '-x'], ['-q', '-z', 'conv,tcp', '-z', 'expert']]) {
        const args = ['-r', file, ...mode];
        const p = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        check({ code: p.status ?? -1, out: p.stdout, err: p.stderr }, args);
        if (what !== 'flipped packet bytes') expect(p.status, what).toBe(2);
        else expect(p.status, what).toBe(0);
      }
    }
  }, 30000);
});
