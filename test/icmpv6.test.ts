// ICMPv6 on the bytes of real captures (fixtures/echo-ipv6.pcap and icmp-unreach.pcap, and
// ../shared/corpus when present): neighbor discovery and its options, router advertisements, MLD,
// echo request/reply matching, error messages with the invoking packet dissected inside, checksum
// verification, and a differential check of the ICMPv6 fields and the columns against tshark.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fold, pseudoSum, sum16 } from '../src/core/checksum.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { formatDouble } from '../src/dissectors/icmpv6.js';
import { formatFieldValue } from '../src/output/format.js';
import { CORPUS, FIXTURES, compareRows, hasCorpus, hasTshark, minisharkRows, pool, tsharkRows } from './helpers/reference.js';
import { at, col, dissectFile, hex, nodes, protos, text, val } from './helpers/packets.js';

const corpus = (f: string) => path.join(CORPUS, f);
const fixture = (f: string) => path.join(FIXTURES, f);

const A = hex('fd000099000000000000000000000001');
const B = hex('fd000099000000000000000000000002');
/** An Ethernet + IPv6 frame carrying `icmp` (hex, checksum field zero) with a correct ICMPv6 checksum. */
function icmpFrame(src: Uint8Array, dst: Uint8Array, icmpHex: string, hlim = 64, fixCksum = true): Uint8Array {
  const icmp = hex(icmpHex);
  if (fixCksum) {
    const c = fold(pseudoSum(src, dst, 58, icmp.length) + sum16(icmp, 0, icmp.length));
    icmp[2] = c >> 8;
    icmp[3] = c & 0xff;
  }
  const ip = hex(`60000000 ${icmp.length.toString(16).padStart(4, '0')} 3a ${hlim.toString(16).padStart(2, '0')}`);
  const eth = hex('02000a630002 02000a630001 86dd');
  return Uint8Array.from([...eth, ...ip, ...src, ...dst, ...icmp]);
}
const rec = (num: number, sec: number, nsec: number, data: Uint8Array): PacketRecord =>
  ({ num, ts: { sec, nsec }, capLen: data.length, origLen: data.length, linkType: 1, interfaceId: 0, data, fileOffset: 0 });

describe('Neighbor Discovery (fixtures/echo-ipv6.pcap)', () => {
  it('Neighbor Solicitation with a source link-layer address option', async () => {
    const [ns] = await dissectFile(fixture('echo-ipv6.pcap'));
    const L = ns!.layers.find((l) => l.proto === 'icmpv6')!;
    expect([L.summary, L.offset, L.length]).toEqual(['Internet Control Message Protocol v6', 54, 32]);
    expect(protos(ns!)).toBe('eth:ethertype:ipv6:icmpv6');
    expect(val(ns!, 'icmpv6.type')).toBe('135');
    expect(text(ns!, 'icmpv6.type')).toEqual(['Type: Neighbor Solicitation (135)']);
    expect(at(ns!, 'icmpv6.checksum')).toEqual([[56, 2]]);
    expect(val(ns!, 'icmpv6.checksum.status')).toBe('1');
    expect(text(ns!, 'icmpv6.checksum')[0]).toMatch(/^Checksum: 0x[0-9a-f]{4} \[correct\]$/);
    expect(val(ns!, 'icmpv6.reserved')).toBe('00000000');
    expect(val(ns!, 'icmpv6.nd.ns.target_address')).toBe('fd00:99::2');
    expect(at(ns!, 'icmpv6.nd.ns.target_address')).toEqual([[62, 16]]);
    expect(text(ns!, 'icmpv6.opt')).toEqual(['ICMPv6 Option (Source link-layer address : 02:00:0a:63:00:01)']);
    expect(val(ns!, 'icmpv6.opt.type')).toBe('1');
    expect(text(ns!, 'icmpv6.opt.length')).toEqual(['Length: 1 (8 bytes)']);
    expect(val(ns!, 'icmpv6.opt.linkaddr')).toBe('02:00:0a:63:00:01');
    expect(at(ns!, 'icmpv6.opt.linkaddr')).toEqual([[80, 6]]);
    expect(nodes(ns!, 'icmpv6.opt.src_linkaddr').map((n) => [n.hidden, formatFieldValue(n)])).toEqual([[true, '02:00:0a:63:00:01']]);
    expect(col(ns!, 'Info')).toBe('Neighbor Solicitation for fd00:99::2 from 02:00:0a:63:00:01');
    expect([col(ns!, 'Protocol'), col(ns!, 'Source'), col(ns!, 'Destination')]).toEqual(['ICMPv6', 'fd00:99::1', 'ff02::1:ff00:2']);
  });

  it('Neighbor Advertisement: flags, target, target link-layer address', async () => {
    const na = (await dissectFile(fixture('echo-ipv6.pcap')))[1]!;
    expect(val(na, 'icmpv6.nd.na.flag')).toBe('0x60000000');
    expect(text(na, 'icmpv6.nd.na.flag')).toEqual(['Flags: 0x60000000, Solicited, Override']);
    expect([val(na, 'icmpv6.nd.na.flag.r'), val(na, 'icmpv6.nd.na.flag.s'), val(na, 'icmpv6.nd.na.flag.o')]).toEqual(['0', '1', '1']);
    expect(text(na, 'icmpv6.nd.na.flag.s')).toEqual(['.1.. .... .... .... .... .... .... .... = Solicited: Set']);
    expect(val(na, 'icmpv6.nd.na.target_address')).toBe('fd00:99::2');
    expect(val(na, 'icmpv6.opt.target_linkaddr')).toBe('02:00:0a:63:00:02');
    expect(col(na, 'Info')).toBe('Neighbor Advertisement fd00:99::2 (sol, ovr) is at 02:00:0a:63:00:02');
  });
});

