// Unit tests of the -z machinery that need no tshark: number formatting exactly as tshark's printf,
// argument parsing and its tshark-worded errors, the "unreferenced fields" behaviour of io,stat and
// io,phs, draw order, bounded state, and the progress line.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { compileFilter } from '../src/filter/index.js';
import { openCapture } from '../src/io/reader.js';
import { drawStats, parseStat, parseStats, Progress, StatError, statFields, type Stat } from '../src/stats/index.js';
import fc from 'fast-check';
import { cFixed, cFixedExact, formatBytes } from '../src/stats/util.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');

async function packets(file: string, fields: Stat[] = []): Promise<Packet[]> {
  const eng = new Engine({ full: true, fields: statFields(fields), columns: false });
  const out: Packet[] = [];
  for await (const rec of await openCapture(path.join(FIXTURES, file))) out.push(eng.dissect(rec));
  return out;
}

function text(stats: Stat[], pkts: Packet[]): string {
  for (const p of pkts) for (const s of stats) s.packet(p);
  let t = '';
  drawStats(stats, (s) => (t += s));
  return t;
}

function statError(f: () => unknown): StatError {
  try {
    f();
  } catch (e) {
    if (e instanceof StatError) return e;
    throw e;
  }
  throw new Error('no StatError thrown');
}

describe('printf-exact number formatting', () => {
  it('the fast way (toFixed off exact ties) gives what the exact expansion gives', () => {
    // doubles of every magnitude, times as the tables print them, and exact ties (k + 0.5) / 2^j
    const doubles = fc.oneof(
      fc.double({ min: 0, max: 1e22, noNaN: true }),
      fc.integer({ min: 0, max: 2_000_000_000 }).chain((s) => fc.integer({ min: 0, max: 999_999_999 }).map((ns) => s + ns / 1e9)),
      fc.tuple(fc.integer({ min: 0, max: 1 << 20 }), fc.integer({ min: 1, max: 12 })).map(([k, j]) => (k + 0.5) / 2 ** j),
    );
    fc.assert(fc.property(doubles, fc.integer({ min: 0, max: 12 }), (x, n) => cFixed(x, n) === cFixedExact(x, n)), { numRuns: 20000 });
    for (const x of [0.03125, 0.09375, 2.5, 3.5, 0.125, 1e21, 1e-7]) for (let n = 0; n <= 9; n++) expect(cFixed(x, n)).toBe(cFixedExact(x, n));
  });

  it('cFixed rounds the binary value half-to-even like glibc', () => {
    expect(cFixed(0.03125, 4)).toBe('0.0312');
    expect(cFixed(0.09375, 4)).toBe('0.0938');
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(3.5, 0)).toBe('4');
    expect(cFixed(0.1513, 4)).toBe('0.1513');
    expect(cFixed(0.000043, 9)).toBe('0.000043000');
    // a relative start of 1340954905.298858 s as a double: the last digits are the double's
    expect(cFixed(1340954905 + 0.298858, 9)).toBe('1340954905.298857927');
    expect(cFixed(-2.5, 1)).toBe('-2.5');
    expect(cFixed(0, 4)).toBe('0.0000');
  });

  it('formatBytes is format_size(SI) in the C locale', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(404)).toBe('404 bytes');
    expect(formatBytes(9999)).toBe('9999 bytes');
    expect(formatBytes(10000)).toBe('10 kB');
    expect(formatBytes(217472)).toBe('217 kB');
    expect(formatBytes(9_999_999)).toBe('9999 kB');
    expect(formatBytes(12_345_678)).toBe('12 MB');
    expect(formatBytes(98_765_432_109)).toBe('98 GB');
    expect(formatBytes(4566, true)).toBe('4,566 bytes');
    expect(formatBytes(12_345_678, true)).toBe('12 MB');
    expect(formatBytes(1_234_567_890_123_456, true)).toBe('1,234 TB');
  });
});

