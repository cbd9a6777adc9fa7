// IPv4 on real bytes: the fixtures (ping-arp, udp-frag), the corpus captures with odd headers
// (when ../shared/corpus is present), and frames built here for options, lengths, checksums, TTL
// notes and fragment trains, each checked against what tshark 4.0 prints for the same bytes; then a
// differential run against tshark (scripts/tshark-ref) when it is installed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Defragmenter, MAX_BYTES, MAX_OPEN, MAX_PENDING_BYTES } from '../src/analysis/ipdefrag.js';
import { fold, sum16 } from '../src/core/checksum.js';
import type { FieldNode } from '../src/core/field.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine, type EngineOptions } from '../src/dissect/engine.js';
import { ipProtoName } from '../src/dissectors/ipv4.js';
import { CORPUS, FIXTURES, compareRows, hasCorpus, hasTshark, minisharkRows, pool, tsharkRows } from './helpers/reference.js';
import { col, dissectFile, hex, nodes, protos, text, val } from './helpers/packets.js';

// ---- helpers: frames, records, field access ----
const A = [10, 0, 0, 1];
const B = [10, 0, 0, 2];

interface Ip4 {
  src?: number[];
  dst?: number[];
  proto?: number;
  ttl?: number;
  id?: number;
  flags?: number;
  off?: number;
  tot?: number;
  opts?: number[];
  cksum?: number;
  tos?: number;
}
function ip4(payload: Uint8Array, o: Ip4 = {}): Uint8Array {
  const opts = o.opts ?? [];
  const hl = 20 + opts.length;
  const h = new Uint8Array(hl);
  const tot = o.tot ?? hl + payload.length;
  h.set([0x40 | (hl >> 2), o.tos ?? 0, tot >> 8, tot & 255, (o.id ?? 1) >> 8, (o.id ?? 1) & 255]);
  const ff = ((o.flags ?? 0) << 13) | ((o.off ?? 0) >> 3);
  h.set([ff >> 8, ff & 255, o.ttl ?? 64, o.proto ?? 17, 0, 0], 6);
  h.set(o.src ?? A, 12);
  h.set(o.dst ?? B, 16);
  h.set(opts, 20);
  const c = o.cksum ?? fold(sum16(h, 0, hl));
  h[10] = c >> 8;
  h[11] = c & 255;
  return Uint8Array.from([...h, ...payload]);
}
const udp = (sp: number, dp: number, data: number[] | Uint8Array, len?: number) =>
  Uint8Array.from([sp >> 8, sp & 255, dp >> 8, dp & 255, (len ?? 8 + data.length) >> 8, (len ?? 8 + data.length) & 255, 0, 0, ...data]);
const eth = (payload: Uint8Array, type = 0x0800) => Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, type >> 8, type & 255, ...payload]);
const rec = (num: number, data: Uint8Array, origLen = data.length, linkType = 1): PacketRecord =>
  ({ num, ts: { sec: 1700000000 + num, nsec: 0 }, capLen: data.length, origLen, linkType, interfaceId: 0, data, fileOffset: 0 });

/** A pcap file (µs, LE) from frames: a frame or [captured bytes, original length]. */
function pcap(frames: Array<Uint8Array | [Uint8Array, number]>, linkType = 1): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(65535, 16);
  h.writeUInt32LE(linkType, 20);
  parts.push(h);
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
const tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-ipv4-'));
function writePcap(name: string, frames: Array<Uint8Array | [Uint8Array, number]>, linkType = 1): string {
  const f = path.join(tmp, name);
  writeFileSync(f, pcap(frames, linkType));
  return f;
}

function dissectFrames(frames: Array<Uint8Array | [Uint8Array, number]>, opts: EngineOptions = {}, linkType = 1): Packet[] {
  const eng = new Engine({ full: true, columns: true, ...opts });
  return frames.map((f, i) => (f instanceof Uint8Array ? eng.dissect(rec(i + 1, f, f.length, linkType)) : eng.dissect(rec(i + 1, f[0], f[1], linkType))));
}
/** the text-only lines of the IPv4 layer ("Options: (12 bytes), Record Route") */
const ipTexts = (p: Packet) => {
  const out: string[] = [];
  const walk = (ns: FieldNode[]) => {
    for (const n of ns) {
      if (n.def.abbrev === 'text') out.push(n.text ?? '');
      if (n.children) walk(n.children);
    }
  };
  walk(p.layers.find((l) => l.proto === 'ip')!.fields);
  return out;
};
const ipLayer = (p: Packet) => p.layers.find((l) => l.proto === 'ip')!;
const experts = (p: Packet) => p.expert.map((e) => e.message);
const fixture = (f: string) => path.join(FIXTURES, f);
const corpus = (f: string) => path.join(CORPUS, f);

