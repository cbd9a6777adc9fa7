// Link layers: Ethernet II / IEEE 802.3 + LLC/SNAP, 802.1Q / 802.1ad, Linux SLL and SLL2, NULL/LOOP and
// RAW, on the bytes of real captures (fixtures, and ../shared/corpus when present), plus a differential
// check of every link-layer field against tshark (scripts/tshark-ref) when tshark is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FieldNode, Layer } from '../src/core/field.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { formatFieldValue } from '../src/output/format.js';
import { CORPUS, FIXTURES, hasCorpus, hasTshark, minisharkRows, tsharkRows } from './helpers/reference.js';
import { col, dissectFile, hex, nodes, val } from './helpers/packets.js';

function dissectRecords(linkType: number, frames: Uint8Array[]): Packet[] {
  const eng = new Engine({ full: true, columns: true });
  return frames.map((data, i) => {
    const rec: PacketRecord = { num: i + 1, ts: { sec: 1000 + i, nsec: 0 }, capLen: data.length, origLen: data.length, linkType, interfaceId: 0, data, fileOffset: 0 };
    return eng.dissect(rec);
  });
}

/** every node of a field in the packet, in tree order */
function one(p: Packet, abbrev: string): FieldNode {
  const ns = nodes(p, abbrev);
  expect(ns, abbrev).toHaveLength(1);
  return ns[0]!;
}
const at = (n: FieldNode) => [n.offset, n.length];
const layer = (p: Packet, proto: string): Layer => p.layers.find((l) => l.proto === proto)!;

const corpus = (f: string) => path.join(CORPUS, f);
const fixture = (f: string) => path.join(FIXTURES, f);

describe('Ethernet II (fixtures/ping-arp.pcap)', () => {
  it('addresses, type, columns, and no padding on a 42-byte frame', async () => {
    const [p] = await dissectFile(fixture('ping-arp.pcap'));
    expect(p!.protocols.join(':')).toBe('frame:eth:ethertype:arp');
    const e = layer(p!, 'eth');
    expect([e.offset, e.length]).toEqual([0, 14]);
    expect(e.summary).toBe('Ethernet II, Src: 02:00:0a:63:00:01, Dst: ff:ff:ff:ff:ff:ff');
    expect(val(p!, 'eth.dst')).toBe('ff:ff:ff:ff:ff:ff');
    expect(at(one(p!, 'eth.src'))).toEqual([6, 6]);
    expect(val(p!, 'eth.addr')).toBe('ff:ff:ff:ff:ff:ff,02:00:0a:63:00:01');
    expect(val(p!, 'eth.dst.ig')).toBe('1');
    expect(val(p!, 'eth.src.lg')).toBe('1');
    expect(one(p!, 'eth.type').value).toBe(0x0806);
    expect(one(p!, 'eth.type').text).toBe('Type: ARP (0x0806)');
    expect(at(one(p!, 'eth.type'))).toEqual([12, 2]);
    expect(nodes(p!, 'eth.padding')).toHaveLength(0);
    expect(col(p!, 'Source')).toBe('02:00:0a:63:00:01');
    expect(col(p!, 'Destination')).toBe('ff:ff:ff:ff:ff:ff');
  });
});

