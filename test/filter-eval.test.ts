// Display-filter evaluation on real captures: the frames each filter selects on fixtures whose shape
// never changes when the fixtures are regenerated (echo-veth: ARP, handshake, "AB" each way, close;
// echo-ipv6: the same over IPv6). Expected frames were read off tshark 4.0.17 (`-Y FILTER`). Every
// filter runs twice: on a full tree, and on an engine that keeps only CompiledFilter.fields.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { compileRegex } from '../src/filter/eval.js';
import { compileFilter } from '../src/filter/index.js';
import { openCapture } from '../src/io/reader.js';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

async function select(file: string, filter: string, full: boolean): Promise<number[]> {
  const f = compileFilter(filter);
  const engine = new Engine({ full, fields: f.fields, columns: false });
  const out: number[] = [];
  for await (const rec of await openCapture(path.join(FIXTURES, file))) {
    const p: Packet = engine.dissect(rec);
    if (f.matches(p)) {
      out.push(rec.num);
      engine.displayed(p);
    }
  }
  return out;
}

const ECHO_VETH: Array<[string, number[]]> = [
  ["arp", [1, 2]],
  ["!tcp", [1, 2]],
  ["tcp.flags.syn == 1", [3, 4]],
  ["tcp.flags.syn == Set", [3, 4]],
  ["tcp.flags.fin == True", [10, 12]],
  ["tcp.flags & 0x12 == 0x12", [4]],
  ["tcp.flags & 0x02", [3, 4]],
  ["tcp.payload == \"AB\"", [6, 8]],
  ["tcp.payload == 41:42", [6, 8]],
  ["tcp.payload[1] == 0x42", [6, 8]],
  ["tcp contains 41:42", [6, 8]],
  ["frame contains \"AB\"", [6, 8]],
  ["ip.src == 10.99.0.1", [3, 5, 6, 9, 10, 13]],
  ["ip.addr == 10.99.0.0/31", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["ip.src != 10.99.0.0/31", [4, 7, 8, 11, 12]],
  ["tcp.port != 20000", []],
  ["tcp.port ~= 20000", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["tcp.port === 20000", []],
  ["all tcp.port >= 20000", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["tcp.port in {80, 20000..20001}", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["tcp.port not in {20000}", [1, 2]],
  ["eth.dst == ff:ff:ff:ff:ff:ff", [1]],
  ["eth.src[0:3] == 02:00:0a", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["eth.src[-1] == 01", [1, 3, 5, 6, 9, 10, 13]],
  ["frame.len == 68", [6, 8]],
  ["frame.len in {40..60}", [1, 2]],
  ["frame.number in {1, 3..5}", [1, 3, 4, 5]],
  ["tcp.len - 1 < 0", [3, 4, 5, 7, 9, 10, 11, 12, 13]],
  ["len(tcp.payload) == 2", [6, 8]],
  ["count(tcp.port) == 2", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["string(ip.dst) == \"10.99.0.1\"", [4, 7, 8, 11, 12]],
  ["frame.protocols matches \"ARP$\"", [1, 2]],
  ["frame.protocols matches \"(?-i)ARP$\"", []],
  ["len(tcp) == 32", [5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["ip.src#1 == 10.99.0.1", [3, 5, 6, 9, 10, 13]],
  ["ip.src#2 == 10.99.0.1", []],
  ["ip.proto == \"TCP\"", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["ip.proto == UDP", []],
  ["eth.type == ARP", [1, 2]],
  ["tcp.hdr_len * 2 == 80", [3, 4]],
  ["upper(frame.protocols) contains \"TCP\"", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["frame.time_relative >= 0", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["ethertype", []],
];

const ECHO_IPV6: Array<[string, number[]]> = [
  ["ipv6.addr == fd00::/16", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["ipv6.src == fd00:99::1", [1, 3, 5, 6, 9, 10, 13]],
  ["ipv6.dst == fd00:99:0:0:0:0:0:1", [2, 4, 7, 8, 11, 12]],
  ["ipv6.src[0:2] == fd:00", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["ipv6.addr == ff02::/16", [1]],
  ["icmpv6 && ipv6.src > fd00:99::1", [2]],
  ["ipv6.src == fd00:99::2 and tcp.len > 0", [8]],
];

describe('filters on echo-veth.pcap', () => {
  it.each(ECHO_VETH)('%s', async (filter, frames) => {
    expect(await select('echo-veth.pcap', filter, true)).toEqual(frames);
    expect(await select('echo-veth.pcap', filter, false)).toEqual(frames);
  });
});

describe('filters on echo-ipv6.pcap', () => {
  it.each(ECHO_IPV6)('%s', async (filter, frames) => {
    expect(await select('echo-ipv6.pcap', filter, true)).toEqual(frames);
    expect(await select('echo-ipv6.pcap', filter, false)).toEqual(frames);
  });
});

describe('CompiledFilter', () => {
  it('lists every field and protocol it reads, once', () => {
    const f = compileFilter('tcp && tcp.port == 80 && ip.src == 10.0.0.1 || frame.protocols contains "x" || count(tcp.port) > 1');
    expect(f.fields.map((d) => d.abbrev).sort()).toEqual(['frame.protocols', 'ip.src', 'tcp', 'tcp.port']);
    expect(f.needsFull).toBe(false);
    expect(f.text).toContain('tcp.port == 80');
  });

  it('an empty filter matches every packet', async () => {
    expect(await select('echo-veth.pcap', '', false)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(await select('echo-veth.pcap', '   ', true)).toHaveLength(13);
  });

  it('gives the same answer when asked twice, and reads each packet on its own', async () => {
    const f = compileFilter('tcp.payload == "AB" || arp');
    const engine = new Engine({ full: false, fields: f.fields, columns: false });
    const pkts: Packet[] = [];
    for await (const rec of await openCapture(path.join(FIXTURES, 'echo-veth.pcap'))) pkts.push(engine.dissect(rec));
    const pass = () => pkts.filter((p) => f.matches(p)).map((p) => p.rec.num);
    expect(pass()).toEqual([1, 2, 6, 8]);
    expect(pass()).toEqual([1, 2, 6, 8]);
    expect([...pkts].reverse().filter((p) => f.matches(p)).map((p) => p.rec.num)).toEqual([8, 6, 2, 1]);
  });

  it('frame.time_delta_displayed follows the frames the filter showed', async () => {
    // tshark: frame 1 (delta 0) is shown; every later frame is measured from it, so none is 0 again; and
    // with only frames that are never shown before them, no frame has a displayed delta above 1 ms
    expect(await select('echo-veth.pcap', 'frame.time_delta_displayed == 0', false)).toEqual([1]);
    expect((await select('echo-veth.pcap', 'frame.time_delta > 0.001', false)).length).toBeGreaterThan(0);
    expect(await select('echo-veth.pcap', 'frame.time_delta_displayed > 0.001', false)).toEqual([]);
  });
});

describe('regular expressions', () => {
  it('are case-insensitive unless (?-i), and know \\A and \\z', () => {
    expect(compileRegex('arp$').test('eth:ethertype:ARP')).toBe(true);
    expect(compileRegex('(?-i)arp$').test('eth:ethertype:ARP')).toBe(false);
    expect(compileRegex('(?i)ARP').test('arp')).toBe(true);
    expect(compileRegex('\\Aeth').test('eth:ip')).toBe(true);
    expect(compileRegex('ip\\z').test('eth:ip')).toBe(true);
    expect(compileRegex('\\\\A').test('\\A')).toBe(true);
  });
});