describe('the IPv4 header (fixtures/ping-arp.pcap)', () => {
  it('every header field, its bytes and its details line', async () => {
    const p = (await dissectFile(fixture('ping-arp.pcap')))[2]!;
    const b = p.rec.data;
    const L = p.layers.find((l) => l.proto === 'ip')!;
    expect([L.offset, L.length, L.summary]).toEqual([14, 20, 'Internet Protocol Version 4, Src: 10.99.0.1, Dst: 10.99.0.2']);
    expect(protos(p)).toBe('eth:ethertype:ip:icmp:data');
    expect(text(p, 'ip.version')).toEqual(['0100 .... = Version: 4']);
    expect(text(p, 'ip.hdr_len')).toEqual(['.... 0101 = Header Length: 20 bytes (5)']);
    expect(val(p, 'ip.hdr_len')).toBe('20');
    expect(text(p, 'ip.dsfield')).toEqual(['Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)']);
    expect(val(p, 'ip.len')).toBe(String((b[16]! << 8) | b[17]!));
    const id = (b[18]! << 8) | b[19]!;
    expect(val(p, 'ip.id')).toBe(`0x${id.toString(16).padStart(4, '0')}`);
    expect(text(p, 'ip.id')).toEqual([`Identification: 0x${id.toString(16).padStart(4, '0')} (${id})`]);
    expect(text(p, 'ip.flags')).toEqual(["010. .... = Flags: 0x2, Don't fragment"]);
    expect([val(p, 'ip.flags'), val(p, 'ip.flags.rb'), val(p, 'ip.flags.df'), val(p, 'ip.flags.mf')]).toEqual(['0x02', '0', '1', '0']);
    expect(text(p, 'ip.frag_offset')).toEqual(['...0 0000 0000 0000 = Fragment Offset: 0']);
    expect(text(p, 'ip.proto')).toEqual(['Protocol: ICMP (1)']);
    const ck = (b[24]! << 8) | b[25]!;
    expect(text(p, 'ip.checksum')).toEqual([`Header Checksum: 0x${ck.toString(16).padStart(4, '0')} [validation disabled]`]);
    expect(val(p, 'ip.checksum.status')).toBe('2');
    expect(val(p, 'ip.addr')).toBe('10.99.0.1,10.99.0.2');
    expect(nodes(p, 'ip.src_host').map((n) => [n.hidden, n.value])).toEqual([[true, '10.99.0.1']]);
    expect(nodes(p, 'ip.dst').map((n) => [n.offset, n.length])).toEqual([[30, 4]]);
    expect([col(p, 'Source'), col(p, 'Destination')]).toEqual(['10.99.0.1', '10.99.0.2']);
  });

  it('validates the header checksum with ip.check_checksum, as tshark does', async () => {
    const p = (await dissectFile(fixture('ping-arp.pcap'), { prefs: { 'ip.check_checksum': true } }))[2]!;
    const ck = val(p, 'ip.checksum');
    expect(text(p, 'ip.checksum')).toEqual([`Header Checksum: ${ck} [correct]`]);
    expect([val(p, 'ip.checksum.status'), val(p, 'ip.checksum_calculated')]).toEqual(['1', ck]);
  });
});

describe('reassembly (fixtures/udp-frag.pcap)', () => {
  it('six fragments shown as data, the seventh rebuilds the 10248-byte UDP datagram', async () => {
    const ps = await dissectFile(fixture('udp-frag.pcap'));
    const id = (ps[0]!.rec.data[18]! << 8) | ps[0]!.rec.data[19]!;
    let off = 0;
    for (const p of ps.slice(0, 6)) {
      expect(col(p, 'Info')).toBe(`Fragmented IP protocol (proto=UDP 17, off=${off}, ID=${id.toString(16).padStart(4, '0')})`);
      expect([col(p, 'Protocol'), protos(p), val(p, 'ip.flags.mf')]).toEqual(['IPv4', 'eth:ethertype:ip:data', '1']);
      expect(val(p, 'data.len')).toBe('1480');
      expect(nodes(p, 'ip.fragment')).toHaveLength(0);
      off += 1480;
    }
    const last = ps[6]!;
    expect(protos(last)).toBe('eth:ethertype:ip:udp:data');
    expect(val(last, 'ip.fragment')).toBe('1,2,3,4,5,6,7');
    expect([val(last, 'ip.fragment.count'), val(last, 'ip.reassembled.length')]).toEqual(['7', '10248']);
    expect(text(last, 'ip.fragments')).toEqual(['7 IPv4 Fragments (10248 bytes): #1(1480), #2(1480), #3(1480), #4(1480), #5(1480), #6(1480), #7(1368)']);
    expect(text(last, 'ip.fragment')[6]).toBe('Frame: 7, payload: 8880-10247 (1368 bytes)');
    // the reassembled datagram is the frames' payloads in order, and the UDP layer is dissected from it
    const whole = Buffer.concat(ps.slice(0, 7).map((p) => Buffer.from(p.rec.data.subarray(34, 14 + ((p.rec.data[16]! << 8) | p.rec.data[17]!)))));
    expect(val(last, 'ip.fragments') === whole.toString('hex')).toBe(true);
    expect(last.sources).toHaveLength(1);
    const u = last.layers.find((l) => l.proto === 'udp')!;
    expect([u.src, u.offset]).toEqual([1, 0]);
    expect([val(last, 'udp.length'), val(last, 'data.len')]).toEqual(['10248', '10240']);
    expect(col(last, 'Info')).toBe(`${whole.readUInt16BE(0)} \u2192 ${whole.readUInt16BE(2)} Len=10240`);
    expect(col(last, 'Protocol')).toBe('UDP');
  });
});