describe('Linux cooked captures', () => {
  it('SLL v1 (fixtures/echo-any.pcap): header fields at their offsets, Source column', async () => {
    const [p, , q] = await dissectFile(fixture('echo-any.pcap'));
    expect(p!.protocols.join(':')).toBe('frame:sll:ethertype:arp');
    const L = layer(p!, 'sll');
    expect(L.summary).toBe('Linux cooked capture v1');
    expect([L.offset, L.length]).toEqual([0, 16]);
    expect(val(p!, 'sll.pkttype')).toBe('4');
    expect(one(p!, 'sll.pkttype').text).toBe('Packet type: Sent by us (4)');
    expect(at(one(p!, 'sll.hatype'))).toEqual([2, 2]);
    expect(one(p!, 'sll.hatype').text).toBe('Link-layer address type: Ethernet (1)');
    expect(val(p!, 'sll.halen')).toBe('6');
    expect(val(p!, 'sll.src.eth')).toBe('02:00:0a:63:00:01');
    expect(at(one(p!, 'sll.src.eth'))).toEqual([6, 6]);
    expect(val(p!, 'sll.unused')).toBe('0000');
    expect(at(one(p!, 'sll.unused'))).toEqual([12, 2]);
    expect(val(p!, 'sll.etype')).toBe('0x0806');
    expect(at(one(p!, 'sll.etype'))).toEqual([14, 2]);
    // ARP keeps the link-layer source; SLL has no destination
    expect(col(p!, 'Source')).toBe('02:00:0a:63:00:01');
    expect(col(p!, 'Destination')).toBe('');
    expect(q!.protocols.join(':')).toBe('frame:sll:ethertype:ip:tcp');
    expect(val(q!, 'sll.etype')).toBe('0x0800');
  });

  it('SLL v2 (fixtures/echo-any-sll2.pcap): protocol first, interface index, 1-byte type and length', async () => {
    const [p] = await dissectFile(fixture('echo-any-sll2.pcap'));
    expect(p!.rec.linkType).toBe(276);
    const L = layer(p!, 'sll');
    expect(L.summary).toBe('Linux cooked capture v2');
    expect([L.offset, L.length]).toEqual([0, 20]);
    expect(L.fields.map((n) => n.def.abbrev)).toEqual(['sll.etype', 'sll.ifindex', 'sll.hatype', 'sll.pkttype', 'sll.halen', 'sll.src.eth', 'sll.unused']);
    expect(at(one(p!, 'sll.etype'))).toEqual([0, 2]);
    expect(val(p!, 'sll.ifindex')).toBe('2');
    expect(at(one(p!, 'sll.ifindex'))).toEqual([4, 4]);
    expect(at(one(p!, 'sll.pkttype'))).toEqual([10, 1]);
    expect(at(one(p!, 'sll.halen'))).toEqual([11, 1]);
    expect(at(one(p!, 'sll.src.eth'))).toEqual([12, 6]);
    expect(at(one(p!, 'sll.unused'))).toEqual([18, 2]);
    expect(col(p!, 'Protocol')).toBe('ARP');
  });
});

