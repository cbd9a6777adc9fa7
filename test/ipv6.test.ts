// IPv6 on the bytes of real captures (fixtures/echo-ipv6.pcap, and ../shared/corpus when present):
// the header, the extension header chain (hop-by-hop, routing, fragment, destination options),
// jumbograms, reassembly, the address-derived fields, malformed headers, plus synthetic chains that
// must stay bounded, and a differential check of every IPv6 field and the columns against tshark.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupField } from '../src/core/field.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { MAX_EXT_HEADERS } from '../src/dissectors/ipv6.js';
import { CORPUS, FIXTURES, compareRows, hasCorpus, hasTshark, minisharkRows, pool, tsharkRows } from './helpers/reference.js';
import { at, col, dissectFile, hex, nodes, protos, text, val } from './helpers/packets.js';

function frame(data: Uint8Array, origLen = data.length, linkType = 1): PacketRecord {
  return { num: 1, ts: { sec: 1000, nsec: 0 }, capLen: data.length, origLen, linkType, interfaceId: 0, data, fileOffset: 0 };
}

const corpus = (f: string) => path.join(CORPUS, f);
const fixture = (f: string) => path.join(FIXTURES, f);

const ETH = '02000a630002 02000a630001 86dd';
const SRC = 'fd000099000000000000000000000001';
const DST = 'fd000099000000000000000000000002';
/** Ethernet + IPv6 header with the given payload length and next header, then `rest` (hex). */
const v6 = (plen: number, nxt: number, rest: string) =>
  hex(`${ETH} 60000000 ${plen.toString(16).padStart(4, '0')} ${nxt.toString(16).padStart(2, '0')} 40 ${SRC} ${DST} ${rest}`);