describe('lengths and versions (frames checked against tshark 4.0)', () => {
  const payload = udp(1111, 2222, [0x64, 0x61, 0x74, 0x61, 0x21]);

  it('total length 0 (TSO/GSO) is taken as the reported length, shown as generated', () => {
    const [p] = dissectFrames([eth(ip4(payload, { tot: 0 }))]);
    expect(val(p!, 'ip.len')).toBe('33');
    expect(text(p!, 'ip.len')).toEqual(['Total Length: 33 bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))']);
    expect(nodes(p!, 'ip.len')[0]!.generated).toBe(true);
    expect(col(p!, 'Info')).toBe('1111 \u2192 2222 Len=5');
  });

  it('a total length below the header length stops the dissection with an expert item', () => {
    const [p] = dissectFrames([eth(ip4(payload, { tot: 19 }))]);
    expect(col(p!, 'Info')).toBe('Bogus IP length (19, less than header length 20)');
    expect(text(p!, 'ip.len')).toEqual(['Total Length: 19 bytes (bogus, less than header length 20)']);
    expect(experts(p!)).toEqual(['Bogus IP length']);
    expect(protos(p!)).toBe('eth:ethertype:ip');
  });

  it('a total length past the frame is flagged and the frame length is kept', () => {
    const [p] = dissectFrames([eth(ip4(payload, { tot: 200 }))]);
    expect(experts(p!)).toEqual(['IPv4 total length exceeds packet length (33 bytes)']);
    expect(protos(p!)).toBe('eth:ethertype:ip:udp:data');
    expect(p!.malformed).toBe(false);
  });

  it('a header length below 20 and a wrong version through the ethertype table', () => {
    const bad = ip4(payload);
    bad[0] = 0x44;
    const [p] = dissectFrames([eth(bad)]);
    expect(col(p!, 'Info')).toBe('Bogus IP header length (16, must be at least 20)');
    expect(experts(p!)).toEqual(['Bogus IP header length (16, must be at least 20)']);
    expect(val(p!, 'ip.hdr_len')).toBe('16');
    const v5 = ip4(payload);
    v5[0] = 0x55;
    const [q] = dissectFrames([eth(v5)]);
    expect([col(q!, 'Protocol'), col(q!, 'Info'), protos(q!)]).toEqual(['IPv4', 'Bogus IPv4 version (5, must be 4)', 'eth:ethertype:ip']);
    expect(experts(q!)).toEqual(['Bogus IPv4 version']);
  });

  it('a wrong version on LINKTYPE_IPV4 (Wireshark\'s "ip" handle): bogus version item, or IPv6', () => {
    const v5 = ip4(payload);
    v5[0] = 0x55;
    const [p] = dissectFrames([v5], {}, 228);
    expect([col(p!, 'Protocol'), col(p!, 'Info'), protos(p!)]).toEqual(['IP', 'Bogus IP version (5)', 'ip']);
    expect(ipLayer(p!).summary).toBe('Internet Protocol, bogus version (5)');
    expect(experts(p!)).toEqual(['Bogus IP version']);
  });

  it('a header cut by the snaplen is "IPv4 truncated", one cut by its total length is malformed', () => {
    const f = eth(ip4(payload));
    const [cut] = dissectFrames([[f.subarray(0, 20), f.length]]);
    expect([val(cut!, 'ip.len'), val(cut!, 'ip.id')]).toEqual(['33', '0x0001']);
    expect(nodes(cut!, 'ip.flags')).toHaveLength(0);
    expect(cut!.layers[cut!.layers.length - 1]!.summary).toBe('[Packet size limited during capture: IPv4 truncated]');
    // 19 bytes of header reported: the destination address reads past the end
    const short = eth(ip4(payload, { tot: 84 })).subarray(0, 33);
    const [m] = dissectFrames([short]);
    expect(experts(m!)[0]).toBe('IPv4 total length exceeds packet length (19 bytes)');
    expect(val(m!, 'ip.src')).toBe('10.0.0.1');
    expect(m!.malformed).toBe(true);
  });

  it('the protocol names are Wireshark 4.0\'s ipproto_val, and an undissected protocol names itself in Info', () => {
    expect([ipProtoName(51), ipProtoName(47), ipProtoName(200), ipProtoName(253)]).toEqual(['Authentication Header', 'Generic Routing Encapsulation', 'Unassigned', 'Unknown']);
    const [p] = dissectFrames([eth(ip4(Uint8Array.from([1, 2, 3, 4]), { proto: 103 }))]);
    expect([col(p!, 'Info'), protos(p!), val(p!, 'data.len')]).toEqual(['PIM (103)', 'eth:ethertype:ip:data', '4']);
  });
});

