// UDP on real bytes: fixtures/udp-frag.pcap (a 10240-byte datagram in seven fragments) and
// icmp-unreach.pcap (a datagram quoted in an ICMP error), frames built here for the length and
// checksum cases, each checked against what tshark 4.0 prints, and a differential run against
// tshark (scripts/tshark-ref) when it is installed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fold, pseudoSum, sum16 } from '../src/core/checksum.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine, type EngineOptions } from '../src/dissect/engine.js';
import { timeSub } from '../src/dissect/state.js';
import { shouldBe } from '../src/dissectors/udp.js';
import { formatRelTime } from '../src/output/format.js';
import { CORPUS, FIXTURES, compareRows, hasCorpus, hasTshark, minisharkRows, pool, tsharkRows } from './helpers/reference.js';
import { col, dissectFile, nodes, protos, text, val } from './helpers/packets.js';

const A = [10, 0, 0, 1];
const B = [10, 0, 0, 2];
function ip4(payload: Uint8Array, o: { proto?: number; flags?: number; off?: number; tot?: number; id?: number } = {}): Uint8Array {
  const h = new Uint8Array(20);
  const tot = o.tot ?? 20 + payload.length;
  const ff = ((o.flags ?? 0) << 13) | ((o.off ?? 0) >> 3);
  h.set([0x45, 0, tot >> 8, tot & 255, 0, o.id ?? 1, ff >> 8, ff & 255, 64, o.proto ?? 17, 0, 0, ...A, ...B]);
  const c = fold(sum16(h, 0, 20));
  h[10] = c >> 8;
  h[11] = c & 255;
  return Uint8Array.from([...h, ...payload]);
}
/** a UDP datagram with a correct checksum over IPv4 A → B (or the given checksum) */
function udp(sp: number, dp: number, data: number[], o: { len?: number; cksum?: number; src?: number[]; dst?: number[] } = {}): Uint8Array {
  const len = o.len ?? 8 + data.length;
  const u = Uint8Array.from([sp >> 8, sp & 255, dp >> 8, dp & 255, len >> 8, len & 255, 0, 0, ...data]);
  const c = o.cksum ?? (fold(pseudoSum(Uint8Array.from(o.src ?? A), Uint8Array.from(o.dst ?? B), 17, u.length) + sum16(u, 0, u.length)) || 0xffff);
  u[6] = c >> 8;
  u[7] = c & 255;
  return u;
}
const eth = (payload: Uint8Array, type = 0x0800) => Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, type >> 8, type & 255, ...payload]);
const S6 = Uint8Array.from([0xfd, 0, 0, 0x99, ...new Array(11).fill(0), 1]);
const D6 = Uint8Array.from([0xfd, 0, 0, 0x99, ...new Array(11).fill(0), 2]);
const ip6 = (payload: Uint8Array) => Uint8Array.from([0x60, 0, 0, 0, payload.length >> 8, payload.length & 255, 17, 64, ...S6, ...D6, ...payload]);
const rec = (num: number, data: Uint8Array, origLen = data.length): PacketRecord =>
  ({ num, ts: { sec: 1700000000 + num, nsec: 0 }, capLen: data.length, origLen, linkType: 1, interfaceId: 0, data, fileOffset: 0 });

