// -T json / -T jsonl: the key rules, typed values, -e, one type per key, and jq one-liners run through jq.
// (Every object against the JSON Schema file: test/json-schema.test.ts; one type per key over every
// capture: test/json-types.test.ts.)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { lookupField } from '../src/core/field.js';
import '../src/dissectors/index.js';
import { isoTime, jsonGroups } from '../src/output/json.js';
// @ts-expect-error plain JS helpers
import { fixtures, ROOT, runCli } from './golden/cases.mjs';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const hasJq = spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' }).status === 0;
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

async function jsonl(file: string, extra: string[] = []): Promise<J[]> {
  const r = await runCli(main, ['-r', file, '-T', 'jsonl', ...extra]);
  expect(r.code).toBe(0);
  return r.out.split('\n').filter(Boolean).map((l: string) => JSON.parse(l));
}

describe('keys and values', () => {
  it('follow the filter names; a valued parent keeps its value under _value; hidden fields are left out', async () => {
    const ps = await jsonl('fixtures/echo-veth.pcap');
    const syn = ps.find((p) => p.tcp?.flags?.syn === true && p.tcp.flags.ack === false)!;
    expect(syn.schema).toBe(2);
    expect(syn.frame.protocols).toBe('eth:ethertype:ip:tcp');
    // ip and eth can follow themselves (IP in IP, Ethernet in Ethernet): arrays of layers, even of one
    expect(syn.ip).toHaveLength(1);
    expect(syn.ip[0].src).toBe('10.99.0.1');
    expect(syn.ip[0].dst).toBe('10.99.0.2');
    expect(syn.ip[0].ttl).toBe(64);
    expect(syn.ip[0].proto).toBe(6);
    expect(syn.tcp.flags._value).toBe(0x002);
    expect(syn.tcp.flags.str).toBe('··········S·');
    expect(syn.tcp.dstport).toBe(20000);
    expect(syn.tcp.connection.syn).toBe(true);
    expect(syn.eth[0].dst._value).toMatch(/^02:00:0a:63:00:0[12]$/);
    expect(syn.eth[0].dst.lg).toBe(true);
    expect(syn.ip[0].flags.df).toBe(true);
    expect(syn.tcp.options.mss_val).toBe(1460);
    expect(syn.tcp.options.sack_perm).toBe('0402');
    expect(syn.tcp.option_kind).toEqual([2, 4, 8, 1, 3]);
    expect(syn.tcp.options.nop).toEqual(['01']); // repeating: an array even of one
    // hidden fields: not in JSON (unless named with -e)
    expect(syn.tcp.port).toBeUndefined();
    expect(syn.ip[0].addr).toBeUndefined();
    expect(syn.ip[0].host).toBeUndefined();
    // times: strings with 9 decimals / ISO 8601 with nanoseconds
    expect(syn.frame.time_relative).toMatch(/^0\.\d{9}$/);
    expect(syn.frame.time_epoch).toMatch(/^\d{10}\.\d{9}$/);
    expect(syn.frame.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(syn.frame.time.slice(20, 29)).toBe(syn.frame.time_epoch.slice(11));
    expect(syn._ws.expert[0]).toMatchObject({ field: 'tcp.connection.syn', severity: 'chat', group: 'Sequence', protocol: 'tcp' });
  });

  it('groups come from the registry, not from one packet', () => {
    const g = jsonGroups();
    expect(g.has('tcp.flags')).toBe(true); // tcp.flags.syn ...
    expect(g.has('eth.dst')).toBe(true); // eth.dst.lg
    expect(g.has('tcp.seq')).toBe(false);
    expect(g.has('ip.src')).toBe(false);
    expect(g.has('tcp.ack')).toBe(false); // only the value-less expert tcp.ack.nonzero is below it
    expect(lookupField('tcp.ack.nonzero')?.type).toBe('none');
  });

  it('time values never go through a float', () => {
    expect(isoTime({ sec: 1795325006, nsec: 528759001 })).toBe('2026-11-22T05:23:26.528759001Z');
  });

  it('-e keeps only the named fields (and columns under _ws.col)', async () => {
    const ps = await jsonl('fixtures/echo-veth.pcap', ['-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.flags.syn', '-e', '_ws.col.Info', '-e', '_ws.col.No.']);
    expect(ps.length).toBeGreaterThan(5);
    for (const p of ps) {
      expect(Object.keys(p.frame)).toEqual(['number']);
      expect(p._ws.col['No.']).toBe(String(p.frame.number));
      expect(typeof p._ws.col.Info).toBe('string');
      if (p.ip) expect(Object.keys(p.ip[0])).toEqual(['src']);
      if (p.tcp) expect(p.tcp).toEqual({ flags: { syn: expect.any(Boolean) } });
      expect(p.eth).toBeUndefined();
    }
  });

  it('-e with a protocol keeps that whole layer', async () => {
    const ps = await jsonl('fixtures/echo-veth.pcap', ['-e', 'ip', '-c', '3']);
    expect(ps[2].ip[0].src).toBe('10.99.0.1');
    expect(ps[2].ip[0].flags._value).toBe(2);
    expect(ps[2].ip[0].addr).toBeUndefined(); // a whole layer: its hidden fields stay out
    expect(ps[2].tcp).toBeUndefined();
    expect(ps[2].frame).toBeUndefined();
  });

  it('layers quoted in an ICMP error nest under .icmp', async () => {
    const ps = await jsonl('fixtures/icmp-unreach.pcap');
    const err = ps.find((p) => p.icmp && p.icmp.type === 3)!;
    expect(typeof err.icmp.ip[0].src).toBe('string');
    expect(typeof err.ip[0].src).toBe('string');
    expect(err.icmp.ip[0].dst).toBe(err.ip[0].src);
  });
});

describe('one type per key (schema 2)', () => {
  it('-e names hidden fields too, with their values (tshark -T json -e keeps them)', async () => {
    const ps = await jsonl('fixtures/echo-veth.pcap', ['-e', 'tcp.port', '-e', 'ip.addr']);
    const rows = (await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-T', 'fields', '-E', 'aggregator=,', '-e', 'tcp.port', '-e', 'ip.addr'])).out.replace(/\n$/, '').split('\n');
    expect(ps.length).toBe(rows.length);
    ps.forEach((p, i) => {
      const [port, addr] = rows[i]!.split('\t');
      expect(p.tcp?.port?.join(',') ?? '').toBe(port);
      expect(p.ip?.[0].addr.join(',') ?? '').toBe(addr);
    });
    expect(ps[2]).toEqual({ schema: 2, ip: [{ addr: ['10.99.0.1', '10.99.0.2'] }], tcp: { port: [expect.any(Number), 20000] } });
  });

  it('a repeating field is an array in every packet, a single one never (loss.pcap: tcp.option_len, tcp.options.nop)', async () => {
    const ps = await jsonl('fixtures/loss.pcap');
    const withOpts = ps.filter((p) => p.tcp?.option_len);
    expect(withOpts.length).toBeGreaterThan(250);
    for (const p of withOpts) {
      expect(Array.isArray(p.tcp.option_len)).toBe(true);
      expect(Array.isArray(p.tcp.options.nop)).toBe(true);
      expect(Array.isArray(p.tcp.seq)).toBe(false);
    }
    // SYN (4 options with a length) and data segments (one: timestamps) alike
    expect(new Set(withOpts.map((p) => p.tcp.option_len.length))).toEqual(new Set([1, 2, 4]));
  });
});

describe('-T json and -T jsonl framing', () => {
  it('json is one array with the same objects as jsonl', async () => {
    const a = await runCli(main, ['-r', 'fixtures/udp-frag.pcap', '-T', 'json']);
    const arr = JSON.parse(a.out);
    expect(arr).toEqual(await jsonl('fixtures/udp-frag.pcap'));
    expect(arr.length).toBe(readFileSync(path.join(ROOT, 'test/golden/summary/udp-frag.pcap.txt'), 'utf8').split('\n').length - 1);
  });

  it('an empty capture gives an empty array', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'minishark-json-'));
    const f = path.join(dir, 'empty.pcap');
    writeFileSync(f, readFileSync(path.join(ROOT, 'fixtures/echo-veth.pcap')).subarray(0, 24));
    const r = await runCli(main, ['-r', f, '-T', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
  });

  it('a capture cut short still gives valid JSON (the packets before the cut) and exit code 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'minishark-json-'));
    const f = path.join(dir, 'cut.pcap');
    const b = readFileSync(path.join(ROOT, 'fixtures/echo-veth.pcap'));
    writeFileSync(f, b.subarray(0, b.length - 10));
    const r = await runCli(main, ['-r', f, '-T', 'json']);
    expect(r.code).toBe(2);
    const arr = JSON.parse(r.out);
    expect(arr.length).toBeGreaterThan(5);
    expect(r.err).toContain('cut short');
  });

  it('jsonl from a live pipe: a packet is written as soon as its bytes arrive, not at the end', async () => {
    // output is buffered, but flushed after every read: feed one record, see its line, then the rest
    const b = readFileSync(path.join(ROOT, 'fixtures/echo-veth.pcap'));
    const first = 24 + 16 + b.readUInt32LE(24 + 8);
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/minishark.js'), '-r', '-', '-T', 'jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stdin.write(b.subarray(0, first));
    const t0 = Date.now();
    while (!out.includes('\n') && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
    // the first packet is out while the input is still open
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(out.split('\n')[0]!).frame.number).toBe(1);
    child.stdin.end(b.subarray(first));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out.split('\n').filter(Boolean).length).toBeGreaterThan(10);
  });
});