describe('options', () => {
  const payload = udp(1111, 2222, [0x21]);

  it('record route with the next empty slot', () => {
    const [p] = dissectFrames([eth(ip4(payload, { opts: [7, 11, 8, 1, 2, 3, 4, 0, 0, 0, 0, 1] }))]);
    expect(ipTexts(p!)).toEqual(['Options: (12 bytes), Record Route']);
    expect(val(p!, 'ip.opt.type')).toBe('7,1');
    expect(text(p!, 'ip.options.record_route')).toEqual(['IP Option - Record Route (11 bytes)']);
    expect(text(p!, 'ip.opt.type.class')).toEqual(['.00. .... = Class: Control (0)', '.00. .... = Class: Control (0)']);
    expect([val(p!, 'ip.opt.ptr'), val(p!, 'ip.rec_rt'), val(p!, 'ip.empty_rt')]).toEqual(['8', '1.2.3.4', '0.0.0.0']);
    expect(text(p!, 'ip.empty_rt')).toEqual(['Empty Route: 0.0.0.0 <- (next)']);
    expect(text(p!, 'ip.options.nop')).toEqual(['IP Option - No-Operation (NOP)']);
  });

  it('router alert, four NOPs in a row, and a link-local multicast TTL', () => {
    const [p] = dissectFrames([eth(ip4(Uint8Array.from([0x22, 0, 0, 0, 0, 0, 0, 0]), { dst: [224, 0, 0, 22], proto: 2, ttl: 1, opts: [148, 4, 0, 0, 1, 1, 1, 1] }))]);
    expect(text(p!, 'ip.options.routeralert')).toEqual(['IP Option - Router Alert (4 bytes): Router shall examine packet (0)']);
    expect(val(p!, 'ip.opt.ra')).toBe('0');
    expect(experts(p!)).toEqual(['4 NOP in a row - a router may have removed some options']);
    expect(col(p!, 'Info')).toBe('IGMP (2)');
  });

  it('a loose source route still in progress: the destination is its last address', () => {
    const [p] = dissectFrames([eth(ip4(payload, { opts: [131, 11, 4, 9, 9, 9, 9, 8, 8, 8, 8, 0] }))]);
    expect(ipLayer(p!).summary).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 8.8.8.8, Via: 10.0.0.2');
    expect(col(p!, 'Destination')).toBe('8.8.8.8');
    expect([val(p!, 'ip.cur_rt'), val(p!, 'ip.dst'), val(p!, 'ip.src_rt')]).toEqual(['10.0.0.2', '8.8.8.8', '9.9.9.9']);
    expect(text(p!, 'ip.src_rt')).toEqual(['Source Route: 9.9.9.9 <- (next)']);
    expect(ipTexts(p!)).toEqual(['Options: (12 bytes), Loose Source Route']);
  });

  it('time stamps, and lengths that do not fit', () => {
    const [ts] = dissectFrames([eth(ip4(payload, { opts: [68, 12, 9, 0, 0, 0, 0x30, 0x39, 0, 0, 0, 0] }))]);
    expect([val(ts!, 'ip.opt.ptr'), val(ts!, 'ip.opt.flag'), val(ts!, 'ip.opt.time_stamp')]).toEqual(['9', '0x00', '12345,0']);
    expect(text(ts!, 'ip.opt.flag')).toEqual(['.... 0000 = Flag: Time stamps only (0x0)']);
    const [bad] = dissectFrames([eth(ip4(payload, { opts: [0x9e, 4, 1, 2, 0x9f, 1, 0, 0] }))]);
    expect(ipTexts(bad!)).toEqual(['Options: (8 bytes)', 'Unknown (0x9e) (4 bytes)', 'Unknown (0x9f) (with too-short option length = 1 byte)']);
    expect(experts(bad!)).toEqual(['Unknown (0x9f) (with too-short option length = 1 byte)']);
    const [ra6] = dissectFrames([eth(ip4(payload, { opts: [148, 6, 0, 0, 0, 0, 0, 0] }))]);
    expect(experts(ra6!)).toEqual(['Router Alert (with option length = 6 bytes; should be 4)']);
    expect(text(ra6!, 'ip.options.routeralert')).toEqual(['IP Option - Router Alert (4 bytes): Router shall examine packet (0)']);
  });

  it.skipIf(!hasCorpus)('a timestamp option running past the captured header (corpus ip_ts_opts_asan.pcap)', async () => {
    const [p] = await dissectFile(corpus('tcpdump/ip_ts_opts_asan.pcap'));
    expect(experts(p!).slice(0, 3)).toEqual([
      '"Time To Live" only 0',
      'Suboption would go past end of option',
      'Unknown (0xf5) (option length = 19 bytes says option goes past end of options)',
    ]);
    expect([val(p!, 'ip.opt.time_stamp_addr'), val(p!, 'ip.opt.time_stamp'), val(p!, 'ip.opt.flag')]).toEqual(['0.0.52.112', '1229070338', '0x01']);
  });
});