describe('IPv6 header (fixtures/echo-ipv6.pcap)', () => {
  it('every header field with its value, offset and text; columns; pseudo-header addresses', async () => {
    const ps = await dissectFile(fixture('echo-ipv6.pcap'));
    const syn = ps[2]!;
    const L = syn.layers.find((l) => l.proto === 'ipv6')!;
    expect([L.summary, L.offset, L.length]).toEqual(['Internet Protocol Version 6, Src: fd00:99::1, Dst: fd00:99::2', 14, 40]);
    expect(L.fields.filter((n) => !n.hidden).map((n) => n.def.abbrev)).toEqual([
      'ipv6.version', 'ipv6.tclass', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.src', 'ipv6.dst',
    ]);
    expect(L.fields.filter((n) => n.hidden).map((n) => n.def.abbrev)).toEqual([
      'ip.version', 'ipv6.addr', 'ipv6.src_host', 'ipv6.host', 'ipv6.addr', 'ipv6.dst_host', 'ipv6.host',
    ]);
    expect(['ipv6.version', 'ipv6.tclass', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.src', 'ipv6.dst'].map((f) => at(syn, f)[0]))
      .toEqual([[14, 1], [14, 4], [15, 3], [18, 2], [20, 1], [21, 1], [22, 16], [38, 16]]);
    expect(val(syn, 'ipv6.version')).toBe('6');
    expect(val(syn, 'ip.version')).toBe('6');
    expect(val(syn, 'ipv6.tclass')).toBe('0x00000000');
    // the flow label is random per connection: check it against the bytes
    const d = syn.rec.data;
    const flow = ((d[15]! & 0x0f) << 16) | (d[16]! << 8) | d[17]!;
    expect(val(syn, 'ipv6.flow')).toBe(`0x${flow.toString(16).padStart(6, '0')}`);
    expect(text(syn, 'ipv6.flow')[0]).toMatch(new RegExp(`^\\.\\.\\.\\. [01 ]{24} = Flow Label: 0x${flow.toString(16).padStart(5, '0')}$`));
    expect(text(syn, 'ipv6.tclass')).toEqual(['.... 0000 0000 .... .... .... .... .... = Traffic Class: 0x00 (DSCP: CS0, ECN: Not-ECT)']);
    expect(text(syn, 'ipv6.tclass.ecn')).toEqual(['.... .... ..00 .... .... .... .... .... = Explicit Congestion Notification: Not ECN-Capable Transport (0)']);
    expect(val(syn, 'ipv6.plen')).toBe('40');
    expect(text(syn, 'ipv6.nxt')).toEqual(['Next Header: TCP (6)']);
    expect(val(syn, 'ipv6.hlim')).toBe('64');
    expect(val(syn, 'ipv6.addr')).toBe('fd00:99::1,fd00:99::2');
    expect(val(syn, 'ipv6.host')).toBe('fd00:99::1,fd00:99::2');
    expect(protos(syn)).toBe('eth:ethertype:ipv6:tcp');
    expect([col(syn, 'Source'), col(syn, 'Destination'), col(syn, 'Protocol')]).toEqual(['fd00:99::1', 'fd00:99::2', 'TCP']);
    // no SLAAC details for these addresses
    expect(nodes(syn, 'ipv6.src_slaac_mac')).toHaveLength(0);
  });

  it('fields-only mode keeps just the wanted fields and the same columns', async () => {
    const want = ['ipv6.hlim', 'ipv6.dst'].map((f) => lookupField(f)!);
    const eng = new Engine({ full: false, columns: true, fields: want });
    const recs: PacketRecord[] = [];
    for await (const r of await openCapture(fixture('echo-ipv6.pcap'))) recs.push(r);
    const p = eng.dissect(recs[0]!);
    expect(p.layers.find((l) => l.proto === 'ipv6')!.fields.map((n) => n.def.abbrev)).toEqual(['ipv6.hlim', 'ipv6.dst']);
    expect(val(p, 'ipv6.dst')).toBe('ff02::1:ff00:2');
    expect(col(p, 'Info')).toBe('Neighbor Solicitation for fd00:99::2 from 02:00:0a:63:00:01');
  });
});

describe('IPv6 extension headers on synthetic frames', () => {
  it('a hop-by-hop header with Pad1, PadN and Router Alert, then no next header', () => {
    // 16-byte header: Pad1, PadN (0 bytes), Router Alert (MLD), PadN (5 bytes)
    const p = new Engine().dissect(frame(v6(20, 0, '3b01 00 0100 05020000 01050000000000 ffeeddcc')));
    expect(protos(p)).toBe('eth:ethertype:ipv6:ipv6.hopopts:data');
    expect(text(p, 'ipv6.hopopts')).toEqual(['IPv6 Hop-by-Hop Option']);
    expect(val(p, 'ipv6.hopopts.nxt')).toBe('59');
    expect(val(p, 'ipv6.hopopts.len_oct')).toBe('16');
    expect(nodes(p, 'ipv6.opt').map((n) => n.text)).toEqual(['Pad1', 'PadN', 'Router Alert', 'PadN']);
    expect(val(p, 'ipv6.opt.type')).toBe('0x00,0x01,0x05,0x01');
    expect(val(p, 'ipv6.opt.router_alert')).toBe('0');
    expect(text(p, 'ipv6.opt.router_alert')).toEqual(['Router Alert: MLD (0)']);
    expect(at(p, 'ipv6.opt.router_alert')).toEqual([[61, 2]]);
    expect(text(p, 'ipv6.opt.padn')).toEqual(['PadN: <none>', 'PadN: 0000000000']);
    expect(col(p, 'Info')).toBe('IPv6 hop-by-hop options , IPv6 no next header');
    expect(val(p, 'data.data')).toBe('ffeeddcc');
  });

  it('a chain longer than the cap stops with an expert item instead of walking it all', () => {
    const n = MAX_EXT_HEADERS + 10;
    const hdr = '3c00 0104 00000000';
    const p = new Engine().dissect(frame(v6(n * 8, 60, hdr.repeat(n))));
    expect(p.protocols.filter((x) => x === 'ipv6.dstopts')).toHaveLength(MAX_EXT_HEADERS);
    expect(p.expert.map((e) => e.message)).toContain(`More than ${MAX_EXT_HEADERS} IPv6 extension headers`);
    expect(p.malformed).toBe(false);
    expect(p.layers.at(-1)!.proto).toBe('data');
  });

  it('an option that runs past the datagram is malformed; past the capture, short', () => {
    // PadN claiming 200 bytes inside an 8-byte header of a 16-byte payload
    const bad = new Engine().dissect(frame(v6(16, 60, '1100 01c8 00000000 0000000000000000')));
    expect(bad.malformed).toBe(true);
    expect(protos(bad)).toMatch(/^eth:ethertype:ipv6:ipv6\.dstopts/);
    // the same bytes, but the frame on the wire was longer than what was captured
    const ipv6Short = v6(400, 60, '1100 01c8 00000000 0000000000000000');
    const short = new Engine().dissect(frame(ipv6Short, ipv6Short.length + 400));
    expect(short.malformed).toBe(false);
    expect(short.layers.some((l) => l.proto === '_ws.short')).toBe(true);
  });

  it('a type 2 routing header sets the destination used for the column', () => {
    const home = '20010db8000000000000000000000099';
    const p = new Engine().dissect(frame(v6(32, 43, `3b02 0201 00000000 ${home} 00000000 00000000`)));
    expect(text(p, 'ipv6.routing')).toEqual(['Routing Header for IPv6 (Type 2 Routing)']);
    expect(val(p, 'ipv6.routing.mipv6.home_address')).toBe('2001:db8::99');
    expect(col(p, 'Destination')).toBe('2001:db8::99');
    expect(val(p, 'ipv6.dst')).toBe('fd00:99::2');
  });

  it('jumbo payload option with a non-zero payload length is flagged', () => {
    const p = new Engine().dissect(frame(v6(8, 0, '3b00 c204 00010000')));
    expect(val(p, 'ipv6.opt.jumbo')).toBe('65536');
    expect(p.expert.map((e) => e.abbrev)).toContain('ipv6.opt.jumbo.prohibited');
  });

  it('version 4 in an IPv6 ethertype frame: the Ethertype shows the bytes as data', () => {
    const d = v6(0, 59, '');
    d[14] = 0x45;
    const p = new Engine().dissect(frame(d));
    expect(protos(p)).toBe('eth:ethertype:data');
    expect(p.expert.map((e) => e.message)).toEqual(['Bogus IPv6 version']);
    expect([col(p, 'Protocol'), col(p, 'Info')]).toEqual(['0x86dd', 'IPv6']);
  });
});

describe.skipIf(!hasCorpus)('IPv6 on corpus captures (needs ../shared/corpus)', () => {
  it('ipv6-hbh-routing0.pcap: hop-by-hop PadN, type 0 routing, final destination in the column, SLAAC MACs', async () => {
    const [p] = await dissectFile(corpus('zeek/ipv6-hbh-routing0.pcap'));
    // UDP 53 → 53 with 3 bytes: DNS, whose header is cut (tshark 4.0 too)
    expect(protos(p!)).toBe('eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:udp:dns');
    expect(val(p!, 'ipv6.opt.padn')).toBe('00000000');
    expect(at(p!, 'ipv6.opt.padn')).toEqual([[58, 4]]);
    expect(text(p!, 'ipv6.opt.type.action')).toEqual(['00.. .... = Action: Skip and continue (0)']);
    expect(text(p!, 'ipv6.routing')).toEqual(['Routing Header for IPv6 (Source Route)']);
    expect(val(p!, 'ipv6.routing.src.addr')).toBe('2001:78:1:32::1,2001:78:1:32::2');
    expect(text(p!, 'ipv6.routing.src.addr')).toEqual(['Address[1]: 2001:78:1:32::1', 'Address[2]: 2001:78:1:32::2']);
    expect(val(p!, 'ipv6.routing.segleft')).toBe('2');
    expect(p!.expert.map((e) => [e.message, e.severity, e.group])).toEqual([
      ['Routing header type is deprecated', 'note', 'Deprecated'],
      ['Malformed Packet (Exception occurred)', 'error', 'Malformed'],
    ]);
    expect(col(p!, 'Destination')).toBe('2001:78:1:32::2');
    expect(val(p!, 'ipv6.src_slaac_mac')).toBe('00:e0:81:52:ff:ff');
    expect(val(p!, 'ipv6.slaac_mac')).toBe('00:e0:81:52:ff:ff,00:e0:81:52:9a:6b');
    expect(col(p!, 'Info')).toBe('[Malformed Packet]');
  });

  it('ipv6-fragmented-dns.pcap: fragments shown as data, the last one reassembled into UDP', async () => {
    const ps = await dissectFile(corpus('zeek/ipv6-fragmented-dns.pcap'));
    expect(col(ps[5]!, 'Info')).toBe('IPv6 fragment (off=0 more=y ident=0x00000002 nxt=17)');
    expect(protos(ps[5]!)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
    expect(text(ps[6]!, 'ipv6.fraghdr.offset')).toEqual(['0000 0101 1001 1... = Offset: 179 (1432 bytes)']);
    const last = ps[7]!;
    expect(protos(last)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:udp:dns');
    expect(val(last, 'ipv6.fragment')).toBe('6,7,8');
    expect(text(last, 'ipv6.fragments')).toEqual(['3 IPv6 Fragments (3238 bytes): #6(1432), #7(1432), #8(374)']);
    expect(val(last, 'ipv6.reassembled.length')).toBe('3238');
    expect(val(last, 'udp.length')).toBe('3238');
    expect(last.sources).toHaveLength(1);
    expect(col(last, 'Info')).toBe('Standard query response 0x9f91 TXT txtpadding_3230.n1.netalyzr.icsi.berkeley.edu TXT NS roland.icir.org OPT A 192.150.187.31');
    // without reassembly the first fragment is dissected as UDP and the others stay data
    const raw = await dissectFile(corpus('zeek/ipv6-fragmented-dns.pcap'), { prefs: { 'ipv6.defragment': false } });
    expect(protos(raw[5]!)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:udp:dns');
    expect(col(raw[7]!, 'Info')).toBe('IPv6 fragment (off=2864 more=n ident=0x00000002 nxt=17)');
  });

  it('jumbograms: payload length 0 with a Jumbo Payload option; without one (TSO) the payload is empty', async () => {
    const [hbh] = await dissectFile(corpus('tcpdump/bigtcp-ipv6-hbh.pcap'));
    expect(text(hbh!, 'ipv6.plen')).toEqual(['Payload Length: 0 (Jumbogram)']);
    expect(val(hbh!, 'ipv6.opt.jumbo')).toBe('80040');
    expect(val(hbh!, 'tcp.len')).toBe('80000');
    expect(hbh!.expert.some((e) => e.abbrev.startsWith('ipv6.'))).toBe(false);
    const [tso] = await dissectFile(corpus('tcpdump/bigtcp-ipv6.pcap'));
    expect(tso!.expert.map((e) => e.message)).toContain('IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))');
    expect(tso!.malformed).toBe(true);
    const [big] = await dissectFile(corpus('tcpdump/ipv6_jumbogram_invalid_length.pcap'));
    expect(big!.expert.map((e) => e.message)).toEqual(['IPv6 payload length exceeds framing length (65536 bytes)']);
    const [missing] = await dissectFile(corpus('tcpdump/ipv6_missing_jumbo_payload_option.pcap'));
    expect(missing!.expert[0]!.abbrev).toBe('ipv6.opt.jumbo.missing');
    expect(col(missing!, 'Info')).toMatch(/^Invalid IPv6 payload length , IPv6 hop-by-hop options/);
  });

  it('a long chain of 100 extension headers (ipv6_ext_headers.pcap)', async () => {
    const [p] = await dissectFile(corpus('libpcap/filter/ipv6_ext_headers.pcap'));
    expect(p!.protocols.filter((x) => x === 'ipv6.routing')).toHaveLength(33);
    expect(p!.protocols.filter((x) => x === 'ipv6.fraghdr')).toHaveLength(33);
    expect(protos(p!)).toMatch(/:ipv6\.dstopts:udp:data$/);
    expect(col(p!, 'Info')).toBe('12345 \u2192 54321 Len=10');
  });

  it('truncated and bogus headers', async () => {
    const [h39] = await dissectFile(corpus('tcpdump/ipv6_invalid_length.pcap'));
    expect(col(h39!, 'Info')).toMatch(/^Invalid IPv6 header \(39 bytes, need exactly 40\) ?\[Malformed Packet\]$/);
    expect(h39!.expert[0]!.message).toBe('IPv6 header must be exactly 40 bytes');
    expect(val(h39!, 'ipv6.src')).toBe('2605:bc80:3010:104::8cd3:9ce');
    expect(nodes(h39!, 'ipv6.dst')).toHaveLength(0);
    // the source column is set when the source address was read, the destination stays Ethernet's
    expect([col(h39!, 'Source'), col(h39!, 'Destination')]).toEqual(['2605:bc80:3010:104::8cd3:9ce', 'c0:d6:82:36:03:2b']);
    const [frag] = await dissectFile(corpus('tcpdump/ip6_frag_asan.pcap'));
    expect(protos(frag!)).toMatch(/^eth:ethertype:ipv6:ipv6\.fraghdr/);
    expect(frag!.malformed).toBe(false);
    const [pmtu] = await dissectFile(corpus('tcpdump/ipv6-next-header-oobr-1.pcap'));
    expect(pmtu!.expert[0]!.message).toBe('PMTU Option: Invalid Length (48 bytes)');
    expect(val(pmtu!, 'ipv6.opt.pmtu.min')).toBe('12336');
    const bad = await dissectFile(corpus('tcpdump/ipv6-bad-version.pcap'));
    expect(protos(bad[1]!)).toBe('eth:ethertype:data');
    expect(col(bad[1]!, 'Protocol')).toBe('0x86dd');
  });

  it('Home Address option: the source for the column and the TCP pseudo-header', async () => {
    const [p] = await dissectFile(corpus('zeek/chksums/ip6-hoa-tcp-good-chksum.pcap'), { prefs: { 'tcp.check_checksum': true } });
    expect(val(p!, 'ipv6.opt.mipv6.home_address')).toBe('2001:78:1:32::1');
    expect(col(p!, 'Source')).toBe('2001:78:1:32::1');
    expect(val(p!, 'ipv6.src')).toBe('2001:4f8:4:7:2e0:81ff:fe52:ffff');
    expect(val(p!, 'tcp.checksum.status')).toBe('1');
  });

  it('6to4 details and tunnels (IPv6 in IPv4, IPv6 in IPv6)', async () => {
    const [t] = await dissectFile(corpus('zeek/tunnels/4in6.pcap'));
    expect(val(t!, 'ipv6.src_6to4_gw_ipv4')).toBe('70.55.213.211');
    expect(val(t!, 'ipv6.6to4_gw_ipv4')).toBe('70.55.213.211');
    expect(val(t!, 'ipv6.src_6to4_sla_id')).toBe('0');
    const [p] = await dissectFile(corpus('zeek/tunnels/6in6in6.pcap'));
    expect(protos(p!)).toBe('eth:ethertype:ipv6:ipv6:ipv6:udp:data');
    expect(val(p!, 'ipv6.nxt')).toBe('41,41,17');
    expect([col(p!, 'Source'), col(p!, 'Destination')]).toEqual(['dead::beef', 'cafe::babe']);
    const [q] = await dissectFile(corpus('zeek/tunnels/6in4.pcap'));
    expect(protos(q!)).toBe('eth:ethertype:ip:ipv6:udp:data');
  });
});

// Differences that belong to the engine (its _ws.malformed/_ws.short entries, the spacing of the
// "[Malformed Packet]" suffix, the short-capture expert item) are normalized away; zero-length byte
// fields print <none>/<MISSING> in tshark but nothing here (a formatter matter, see the report).
function norm(field: string, s: string): string {
  if (field === 'frame.protocols') return s.replace(/:_ws\.(malformed|short)/g, '');
  if (field === '_ws.col.Info') return s.replace(/ ?\[Malformed Packet\]/g, '[Malformed Packet]').replace(/\[Packet size limited during capture\]/g, '');
  if (field === '_ws.expert.message') return s.replace(/,?Packet size limited during capture: [^,]*truncated/g, '').replace(/^,/, '');
  return s.replace(/<none>|<MISSING>/g, '');
}

export const IPV6_FIELDS = `ipv6.version ip.version ipv6.tclass ipv6.tclass.dscp ipv6.tclass.ecn ipv6.flow ipv6.plen ipv6.nxt ipv6.hlim
ipv6.src ipv6.dst ipv6.addr ipv6.src_host ipv6.dst_host ipv6.host ipv6.src_slaac_mac ipv6.dst_slaac_mac ipv6.slaac_mac
ipv6.src_6to4_gw_ipv4 ipv6.6to4_gw_ipv4 ipv6.src_6to4_sla_id ipv6.hopopts ipv6.hopopts.nxt ipv6.hopopts.len ipv6.hopopts.len_oct
ipv6.dstopts ipv6.dstopts.nxt ipv6.dstopts.len ipv6.dstopts.len_oct ipv6.opt ipv6.opt.type ipv6.opt.type.action ipv6.opt.type.change
ipv6.opt.type.rest ipv6.opt.length ipv6.opt.pad1 ipv6.opt.padn ipv6.opt.router_alert ipv6.opt.jumbo ipv6.opt.mipv6.home_address
ipv6.opt.pmtu.min ipv6.opt.unknown ipv6.opt.experimental ipv6.routing ipv6.routing.nxt ipv6.routing.len ipv6.routing.type
ipv6.routing.segleft ipv6.routing.src.reserved ipv6.routing.src.addr ipv6.fraghdr ipv6.fraghdr.nxt ipv6.fraghdr.offset
ipv6.fraghdr.more ipv6.fraghdr.ident ipv6.fraghdr.reserved_bits ipv6.fragments ipv6.fragment ipv6.fragment.count
ipv6.reassembled.length ipv6.reassembled.data ipv6.plen_zero ipv6.plen_exceeds_framing ipv6.opt.jumbo.missing
frame.protocols _ws.col.Protocol _ws.col.Source _ws.col.Destination _ws.col.Info _ws.expert.message`.split(/\s+/);

const DIFF_FILES = `fixtures:echo-ipv6.pcap fixtures:icmp-unreach.pcap zeek/ipv6-hbh-routing0.pcap zeek/ipv6-fragmented-dns.pcap
zeek/ipv6-mobility-dst-opts.pcap libpcap/filter/ipv6_ext_headers.pcap tcpdump/bigtcp-ipv6-hbh.pcap tcpdump/ipv6-routing-header.pcap
tcpdump/ipv6-too-long-jumbo.pcap tcpdump/ipv6_jumbogram_invalid_length.pcap tcpdump/ipv6_missing_jumbo_payload_option.pcap
tcpdump/ipv6_no_next_header.pcap tcpdump/ipv6hdr-heapoverflow.pcap tcpdump/ip6_frag_asan.pcap tcpdump/ipv6_invalid_length.pcap
tcpdump/ipv6_invalid_length_2.pcap tcpdump/ipv6-bad-version.pcap zeek/chksums/ip6-hoa-udp-good-chksum.pcap zeek/trunc/ip6-trunc.pcap
zeek/tunnels/6in6in6.pcap zeek/tunnels/6in4.pcap`.split(/\s+/);

describe.skipIf(!hasTshark || !hasCorpus)('IPv6 agrees with tshark (needs tshark and ../shared/corpus)', () => {
  it('every IPv6 field, frame.protocols, the columns and the expert messages', async () => {
    const results = await pool(DIFF_FILES, 8, async (f) => {
      const file = f.startsWith('fixtures:') ? fixture(f.slice(9)) : corpus(f);
      const [t, m] = await Promise.all([tsharkRows(file, IPV6_FIELDS), minisharkRows(file, IPV6_FIELDS)]);
      const nt = t.map((r) => r.map((c, j) => norm(IPV6_FIELDS[j]!, c)));
      const nm = m.map((r) => r.map((c, j) => norm(IPV6_FIELDS[j]!, c)));
      return { f, ...compareRows(IPV6_FIELDS, nt, nm) };
    });
    let compared = 0;
    let equal = 0;
    const bad: string[] = [];
    for (const r of results) {
      compared += r.compared;
      equal += r.equal;
      for (const d of r.diffs.slice(0, 3)) bad.push(`${r.f} #${d.frame} ${d.field}: tshark=${JSON.stringify(d.tshark)} minishark=${JSON.stringify(d.minishark)}`);
    }
    expect(bad).toEqual([]);
    expect(equal / compared).toBeGreaterThan(0.995);
  }, 120_000);
});