describe('-z argument errors, worded as tshark', () => {
  it('unknown statistics list what is available', () => {
    const e = statError(() => parseStat('bogus'));
    expect(e.message.split('\n')[0]).toBe('Invalid -z argument "bogus"; it must be one of:');
    expect(e.message).toContain('\n     conv,tcp\n');
    expect(e.exitCode).toBe(1);
  });

  it('a known statistic with a missing or unknown type says which, how it is written, and an example', () => {
    const e = statError(() => parseStat('conv,foo'));
    expect([e.message, e.exitCode]).toEqual(['-z conv,foo: "foo" is not a type of conv (eth, ip, ipv6, tcp or udp); use -z conv,TYPE[,FILTER], e.g. -z conv,tcp', 1]);
    expect(statError(() => parseStat('io')).message).toBe('-z io: the type is missing (phs or stat); use -z io,phs[,FILTER] or -z io,stat,INTERVAL[,FILTER…], e.g. -z io,stat,1');
    expect(statError(() => parseStat('seqgraph,tcp')).message).toBe('-z seqgraph,tcp: the TCP stream number is missing; use -z seqgraph,tcp,STREAM[,FILE.svg], e.g. -z seqgraph,tcp,0');
  });

  it('io,stat', () => {
    expect(statError(() => parseStat('io,stat')).message).toBe('invalid "-z io,stat,<interval>[,<filter>][,<filter>]..." argument');
    expect(statError(() => parseStat('io,stat,x')).message).toBe('invalid "-z io,stat,<interval>[,<filter>][,<filter>]..." argument');
    expect(statError(() => parseStat('io,stat,1,')).message).toBe('invalid "-z io,stat,<interval>[,<filter>][,<filter>]..." argument');
    let e = statError(() => parseStat('io,stat,1,COUNT(nosuch.field)'));
    expect([e.message, e.exitCode]).toEqual(["There is no field named 'nosuch.field'.", 10]);
    e = statError(() => parseStat('io,stat,1,SUM(tcp.flags.str)'));
    expect([e.message, e.exitCode]).toEqual(["tcp.flags.str doesn't have integral values, so SUM(*) calculations are not supported on it.", 10]);
    expect(statError(() => parseStat('io,stat,1,SUM()')).message).toBe("You didn't specify a field name for SUM(*).");
    expect(statError(() => parseStat('io,stat,1,SUM(tcp.len')).message).toBe('Closing parenthesis missing from calculated expression.');
    expect(statError(() => parseStat('io,stat,1,BYTES(tcp.len)')).message).toBe('BYTES does not require or allow a field name within the parens.');
    expect(statError(() => parseStat('io,stat,1,tcp.len>', { compileFilter })).message).toBe(
      'Couldn\'t register io,stat tap: Filter "tcp.len>" is invalid - Unexpected end of filter expression.',
    );
  });

  it('tap filters and follow', () => {
    expect(statError(() => parseStat('conv,tcp,tcp.len>', { compileFilter })).message).toBe(
      'Couldn\'t register conversations tap: Filter "tcp.len>" is invalid - Unexpected end of filter expression.',
    );
    expect(statError(() => parseStat('io,phs,tcp.len>', { compileFilter })).message).toBe(
      'Couldn\'t register io,phs tap: Filter "tcp.len>" is invalid - Unexpected end of filter expression.',
    );
    expect(statError(() => parseStat('follow,tcp')).message).toBe('follow - Invalid display mode.');
    expect(statError(() => parseStat('follow,tcp,ascii,x')).message).toBe('follow - Invalid address.');
    expect(statError(() => parseStat('follow,tcp,ascii,0,5-2')).message).toBe('follow - Invalid range value.');
    expect(statError(() => parseStat('follow,tcp,ascii,0,1x')).message).toBe('follow - Invalid parameter.');
    expect(statError(() => parseStat('follow,udp,hex,1.2.3.4:70000,5.6.7.8:1')).message).toBe('follow - Invalid port.');
  });
});

describe('conversation tables on halfclose.pcap (values from the packets themselves)', () => {
  it('one TCP conversation: A is the SYN sender, -> counts A→B, <- B→A, totals are every TCP frame', async () => {
    const stats = parseStats(['conv,tcp', 'endpoints,tcp']);
    const pkts = await packets('halfclose.pcap', stats);
    const tcp = pkts.filter((p) => p.tcp);
    const a = `${tcp[0]!.tcp!.srcPort}`;
    const aToB = tcp.filter((p) => String(p.tcp!.srcPort) === a);
    const bytes = (ps: Packet[]) => ps.reduce((n, p) => n + p.rec.origLen, 0);
    const out = text(stats, pkts);
    const row = out.split('\n').find((l) => l.includes('<->'))!;
    const cells = row.replace(/ bytes/g, '').split(/\s+/);
    // A:port <-> B:port  rxFrames rxBytes txFrames txBytes total totalBytes start duration
    expect(cells[0]).toBe(`10.99.0.1:${a}`);
    expect(cells.slice(3, 9).map(Number)).toEqual([
      tcp.length - aToB.length,
      bytes(tcp) - bytes(aToB),
      aToB.length,
      bytes(aToB),
      tcp.length,
      bytes(tcp),
    ]);
    // endpoints print after conversations were drawn (reverse order) — check the draw order
    expect(out.indexOf('TCP Endpoints')).toBeLessThan(out.indexOf('TCP Conversations'));
  });

  it('state stays per conversation: 2000 packets of one flow make one row', async () => {
    const pkts = await packets('loss.pcap');
    const s = parseStat('conv,ip');
    for (let i = 0; i < 8; i++) for (const p of pkts) s.packet(p);
    let t = '';
    s.finish((x) => (t += x));
    expect(t.split('\n').filter((l) => l.includes('<->'))).toHaveLength(1);
    expect(t).toContain(`  ${String(pkts.length * 8).padStart(6)} `);
  });
});