describe('checksum and TTL notes', () => {
  it('a bad header checksum: the expected value, an error, and no reassembly', () => {
    const f1 = eth(ip4(udp(1, 2, new Array(16).fill(7)).subarray(0, 16), { flags: 1, id: 9, cksum: 0x0101 }));
    const f2 = eth(ip4(udp(1, 2, new Array(16).fill(7)).subarray(16), { off: 16, id: 9 }));
    const [p, q] = dissectFrames([f1, f2], { prefs: { 'ip.check_checksum': true } });
    const hdr = Uint8Array.from(f1.subarray(14, 34));
    hdr[10] = hdr[11] = 0;
    const should = `0x${fold(sum16(hdr, 0, 20)).toString(16).padStart(4, '0')}`;
    expect(text(p!, 'ip.checksum')).toEqual([`Header Checksum: 0x0101 incorrect, should be ${should}(may be caused by "IP checksum offload"?)`]);
    expect([val(p!, 'ip.checksum.status'), val(p!, 'ip.checksum_calculated')]).toEqual(['0', should]);
    expect(experts(p!)).toEqual([`Bad checksum [should be ${should}]`]);
    // not reassembled: the first fragment goes to UDP as a fragment, the second is data
    expect(protos(p!)).toBe('eth:ethertype:ip:udp:data');
    expect(col(q!, 'Info')).toBe('Fragmented IP protocol (proto=UDP 17, off=16, ID=0009)');
  });

  it('"Time To Live" notes: low to a unicast address, and the Local Network Control Block (mDNS)', () => {
    const [lo, ospf, mdns] = dissectFrames([
      eth(ip4(udp(1, 2, [1]), { ttl: 3 })),
      eth(ip4(Uint8Array.from([1, 2, 3]), { ttl: 3, proto: 89 })),
      // an empty mDNS query (a 12-byte header, no records)
      eth(ip4(udp(5353, 5353, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), { ttl: 1, dst: [224, 0, 0, 251] })),
    ]);
    expect(experts(lo!)).toEqual(['"Time To Live" only 3']);
    expect(nodes(lo!, 'ip.ttl.too_small')).toHaveLength(1);
    expect(experts(ospf!)).toEqual([]);
    expect(experts(mdns!)).toEqual(['"Time To Live" != 255 for a packet sent to the Local Network Control Block (see RFC 3171)']);
  });
});