describe('NULL / LOOP / RAW', () => {
  it('NULL (fixtures/echo-null.pcap): the host-order family becomes null.family = 2 and IPv4', async () => {
    const [p] = await dissectFile(fixture('echo-null.pcap'));
    expect(p!.protocols.join(':')).toBe('frame:null:ip:tcp');
    const n = one(p!, 'null.family');
    expect([n.value, n.offset, n.length, n.text]).toEqual([2, 0, 4, 'Family: IP (2)']);
  });

  it('NULL byte order: little-endian, big-endian, IRIX and old-Linux ethertype headers', () => {
    const ip = hex('4500001c00010000401100000a0000010a000002303900350008abcd');
    const ip6 = hex('6000000000083b40' + '00'.repeat(15) + '01' + '00'.repeat(15) + '01' + '303900350008abcd');
    const frames = ['02000000', '00000002', '00020000', '00000800', '1e000000', '0a000000'].map((h, i) => new Uint8Array([...hex(h), ...(i >= 4 ? ip6 : ip)]));
    const [le, be, irix, etype, bsd6, linux6] = dissectRecords(0, frames);
    expect(val(le!, 'null.family')).toBe('2');
    expect(val(be!, 'null.family')).toBe('2');
    expect(val(irix!, 'null.family')).toBe('2');
    expect(le!.protocols.join(':')).toBe('frame:null:ip:udp');
    expect(val(etype!, 'null.type')).toBe('0x0800');
    expect(etype!.protocols.join(':')).toBe('frame:null:ip:udp');
    expect(val(bsd6!, 'null.family')).toBe('30');
    expect(bsd6!.protocols[2]).toBe('ipv6');
    // Linux's AF_INET6 (10) is not in tshark's table: data
    expect(linux6!.protocols.join(':')).toBe('frame:null:data');
    expect(col(linux6!, 'Info')).toBe('Null/Loopback');
  });

  it('LOOP (108): the family in network byte order', () => {
    const ip = hex('4500001c00010000401100000a0000010a000002303900350008abcd');
    const [p, q] = dissectRecords(108, [new Uint8Array([...hex('00000002'), ...ip]), new Uint8Array([...hex('02000000'), ...ip])]);
    expect(p!.protocols.join(':')).toBe('frame:null:ip:udp');
    expect(val(q!, 'null.family')).toBe('33554432');
    expect(q!.protocols.join(':')).toBe('frame:null:data');
  });

  it.skipIf(!hasCorpus)('RAW (101): version nibble picks IPv4 or IPv6 (corpus LINKTYPE_RAW_*)', async () => {
    const [p] = await dissectFile(corpus('tcpdump/LINKTYPE_RAW_ipv4.pcap'));
    expect(p!.protocols.slice(0, 3).join(':')).toBe('frame:raw:ip');
    const L = layer(p!, 'raw');
    expect([L.summary, L.offset, L.length]).toEqual(['Raw packet data', 0, p!.rec.capLen]);
    const [q] = await dissectFile(corpus('tcpdump/LINKTYPE_RAW_ipv6.pcap'));
    expect(q!.protocols.slice(0, 3).join(':')).toBe('frame:raw:ipv6');
    const [r] = await dissectFile(corpus('tcpdump/LINKTYPE_IPV6.pcap'));
    expect(r!.protocols[1]).toBe('ipv6');
  });

  it('unknown link types are frame + data, never an error', () => {
    const [p] = dissectRecords(147, [hex('0102030405')]);
    expect(p!.protocols.join(':')).toBe('frame:data');
    expect(p!.malformed).toBe(false);
    expect(val(p!, 'data.data')).toBe('0102030405');
  });
});

describe.skipIf(!hasCorpus)('802.1Q and 802.1ad (corpus)', () => {
  it('802.1ad_QinQ.pcap: S-tag, C-tag, ARP; padding and the VLAN trailer in the inner tag', async () => {
    const [p] = await dissectFile(corpus('tcpdump/802.1ad_QinQ.pcap'));
    expect(p!.protocols.join(':')).toBe('frame:eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp');
    const ad = layer(p!, 'ieee8021ad');
    expect([ad.summary, ad.offset, ad.length]).toEqual(['IEEE 802.1ad, ID: 200', 14, 4]);
    expect(val(p!, 'ieee8021ad.id')).toBe('200');
    expect(val(p!, 'ieee8021ah.etype')).toBe('0x8100');
    const v = layer(p!, 'vlan');
    expect(v.summary).toBe('802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 2001');
    expect(val(p!, 'vlan.id')).toBe('2001');
    expect(one(p!, 'vlan.id').text).toBe('.... 0111 1101 0001 = ID: 2001');
    expect(one(p!, 'vlan.priority').text).toBe('000. .... .... .... = Priority: Best Effort (default) (0)');
    expect(val(p!, 'vlan.etype')).toBe('0x0806');
    const pad = one(p!, 'eth.padding');
    expect([pad.offset, pad.length, formatFieldValue(pad)]).toEqual([50, 10, '00000000000000000000']);
    expect(v.fields).toContain(pad);
    expect(at(one(p!, 'vlan.trailer'))).toEqual([60, 4]);
    expect(col(p!, 'Info')).toBe('Who has 172.21.79.100? Tell 172.21.79.97');
    expect(col(p!, 'Protocol')).toBe('ARP');
  });

  it('vlan-pcp-dei.pcapng: priority names and DEI', async () => {
    const ps = await dissectFile(corpus('zeek/vlan-pcp-dei.pcapng'));
    const p = ps.find((x) => nodes(x, 'vlan.id').length === 2)!;
    expect(val(p, 'vlan.priority')).toBe('7,5');
    expect(val(p, 'vlan.dei')).toBe('0,1');
    expect(nodes(p, 'vlan.priority')[1]!.text).toBe('101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)');
    expect(nodes(p, 'vlan.dei')[1]!.text).toBe('...1 .... .... .... = DEI: Eligible');
  });

  it('1,000 nested 802.1Q tags: 20 decoded, then "Too many nested VLAN tags", quickly', () => {
    let inner = hex('0806 0001080006040001020000000001 0a000001 000000000000 0a000002');
    for (let i = 0; i < 1000; i++) inner = new Uint8Array([0x81, 0x00, 0x00, 0x01, ...inner]);
    const t0 = performance.now();
    const [p] = dissectRecords(1, [new Uint8Array([...hex('020000000002020000000001'), ...inner])]);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(nodes(p!, 'vlan.id')).toHaveLength(20);
    expect(p!.layers.filter((l) => l.proto === 'vlan')).toHaveLength(21);
    expect(p!.expert.map((e) => e.message)).toEqual(['Too many nested VLAN tags']);
    expect(p!.malformed).toBe(false);
  });

  it('1,000 nested 802.1ad tags stop at the engine depth cap, marked malformed', () => {
    let inner = hex('0806 0001080006040001020000000001 0a000001 000000000000 0a000002');
    for (let i = 0; i < 1000; i++) inner = new Uint8Array([0x88, 0xa8, 0x00, 0x01, ...inner]);
    const t0 = performance.now();
    const [p] = dissectRecords(1, [new Uint8Array([...hex('020000000002020000000001'), ...inner])]);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(p!.malformed).toBe(true);
    expect(p!.layers.filter((l) => l.proto === 'ieee8021ad').length).toBeLessThan(64);
  });
});