// ---- jq one-liners (the README's examples), answers checked against -T fields ----
export const JQ = {
  conversations:
    '[.[] | select(.tcp) | {a: "\\((.ip // .ipv6)[-1].src):\\(.tcp.srcport)", b: "\\((.ip // .ipv6)[-1].dst):\\(.tcp.dstport)", len: .frame.len}] | group_by([.a, .b] | sort) | map({conversation: ([.[0].a, .[0].b] | sort | join(" <-> ")), packets: length, bytes: (map(.len) | add)})',
  syns: 'select(.tcp.flags.syn and (.tcp.flags.ack | not)) | .frame.number',
  retransmissions: 'map(select(.tcp.analysis.retransmission)) | group_by(.tcp.stream) | map({stream: .[0].tcp.stream, retransmissions: length, frames: map(.frame.number)})',
  bytesPerStream: 'map(select(.tcp)) | group_by(.tcp.stream) | map({stream: .[0].tcp.stream, packets: length, bytes: (map(.frame.len) | add)})',
  experts: '._ws.expert[]? | "\\(.severity)\\t\\(.field)\\t\\(.message)"',
};

function jq(args: string[], input: string): string {
  return execFileSync('jq', args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** -T fields rows from tshark (when installed: the true answers) or from minishark */
async function fieldRows(file: string, fields: string[]): Promise<string[][]> {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', ...fields.flatMap((f) => ['-e', f])];
  let out: string;
  if (hasTshark) {
    out = await new Promise<string>((resolve) => {
      const p = spawn(path.join(ROOT, 'scripts', 'tshark-ref'), args, { stdio: ['ignore', 'pipe', 'ignore'] });
      const c: Buffer[] = [];
      p.stdout.on('data', (d: Buffer) => c.push(d));
      p.on('close', () => resolve(Buffer.concat(c).toString('utf8')));
    });
  } else out = (await runCli(main, args)).out;
  return out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
}

describe.skipIf(!hasJq)('jq one-liners (skipped when jq is not installed)', () => {
  it.each(['port-reuse.pcap', 'echo-ipv6.pcap', 'halfclose.pcap'])('bytes per conversation (%s)', async (f) => {
    const out = (await runCli(main, ['-r', `fixtures/${f}`, '-T', 'jsonl'])).out;
    const got = JSON.parse(jq(['-s', '-c', JQ.conversations], out));
    const rows = await fieldRows(`fixtures/${f}`, ['frame.len', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport']);
    const want = new Map<string, { packets: number; bytes: number }>();
    for (const [len, s4, s6, d4, d6, sp, dp] of rows) {
      if (!sp) continue;
      const key = [`${s4 || s6}:${sp}`, `${d4 || d6}:${dp}`].sort().join(' <-> ');
      const e = want.get(key) ?? { packets: 0, bytes: 0 };
      e.packets++;
      e.bytes += Number(len);
      want.set(key, e);
    }
    expect(want.size).toBeGreaterThan(0);
    expect(new Map(got.map((c: J) => [c.conversation, { packets: c.packets, bytes: c.bytes }]))).toEqual(want);
  });

  it.each(['echo-veth.pcap', 'port-reuse.pcap', 'rst-closed-port.pcap'])('connection attempts: SYN without ACK (%s)', async (f) => {
    const out = (await runCli(main, ['-r', `fixtures/${f}`, '-T', 'jsonl'])).out;
    const got = jq([JQ.syns], out).trim().split('\n').filter(Boolean).map(Number);
    const rows = await fieldRows(`fixtures/${f}`, ['frame.number', 'tcp.flags.syn', 'tcp.flags.ack']);
    const want = rows.filter(([, s, a]) => s === '1' && a === '0').map(([n]) => Number(n));
    expect(want.length).toBeGreaterThan(0);
    expect(got).toEqual(want);
  });

  it("the issue's `.tcp.option_len[]`: an array in every packet that has it (loss.pcap)", async () => {
    const out = (await runCli(main, ['-r', 'fixtures/loss.pcap', '-T', 'jsonl'])).out;
    // with schema 1 this failed with "Cannot iterate over number" on the data segments
    const got = jq(['select(.tcp.option_len) | .tcp.option_len[]'], out).trim().split('\n').map(Number);
    const rows = await fieldRows('fixtures/loss.pcap', ['tcp.option_len']);
    const want = rows.flatMap(([v]) => (v ? v.split(',').map(Number) : []));
    expect(want.length).toBeGreaterThan(300);
    expect(got).toEqual(want);
  });

  it('expert items, one per line', async () => {
    const out = (await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-T', 'jsonl'])).out;
    const got = jq(['-r', JQ.experts], out).trim().split('\n');
    const mine = (await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-T', 'fields', '-E', 'aggregator=|', '-e', '_ws.expert.message'])).out;
    const messages = mine.split('\n').filter(Boolean).flatMap((l: string) => l.split('|'));
    expect(got.map((l) => l.split('\t')[2])).toEqual(messages);
    expect(got[0]).toMatch(/^chat\ttcp\.connection\.syn\tConnection establish request \(SYN\): server port \d+$/);
  });

  // these read the TCP conversation tracker's fields (tcp.stream, tcp.analysis.*)
  it('retransmissions per stream (loss.pcap)', async () => {
    const out = (await runCli(main, ['-r', 'fixtures/loss.pcap', '-T', 'jsonl'])).out;
    const got = JSON.parse(jq(['-s', '-c', JQ.retransmissions], out));
    const rows = await fieldRows('fixtures/loss.pcap', ['frame.number', 'tcp.stream', 'tcp.analysis.retransmission']);
    const want = new Map<number, number[]>();
    for (const [n, s, r] of rows) if (r) want.set(Number(s), [...(want.get(Number(s)) ?? []), Number(n)]);
    expect(want.size).toBeGreaterThan(0);
    expect(new Map(got.map((g: J) => [g.stream, g.frames]))).toEqual(want);
  });

  it('bytes per TCP stream (port-reuse.pcap: two streams on one 4-tuple)', async () => {
    const out = (await runCli(main, ['-r', 'fixtures/port-reuse.pcap', '-T', 'jsonl'])).out;
    const got = JSON.parse(jq(['-s', '-c', JQ.bytesPerStream], out));
    const rows = await fieldRows('fixtures/port-reuse.pcap', ['tcp.stream', 'frame.len']);
    const want = new Map<number, number>();
    for (const [s, len] of rows) if (s) want.set(Number(s), (want.get(Number(s)) ?? 0) + Number(len));
    expect(want.size).toBe(2);
    expect(new Map(got.map((g: J) => [g.stream, g.bytes]))).toEqual(want);
  });
});