function pcap(frames: Array<Uint8Array | [Uint8Array, number]>): Buffer {
  const parts: Buffer[] = [Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex')];
  frames.forEach((f, i) => {
    const [d, orig] = f instanceof Uint8Array ? [f, f.length] : f;
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1700000000 + i, 0);
    r.writeUInt32LE(1000 * i, 4);
    r.writeUInt32LE(d.length, 8);
    r.writeUInt32LE(orig, 12);
    parts.push(r, Buffer.from(d));
  });
  return Buffer.concat(parts);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-udp-'));

function dissectFrames(frames: Array<Uint8Array | [Uint8Array, number]>, opts: EngineOptions = {}): Packet[] {
  const eng = new Engine({ full: true, columns: true, ...opts });
  return frames.map((f, i) => (f instanceof Uint8Array ? eng.dissect(rec(i + 1, f)) : eng.dissect(rec(i + 1, f[0], f[1]))));
}
const experts = (p: Packet) => p.expert.map((e) => e.message);
const fixture = (f: string) => path.join(FIXTURES, f);

describe('fixtures', () => {
  it('udp-frag.pcap: the reassembled datagram and the reply share stream 0 and its timestamps', async () => {
    const ps = await dissectFile(fixture('udp-frag.pcap'));
    const [big, reply] = [ps[6]!, ps[7]!];
    expect([val(big, 'udp.length'), val(big, 'udp.stream'), val(big, 'data.len')]).toEqual(['10248', '0', '10240']);
    expect(text(big, 'udp.payload')).toEqual(['UDP payload (10240 bytes)']);
    expect(val(big, 'udp.time_relative')).toBe('0.000000000');
    expect(text(big, 'text')).toContain('Timestamps');
    const len = Buffer.from(reply.rec.data.buffer, reply.rec.data.byteOffset, reply.rec.data.length).readUInt16BE(38);
    expect([val(reply, 'udp.stream'), val(reply, 'udp.length'), val(reply, 'data.len')]).toEqual(['0', String(len), String(len - 8)]);
    const rel = timeSub(reply.rec.ts, big.rec.ts);
    expect([val(reply, 'udp.time_relative'), val(reply, 'udp.time_delta')]).toEqual([formatRelTime(rel), formatRelTime(rel)]);
    expect(col(reply, 'Info')).toBe(`${Buffer.from(reply.rec.data.buffer, reply.rec.data.byteOffset, reply.rec.data.length).readUInt16BE(34)} \u2192 ${Buffer.from(reply.rec.data.buffer, reply.rec.data.byteOffset, reply.rec.data.length).readUInt16BE(36)} Len=${len - 8}`);
    expect(text(reply, 'udp.checksum')[0]).toMatch(/^Checksum: 0x[0-9a-f]{4} \[unverified\]$/);
    expect(val(reply, 'udp.checksum.status')).toBe('2');
  });

  it('icmp-unreach.pcap: the quoted datagram finds the conversation of the datagram it quotes', async () => {
    const ps = await dissectFile(fixture('icmp-unreach.pcap'));
    expect(val(ps[0]!, 'udp.stream')).toBe('0');
    const q = ps[1]!;
    const u = q.layers.find((l) => l.proto === 'udp')!;
    expect(u.inner).toBe(true);
    expect([val(q, 'udp.stream'), val(q, 'udp.srcport'), val(q, 'udp.dstport')]).toEqual(['0', val(ps[0]!, 'udp.srcport'), val(ps[0]!, 'udp.dstport')]);
    // no timestamps for a quoted datagram, the columns stay the ICMP's
    expect(nodes(q, 'udp.time_relative')).toHaveLength(0);
    expect([col(q, 'Protocol'), col(q, 'Info')]).toEqual(['ICMP', 'Destination unreachable (Port unreachable)']);
    // its payload is a top-level Data block in Wireshark's tree
    expect(q.layers[q.layers.length - 1]!.proto).toBe('data');
    expect(q.layers[q.layers.length - 1]!.inner).toBeFalsy();
    // the IPv6 datagram of frame 3 is another conversation
    expect(val(ps[2]!, 'udp.stream')).toBe('1');
  });
});

describe('lengths (frames checked against tshark 4.0)', () => {
  it('a length below 8: Info note, error, no stream, nothing more', () => {
    const [p] = dissectFrames([eth(ip4(udp(1, 2, [0x78, 0x78], { len: 3 })))]);
    expect(col(p!, 'Info')).toBe('1 \u2192 2 [BAD UDP LENGTH 3 < 8]');
    expect(text(p!, 'udp.length')).toEqual(['Length: 3 (bogus, must be >= 8)']);
    expect(experts(p!)).toEqual(['Bad length value 3 < 8']);
    expect(val(p!, '_ws.malformed')).toBe('_ws.malformed');
    expect(nodes(p!, 'udp.stream')).toHaveLength(0);
    expect(protos(p!)).toBe('eth:ethertype:ip:udp');
  });

  it('a length past the IP payload: flagged, the payload is what the IP datagram holds', () => {
    const [p] = dissectFrames([eth(ip4(udp(1000, 2000, [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39], { len: 30 })))]);
    expect(col(p!, 'Info')).toBe('1000 \u2192 2000 [BAD UDP LENGTH 30 > IP PAYLOAD LENGTH] Len=22');
    expect(text(p!, 'udp.length')).toEqual(['Length: 30 (bogus, payload length 18)']);
    expect([val(p!, 'udp.payload'), val(p!, 'data.len')]).toEqual(['30313233343536373839', '10']);
  });

  it('a length short of the IP payload: the data is cut, udp.payload keeps every byte (as tshark)', () => {
    const [p] = dissectFrames([eth(ip4(udp(1000, 2000, [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39], { len: 10 })))]);
    expect(col(p!, 'Info')).toBe('1000 \u2192 2000 Len=2');
    expect([val(p!, 'udp.payload'), val(p!, 'data.data'), text(p!, 'udp.payload')[0]]).toEqual(['30313233343536373839', '3031', 'UDP payload (2 bytes)']);
  });

  it('no payload byte behind the header: malformed when none was sent, truncated when not captured', () => {
    const [m] = dissectFrames([eth(ip4(udp(1000, 2000, [], { len: 20 })))]);
    expect(col(m!, 'Info').startsWith('1000 \u2192 2000 [BAD UDP LENGTH 20 > IP PAYLOAD LENGTH] Len=12')).toBe(true);
    expect(m!.malformed).toBe(true);
    expect(m!.layers[m!.layers.length - 1]!.summary).toBe('[Malformed Packet: UDP]');
    const f = eth(ip4(udp(40000, 55555, new Array(100).fill(1))));
    const [s] = dissectFrames([[f.subarray(0, 42), f.length]]);
    expect(col(s!, 'Info').startsWith('40000 \u2192 55555 Len=100')).toBe(true);
    expect(s!.malformed).toBe(false);
    expect(s!.layers[s!.layers.length - 1]!.summary).toBe('[Packet size limited during capture: UDP truncated]');
    expect(val(s!, 'udp.stream')).toBe('0');
  });

  it('a header cut by the snaplen: the ports are shown and in Info, the layer is "UDP truncated"', () => {
    const f = eth(ip4(udp(12336, 12336, [1, 2, 3])));
    const [p] = dissectFrames([[f.subarray(0, 38), f.length]]);
    expect(col(p!, 'Info').startsWith('12336 \u2192 12336')).toBe(true);
    expect([val(p!, 'udp.srcport'), val(p!, 'udp.length')]).toEqual(['12336', '']);
    expect(protos(p!).startsWith('eth:ethertype:ip:udp')).toBe(true);
  });

  it('the first fragment of a datagram: its length is not checked against the fragment', () => {
    const d = udp(5, 6, new Array(40).fill(7));
    const [p] = dissectFrames([[eth(ip4(d.subarray(0, 24), { flags: 1 })), 14 + 20 + 24]], { prefs: { 'ip.defragment': false } });
    expect(experts(p!)).toEqual([]);
    expect([col(p!, 'Info'), val(p!, 'udp.checksum.status')]).toEqual(['5 \u2192 6 Len=40', '2']);
  });
});

describe('checksums', () => {
  it('zero over IPv4 is "not present"; over IPv6 it is illegal', () => {
    const [v4] = dissectFrames([eth(ip4(udp(1, 2, [0x61], { cksum: 0 })))]);
    expect(text(v4!, 'udp.checksum')).toEqual(['Checksum: 0x0000 [zero-value ignored]']);
    expect(nodes(v4!, 'udp.checksum')[0]!.children!.map((n) => [n.def.abbrev, n.value])).toEqual([['udp.checksum.status', 3]]);
    const [v6] = dissectFrames([eth(ip6(udp(1, 2, [0x61], { cksum: 0 })), 0x86dd)]);
    expect(text(v6!, 'udp.checksum')).toEqual(['Checksum: 0x0000 [zero-value illegal]']);
    expect([val(v6!, 'udp.checksum.status'), col(v6!, 'Info')]).toEqual(['4', '1 \u2192 2 Len=1 [ILLEGAL CHECKSUM (0)]']);
    expect(experts(v6!)).toEqual(['Illegal checksum value (0)']);
  });

  it('udp.check_checksum: correct, and incorrect with the value it should have been', () => {
    const good = udp(30000, 13000, [0x58, 0x58, 0x58, 0x58]);
    const ck = (good[6]! << 8) | good[7]!;
    const [g, b] = dissectFrames([eth(ip4(good)), eth(ip4(udp(30000, 13000, [0x58, 0x58, 0x58, 0x58], { cksum: 0x0001 })))], { prefs: { 'udp.check_checksum': true } });
    const h = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
    expect(text(g!, 'udp.checksum')).toEqual([`Checksum: ${h(ck)} [correct]`]);
    expect([val(g!, 'udp.checksum.status'), val(g!, 'udp.checksum_calculated')]).toEqual(['1', h(ck)]);
    expect(text(b!, 'udp.checksum')).toEqual([`Checksum: 0x0001 incorrect, should be ${h(ck)} (maybe caused by "UDP checksum offload"?)`]);
    expect([val(b!, 'udp.checksum.status'), val(b!, 'udp.checksum_calculated')]).toEqual(['0', h(ck)]);
    expect(experts(b!)).toEqual([`Bad checksum [should be ${h(ck)}]`]);
    expect(col(b!, 'Info')).toBe('30000 \u2192 13000 Len=4 [UDP CHECKSUM INCORRECT]');
    expect(shouldBe(0x0001, 0x2f29)).toBe(0x2f2a);
  });

  it('the LBL traceroute ports carry a "possible traceroute" note', () => {
    const [p] = dissectFrames([eth(ip4(udp(33435, 33440, [1])))]);
    expect(experts(p!)).toEqual(['Possible traceroute: hop #1, attempt #1', 'Possible traceroute: hop #2, attempt #3']);
  });
});

// ---- differential ----
const UDP_FIELDS = `udp.srcport udp.dstport udp.port udp.stream udp.length udp.checksum udp.checksum_calculated udp.checksum.status
udp.time_relative udp.time_delta udp.payload udp.possible_traceroute udp.length.bad udp.checksum.zero udp.checksum.bad data.data data.len`.split(/\s+/);
const COLS = ['_ws.col.Protocol', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Info', 'frame.protocols', '_ws.expert.message', '_ws.malformed'];

function craftedFile(): string {
  const frames: Array<Uint8Array | [Uint8Array, number]> = [
    eth(ip4(udp(1, 2, [0x78, 0x78], { len: 3 }))),
    eth(ip4(udp(1000, 2000, [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39], { len: 30 }))),
    eth(ip4(udp(1000, 2000, [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39], { len: 10 }))),
    eth(ip4(udp(1, 2, [0x61], { cksum: 0 }))),
    eth(ip6(udp(1, 2, [0x61], { cksum: 0 })), 0x86dd),
    eth(ip6(udp(7, 8, [0x61, 0x62], { cksum: 0x1234 })), 0x86dd),
    eth(ip4(udp(30000, 13000, [0x58, 0x58, 0x58, 0x58]))),
    eth(ip4(udp(30000, 13000, [0x58, 0x58, 0x58, 0x58], { cksum: 0x0001 }))),
    eth(ip4(udp(33435, 33440, [1]))),
    eth(ip4(udp(13000, 30000, []))),
    eth(ip4(udp(30000, 13000, [0x59]))),
  ];
  const f = path.join(tmp, 'udp.pcap');
  writeFileSync(f, pcap(frames));
  return f;
}

describe.skipIf(!hasTshark)('UDP agrees with tshark', () => {
  async function check(files: string[], fields: string[], prefs: string[] = []): Promise<string[]> {
    const res = await pool(files, 4, async (f) => {
      const [t, m] = await Promise.all([tsharkRows(f, fields, prefs), minisharkRows(f, fields, prefs)]);
      return compareRows(fields, t, m).diffs.slice(0, 3).map((d) => `${path.basename(f)} #${d.frame} ${d.field}: tshark=${d.tshark} minishark=${d.minishark}`);
    });
    return res.flat();
  }

  it('fixtures and crafted frames: every cell, with and without udp.check_checksum', async () => {
    const files = [fixture('udp-frag.pcap'), fixture('icmp-unreach.pcap'), craftedFile()];
    expect(await check(files, [...UDP_FIELDS, ...COLS])).toEqual([]);
    expect(await check(files.slice(-1), [...UDP_FIELDS, ...COLS], ['udp.check_checksum:TRUE'])).toEqual([]);
  });

  it.skipIf(!hasCorpus)('corpus captures', async () => {
    const clean = ['zeek/udp-multiple-source-ports.pcap', 'zeek/fake-syslog-with-padding.pcap', 'zeek/chksums/ip4-udp-bad-chksum.pcap', 'tcpdump/LINKTYPE_IPV4.pcap'];
    expect(await check(clean.map((f) => path.join(CORPUS, f)), [...UDP_FIELDS, ...COLS], ['udp.check_checksum:TRUE'])).toEqual([]);
    // cut by the snaplen: the UDP fields (the engine owns the short mark)
    const cut = ['tcpdump/udp-length-heapoverflow.pcap', 'zeek/udp-contents-truncated-oob.pcap'];
    expect(await check(cut.map((f) => path.join(CORPUS, f)), UDP_FIELDS)).toEqual([]);
  });
});