describe('Errors with the invoking packet (fixtures/icmp-unreach.pcap)', () => {
  it('Destination Unreachable (port): the quoted IPv6 and UDP headers are nested, the columns stay the outer ones', async () => {
    const p = (await dissectFile(fixture('icmp-unreach.pcap')))[3]!;
    expect(protos(p)).toBe('eth:ethertype:ipv6:icmpv6:ipv6:udp:data');
    expect(text(p, 'icmpv6.code')).toEqual(['Code: 4 (Port unreachable)']);
    expect(col(p, 'Info')).toBe('Destination Unreachable (Port unreachable)');
    expect([col(p, 'Protocol'), col(p, 'Source'), col(p, 'Destination')]).toEqual(['ICMPv6', 'fd00:99::2', 'fd00:99::1']);
    const inner = p.layers.filter((l) => l.inner).map((l) => l.proto);
    expect(inner.slice(0, 2)).toEqual(['ipv6', 'udp']);
    expect(val(p, 'ipv6.src')).toBe('fd00:99::2,fd00:99::1');
    expect(val(p, 'udp.dstport')).toBe('20003');
    expect(val(p, 'icmpv6.checksum.status')).toBe('1');
  });
});

describe('Echo request/reply matching and checksums (synthetic frames)', () => {
  const req = icmpFrame(A, B, '8000 0000 1234 0001 61626364', 64);
  const rep = icmpFrame(B, A, '8100 0000 1234 0001 61626364', 63);

  it('a reply names its request and the response time; a second identical reply does not', () => {
    const eng = new Engine();
    const p1 = eng.dissect(rec(1, 100, 0, req));
    const p2 = eng.dissect(rec(2, 100, 1_250_000, rep));
    const p3 = eng.dissect(rec(3, 100, 2_000_000, rep));
    expect(col(p1, 'Info')).toBe('Echo (ping) request id=0x1234, seq=1, hop limit=64');
    expect(val(p1, 'icmpv6.echo.identifier')).toBe('0x1234');
    expect(val(p1, 'icmpv6.echo.sequence_number')).toBe('1');
    expect(at(p1, 'icmpv6.echo.sequence_number')).toEqual([[60, 2]]);
    expect(protos(p1)).toBe('eth:ethertype:ipv6:icmpv6:data');
    expect(val(p1, 'data.data')).toBe('61626364');
    expect(col(p2, 'Info')).toBe('Echo (ping) reply id=0x1234, seq=1, hop limit=63 (request in 1)');
    expect(val(p2, 'icmpv6.resp_to')).toBe('1');
    expect(val(p2, 'icmpv6.resptime')).toBe('1.25');
    expect(text(p2, 'icmpv6.resptime')).toEqual(['Response Time: 1.250 ms']);
    expect(col(p3, 'Info')).toBe('Echo (ping) reply id=0x1234, seq=1, hop limit=63');
    expect(nodes(p3, 'icmpv6.resp_to')).toHaveLength(0);
  });

  it('a reply whose data differs from the request (so its checksum does not match) is not paired', () => {
    const eng = new Engine();
    eng.dissect(rec(1, 100, 0, req));
    const other = icmpFrame(B, A, '8100 0000 1234 0001 61626365', 63);
    expect(col(eng.dissect(rec(2, 100, 5, other)), 'Info')).toBe('Echo (ping) reply id=0x1234, seq=1, hop limit=63');
  });

  it('a bad checksum is flagged with the value it should have', () => {
    const bad = icmpFrame(A, B, '8000 abcd 1234 0001 61626364', 64, false);
    const p = new Engine().dissect(rec(1, 1, 0, bad));
    const should = fold(pseudoSum(A, B, 58, 12) + sum16(bad, 54, 12) - 0xabcd);
    const sh = should.toString(16).padStart(4, '0');
    expect(val(p, 'icmpv6.checksum.status')).toBe('0');
    expect(text(p, 'icmpv6.checksum')).toEqual([`Checksum: 0xabcd incorrect, should be 0x${sh}`]);
    expect(p.expert.map((e) => [e.abbrev, e.message, e.severity, e.group])).toEqual([['icmpv6.checksum_bad.expert', `Bad checksum [should be 0x${sh}]`, 'warn', 'Checksum']]);
    // the pseudo-header uses the IPv6 addresses: swap them and the checksum no longer verifies
    const good = new Engine().dissect(rec(1, 1, 0, req));
    expect(val(good, 'icmpv6.checksum.status')).toBe('1');
  });

  it('formats doubles like tshark (%.15g)', () => {
    expect(formatDouble(35.552)).toBe('35.552');
    expect(formatDouble(34.92)).toBe('34.92');
    expect(formatDouble(0.1 + 0.2)).toBe('0.3');
    expect(formatDouble(1000)).toBe('1000');
  });

  it('an error message with nothing quoted is malformed; a truncated option stops the message', () => {
    const p = new Engine().dissect(rec(1, 1, 0, icmpFrame(A, B, '0100 0000 00000000')));
    expect(col(p, 'Info')).toMatch(/^Destination Unreachable \(no route to destination\) ?\[Malformed Packet\]$/);
    expect(p.malformed).toBe(true);
    // an option with length 0 is flagged and ends the options
    const z = new Engine().dissect(rec(1, 1, 0, icmpFrame(A, B, `8500 0000 00000000 ${Buffer.from(B).toString('hex')} 0100 000000000000`)));
    expect(z.expert.map((e) => e.message)).toEqual(['Invalid option length (Zero)']);
    expect(z.malformed).toBe(false);
  });
});

