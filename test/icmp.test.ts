// ICMP (IPv4) on real bytes: fixtures/ping-arp.pcap (echo request/reply with timestamps) and
// icmp-unreach.pcap (an error quoting a UDP datagram), the corpus ICMP captures when present, and
// frames built here for the error-quoting rules, extensions and the other message types, each
// checked against what tshark 4.0 prints; then a differential run against tshark when installed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fold, sum16 } from '../src/core/checksum.js';
import type { Time } from '../src/core/field.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { ShortError } from '../src/dissect/context.js';
import { timeSub } from '../src/dissect/state.js';
import { fmtG15, icmpTransactionCount, MAX_TRANSACTIONS } from '../src/dissectors/icmp.js';
import { formatRelTime } from '../src/output/format.js';
import { CORPUS, FIXTURES, compareRows, hasCorpus, hasTshark, minisharkRows, pool, tsharkRows } from './helpers/reference.js';
import { col, dissectFile, nodes, protos, text, val } from './helpers/packets.js';

const A = [10, 0, 0, 1];
const B = [10, 0, 0, 2];
function ip4(payload: Uint8Array, o: { src?: number[]; dst?: number[]; proto?: number; ttl?: number; flags?: number; tot?: number } = {}): Uint8Array {
  const h = new Uint8Array(20);
  const tot = o.tot ?? 20 + payload.length;
  h.set([0x45, 0, tot >> 8, tot & 255, 0, 1, (o.flags ?? 0) << 5, 0, o.ttl ?? 64, o.proto ?? 1, 0, 0, ...(o.src ?? A), ...(o.dst ?? B)]);
  const c = fold(sum16(h, 0, 20));
  h[10] = c >> 8;
  h[11] = c & 255;
  return Uint8Array.from([...h, ...payload]);
}
/** an ICMP message with a correct checksum (or the given one) */
function icmp(type: number, code: number, rest: number[], payload: number[] | Uint8Array = [], cksum?: number): Uint8Array {
  const m = Uint8Array.from([type, code, 0, 0, ...rest, ...payload]);
  const c = cksum ?? fold(sum16(m, 0, m.length));
  m[2] = c >> 8;
  m[3] = c & 255;
  return m;
}
const udp = (sp: number, dp: number, data: number[]) => Uint8Array.from([sp >> 8, sp & 255, dp >> 8, dp & 255, 0, 8 + data.length, 0, 0, ...data]);
const eth = (payload: Uint8Array) => Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0, ...payload]);
const rec = (num: number, data: Uint8Array, ts: Time = { sec: 1700000000 + num, nsec: 0 }, origLen = data.length): PacketRecord =>
  ({ num, ts, capLen: data.length, origLen, linkType: 1, interfaceId: 0, data, fileOffset: 0 });

const experts = (p: Packet) => p.expert.map((e) => e.message);
const fixture = (f: string) => path.join(FIXTURES, f);
const corpus = (f: string) => path.join(CORPUS, f);
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