describe.skipIf(!hasCorpus)('IEEE 802.3 and LLC (corpus)', () => {
  it('snap-arp.pcapng: length, SNAP with OUI 0 as an ethertype, padding', async () => {
    const [p] = await dissectFile(corpus('zeek/snap-arp.pcapng'));
    expect(p!.protocols.join(':')).toBe('frame:eth:llc:arp');
    expect(layer(p!, 'eth').summary).toBe('IEEE 802.3 Ethernet ');
    expect(val(p!, 'eth.len')).toBe('36');
    const llc = layer(p!, 'llc');
    expect([llc.offset, llc.length]).toEqual([14, 8]);
    expect(val(p!, 'llc.dsap')).toBe('0xaa');
    expect(one(p!, 'llc.dsap').text).toBe('DSAP: SNAP (0xaa)');
    expect(val(p!, 'llc.control')).toBe('0x0003');
    expect(one(p!, 'llc.control').text).toBe('Control field: U, func=UI (0x03)');
    expect(val(p!, 'llc.oui')).toBe('0');
    expect(one(p!, 'llc.oui').text).toBe('Organization Code: 00:00:00 (Officially Xerox, but');
    expect(val(p!, 'llc.type')).toBe('0x0806');
    expect(at(one(p!, 'eth.padding'))).toEqual([50, 10]);
  });

  it('llc.pcap: I, S and U control fields; Novell raw 802.3', async () => {
    const ps = await dissectFile(corpus('libpcap/filter/llc.pcap'));
    expect(ps.map((p) => col(p, 'Info'))).toEqual([
      'U, func=UI; DSAP NetBIOS Individual, SSAP NetBIOS Command',
      'U P, func=SABME; DSAP NetBIOS Individual, SSAP NetBIOS Command',
      'IEEE 802.3 Ethernet Raw ',
      'U F, func=UA; DSAP NetBIOS Individual, SSAP NetBIOS Response',
      'IEEE 802.3 Ethernet Raw ',
      'S P, func=RR, N(R)=0; DSAP NetBIOS Individual, SSAP NetBIOS Command',
      'IEEE 802.3 Ethernet Raw ',
      'IEEE 802.3 Ethernet Raw ',
      'S F, func=RR, N(R)=0; DSAP NetBIOS Individual, SSAP NetBIOS Response',
      'I P, N(R)=0, N(S)=0; DSAP NetBIOS Individual, SSAP NetBIOS Command',
    ]);
    expect(ps[2]!.protocols.join(':')).toBe('frame:eth:data');
    expect(val(ps[5]!, 'llc.control')).toBe('0x0101');
    expect(val(ps[5]!, 'llc.control.ftype')).toBe('0x0001');
    expect(val(ps[1]!, 'llc.control.ftype')).toBe('0x03');
    expect(val(ps[1]!, 'llc.control.u_modifier_cmd')).toBe('0x1b');
    expect(one(ps[9]!, 'llc.control.n_s').text).toBe('.... .... 0000 000. = N(S): 0');
    expect(val(ps[3]!, 'llc.ssap.cr')).toBe('1');
    expect(ps[9]!.protocols.join(':')).toBe('frame:eth:llc:data');
  });
});