describe('fragment trains (the reassembly rules of Wireshark 4.0)', () => {
  const data = Uint8Array.from({ length: 776 }, (_, i) => i & 255);
  const dgram = udp(4000, 5000, data.subarray(0, 768));
  const frag = (off: number, end: number, more: boolean, id: number, body = dgram.subarray(off, end)) =>
    eth(ip4(body, { id, flags: more ? 1 : 0, off }));

  it('out of order, then a copy after completion starts a new datagram', () => {
    const ps = dissectFrames([frag(400, 776, false, 1), frag(0, 200, true, 1), frag(200, 400, true, 1), frag(0, 200, true, 1)]);
    expect(val(ps[2]!, 'ip.fragment')).toBe('2,3,1');
    expect(col(ps[2]!, 'Info')).toBe('4000 \u2192 5000 Len=768');
    expect(col(ps[3]!, 'Info')).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=0001)');
  });

  it('an overlap with other bytes is a conflict: the fragment is listed as ip.fragment.error', () => {
    const bad = Uint8Array.from(dgram.subarray(96, 200));
    bad[5]! ^= 0xff;
    const ps = dissectFrames([frag(0, 104, true, 4), frag(96, 200, true, 4, bad), frag(200, 304, true, 4), frag(104, 200, true, 4), frag(304, 400, false, 4)]);
    const last = ps[4]!;
    expect([val(last, 'ip.fragment'), val(last, 'ip.fragment.error')]).toEqual(['1,4,3,5', '2']);
    expect([val(last, 'ip.fragment.overlap'), val(last, 'ip.fragment.overlap.conflict')]).toEqual(['1,1', '1']);
    // the first bytes laid win: the reassembled datagram is the original one
    expect(val(last, 'ip.fragments') === Buffer.from(dgram.subarray(0, 400)).toString('hex')).toBe(true);
  });

  it('a second tail of another length is "multiple tails"; a fragment past the end is "too long"', () => {
    const ps = dissectFrames([frag(0, 200, true, 5), frag(296, 400, false, 5), frag(304, 408, false, 5), frag(200, 304, true, 5)]);
    const last = ps[3]!;
    expect(val(last, 'ip.reassembled.length')).toBe('400');
    expect([val(last, 'ip.fragment'), val(last, 'ip.fragment.error')]).toEqual(['1,4,2', '3']);
    expect([val(last, 'ip.fragment.multipletails'), val(last, 'ip.fragment.toolongfragment')]).toEqual(['1', '1']);
    // an error among the fragments: Wireshark's update_col_info is off, nothing else changes here
    expect(col(last, 'Protocol')).toBe('UDP');
  });

  it('a first fragment cut by the snaplen is not reassembled: its UDP header is dissected as a fragment', () => {
    const f = frag(0, 200, true, 7);
    const [p] = dissectFrames([[f.subarray(0, 60), f.length]]);
    expect(protos(p!)).toBe('eth:ethertype:ip:udp:data');
    expect(col(p!, 'Info')).toBe('4000 \u2192 5000 Len=768');
    expect(experts(p!)).toEqual([]);
    expect(val(p!, 'data.len')).toBe('18');
  });

  it('memory stays bounded: incomplete datagrams beyond MAX_OPEN are dropped oldest first', () => {
    const d = new Defragmenter();
    const chunk = new Uint8Array(64);
    for (let i = 0; i < MAX_OPEN + 500; i++) d.add(`k${i}`, i + 1, 0, chunk, true);
    expect(d.openCount).toBe(MAX_OPEN);
    expect(d.bufferedBytes).toBe(MAX_OPEN * 64);
    // the oldest ones are gone: their tails complete nothing; a recent one still completes
    expect(d.add('k0', 9000, 64, chunk, false)).toBeNull();
    expect(d.add(`k${MAX_OPEN + 499}`, 9001, 64, chunk, false)?.data.length).toBe(128);
    expect(MAX_BYTES).toBeGreaterThan(MAX_PENDING_BYTES);
  });

  it('memory stays bounded: a train that never completes cannot grow one datagram without limit', () => {
    const d = new Defragmenter();
    const chunk = new Uint8Array(1480);
    let n = 0;
    for (let i = 0; i < 2000; i++) if (d.add('same', i + 1, 0, chunk, true) === null) n++;
    expect(n).toBe(2000);
    expect(d.openCount).toBe(1);
    expect(d.bufferedBytes).toBeLessThanOrEqual(MAX_PENDING_BYTES);
    // overlapping copies of one offset, then the tail: one datagram, every copy flagged
    const e = new Defragmenter();
    for (let i = 0; i < 3; i++) e.add('x', i + 1, 0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), true);
    const r = e.add('x', 4, 8, Uint8Array.of(9), false)!;
    expect(r.fragments.map((f) => [f.frame, !!f.overlap, !!f.conflict])).toEqual([[1, false, false], [2, true, false], [3, true, false], [4, false, false]]);
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e.openCount).toBe(0);
  });
});