describe('echo (fixtures/ping-arp.pcap)', () => {
  it('requests and replies: Info, identifiers both ways, the reply names its request', async () => {
    const ps = await dissectFile(fixture('ping-arp.pcap'));
    for (let i = 2; i < 8; i += 2) {
      const [rq, rp] = [ps[i]!, ps[i + 1]!];
      const b = Buffer.from(rq.rec.data.buffer, rq.rec.data.byteOffset, rq.rec.data.length);
      const id = b.readUInt16BE(38);
      const seq = b.readUInt16BE(40);
      const seqLe = b.readUInt16LE(40);
      expect(col(rq, 'Info')).toBe(`Echo (ping) request  id=0x${hex4(id)}, seq=${seq}/${seqLe}, ttl=${b[22]}`);
      expect(col(rp, 'Info')).toBe(`Echo (ping) reply    id=0x${hex4(id)}, seq=${seq}/${seqLe}, ttl=${rp.rec.data[22]} (request in ${i + 1})`);
      expect([col(rq, 'Protocol'), protos(rq)]).toEqual(['ICMP', 'eth:ethertype:ip:icmp:data']);
      expect([val(rq, 'icmp.ident'), val(rq, 'icmp.ident_le'), val(rq, 'icmp.seq'), val(rq, 'icmp.seq_le')]).toEqual([String(id), String(b.readUInt16LE(38)), String(seq), String(seqLe)]);
      expect(text(rq, 'icmp.ident')).toEqual([`Identifier (BE): ${id} (0x${hex4(id)})`]);
      expect([val(rq, 'icmp.checksum.status'), val(rp, 'icmp.checksum.status')]).toEqual(['1', '1']);
      expect(text(rq, 'icmp.checksum')).toEqual([`Checksum: 0x${hex4(b.readUInt16BE(36))} [correct]`]);
      // single pass: the request does not know its reply
      expect(nodes(rq, 'icmp.resp_in')).toHaveLength(0);
      const rt = timeSub(rp.rec.ts, rq.rec.ts);
      const ms = (rt.sec * 1e9 + rt.nsec) / 1e6;
      expect([val(rp, 'icmp.resp_to'), val(rp, 'icmp.resptime')]).toEqual([String(i + 1), fmtG15(ms)]);
      expect(text(rp, 'icmp.resptime')).toEqual([`Response time: ${ms.toFixed(3)} ms`]);
    }
  });

  it('the first 8 data bytes as a timestamp, the rest as data under the ICMP tree', async () => {
    const p = (await dissectFile(fixture('ping-arp.pcap')))[2]!;
    const b = Buffer.from(p.rec.data.buffer, p.rec.data.byteOffset, p.rec.data.length);
    const t = nodes(p, 'icmp.data_time')[0]!;
    expect(t.value).toEqual({ sec: b.readUInt32LE(42), nsec: b.readUInt32LE(46) * 1000 });
    expect(t.text).toMatch(/^Timestamp from icmp data: [A-Z][a-z]{2} [ \d]\d, \d{4} \d\d:\d\d:\d\d\.\d{9} UTC$/);
    expect(val(p, 'icmp.data_time_relative')).toBe(formatRelTime(timeSub(p.rec.ts, t.value as Time)));
    const d = p.layers.find((l) => l.proto === 'data')!;
    expect([d.inner, d.offset, val(p, 'data.len')]).toEqual([true, 50, '48']);
  });

  it('a reply pairs once, with the checksum its request implied; state stays bounded', () => {
    const eng = new Engine({ columns: true, full: true });
    const rq = eth(ip4(icmp(8, 0, [0x12, 0x34, 0, 1], [0x61, 0x62])));
    const rp = eth(ip4(icmp(0, 0, [0x12, 0x34, 0, 1], [0x61, 0x62]), { src: B, dst: A }));
    const other = eth(ip4(icmp(0, 0, [0x12, 0x34, 0, 1], [0x61, 0x63]), { src: B, dst: A }));
    eng.dissect(rec(1, rq));
    expect(col(eng.dissect(rec(2, other)), 'Info')).toBe('Echo (ping) reply    id=0x1234, seq=4660/13330, ttl=64'.replace('seq=4660/13330', 'seq=1/256'));
    expect(col(eng.dissect(rec(3, rp, { sec: 1700000003, nsec: 250000 })), 'Info')).toBe('Echo (ping) reply    id=0x1234, seq=1/256, ttl=64 (request in 1)');
    expect(nodes(eng.dissect(rec(4, rp)), 'icmp.resp_to')).toHaveLength(0);
    // one open request per identifier: never more than MAX_TRANSACTIONS of them (the oldest go first)
    const lean = new Engine({ full: false, columns: false });
    const f = eth(ip4(icmp(8, 0, [0, 0, 0, 1])));
    for (let i = 0; i < MAX_TRANSACTIONS + 10; i++) {
      f[38] = (i >> 8) & 255;
      f[39] = i & 255;
      f[41] = 1 + (i >> 16);
      f[36] = f[37] = 0;
      const c = fold(sum16(f, 34, 8));
      f[36] = c >> 8;
      f[37] = c & 255;
      lean.dissect(rec(10 + i, f));
    }
    expect(icmpTransactionCount(lean.state)).toBe(MAX_TRANSACTIONS);
  });

  it('%.15g for the response time', () => {
    expect([fmtG15(0.068), fmtG15(26.299), fmtG15(1), fmtG15(0.03), fmtG15(0.00001), fmtG15(1234567.891)]).toEqual(['0.068', '26.299', '1', '0.03', '1e-05', '1234567.891']);
  });
});