describe.skipIf(!hasCorpus)('ICMPv6 on corpus captures (needs ../shared/corpus)', () => {
  it('icmp6-ping.pcap: request/reply pairs, hop limits, response times', async () => {
    const ps = await dissectFile(corpus('zeek/icmp/icmp6-ping.pcap'));
    expect(col(ps[0]!, 'Info')).toBe('Echo (ping) request id=0x0001, seq=3, hop limit=128');
    expect(col(ps[1]!, 'Info')).toBe('Echo (ping) reply id=0x0001, seq=3, hop limit=47 (request in 1)');
    expect(ps.map((p) => val(p, 'icmpv6.resptime'))).toEqual(['', '35.552', '', '34.828', '', '35.023', '', '34.92']);
    expect(val(ps[1]!, 'icmpv6.checksum')).toBe('0x2810');
  });

  it('icmpv6.pcap: a router advertisement with prefix, RDNSS, DNSSL, MTU, link-layer, interval and home agent options', async () => {
    const [ra, mld2, query] = await dissectFile(corpus('tcpdump/icmpv6.pcap'));
    expect(protos(ra!)).toBe('eth:ethertype:ipv6:icmpv6');
    expect(text(ra!, 'icmpv6.nd.ra.flag')).toEqual(['Flags: 0x20, Home Agent, Prf (Default Router Preference): Medium']);
    expect(text(ra!, 'icmpv6.nd.ra.flag.prf')).toEqual(['...0 0... = Prf (Default Router Preference): Medium (0)']);
    expect(val(ra!, 'icmpv6.nd.ra.router_lifetime')).toBe('15');
    expect(text(ra!, 'icmpv6.opt')).toEqual([
      'ICMPv6 Option (Prefix information : 2222:3333:4444:5555:6600::/72)',
      'ICMPv6 Option (Recursive DNS Server abcd::efef 1234:5678::1)',
      'ICMPv6 Option (DNS Search List Option example.com example.org dom1.dom2.tld)',
      'ICMPv6 Option (MTU : 100)',
      'ICMPv6 Option (Source link-layer address : b0:99:28:c8:d6:6c)',
      'ICMPv6 Option (Advertisement Interval : 5000)',
      'ICMPv6 Option (Home Agent Information)',
    ]);
    expect(val(ra!, 'icmpv6.opt.prefix')).toBe('2222:3333:4444:5555:6600::');
    expect(text(ra!, 'icmpv6.opt.prefix.flag')).toEqual(['Flag: 0xc0, On-link flag(L), Autonomous address-configuration flag(A)']);
    expect(val(ra!, 'icmpv6.opt.rdnss')).toBe('abcd::efef,1234:5678::1');
    expect(val(ra!, 'icmpv6.opt.dnssl')).toBe('example.com,example.org,dom1.dom2.tld');
    expect(val(ra!, 'icmpv6.opt.reserved')).toBe('1,1,1,1,1,1');
    expect(val(ra!, 'icmpv6.opt.padding')).toBe('1');
    expect(val(ra!, 'icmpv6.opt.home_agent_lifetime')).toBe('15');
    expect(col(ra!, 'Info')).toBe('Router Advertisement from b0:99:28:c8:d6:6c');
    // hop-by-hop Router Alert before an MLDv2 report
    expect(protos(mld2!)).toBe('eth:ethertype:ipv6:ipv6.hopopts:icmpv6');
    expect(text(mld2!, 'icmpv6.mldr.mar')).toEqual(['Multicast Address Record Changed to exclude: ff02::db8:1122:3344']);
    expect(val(mld2!, 'icmpv6.mldr.mar.record_type')).toBe('4');
    expect(col(mld2!, 'Info')).toBe('Multicast Listener Report Message v2');
    // MLDv2 query
    expect(val(query!, 'icmpv6.mld.maximum_response_code')).toBe('10000');
    expect(text(query!, 'icmpv6.mld.flag.qrv')).toEqual([".... .010 = QRV (Querier's Robustness Variable): 2"]);
    expect(val(query!, 'icmpv6.mld.qqi')).toBe('60');
  });

  it('icmp6-nd-short-options.pcap: messages cut short are malformed after the fields that fit', async () => {
    const ps = await dissectFile(corpus('zeek/icmp/icmp6-nd-short-options.pcap'));
    expect(ps[0]!.malformed).toBe(true);
    expect(val(ps[0]!, 'icmpv6.nd.ra.reachable_time')).toBe('0');
    expect(nodes(ps[0]!, 'icmpv6.nd.ra.retrans_timer')).toHaveLength(0);
    expect(col(ps[3]!, 'Info')).toBe('Neighbor Advertisement fe80::3 (rtr, ovr) from 00:11:22:33:44:55');
    expect(col(ps[7]!, 'Info')).toBe('Redirect from 00:11:22:33:44:55');
    expect(ps.map((p) => p.malformed)).toEqual([true, false, true, false, true, false, true, false, false, false, false, false, true, true, true, true]);
  });

  it('errors: time exceeded, packet too big, parameter problem, redirect with a redirected header', async () => {
    const [tx] = await dissectFile(corpus('zeek/icmp/icmp6-timeexceeded.pcap'));
    expect(col(tx!, 'Info')).toBe('Time Exceeded (hop limit exceeded in transit)');
    expect(protos(tx!)).toBe('eth:ethertype:ipv6:icmpv6:ipv6:udp:data');
    const [tb] = await dissectFile(corpus('zeek/icmp/icmp6-toobig.pcap'));
    expect(val(tb!, 'icmpv6.mtu')).toBe('1280');
    const [pp] = await dissectFile(corpus('zeek/icmp/icmp6-paramprob.pcap'));
    expect(val(pp!, 'icmpv6.pointer')).toBe('6');
    const [rd] = await dissectFile(corpus('zeek/icmp/icmp6-redirect-hdr-opt.pcap'));
    expect(protos(rd!)).toBe('eth:ethertype:ipv6:icmpv6:ipv6:udp:data');
    expect(val(rd!, 'icmpv6.rd.na.destination_address')).toBe('fe80::babe');
    expect(nodes(rd!, 'icmpv6.opt.redirected_packet')).toHaveLength(1);
    expect(col(rd!, 'Info')).toBe('Redirect');
    // the invoking packet's extension headers; a quoted header with nothing after it stops there
    const [ext] = await dissectFile(corpus('zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap'));
    expect(protos(ext!)).toBe('eth:ethertype:ipv6:icmpv6:ipv6:ipv6.hopopts:udp:data');
    const [trunc] = await dissectFile(corpus('zeek/icmp/icmp6-destunreach-ip6ext-trunc.pcap'));
    expect(protos(trunc!)).toBe('eth:ethertype:ipv6:icmpv6:ipv6');
    expect(trunc!.malformed).toBe(false);
  });

  it('checksums with a routing header use the final destination', async () => {
    const [good] = await dissectFile(corpus('zeek/chksums/ip6-route0-icmp6-good-chksum.pcap'));
    expect(val(good!, 'icmpv6.checksum.status')).toBe('1');
    const [bad] = await dissectFile(corpus('zeek/chksums/ip6-icmp6-bad-chksum.pcap'));
    expect(val(bad!, 'icmpv6.checksum.status')).toBe('0');
    expect(bad!.expert.map((e) => e.message)).toEqual(['Bad checksum [should be 0x75af]']);
  });
});

