// ARP and RARP on the bytes of real captures (fixtures, and ../shared/corpus when present), plus a
// differential check of every ARP field and of the columns of ARP packets against tshark.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupField } from '../src/core/field.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { CORPUS, FIXTURES, hasCorpus, hasTshark, minisharkRows, tsharkRows } from './helpers/reference.js';
import { at, col, dissectFile, hex, nodes, val } from './helpers/packets.js';

function dissectFrames(frames: Uint8Array[]): Packet[] {
  const eng = new Engine({ full: true, columns: true });
  return frames.map((data, i) => {
    const rec: PacketRecord = { num: i + 1, ts: { sec: 1000 + 3 * i, nsec: 0 }, capLen: data.length, origLen: data.length, linkType: 1, interfaceId: 0, data, fileOffset: 0 };
    return eng.dissect(rec);
  });
}

const corpus = (f: string) => path.join(CORPUS, f);
const fixture = (f: string) => path.join(FIXTURES, f);

describe('ARP request and reply (fixtures/ping-arp.pcap)', () => {
  it('every field with its offset, the summary, Info, Protocol and the Ethernet addresses as columns', async () => {
    const [req, rep] = await dissectFile(fixture('ping-arp.pcap'));
    const L = req!.layers.find((l) => l.proto === 'arp')!;
    expect([L.summary, L.offset, L.length]).toEqual(['Address Resolution Protocol (request)', 14, 28]);
    expect(L.fields.map((n) => n.def.abbrev)).toEqual([
      'arp.hw.type', 'arp.proto.type', 'arp.hw.size', 'arp.proto.size', 'arp.opcode',
      'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4',
    ]);
    expect(L.fields.map((n) => [n.offset, n.length])).toEqual([[14, 2], [16, 2], [18, 1], [19, 1], [20, 2], [22, 6], [28, 4], [32, 6], [38, 4]]);
    expect(L.fields.map((n) => n.text)).toEqual([
      'Hardware type: Ethernet (1)', 'Protocol type: IPv4 (0x0800)', 'Hardware size: 6', 'Protocol size: 4', 'Opcode: request (1)',
      'Sender MAC address: 02:00:0a:63:00:01', 'Sender IP address: 10.99.0.1', 'Target MAC address: 00:00:00:00:00:00', 'Target IP address: 10.99.0.2',
    ]);
    expect(val(req!, 'arp.hw.type')).toBe('1');
    expect(val(req!, 'arp.proto.type')).toBe('0x0800');
    expect(val(req!, 'arp.src.proto_ipv4')).toBe('10.99.0.1');
    expect(col(req!, 'Info')).toBe('Who has 10.99.0.2? Tell 10.99.0.1');
    expect(col(req!, 'Protocol')).toBe('ARP');
    expect(col(req!, 'Source')).toBe('02:00:0a:63:00:01');
    expect(col(req!, 'Destination')).toBe('ff:ff:ff:ff:ff:ff');
    expect(val(rep!, 'arp.opcode')).toBe('2');
    expect(col(rep!, 'Info')).toBe('10.99.0.2 is at 02:00:0a:63:00:02');
    expect(rep!.layers.find((l) => l.proto === 'arp')!.summary).toBe('Address Resolution Protocol (reply)');
  });

  it('fields-only mode (no tree) keeps only the wanted fields and the same Info', async () => {
    const eng = new Engine({ full: false, columns: true });
    const want = ['arp.opcode', 'arp.dst.proto_ipv4'];
    const e2 = new Engine({ full: false, columns: true, fields: want.map((w) => lookupField(w)!) });
    const recs: PacketRecord[] = [];
    for await (const r of await openCapture(fixture('ping-arp.pcap'))) recs.push(r);
    const p = e2.dissect(recs[0]!);
    expect(p.layers.find((l) => l.proto === 'arp')!.fields.map((n) => n.def.abbrev)).toEqual(want);
    expect(col(p, 'Info')).toBe('Who has 10.99.0.2? Tell 10.99.0.1');
    expect(col(eng.dissect(recs[1]!), 'Info')).toBe('10.99.0.2 is at 02:00:0a:63:00:02');
  });

  it('over Linux cooked capture (fixtures/echo-any.pcap): no Destination column', async () => {
    const [p] = await dissectFile(fixture('echo-any.pcap'));
    expect(val(p!, 'arp.opcode')).toBe('1');
    expect(at(p!, 'arp.src.hw_mac')).toEqual([[24, 6]]);
    expect(col(p!, 'Info')).toBe('Who has 10.99.0.2? Tell 10.99.0.1');
    expect(col(p!, 'Source')).toBe('02:00:0a:63:00:01');
    expect(col(p!, 'Destination')).toBe('');
  });
});