describe('errors (fixtures/icmp-unreach.pcap and frames checked against tshark 4.0)', () => {
  it('Destination unreachable quoting a UDP datagram: nested layers, outer columns, both addresses', async () => {
    const p = (await dissectFile(fixture('icmp-unreach.pcap')))[1]!;
    expect(protos(p)).toBe('eth:ethertype:ip:icmp:ip:udp:data');
    expect([col(p, 'Protocol'), col(p, 'Info')]).toEqual(['ICMP', 'Destination unreachable (Port unreachable)']);
    expect([col(p, 'Source'), col(p, 'Destination')]).toEqual(['10.99.0.2', '10.99.0.1']);
    expect([val(p, 'ip.src'), val(p, 'ip.dst')]).toEqual(['10.99.0.2,10.99.0.1', '10.99.0.1,10.99.0.2']);
    expect(text(p, 'icmp.code')).toEqual(['Code: 3 (Port unreachable)']);
    expect([val(p, 'icmp.unused'), val(p, 'icmp.checksum.status')]).toEqual(['00000000', '1']);
    expect(p.layers.filter((l) => l.inner).map((l) => l.proto)).toEqual(['ip', 'udp']);
    expect(experts(p)).toEqual([]);
  });

  const inner = ip4(udp(5000, 53, [0x68, 0x69]), { proto: 17 });

  it('a quote shorter than its headers ends quietly (Wireshark swallows the exception)', () => {
    const eng = new Engine({ full: true, columns: true });
    const p = eng.dissect(rec(1, eth(ip4(icmp(3, 3, [0, 0, 0, 0], inner.subarray(0, 12)), { src: B, dst: A }))));
    expect(protos(p)).toBe('eth:ethertype:ip:icmp:ip');
    expect([p.malformed, val(p, 'ip.src'), col(p, 'Info')]).toEqual([false, '10.0.0.2', 'Destination unreachable (Port unreachable)']);
    const q = eng.dissect(rec(2, eth(ip4(icmp(3, 3, [0, 0, 0, 0], inner.subarray(0, 24)), { src: B, dst: A }))));
    expect(protos(q)).toBe('eth:ethertype:ip:icmp:ip:udp');
    expect(nodes(q, 'udp.stream')).toHaveLength(0);
    // an empty quote is not dissected at all
    const r = eng.dissect(rec(3, eth(ip4(icmp(3, 0, [0, 0, 0, 0]), { src: B, dst: A }))));
    expect(protos(r)).toBe('eth:ethertype:ip:icmp');
  });

  it('a quote cut by the snaplen is "[Packet size limited during capture]", labelled by its IPv4', () => {
    const f = eth(ip4(icmp(3, 3, [0, 0, 0, 0], inner), { src: B, dst: A }));
    const p = new Engine({ full: true, columns: true }).dissect(rec(1, f.subarray(0, 14 + 20 + 8 + 20 + 4), undefined, f.length));
    expect(col(p, 'Info')).toBe('Destination unreachable (Port unreachable)[Packet size limited during capture]');
    expect(val(p, 'icmp.checksum.status')).toBe('2');
    expect(text(p, 'icmp.checksum')[0]).toMatch(/\[unverified\] \[fragmented datagram\]$/);
    expect(new ShortError(0)).toBeInstanceOf(Error);
  });

  it('redirect, parameter problem, fragmentation needed, source quench, unknown code', () => {
    const eng = new Engine({ full: true, columns: true });
    const d = (m: Uint8Array) => eng.dissect(rec(1, eth(ip4(m, { src: B, dst: A }))));
    const r = d(icmp(5, 1, [10, 0, 0, 9], inner));
    expect([col(r, 'Info'), val(r, 'icmp.redir_gw'), protos(r)]).toEqual(['Redirect             (Redirect for host)', '10.0.0.9', 'eth:ethertype:ip:icmp:ip:udp']);
    const pp = d(icmp(12, 0, [5, 0, 0, 0], inner));
    expect([col(pp, 'Info'), val(pp, 'icmp.pointer'), val(pp, 'icmp.unused')]).toEqual(['Parameter problem    (Pointer indicates the error)', '5', '000000']);
    const fn = d(icmp(3, 4, [0, 0, 0x05, 0x78], inner));
    expect([col(fn, 'Info'), val(fn, 'icmp.mtu'), val(fn, 'icmp.unused')]).toEqual(['Destination unreachable (Fragmentation needed)', '1400', '0000']);
    expect(col(d(icmp(4, 0, [0, 0, 0, 0], inner)), 'Info')).toBe('Source quench (flow control)');
    expect(col(d(icmp(3, 99, [0, 0, 0, 0], inner)), 'Info')).toBe('Destination unreachable (Unknown code: 99)');
    // the quoted ICMP echo inside an error: no pairing, checksum not verified
    const ie = d(icmp(3, 1, [0, 0, 0, 0], ip4(icmp(8, 0, [0x12, 0x34, 0, 1], new Array(16).fill(0x61)))));
    expect([val(ie, 'icmp.checksum.status'), protos(ie)]).toEqual(['1,2', 'eth:ethertype:ip:icmp:ip:icmp:data']);
    expect(text(ie, 'icmp.checksum')[1]).toMatch(/\[unverified\] \[in ICMP error packet\]$/);
  });

  it('RFC 4884 extensions after the quote: MPLS label stack and interface information (RFC 5837)', () => {
    const q = ip4(udp(33440, 33440, new Array(32).fill(0x51)), { proto: 17 });
    const body = Uint8Array.from([...q, ...new Array(128 - q.length).fill(0)]);
    const mpls = [0, 12, 1, 1, ...u32be((16000 << 12) | (5 << 9) | 64), ...u32be((17000 << 12) | (2 << 9) | (1 << 8) | 1)];
    const name = [8, 0x65, 0x74, 0x68, 0x30, 0, 0, 0];
    const ii = [0, 4 + 4 + 8 + name.length + 4, 2, 0x0f, ...u32be(7), 0, 1, 0, 0, 192, 0, 2, 1, ...name, ...u32be(1500)];
    const ext = Uint8Array.from([0x20, 0, 0, 0, ...mpls, ...ii]);
    const c = fold(sum16(ext, 0, ext.length));
    ext[2] = c >> 8;
    ext[3] = c & 255;
    const p = new Engine({ full: true, columns: true }).dissect(rec(1, eth(ip4(icmp(11, 0, [0, 0x20, 0, 0], Uint8Array.from([...body, ...ext])), { src: B, dst: A }))));
    expect([val(p, 'icmp.length'), val(p, 'icmp.length.original_datagram')]).toEqual(['32', '128']);
    expect([val(p, 'icmp.ext.version'), val(p, 'icmp.ext.checksum.status'), val(p, 'icmp.ext.class'), val(p, 'icmp.ext.length')]).toEqual(['2', '1', '1,2', '12,28']);
    expect([val(p, 'icmp.mpls.label'), val(p, 'icmp.mpls.exp'), val(p, 'icmp.mpls.s'), val(p, 'icmp.mpls.ttl')]).toEqual(['16000,17000', '5,2', '0,1', '64,1']);
    expect([val(p, 'icmp.int_info.index'), val(p, 'icmp.int_info.ipv4'), val(p, 'icmp.int_info.name'), val(p, 'icmp.int_info.mtu')]).toEqual(['7', '192.0.2.1', 'eth0', '1500']);
    expect(text(p, 'text')).toContain('Label: 16000, Exp: 5, S: 0, TTL: 64');
    // the extensions come after the quoted layers, before the top-level Data of the quoted UDP
    expect(p.layers.slice(4).map((l) => [l.proto, l.summary.split(',')[0], !!l.inner])).toEqual([
      ['ip', 'Internet Protocol Version 4', true], ['udp', 'User Datagram Protocol', true],
      ['icmp', 'ICMP Multi-Part Extensions', true], ['data', 'Data (32 bytes)', false],
    ]);
  });
});