export const ICMPV6_FIELDS = `icmpv6.type icmpv6.code icmpv6.checksum icmpv6.checksum.status icmpv6.reserved icmpv6.echo.identifier
icmpv6.echo.sequence_number icmpv6.resp_to icmpv6.resptime icmpv6.mtu icmpv6.pointer icmpv6.nd.ns.target_address icmpv6.nd.na.flag
icmpv6.nd.na.flag.r icmpv6.nd.na.flag.s icmpv6.nd.na.flag.o icmpv6.nd.na.target_address icmpv6.nd.rd.target_address
icmpv6.rd.na.destination_address icmpv6.opt icmpv6.opt.type icmpv6.opt.length icmpv6.opt.linkaddr icmpv6.opt.src_linkaddr
icmpv6.opt.target_linkaddr icmpv6.opt.reserved icmpv6.opt.padding icmpv6.opt.prefix icmpv6.opt.prefix.length icmpv6.opt.prefix.flag
icmpv6.opt.prefix.valid_lifetime icmpv6.opt.prefix.preferred_lifetime icmpv6.opt.mtu icmpv6.opt.rdnss icmpv6.opt.dnssl
icmpv6.opt.advertisement_interval icmpv6.opt.home_agent_preference icmpv6.nd.ra.cur_hop_limit icmpv6.nd.ra.flag icmpv6.nd.ra.flag.prf
icmpv6.nd.ra.router_lifetime icmpv6.nd.ra.reachable_time icmpv6.nd.ra.retrans_timer icmpv6.mld.maximum_response_delay
icmpv6.mld.maximum_response_code icmpv6.mld.multicast_address icmpv6.mld.flag icmpv6.mld.flag.qrv icmpv6.mld.qqi icmpv6.mld.nb_sources
icmpv6.mldr.nb_mcast_records icmpv6.mldr.mar icmpv6.mldr.mar.record_type icmpv6.mldr.mar.aux_data_len icmpv6.mldr.mar.nb_sources
icmpv6.mldr.mar.multicast_address icmpv6.mldr.mar.source_address icmpv6.mldr.mar.auxiliary_data icmpv6.checksum_bad.expert
frame.protocols _ws.col.Protocol _ws.col.Source _ws.col.Destination _ws.col.Info _ws.expert.message`.split(/\s+/);