describe('TCP and UDP conversation taps keep no field', () => {
  it('the stream index comes from the segment: a run keeping no field (and no analysis) draws the same tables', async () => {
    const args = ['conv,tcp', 'endpoints,tcp', 'conv,udp', 'endpoints,udp'];
    expect(statFields(parseStats(args))).toEqual([]);
    for (const file of ['port-reuse.pcap', 'loss.pcap', 'echo-veth.pcap', 'udp-frag.pcap', 'mixed-linktypes.pcapng']) {
      const whole = parseStats(args);
      const lean = parseStats(args);
      const full = new Engine({ full: true, columns: false });
      const bare = new Engine({ full: false, fields: [], columns: false, analysis: false });
      const a: Packet[] = [];
      const b: Packet[] = [];
      for await (const rec of await openCapture(path.join(FIXTURES, file))) {
        a.push(full.dissect(rec));
        b.push(bare.dissect(rec));
      }
      expect(b.some((p) => p.tcp && p.tcp.layer.fields.length)).toBe(false);
      const t = text(lean, b);
      expect(t, file).toBe(text(whole, a));
      expect(t).toMatch(/<->/);
    }
  });
});

describe("tshark's unreferenced fields", () => {
  it('io,stat MIN(tcp.window_size) reads zero unless a filter, -Y or -e names the field', async () => {
    const pkts = await packets('halfclose.pcap');
    const alone = text(parseStats(['io,stat,0,MIN(tcp.window_size)']), pkts);
    const viaY = text(parseStats(['io,stat,0,MIN(tcp.window_size)'], { referenced: ['tcp.window_size'] }), pkts);
    const viaTap = text(parseStats(['io,stat,0,MIN(tcp.window_size)', 'io,stat,0,tcp.window_size > 0'], { compileFilter }).slice(0, 1), pkts);
    const real = text(parseStats(['io,stat,0,MIN(tcp.window_size)'], { fakeUnreferenced: false }), pkts);
    const minOf = (t: string) => Number(/\| 0\.000 <> 0\.\d+ \|\s+(\d+) \|/.exec(t)![1]);
    const wins = pkts.flatMap((p) => (typeof p.tcp?.nodes.windowSize?.value === 'number' ? [p.tcp.nodes.windowSize.value] : []));
    expect(minOf(alone)).toBe(0);
    expect(minOf(viaY)).toBe(Math.min(...wins));
    expect(minOf(viaTap)).toBe(Math.min(...wins));
    expect(minOf(real)).toBe(Math.min(...wins));
  });

  it('io,phs shows a frame level only when a frame field is referenced (or with -V)', async () => {
    const pkts = await packets('halfclose.pcap');
    expect(text(parseStats(['io,phs']), pkts)).toMatch(/\n\neth {38}frames:14 /);
    expect(text(parseStats(['io,phs'], { referenced: ['frame.len'] }), pkts)).toMatch(/\n\nframe {36}frames:14 .*\n  eth /);
    expect(text(parseStats(['io,phs'], { treeVisible: true }), pkts)).toMatch(/\n\nframe /);
  });
});

describe('progress line', () => {
  it('draws on a TTY at most every interval and erases itself; silent otherwise', () => {
    let now = 0;
    const tty = { isTTY: true, columns: 200, out: '', write(s: string) { this.out += s; } };
    const p = new Progress(tty, { now: () => now, intervalMs: 250 });
    p.update(1000, 10);
    expect(tty.out).toBe('');
    now = 1000;
    p.update(12_345_678, 45678);
    expect(tty.out).toBe('\r\x1b[2Kminishark: 12.3 MB read, 45,678 packets, 45,678 packets/s');
    now = 1100;
    p.update(20_000_000, 50000);
    expect(tty.out.split('\r').length).toBe(2);
    p.done();
    expect(tty.out.endsWith('\r\x1b[2K')).toBe(true);
    const pipe = { isTTY: false, out: '', write(s: string) { this.out += s; } };
    const q = new Progress(pipe, { now: () => now });
    now = 5000;
    q.update(1, 1);
    q.done();
    expect(pipe.out).toBe('');
    expect(new Progress(pipe, { total: 2_000_000, now: () => 0 }).line(1_000_000, 10, 2000)).toBe('minishark: 1.00 MB read of 2.00 MB (50%), 10 packets, 5 packets/s');
  });
});