function u32be(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

describe('other message types', () => {
  const eng = new Engine({ full: true, columns: true });
  const d = (m: Uint8Array, o: { dst?: number[]; ttl?: number } = {}) => eng.dissect(rec(1, eth(ip4(m, o))));

  it('timestamp, address mask, information request', () => {
    const ts = d(icmp(13, 0, [0, 1, 0, 2], [...u32be(3600000), ...u32be(3600500), ...u32be(3600600)]));
    expect(col(ts, 'Info')).toBe('Timestamp request    id=0x0001, seq=2/512, ttl=64');
    expect(text(ts, 'icmp.receive_timestamp')).toEqual(['Receive Timestamp: 3600500 (1 hour, 0.500 seconds after midnight UTC)']);
    const mask = d(icmp(18, 0, [0, 1, 0, 3], [255, 255, 255, 0]));
    expect([col(mask, 'Info'), val(mask, 'icmp.address_mask')]).toEqual(['Address mask reply   id=0x0001, seq=3/768, ttl=64', '255.255.255.0']);
    expect(col(d(icmp(15, 0, [0, 1, 0, 1])), 'Info')).toBe('Information request  id=0x0001, seq=1/256, ttl=64');
  });

  it('router advertisement (and the Mobile IP name), solicitation, unknown types', () => {
    const ra = d(icmp(9, 0, [2, 2, 0x07, 0x08], [10, 0, 0, 1, 0, 0, 0, 5, 10, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe]), { dst: [224, 0, 0, 1], ttl: 1 });
    expect(col(ra, 'Info')).toBe('Mobile IP Advertisement (Normal router advertisement)');
    expect([val(ra, 'icmp.router_address'), val(ra, 'icmp.pref_level'), val(ra, 'icmp.lifetime')]).toEqual(['10.0.0.1,10.0.0.2', '5,-2', '1800']);
    expect(text(ra, 'icmp.lifetime')).toEqual(['Lifetime: 1800 (30 minutes)']);
    expect(col(d(icmp(10, 0, [0, 0, 0, 0]), { dst: [224, 0, 0, 2], ttl: 1 }), 'Info')).toBe('Router solicitation ');
    const u = d(icmp(97, 116, [0, 0, 0, 0]));
    expect([col(u, 'Info'), text(u, 'icmp.type')[0], text(u, 'icmp.code')[0]]).toEqual(['Unknown ICMP (obsolete or malformed?)', 'Type: 97 (Unknown ICMP (obsolete or malformed?))', 'Code: 116']);
  });

  it('a bad checksum, and a message cut by its IPv4 length', () => {
    const bad = d(icmp(8, 0, [0, 0, 0, 0], [], 0x000d));
    expect([val(bad, 'icmp.checksum.status'), experts(bad)]).toEqual(['0', ['Bad checksum [should be 0xf7ff]']]);
    expect(text(bad, 'icmp.checksum')).toEqual(['Checksum: 0x000d incorrect, should be 0xf7ff']);
    const cut = d(icmp(8, 0, [0, 1, 0, 1]).subarray(0, 6));
    expect(cut.malformed).toBe(true);
    expect(col(cut, 'Info').startsWith('Echo (ping) request ')).toBe(true);
  });
});

describe.skipIf(!hasCorpus)('corpus', () => {
  it('icmp_ext_oob_poc.pcap: an extended echo request whose extension objects run past the end', async () => {
    const [p] = await dissectFile(corpus('tcpdump/icmp_ext_oob_poc.pcap'));
    expect(col(p!, 'Info')).toBe('Extended Echo request (No error)');
    expect([val(p!, 'icmp.ext.length'), val(p!, 'icmp.ext.class'), val(p!, 'icmp.ext.data'), val(p!, 'icmp.int_info.index')]).toEqual(['6,57005', '2,190', 'cafe', '287497901']);
    expect(experts(p!)).toEqual(['Bad checksum [should be 0x642f]']);
  });

  it('icmp-cksum-oobr-1.pcap: a quoted datagram longer than the packet, on a Linux cooked capture', async () => {
    const [p] = await dissectFile(corpus('tcpdump/icmp-cksum-oobr-1.pcap'));
    expect(protos(p!)).toBe('sll:ethertype:ip:icmp:ip:udp:data');
    expect(experts(p!)).toEqual(['IPv4 total length exceeds packet length (188 bytes)', 'Bad checksum [should be 0x5770]']);
  });
});

// ---- differential: every icmp.* field and the columns (icmp.data_time waits for tshark's absolute-time format in -T fields) ----
const ICMP_FIELDS = `icmp.type icmp.code icmp.checksum icmp.checksum.status icmp.unused icmp.ident icmp.ident_le icmp.seq icmp.seq_le icmp.mtu
icmp.num_addrs icmp.addr_entry_size icmp.lifetime icmp.pointer icmp.router_address icmp.pref_level icmp.originate_timestamp
icmp.receive_timestamp icmp.transmit_timestamp icmp.address_mask icmp.redir_gw icmp.length icmp.length.original_datagram icmp.resp_to
icmp.resptime icmp.data_time_relative icmp.ext icmp.ext.version icmp.ext.res icmp.ext.checksum icmp.ext.checksum.status icmp.ext.length
icmp.ext.class icmp.ext.ctype icmp.ext.data icmp.mpls.label icmp.mpls.exp icmp.mpls.s icmp.mpls.ttl icmp.int_info.role
icmp.int_info.ifindex icmp.int_info.ipaddr icmp.int_info.name_present icmp.int_info.mtu_present icmp.int_info.index icmp.int_info.ipv4
icmp.int_info.name icmp.int_info.mtu icmp.ext.echo.seq icmp.ext.echo.req.res icmp.ext.echo.req.local icmp.int_ident.name
icmp.int_ident.afi icmp.int_ident.ipv4 icmp.checksum_bad ip.src ip.dst udp.stream data.len`.split(/\s+/);
// _ws.short is left out: a cut inside a quoted datagram is "IPv4 truncated" in tshark, and the
// engine labels it with the last layer (icmp.ts hands it the label on the error: see its runQuoted)
const COLS = ['_ws.col.Protocol', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Info', 'frame.protocols', '_ws.expert.message', '_ws.malformed'];

function craftedFile(): string {
  const inner = ip4(udp(5000, 53, [0x68, 0x69]), { proto: 17 });
  const q = ip4(udp(33440, 33440, new Array(32).fill(0x51)), { proto: 17 });
  const body = [...q, ...new Array(128 - q.length).fill(0)];
  const ext = Uint8Array.from([0x20, 0, 0, 0, 0, 12, 1, 1, ...u32be((16000 << 12) | 64), ...u32be((17000 << 12) | 0x100 | 1), 0, 8, 3, 1, 0x65, 0x74, 0x68, 0x30]);
  const c = fold(sum16(ext, 0, ext.length));
  ext[2] = c >> 8;
  ext[3] = c & 255;
  const full = eth(ip4(icmp(3, 3, [0, 0, 0, 0], inner), { src: B, dst: A }));
  const frames: Array<Uint8Array | [Uint8Array, number]> = [
    eth(ip4(icmp(8, 0, [0x12, 0x34, 0, 1], [0x61, 0x62]))),
    eth(ip4(icmp(0, 0, [0x12, 0x34, 0, 1], [0x61, 0x62]), { src: B, dst: A })),
    eth(ip4(icmp(0, 0, [0x12, 0x34, 0, 1], [0x61, 0x62]), { src: B, dst: A })),
    eth(ip4(icmp(3, 3, [0, 0, 0, 0], inner.subarray(0, 12)), { src: B, dst: A })),
    eth(ip4(icmp(3, 3, [0, 0, 0, 0], inner.subarray(0, 24)), { src: B, dst: A })),
    [full.subarray(0, 14 + 20 + 8 + 20 + 4), full.length],
    eth(ip4(icmp(5, 1, [10, 0, 0, 9], inner), { src: B, dst: A })),
    eth(ip4(icmp(12, 0, [5, 0, 0, 0], inner), { src: B, dst: A })),
    eth(ip4(icmp(3, 4, [0, 0, 0x05, 0x78], inner), { src: B, dst: A })),
    eth(ip4(icmp(11, 0, [0, 0x20, 0, 0], Uint8Array.from([...body, ...ext])), { src: B, dst: A })),
    eth(ip4(icmp(13, 0, [0, 1, 0, 2], [...u32be(3600000), ...u32be(3600500), ...u32be(3600600)]))),
    eth(ip4(icmp(18, 0, [0, 1, 0, 3], [255, 255, 255, 0]))),
    eth(ip4(icmp(9, 0, [2, 2, 0x07, 0x08], [10, 0, 0, 1, 0, 0, 0, 5, 10, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe]), { dst: [224, 0, 0, 1], ttl: 1 })),
    eth(ip4(icmp(8, 0, [0, 0, 0, 0], [], 0x000d))),
    eth(ip4(icmp(42, 0, [0, 1, 7, 1], ext))),
    eth(ip4(icmp(3, 1, [0, 0, 0, 0], ip4(icmp(8, 0, [0x12, 0x34, 0, 1], new Array(16).fill(0x61)))), { src: B, dst: A })),
  ];
  const parts: Buffer[] = [Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex')];
  frames.forEach((f, i) => {
    const [dd, orig] = f instanceof Uint8Array ? [f, f.length] : f;
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1700000000 + i, 0);
    r.writeUInt32LE(1000 * i, 4);
    r.writeUInt32LE(dd.length, 8);
    r.writeUInt32LE(orig, 12);
    parts.push(r, Buffer.from(dd));
  });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'minishark-icmp-')), 'icmp.pcap');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

