// Smoke test of the benchmark machinery (scripts/bench-walk.mjs, scripts/bench.mjs) on tiny
// fixtures. No timing is asserted: only that the scripts run, count and report what they should.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const WALK = path.join(ROOT, 'scripts', 'bench-walk.mjs');
const BENCH = path.join(ROOT, 'scripts', 'bench.mjs');
const FIX = path.join(ROOT, 'fixtures');
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' }).status === 0;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-bench-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function node(args: string[]) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bench-walk.mjs (the bare record walk)', () => {
  it('counts the 13 records and 13 TCP segments of bulk4096.pcap', () => {
    const r = node([WALK, path.join(FIX, 'bulk4096.pcap'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.packets).toBe(13);
    expect(j.tcp).toBe(13);
    expect(j.bytes).toBe(statSync(path.join(FIX, 'bulk4096.pcap')).size); // header + 13 records
  });

  it('finds TCP behind ARP frames, Linux SLL2 and BSD loopback headers, in both byte orders', () => {
    // echo-veth: 2 ARP + 11 TCP; the same echo captured with -i any (SLL2) and on lo (null)
    const veth = JSON.parse(node([WALK, path.join(FIX, 'echo-veth.pcap'), '--json']).out);
    expect([veth.packets, veth.tcp]).toEqual([13, 11]);
    const sll2 = JSON.parse(node([WALK, path.join(FIX, 'echo-any-sll2.pcap'), '--json']).out);
    expect([sll2.packets, sll2.tcp]).toEqual([13, 11]);
    const nul = JSON.parse(node([WALK, path.join(FIX, 'echo-null.pcap'), '--json']).out);
    expect([nul.packets, nul.tcp]).toEqual([11, 11]);
    // big-endian pcap of the same packets as echo-veth.pcap: the same walk
    const be = JSON.parse(node([WALK, path.join(FIX, 'echo-veth-be.pcap'), '--json']).out);
    expect([be.packets, be.tcp, be.portSum]).toEqual([13, 11, veth.portSum]);
  });

  it.skipIf(!hasTshark)('reads the same TCP ports as tshark (sum of tcp.srcport + tcp.dstport)', () => {
    for (const f of ['echo-any-sll2.pcap', 'loss.pcap']) {
      const t = spawnSync('tshark', ['-n', '-r', path.join(FIX, f), '-Y', 'tcp', '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.dstport'], { encoding: 'utf8' });
      const want = t.stdout.split(/\s+/).filter(Boolean).reduce((a, x) => a + Number(x), 0);
      expect(want).toBeGreaterThan(0);
      expect(JSON.parse(node([WALK, path.join(FIX, f), '--json']).out).portSum).toBe(want);
    }
  });

  it('refuses pcapng and missing files with exit status 2', () => {
    const ng = node([WALK, path.join(FIX, 'echo-veth.pcapng')]);
    expect(ng.code).toBe(2);
    expect(ng.err).toMatch(/pcapng/);
    const missing = node([WALK, path.join(tmp, 'nope.pcap')]);
    expect(missing.code).toBe(2);
  });
});

describe('bench.mjs', () => {
  it('--help lists the modes and options', () => {
    const r = node([BENCH, '--help']);
    expect(r.code).toBe(0);
    for (const w of ['--runs', '--quick', '--only', '--peers', '--dry-run', 'summary', 'fields', 'jsonl', 'conv', 'read']) {
      expect(r.out).toContain(w);
    }
  });

  it('rejects an unknown mode and a bad --runs with exit status 1', () => {
    expect(node([BENCH, '--only', 'nope']).code).toBe(1);
    expect(node([BENCH, '--runs', '0']).code).toBe(1);
  });

  it('--dry-run prints the same 10 fields for minishark and tshark, and runs nothing', () => {
    const r = node([BENCH, '--dry-run', '--capture', path.join(FIX, 'bulk4096.pcap'), '--only', 'fields,jsonl,read']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const ms = lines.find((l) => /^\s+minishark .* -T fields/.test(l))!;
    const ts = lines.find((l) => /^\s+tshark .* -T fields/.test(l))!;
    const fields = (l: string) => [...l.matchAll(/-e (\S+)/g)].map((m) => m[1]);
    expect(fields(ms)).toHaveLength(10);
    expect(fields(ts)).toEqual(fields(ms));
    expect(fields(ms)).toContain('tcp.analysis.flags');
    expect(r.out).toMatch(/minishark\s+node bin\/minishark\.js -r \S*bulk4096\.pcap -T jsonl/);
    expect(r.out).toMatch(/tshark\s+.*tshark -n -r \S*bulk4096\.pcap -T json >/);
    expect(r.out).toMatch(/walk\s+node scripts\/bench-walk\.mjs \S*bulk4096\.pcap/);
  });

  it('--dry-run lists the bare-loop floor in the modes that have one, and --no-floor leaves it out', () => {
    const args = [BENCH, '--dry-run', '--capture', path.join(FIX, 'bulk4096.pcap'), '--only', 'summary,fields,jsonl,conv,read'];
    const r = node(args);
    expect(r.code).toBe(0);
    for (const m of ['summary', 'fields', 'jsonl', 'conv']) expect(r.out).toMatch(new RegExp(`floor\\s+node scripts/bench-floor\\.mjs \\S*bulk4096\\.pcap --${m} >`));
    expect(r.out.match(/bench-floor/g)).toHaveLength(4); // not in the read mode
    expect(node([...args, '--no-floor']).out).not.toContain('bench-floor');
  });

  it('runs the read mode once on a tiny capture and reports a row per tool (n/a instead of a crash)', () => {
    const json = path.join(tmp, 'bench.json');
    const r = node([BENCH, '--capture', path.join(FIX, 'bulk4096.pcap'), '--runs', '1', '--only', 'read', '--json', json]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/bulk4096: 13 packets/);
    expect(r.out).toMatch(/within 2x of the bare walk/);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    expect(res.captures[0].packets).toBe(13);
    const rows = res.captures[0].modes.read;
    expect(rows.map((x: { tool: string }) => x.tool)).toEqual(['minishark', 'walk']);
    const walk = rows[1];
    expect(walk.error).toBeNull();
    expect(walk.runs).toHaveLength(1);
    expect(walk.pps).toBeGreaterThan(0);
    // minishark either ran (dist built) or is reported as n/a with its exit code
    const ms = rows[0];
    if (ms.error) expect(ms.error).toMatch(/^exit code \d+/);
    else expect(ms.runs).toHaveLength(1);
  });
});

describe('bench-floor.mjs (the bare-loop floor)', () => {
  const FLOOR = path.join(ROOT, 'scripts', 'bench-floor.mjs');
  const MS = path.join(ROOT, 'bin', 'minishark.js');
  const hasDist = spawnSync('sh', ['-c', `test -f ${path.join(ROOT, 'dist', 'cli', 'run.js')}`]).status === 0;
  const FIELDS = ['frame.number', 'frame.time_relative', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack', 'tcp.len'];

  it.skipIf(!hasDist)('decodes the same TCP values as minishark (-T fields, 9 fields) on two fixtures', () => {
    for (const f of ['bulk4096.pcap', 'echo-veth.pcap']) {
      const fl = node([FLOOR, path.join(FIX, f), '--fields']);
      expect(fl.code).toBe(0);
      expect(fl.err).toMatch(/^floor: fields \d+ packets in/);
      const ms = node([MS, '-r', path.join(FIX, f), '-Y', 'tcp', '-T', 'fields', ...FIELDS.flatMap((x) => ['-e', x])]);
      expect(ms.code).toBe(0);
      const want = ms.out.trim().split('\n');
      // the floor prints every packet; its TCP lines (ip.src present) hold the first 9 values
      const got = fl.out.trim().split('\n').filter((l) => l.split('\t')[2] !== '').map((l) => l.split('\t').slice(0, 9).join('\t'));
      expect(want.length).toBeGreaterThan(10);
      expect(got).toEqual(want);
    }
  });

  it.skipIf(!hasDist)('summary lines: the same text as minishark up to Win= for TCP packets', () => {
    const fl = node([FLOOR, path.join(FIX, 'echo-veth.pcap'), '--summary']).out.trim().split('\n');
    const ms = node([MS, '-r', path.join(FIX, 'echo-veth.pcap')]).out.trim().split('\n');
    expect(fl).toHaveLength(ms.length);
    const upToWin = (l: string) => l.slice(0, l.indexOf(' Win='));
    const tcp = ms.map((l, i) => [l, fl[i]!] as const).filter(([l]) => / TCP /.test(l));
    expect(tcp).toHaveLength(11);
    for (const [m, f] of tcp) expect(upToWin(f)).toBe(upToWin(m));
  });

  it.skipIf(!hasDist)('conversation totals equal minishark -z conv,tcp', () => {
    const fl = node([FLOOR, path.join(FIX, 'echo-veth.pcap'), '--conv']).out;
    // "A:p <-> B:q frames bytes frames bytes frames bytes"
    expect(fl).toMatch(/^10\.99\.0\.1:51454 <-> 10\.99\.0\.2:20000 5 340 6 406 11 746$/m);
    const ms = node([MS, '-r', path.join(FIX, 'echo-veth.pcap'), '-q', '-z', 'conv,tcp']).out;
    expect(ms).toMatch(/10\.99\.0\.1:51454\s+<-> 10\.99\.0\.2:20000\s+5 340 bytes\s+6 406 bytes\s+11 746 bytes/);
  });

  it.skipIf(!hasDist)('writes JSON lines with about as many values as minishark -T jsonl', () => {
    const leaves = (v: unknown): number => (v !== null && typeof v === 'object' ? Object.values(v).reduce((a: number, x) => a + leaves(x), 0) : 1);
    const fl = node([FLOOR, path.join(FIX, 'bulk4096.pcap'), '--jsonl']).out.trim().split('\n').map((l) => JSON.parse(l));
    const ms = node([MS, '-r', path.join(FIX, 'bulk4096.pcap'), '-T', 'jsonl']).out.trim().split('\n').map((l) => JSON.parse(l));
    expect(fl).toHaveLength(13);
    for (let i = 0; i < 13; i++) {
      expect(fl[i].tcp.srcport).toBe(ms[i].tcp.srcport);
      expect(fl[i].tcp.seq).toBe(ms[i].tcp.seq);
      // a data segment: minishark's line has no more than 1.25x the floor's values
      if (ms[i].tcp.len > 0) expect(leaves(ms[i]) / leaves(fl[i])).toBeLessThan(1.25);
      expect(leaves(fl[i])).toBeGreaterThan(80);
    }
  });

  it('refuses a missing mode (exit 1) and ends quietly when its reader goes away', () => {
    expect(node([FLOOR, path.join(FIX, 'bulk4096.pcap')]).code).toBe(1);
    const r = spawnSync('sh', ['-c', `${process.execPath} ${FLOOR} ${path.join(FIX, 'bulk4096.pcap')} --summary | head -1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toMatch(/^\s+1 /);
    expect(r.stderr).not.toMatch(/Error|EPIPE/);
  });
});