describe.skipIf(!hasCorpus)('RARP and odd ARP (corpus)', () => {
  it('rarp_req_reply.pcapng: RARP request and reply', async () => {
    const [req, rep] = await dissectFile(corpus('libpcap/filter/rarp_req_reply.pcapng'));
    expect(col(req!, 'Protocol')).toBe('RARP');
    expect(col(req!, 'Info')).toBe('Who is 00:0c:29:34:0b:de? Tell 00:0c:29:34:0b:de');
    expect(val(req!, 'arp.opcode')).toBe('3');
    expect(req!.layers.find((l) => l.proto === 'arp')!.summary).toBe('Address Resolution Protocol (reverse request)');
    expect(col(rep!, 'Info')).toBe('00:0c:29:34:0b:de is at 10.1.1.100');
  });

  it('arp-too-long-tha.pcap: 14-byte hardware addresses as bytes, gratuitous, 802.1ad trailer', async () => {
    const [p] = await dissectFile(corpus('tcpdump/arp-too-long-tha.pcap'));
    expect(p!.protocols.join(':')).toBe('frame:eth:ethertype:ieee8021ad:ethertype:arp');
    expect(val(p!, 'arp.hw.size')).toBe('14');
    expect(val(p!, 'arp.src.hw')).toBe('30'.repeat(14));
    expect(at(p!, 'arp.dst.hw')).toEqual([[44, 14]]);
    expect(nodes(p!, 'arp.src.hw_mac')).toHaveLength(0);
    expect(val(p!, 'arp.isgratuitous')).toBe('1');
    expect(col(p!, 'Info')).toBe('Gratuitous ARP for 48.48.48.48 (Request)');
    expect(p!.layers.find((l) => l.proto === 'arp')!.summary).toBe('Address Resolution Protocol (request/gratuitous ARP)');
    expect(val(p!, 'ieee8021ah.trailer')).toBe('3030');
  });

  it('arp-leak.pcap: long protocol addresses are cut at 36 bytes in Info', async () => {
    const ps = await dissectFile(corpus('zeek/arp-leak.pcap'));
    expect(col(ps[2]!, 'Info')).toBe(`Who has c0a87b02${'00'.repeat(32)}\u2026? Tell c0a87b01${'00'.repeat(32)}\u2026`);
  });

  it('arp-oobr.pcap: duplicate addresses, non-zero padding, a group source address, malformed ARP', async () => {
    const ps = await dissectFile(corpus('tcpdump/arp-oobr.pcap'));
    const p26 = ps[25]!;
    expect(val(p26, 'arp.duplicate-address-frame')).toBe('25');
    expect(val(p26, 'arp.seconds-since-duplicate-address-frame')).toBe('4');
    expect(col(p26, 'Info')).toBe('Who has 192.168.1.209? Tell 192.168.1.104 (duplicate use of 192.168.1.104 detected!)');
    expect(p26.expert.map((e) => [e.message, e.severity, e.group])).toEqual([['Duplicate IP address configured (192.168.1.104)', 'warn', 'Sequence']]);
    // padding that is not zeros is a trailer, with a note
    expect(val(ps[1]!, 'eth.trailer')).toBe('000000008a00000000000000000000000000');
    expect(nodes(ps[1]!, 'eth.padding')).toHaveLength(0);
    expect(ps[1]!.expert.map((e) => e.abbrev)).toEqual(['eth.padding_bad']);
    // the padding note comes before the ARP layer's items, as in the tree
    expect(ps[61]!.expert.map((e) => e.abbrev)).toEqual(['eth.padding_bad', 'arp.duplicate-address-detected']);
    expect(ps[59]!.expert[0]!.abbrev).toBe('eth.src_not_group');
    // hardware size 170: the ARP datagram is longer than the frame
    expect(ps[12]!.malformed).toBe(true);
    expect(col(ps[12]!, 'Protocol')).toBe('ARP');
    // AX.25 hardware (listed twice, as Wireshark's hardware-type table sends it back to ARP), ATM (data)
    expect(ps[185]!.protocols.join(':')).toBe('frame:eth:ethertype:arp:arp');
    expect(ps[1165]!.protocols.join(':')).toBe('frame:eth:ethertype:arp:data');
  });
});