describe.skipIf(!hasTshark)('ICMP agrees with tshark', () => {
  async function check(files: string[], fields: string[]): Promise<string[]> {
    const res = await pool(files, 4, async (f) => {
      const [t, m] = await Promise.all([tsharkRows(f, fields), minisharkRows(f, fields)]);
      return compareRows(fields, t, m).diffs.slice(0, 3).map((d) => `${path.basename(f)} #${d.frame} ${d.field}: tshark=${d.tshark} minishark=${d.minishark}`);
    });
    return res.flat();
  }

  it('fixtures and crafted frames: every cell', async () => {
    expect(await check([fixture('ping-arp.pcap'), fixture('icmp-unreach.pcap'), craftedFile()], [...ICMP_FIELDS, ...COLS])).toEqual([]);
  });

  it.skipIf(!hasCorpus)('corpus ICMP captures: every cell', async () => {
    const files = ['zeek/icmp/5-pings.pcap', 'zeek/icmp/icmp-destunreach-ip.pcap', 'zeek/icmp/icmp-destunreach-no-context.pcap',
      'zeek/icmp/icmp-timeexceeded.pcap', 'zeek/icmp_dot1q.pcap', 'zeek/trunc/icmp-header-trunc.pcap', 'zeek/trunc/icmp-payload-trunc.pcap',
      'tcpdump/icmp_ext_oob_poc.pcap', 'tcpdump/icmp-cksum-oobr-1.pcap', 'zeek/conn-size.pcap'];
    expect(await check(files.map(corpus), [...ICMP_FIELDS, ...COLS])).toEqual([]);
    // an Ethernet trailer cut by the snaplen follows the malformed ICMP: its marks are the Ethernet dissector's
    expect(await check([corpus('tcpdump/icmp-icmp_print-oobr-1.pcap')], [...ICMP_FIELDS, '_ws.col.Protocol', 'frame.protocols', '_ws.malformed'])).toEqual([]);
  });
});