describe('802.3 length errors and trailers (crafted frames)', () => {
  const macs = '020000000002020000000001';
  it('a length past the end of the frame is flagged, the rest is still LLC', () => {
    const [p] = dissectRecords(1, [hex(macs + '0040 f0f003' + '00'.repeat(10))]);
    expect(p!.expert.map((e) => [e.message, e.severity, e.group])).toEqual([['Length field value goes past the end of the payload', 'error', 'Malformed']]);
    expect(p!.protocols.join(':')).toBe('frame:eth:llc:data');
  });
  it('a length/type between 1501 and 1535 is neither', () => {
    const [p] = dissectRecords(1, [hex(macs + '05ef' + '00'.repeat(46))]);
    expect(col(p!, 'Info')).toBe('Ethernet Unknown: Invalid length/type: 0x05ef (1519)');
    expect(val(p!, 'eth.invalid_lentype')).toBe('0x05ef');
    expect(p!.protocols.join(':')).toBe('frame:eth:data');
  });
  it('frames of 64 bytes or more with a 4-byte trailer end in an FCS (heuristic); non-zero padding is a trailer', () => {
    const ip = '4500002e00010000401100000a0000010a000002303900350008abcd' + '00'.repeat(18);
    const [fcs, nz] = dissectRecords(1, [hex(macs + '0800' + ip + 'deadbeef'), hex(macs + '0800' + '4500001c00010000401100000a0000010a000002303900350008abcd' + '01' + '00'.repeat(17))]);
    expect(val(fcs!, 'eth.fcs')).toBe('0xdeadbeef');
    expect(val(fcs!, 'eth.fcs.status')).toBe('2');
    expect(at(one(fcs!, 'eth.fcs'))).toEqual([60, 4]);
    expect(nodes(nz!, 'eth.padding')).toHaveLength(0);
    expect(val(nz!, 'eth.trailer')).toBe('01' + '00'.repeat(17));
    expect(nz!.expert.map((e) => e.abbrev)).toEqual(['eth.padding_bad']);
  });
});

// -------------------------------------------------------------------------------------------------
// Differential: every link-layer field, and the columns where a link layer is the top of the stack.

const LINK_FIELDS = `eth.dst eth.src eth.addr eth.type eth.len eth.padding eth.trailer eth.fcs eth.fcs.status eth.lg eth.ig
eth.dst.lg eth.src.ig eth.dst_resolved eth.src.oui eth.invalid_lentype vlan.priority vlan.dei vlan.id vlan.etype vlan.len
vlan.trailer ieee8021ad.priority ieee8021ad.dei ieee8021ad.id ieee8021ad.svid ieee8021ad.cvid ieee8021ah.etype ieee8021ah.trailer
llc.dsap llc.dsap.sap llc.dsap.ig llc.ssap llc.ssap.sap llc.ssap.cr llc.control llc.control.n_r llc.control.n_s llc.control.p
llc.control.f llc.control.s_ftype llc.control.u_modifier_cmd llc.control.u_modifier_resp llc.control.ftype llc.type llc.oui
llc.pid sll.pkttype sll.hatype sll.halen sll.src.eth sll.src.ipv4 sll.src.other sll.unused sll.ltype sll.etype sll.gretype
sll.trailer sll.ifindex null.family null.type basicxid.llc.xid.format basicxid.llc.xid.types basicxid.llc.xid.wsize`.split(/\s+/);
const COLS = ['frame.protocols', '_ws.col.Protocol', '_ws.col.Info', '_ws.col.Source', '_ws.col.Destination'];
const LINK_TOPS = new Set(['eth', 'ethertype', 'vlan', 'ieee8021ad', 'llc', 'sll', 'null', 'raw', 'data']);