describe('ARP edge cases (crafted frames)', () => {
  const eth = (payload: string, pad = 18) => hex('ffffffffffff020000000001 0806' + payload + '00'.repeat(pad));
  const arp = (op: string, sha: string, spa: string, tha: string, tpa: string) => `0001 0800 06 04 ${op} ${sha} ${spa} ${tha} ${tpa}`;
  const M1 = '020000000001';
  const M3 = '020000000003';
  it('announcement, probe, gratuitous reply', () => {
    const [ann, probe, grat] = dissectFrames([
      eth(arp('0001', M1, '0a000001', '000000000000', '0a000001')),
      eth(arp('0001', M1, '00000000', '000000000000', '0a000002')),
      eth(arp('0002', M1, '0a000001', M1, '0a000001')),
    ]);
    expect(col(ann!, 'Info')).toBe('ARP Announcement for 10.0.0.1');
    expect(val(ann!, 'arp.isannouncement')).toBe('1');
    expect(col(probe!, 'Info')).toBe('Who has 10.0.0.2? (ARP Probe)');
    expect(val(probe!, 'arp.isprobe')).toBe('1');
    expect(col(grat!, 'Info')).toBe('Gratuitous ARP for 10.0.0.1 (Reply)');
  });
  it('a second MAC for an address is a duplicate; Info notes it only when the last check found it', () => {
    const ps = dissectFrames([
      eth(arp('0002', M1, '0a000001', '020000000002', '0a000002')),
      eth(arp('0002', M3, '0a000001', '020000000002', '0a000002')),
    ]);
    expect(val(ps[1]!, 'arp.duplicate-address-frame')).toBe('1');
    expect(val(ps[1]!, 'arp.seconds-since-duplicate-address-frame')).toBe('3');
    expect(col(ps[1]!, 'Info')).toBe('10.0.0.1 is at 02:00:00:00:00:03');
  });
  it('padding after the 28-byte datagram, and a header that claims more than the frame has', () => {
    const [padded, bad] = dissectFrames([eth(arp('0001', M1, '0a000001', '000000000000', '0a000002')), eth('0001 0800 aa 04 0001 ' + M1, 0)]);
    expect(at(padded!, 'eth.padding')).toEqual([[42, 18]]);
    expect(bad!.malformed).toBe(true);
    expect(bad!.protocols.slice(0, 4).join(':')).toBe('frame:eth:ethertype:arp');
  });
});

// -------------------------------------------------------------------------------------------------

const ARP_FIELDS = `arp.hw.type arp.proto.type arp.hw.size arp.proto.size arp.opcode arp.isgratuitous arp.isprobe
arp.isannouncement arp.src.hw arp.src.hw_mac arp.src.hw_ax25 arp.src.proto arp.src.proto_ipv4 arp.dst.hw arp.dst.hw_mac
arp.dst.hw_ax25 arp.dst.proto arp.dst.proto_ipv4 arp.duplicate-address-frame arp.seconds-since-duplicate-address-frame
arp.duplicate-address-detected arp.dst.drarp_error_status eth.padding eth.trailer`.split(/\s+/);
const COLS = ['frame.protocols', '_ws.col.Protocol', '_ws.col.Info', '_ws.col.Source', '_ws.col.Destination', '_ws.malformed'];

const ARP_FILES = [
  'tcpdump/arp-oobr.pcap', 'tcpdump/arp-too-long-tha.pcap', 'tcpdump/802.1ad_QinQ.pcap', 'zeek/arp-leak.pcap', 'zeek/arp-who-has.pcap',
  'libpcap/filter/rarp_req_reply.pcapng', 'libpcap/filter/gateway_or_not.pcap', 'zeek/linuxsll-arp.pcap', 'zeek/linux_dlt_sll2.pcap',
  'zeek/snap-arp.pcapng', 'zeek/q-in-q.pcap', 'zeek/icmp_dot1q.pcap', 'tcpdump/mptcp-fclose.pcap',
].map(corpus).filter((f) => existsSync(f));
const ARP_FIXTURES = ['ping-arp.pcap', 'echo-any.pcap', 'echo-any-sll2.pcap', 'echo-veth.pcap'].map(fixture);

const hasMergecap = spawnSync('sh', ['-c', 'command -v mergecap'], { encoding: 'utf8' }).status === 0;
function merged(files: string[], name: string): string {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'minishark-arp-')), name);
  const r = spawnSync('mergecap', ['-a', '-F', 'pcapng', '-w', out, ...files], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return out;
}

/** ARP fields on every packet; the columns on packets whose top layer is ARP and which are not
 * malformed (the "[Malformed Packet]" label and spacing belong to the engine). */
async function compareArp(file: string): Promise<string[]> {
  const fields = [...ARP_FIELDS, ...COLS];
  const [t, m] = await Promise.all([tsharkRows(file, fields), minisharkRows(file, fields)]);
  expect(m.length).toBe(t.length);
  const diffs: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const protos = t[i]![ARP_FIELDS.length] ?? '';
    const malformed = (t[i]![fields.length - 1] ?? '') !== '';
    const n = protos.endsWith(':arp') && !malformed ? fields.length - 1 : ARP_FIELDS.length;
    for (let j = 0; j < n; j++) {
      const x = t[i]![j] ?? '';
      const y = m[i]![j] ?? '';
      if (x !== y) diffs.push(`#${i + 1} ${fields[j]}: tshark=${JSON.stringify(x)} minishark=${JSON.stringify(y)}`);
    }
  }
  return diffs;
}

describe.skipIf(!hasTshark || !hasMergecap)('ARP agrees with tshark', () => {
  it('on the fixtures', async () => {
    expect(await compareArp(merged(ARP_FIXTURES, 'fixtures.pcapng'))).toEqual([]);
  });
  it.skipIf(!hasCorpus)('on the corpus captures with ARP and RARP (2,300 frames of arp-oobr among them)', async () => {
    expect(ARP_FILES.length).toBeGreaterThan(10);
    expect(await compareArp(merged(ARP_FILES, 'corpus.pcapng'))).toEqual([]);
  });
});