// Differences that belong to the engine (its _ws.malformed/_ws.short protocol entries, the spacing
// of "[Malformed Packet]", the short-capture expert item) are normalized away.
function norm(field: string, s: string): string {
  if (field === 'frame.protocols') return s.replace(/:_ws\.(malformed|short)/g, '');
  if (field === '_ws.col.Info') return s.replace(/ ?\[Malformed Packet\]/g, '[Malformed Packet]').replace(/\[Packet size limited during capture\]/g, '');
  if (field === '_ws.expert.message') return s.replace(/,?Packet size limited during capture: [^,]*truncated/g, '').replace(/^,/, '');
  return s;
}

const DIFF_FILES = `fixtures:echo-ipv6.pcap fixtures:icmp-unreach.pcap zeek/icmp/icmp6-ping.pcap zeek/icmp/icmp6-nd-options.pcap
zeek/icmp/icmp6-nd-short-options.pcap zeek/icmp/icmp6-mldv1.pcap zeek/icmp/icmp6-mldv2.pcap zeek/icmp/icmp6-mld-query.pcap
zeek/icmp/icmp6-redirect-hdr-opt.pcap zeek/icmp/icmp6-destunreach-ip6ext-trunc.pcap zeek/icmp/icmp6-destunreach-no-context.pcap
zeek/icmp/icmp6-router-advert.pcap zeek/icmp/icmp6-paramprob.pcap zeek/chksums/ip6-icmp6-bad-chksum.pcap
zeek/chksums/ip6-route0-icmp6-good-chksum.pcap tcpdump/icmpv6.pcap tcpdump/icmpv6-length-zero.pcapng zeek/ipv6_zero_len_ah.pcap
tcpdump/ipv6_jumbogram_1.pcap`.split(/\s+/);

describe.skipIf(!hasTshark || !hasCorpus)('ICMPv6 agrees with tshark (needs tshark and ../shared/corpus)', () => {
  it('every ICMPv6 field, frame.protocols, the columns and the expert messages', async () => {
    const results = await pool(DIFF_FILES, 8, async (f) => {
      const file = f.startsWith('fixtures:') ? fixture(f.slice(9)) : corpus(f);
      const [t, m] = await Promise.all([tsharkRows(file, ICMPV6_FIELDS), minisharkRows(file, ICMPV6_FIELDS)]);
      const nt = t.map((r) => r.map((c, j) => norm(ICMPV6_FIELDS[j]!, c)));
      const nm = m.map((r) => r.map((c, j) => norm(ICMPV6_FIELDS[j]!, c)));
      return { f, ...compareRows(ICMPV6_FIELDS, nt, nm) };
    });
    const bad: string[] = [];
    for (const r of results) {
      for (const d of r.diffs.slice(0, 3)) bad.push(`${r.f} #${d.frame} ${d.field}: tshark=${JSON.stringify(d.tshark)} minishark=${JSON.stringify(d.minishark)}`);
    }
    expect(bad).toEqual([]);
  }, 120_000);
});