describe.skipIf(!hasCorpus)('corpus captures with odd IPv4 headers', () => {
  it('fragmented-1.pcap: a duplicate first fragment that overlaps, conflicts and is too long', async () => {
    const ps = await dissectFile(corpus('zeek/ipv4/fragmented-1.pcap'));
    const p = ps[2]!;
    expect([val(p, 'ip.fragment'), val(p, 'ip.fragment.error'), val(p, 'ip.fragment.count')]).toEqual(['1', '3,2', '3']);
    expect([val(p, 'ip.fragment.overlap'), val(p, 'ip.fragment.toolongfragment'), val(p, 'ip.reassembled.length')]).toEqual(['1,1', '1', '164']);
    expect(text(p, 'ip.fragments')).toEqual(['3 IPv4 Fragments (164 bytes): #1(18), #3(304), #2(116)']);
    expect(col(p, 'Info')).toBe('123 \u2192 137 Len=10');
  });

  it('ip-bogus-header-len.pcap: TSO length, TTL 0, an unknown ICMP type', async () => {
    const [p] = await dissectFile(corpus('zeek/ip-bogus-header-len.pcap'));
    expect(val(p!, 'ip.len')).toBe('46');
    expect(experts(p!)).toEqual(['"Time To Live" only 0', 'Bad checksum [should be 0x9d8c]']);
  });

  it('ipv4_invalid_total_length_2.pcap and ipv4_invalid_hdr_length.pcap', async () => {
    const [a] = await dissectFile(corpus('tcpdump/ipv4_invalid_total_length_2.pcap'));
    expect(col(a!, 'Info')).toBe('Bogus IP length (19, less than header length 20)');
    const [b] = await dissectFile(corpus('tcpdump/ipv4_invalid_hdr_length.pcap'));
    expect(col(b!, 'Info')).toBe('Bogus IP header length (16, must be at least 20)');
  });

  it('bigtcp-ipv4.pcap: total length 0 over an 80 KB frame', async () => {
    const [p] = await dissectFile(corpus('tcpdump/bigtcp-ipv4.pcap'));
    expect(val(p!, 'ip.len')).toBe('80052');
    expect(protos(p!)).toBe('eth:ethertype:ip:tcp:data');
  });
});