const LINK_FILES = [
  'tcpdump/802.1ad_QinQ.pcap', 'zeek/q-in-q.pcap', 'zeek/vlan-pcp-dei.pcapng', 'zeek/vlan-qinqinq.pcap', 'zeek/http-qinq-0.pcap',
  'zeek/http-vlan-0.pcap', 'zeek/icmp_dot1q.pcap', 'tcpdump/ipv4_tcp_http_xml.pcap', 'zeek/linuxsll-arp.pcap',
  'zeek/linux_dlt_sll2.pcap', 'tcpdump/mptcp-v1.pcap', 'zeek/snap-arp.pcapng', 'zeek/snap-tcp.pcap', 'libpcap/filter/llc.pcap',
  'zeek/raw_packets.pcap', 'gopacket/pcap/test_loopback.pcap', 'zeek/udp-multiple-source-ports.pcap', 'tcpdump/quic_handshake.pcap',
  'tcpdump/LINKTYPE_RAW_ipv4.pcap', 'tcpdump/LINKTYPE_RAW_ipv6.pcap', 'zeek/tcp/payload-syn.pcap', 'tcpdump/loopback.pcap',
  'zeek/fake-syslog-with-padding.pcap', 'zeek/tcp-http-with-padding.pcap', 'zeek/conn-size.pcap', 'tcpdump/pptp.pcap',
].map(corpus).filter((f) => existsSync(f));
const LINK_FIXTURES = ['echo-any.pcap', 'echo-any-sll2.pcap', 'echo-null.pcap', 'ping-arp.pcap', 'mixed-linktypes.pcapng'].map(fixture);

async function compareLink(file: string): Promise<string[]> {
  const fields = [...LINK_FIELDS, ...COLS];
  const [t, m] = await Promise.all([tsharkRows(file, fields), minisharkRows(file, fields)]);
  const diffs: string[] = [];
  expect(m.length, `${file}: frame count`).toBe(t.length);
  for (let i = 0; i < t.length; i++) {
    const top = (t[i]![LINK_FIELDS.length] ?? '').split(':').pop() ?? '';
    const cols = LINK_TOPS.has(top) ? fields.length : LINK_FIELDS.length;
    for (let j = 0; j < cols; j++) {
      const x = t[i]![j] ?? '';
      const y = m[i]![j] ?? '';
      if (x !== y) diffs.push(`${path.basename(file)} #${i + 1} ${fields[j]}: tshark=${JSON.stringify(x)} minishark=${JSON.stringify(y)}`);
    }
  }
  return diffs;
}

/** One capture made of several (mergecap -a, pcapng with one interface per link type), so that tshark
 * starts once: its start-up, not the packets, is what takes the time. */
const hasMergecap = spawnSync('sh', ['-c', 'command -v mergecap'], { encoding: 'utf8' }).status === 0;
function merged(files: string[], name: string): string {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'minishark-link-')), name);
  const r = spawnSync('mergecap', ['-a', '-F', 'pcapng', '-w', out, ...files], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return out;
}

describe.skipIf(!hasTshark || !hasMergecap)('link layers agree with tshark', () => {
  it('on the fixtures with SLL, SLL2, NULL and Ethernet/ARP', async () => {
    expect(await compareLink(merged(LINK_FIXTURES, 'fixtures.pcapng'))).toEqual([]);
  });
  it.skipIf(!hasCorpus)('on the corpus captures with VLAN, 802.1ad, LLC/SNAP, SLL, NULL, RAW and padded Ethernet', async () => {
    expect(LINK_FILES.length).toBeGreaterThan(20);
    expect(await compareLink(merged(LINK_FILES, 'corpus.pcapng'))).toEqual([]);
  });
});