// ---- differential: these files, every ip.* field and the columns, cell by cell against tshark ----
const IP_FIELDS = `ip.version ip.hdr_len ip.dsfield ip.dsfield.dscp ip.dsfield.ecn ip.len ip.id ip.flags ip.flags.rb ip.flags.df
ip.flags.mf ip.frag_offset ip.ttl ip.proto ip.checksum ip.checksum_calculated ip.checksum.status ip.src ip.dst ip.addr ip.src_host
ip.dst_host ip.host ip.cur_rt ip.opt.type ip.opt.type.copy ip.opt.type.class ip.opt.type.number ip.opt.len ip.opt.ptr ip.opt.ra
ip.opt.sid ip.opt.mtu ip.opt.id_number ip.opt.ohc ip.opt.rhc ip.opt.originator ip.opt.sec_rfc791_sec ip.opt.sec_rfc791_comp
ip.opt.sec_rfc791_hr ip.opt.sec_rfc791_tcc ip.rec_rt ip.src_rt ip.empty_rt ip.opt.overflow ip.opt.flag ip.opt.time_stamp
ip.opt.time_stamp_addr ip.opt.len.invalid ip.subopt_too_long ip.nop ip.fragment ip.fragment.count ip.fragment.overlap
ip.fragment.overlap.conflict ip.fragment.multipletails ip.fragment.toolongfragment ip.fragment.error ip.fragments
ip.reassembled.length ip.reassembled.data ip.bogus_ip_length ip.bogus_ip_version ip.bogus_header_length ip.ttl.too_small ip.ttl.lncb
ip.checksum_bad.expert data.data data.len`.split(/\s+/);
const COLS = ['_ws.col.Protocol', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Info', 'frame.protocols', '_ws.expert.message'];

/** frames built above, as capture files for tshark */
function craftedFiles(): string[] {
  const pl = udp(1111, 2222, [0x64, 0x61, 0x74, 0x61, 0x21]);
  const opts = [
    [7, 11, 8, 1, 2, 3, 4, 0, 0, 0, 0, 1], [68, 12, 9, 0, 0, 0, 0x30, 0x39, 0, 0, 0, 0], [148, 4, 0, 0, 1, 1, 1, 1],
    [131, 11, 4, 9, 9, 9, 9, 8, 8, 8, 8, 0], [130, 11, 0xf1, 0x35, 0, 7, 0x61, 0x62, 0x78, 0x79, 0x7a, 0],
    [0x9e, 4, 1, 2, 0x9f, 1, 0, 0], [148, 6, 0, 0, 0, 0, 0, 0], [136, 4, 0, 5, 11, 4, 5, 220, 82, 12, 0, 1, 0, 2, 0, 3, 1, 2, 3, 4],
    [137, 7, 8, 1, 1, 1, 1, 0], [7, 3, 3, 0],
  ];
  const a = opts.map((o) => eth(ip4(pl, { opts: o })));
  a.push(eth(ip4(pl, { tot: 0 })), eth(ip4(pl, { tot: 200 })), eth(ip4(pl, { ttl: 3 })), eth(ip4(pl, { ttl: 1, dst: [224, 0, 0, 251] })));
  a.push(eth(ip4(pl, { tos: 0xb9 })), eth(ip4(Uint8Array.from([1, 2, 3]), { proto: 253 })), eth(ip4(pl, { flags: 4 })));
  const data = Uint8Array.from({ length: 776 }, (_, i) => i & 255);
  const dg = udp(4000, 5000, data.subarray(0, 768));
  const frag = (off: number, end: number, more: boolean, id: number, body = dg.subarray(off, end)) => eth(ip4(body, { id, flags: more ? 1 : 0, off }));
  const bad = Uint8Array.from(dg.subarray(96, 200));
  bad[5]! ^= 0xff;
  const b = [
    frag(400, 776, false, 1), frag(0, 200, true, 1), frag(200, 400, true, 1), frag(0, 200, true, 2), frag(400, 776, false, 2),
    frag(0, 104, true, 4), frag(96, 200, true, 4, bad), frag(200, 300, true, 4), frag(104, 200, true, 4), frag(300, 400, false, 4),
    frag(0, 200, true, 5), frag(296, 400, false, 5), frag(304, 408, false, 5), frag(200, 304, true, 5), frag(0, 200, true, 1),
  ];
  const v5 = ip4(pl);
  v5[0] = 0x55;
  return [writePcap('options.pcap', a), writePcap('fragments.pcap', b), writePcap('rawip4.pcap', [ip4(pl), v5], 228)];
}

describe.skipIf(!hasTshark)('IPv4 agrees with tshark', () => {
  const fieldsFiles = [fixture('ping-arp.pcap'), fixture('udp-frag.pcap'), fixture('icmp-unreach.pcap')];
  // with TCP: the IPv4 fields and the addresses (the TCP owner's cells are measured elsewhere)
  const corpusTcp = ['zeek/ipv4/fragmented-4.pcap', 'tcpdump/bigtcp-ipv4.pcap'];
  const corpusClean = ['zeek/ipv4/fragmented-1.pcap', 'tcpdump/ipv4_invalid_total_length.pcap', 'tcpdump/ipv4_invalid_total_length_2.pcap',
    'tcpdump/ipv4_invalid_hdr_length.pcap', 'zeek/ip-bogus-header-len.pcap', 'zeek/unknown-ip-short-payload.pcap', 'zeek/tunnels/4in4.pcap',
    'tcpdump/LINKTYPE_IPV4_invalid.pcap'];
  // cut by the snaplen or their own lengths: the IPv4 fields only (the engine owns the short/malformed marks)
  const corpusCut = ['tcpdump/ip_ts_opts_asan.pcap', 'tcpdump/ipv4_invalid_length.pcap', 'zeek/trunc/ipv4-internally-truncated-header.pcap'];

  async function check(files: string[], fields: string[], prefs: string[] = []): Promise<string[]> {
    const res = await pool(files, 4, async (f) => {
      const [t, m] = await Promise.all([tsharkRows(f, fields, prefs), minisharkRows(f, fields, prefs)]);
      return compareRows(fields, t, m).diffs.slice(0, 3).map((d) => `${path.basename(f)} #${d.frame} ${d.field}: tshark=${d.tshark} minishark=${d.minishark}`);
    });
    return res.flat();
  }

  it('fixtures and crafted frames: every cell (and with ip.check_checksum)', async () => {
    const files = [...fieldsFiles, ...craftedFiles()];
    expect(await check(files, [...IP_FIELDS, ...COLS])).toEqual([]);
    expect(await check(files.slice(-3), [...IP_FIELDS, ...COLS], ['ip.check_checksum:TRUE'])).toEqual([]);
  });

  it.skipIf(!hasCorpus)('corpus captures: every cell', async () => {
    expect(await check(corpusClean.map(corpus), [...IP_FIELDS, ...COLS])).toEqual([]);
    expect(await check(corpusCut.map(corpus), IP_FIELDS)).toEqual([]);
    expect(await check(corpusTcp.map(corpus), [...IP_FIELDS, '_ws.col.Source', '_ws.col.Destination'])).toEqual([]);
  });
});
