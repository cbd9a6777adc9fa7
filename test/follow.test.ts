// -z follow: argument parsing, the hex dump, and TCP stream reassembly on hand-built segments
// (retransmissions shown once, overlapping retransmissions contributing only their new bytes,
// out-of-order segments waiting for the gap, and bytes the peer acknowledged but the capture lacks).
// The hand-built captures are also written to pcap files and followed by tshark when it is installed.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { openCaptureWriter } from '../src/io/writer.js';
import { hexDump, parseFollow } from '../src/stats/follow.js';
import { parseStat, statFields } from '../src/stats/index.js';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

const C: [string, number] = ['10.0.0.1', 40000];
const S: [string, number] = ['10.0.0.2', 80];
const SYN = 0x02;
const ACK = 0x10;
const PA = 0x18;
const FA = 0x11;

/** An Ethernet/IPv4/TCP frame (checksums left zero: tshark does not check them by default). */
function tcpFrame(src: [string, number], dst: [string, number], seq: number, ack: number, flags: number, payload = ''): Uint8Array {
  const pl = Buffer.from(payload, 'latin1');
  const b = Buffer.alloc(14 + 20 + 20 + pl.length);
  Buffer.from('020000000002020000000001', 'hex').copy(b, 0);
  if (src[0] === S[0]) Buffer.from('020000000001020000000002', 'hex').copy(b, 0);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(40 + pl.length, 16);
  b.writeUInt16BE(0x4000, 20);
  b[22] = 64;
  b[23] = 6;
  src[0].split('.').forEach((v, i) => (b[26 + i] = Number(v)));
  dst[0].split('.').forEach((v, i) => (b[30 + i] = Number(v)));
  b.writeUInt16BE(src[1], 34);
  b.writeUInt16BE(dst[1], 36);
  b.writeUInt32BE(seq >>> 0, 38);
  b.writeUInt32BE(ack >>> 0, 42);
  b[46] = 0x50;
  b[47] = flags;
  b.writeUInt16BE(65535, 48);
  pl.copy(b, 54);
  return b;
}

type Seg = [src: 'c' | 's', seq: number, ack: number, flags: number, payload?: string];

function records(segs: Seg[]): PacketRecord[] {
  return segs.map(([who, seq, ack, flags, payload], i) => {
    const data = who === 'c' ? tcpFrame(C, S, seq, ack, flags, payload) : tcpFrame(S, C, seq, ack, flags, payload);
    return { num: i + 1, ts: { sec: 1700000000, nsec: i * 1_000_000 }, capLen: data.length, origLen: data.length, linkType: 1, interfaceId: -1, data, fileOffset: 0 };
  });
}

function follow(arg: string, recs: PacketRecord[]): string {
  const s = parseStat(arg);
  const eng = new Engine({ full: false, fields: statFields([s]), columns: false });
  for (const r of recs) s.packet(eng.dissect(r));
  let t = '';
  s.finish((x) => (t += x));
  return t;
}

async function viaTshark(arg: string, recs: PacketRecord[]): Promise<string> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ms-follow-')), 'synthetic.pcap');
  const w = openCaptureWriter(file, { format: 'pcap', nanosecond: true });
  for (const r of recs) w.write(r);
  await w.close();
  return (await run(TSHARK_REF, ['-q', '-r', file, '-z', arg])).stdout;
}

const HEAD = '\n===================================================================\nFollow: tcp,ascii\nFilter: tcp.stream eq 0\nNode 0: 10.0.0.1:40000\nNode 1: 10.0.0.2:80\n';
const END = '===================================================================\n';
// client ISN 1000, server ISN 5000
const open: Seg[] = [
  ['c', 1000, 0, SYN],
  ['s', 5000, 1001, SYN | ACK],
  ['c', 1001, 5001, ACK],
];

const cases: Array<{ name: string; segs: Seg[]; expected: string }> = [
  {
    name: 'a retransmitted segment is shown once',
    segs: [...open, ['c', 1001, 5001, PA, 'hello '], ['c', 1001, 5001, PA, 'hello '], ['c', 1007, 5001, PA, 'world'], ['s', 5001, 1012, PA, 'ok'], ['c', 1012, 5003, FA]],
    expected: `${HEAD}6\nhello \n5\nworld\n\t2\nok\n${END}`,
  },
  {
    name: 'an overlapping retransmission adds only its new bytes',
    segs: [...open, ['c', 1001, 5001, PA, 'hello '], ['c', 1004, 5001, PA, 'lo world'], ['s', 5001, 1012, ACK]],
    expected: `${HEAD}6\nhello \n5\nworld\n${END}`,
  },
  {
    name: 'an out-of-order segment waits for the gap to fill',
    segs: [...open, ['c', 1007, 5001, PA, 'world'], ['c', 1001, 5001, PA, 'hello '], ['s', 5001, 1012, ACK]],
    expected: `${HEAD}6\nhello \n5\nworld\n${END}`,
  },
  {
    name: 'bytes acknowledged but not captured become a marker',
    segs: [...open, ['c', 1001, 5001, PA, 'hello '], ['c', 1012, 5001, PA, 'world'], ['s', 5001, 1017, ACK]],
    expected: `${HEAD}6\nhello \n34\n[5 bytes missing in capture file].\n5\nworld\n${END}`,
  },
];

describe('TCP follow reassembly on hand-built segments', () => {
  // tshark's verdicts on the same segments, fetched in parallel (tshark starts slowly)
  let ref: string[] = [];
  beforeAll(async () => {
    if (hasTshark) ref = await Promise.all(cases.map((c) => viaTshark('follow,tcp,ascii,0', records(c.segs))));
  });
  cases.forEach((c, i) => {
    it(c.name, () => {
      expect(follow('follow,tcp,ascii,0', records(c.segs))).toBe(c.expected);
      if (hasTshark) expect(ref[i], 'tshark agrees').toBe(c.expected);
    });
  });

  it('hex offsets count each direction separately; a chunk range skips but keeps offsets', () => {
    const recs = records([...open, ['c', 1001, 5001, PA, 'abcdefghijklmnopqrstu'], ['s', 5001, 1022, PA, 'XYZ'], ['c', 1022, 5004, PA, '0123']]);
    const hex = follow('follow,tcp,hex,0', recs);
    expect(hex.split('\n').slice(6, -2)).toEqual([
      '00000000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  abcdefgh ijklmnop',
      '00000010  71 72 73 74 75                                    qrstu',
      '\t00000000  58 59 5a                                          XYZ',
      '00000015  30 31 32 33                                       0123',
    ]);
    expect(follow('follow,tcp,hex,0,3', recs).split('\n').slice(6, -2)).toEqual(['00000015  30 31 32 33                                       0123']);
    expect(follow('follow,tcp,raw,0,2-3', recs).split('\n').slice(6, -2)).toEqual(['\t58595a', '30313233']);
  });

  it('yaml gives peers and base64 data with timestamps', () => {
    const recs = records([...open, ['c', 1001, 5001, PA, 'GET /\n']]);
    expect(follow('follow,tcp,yaml,0', recs)).toBe(
      'peers:\n  - peer: 0\n    host: 10.0.0.1\n    port: 40000\n  - peer: 1\n    host: 10.0.0.2\n    port: 80\npackets:\n' +
        '  - packet: 4\n    peer: 0\n    timestamp: 1700000000.003000021\n    data: !!binary |\n      R0VUIC8K\n',
    );
  });

  it('an address pair selects the stream, either way round; an unknown stream has empty nodes', () => {
    const recs = records([...open, ['c', 1001, 5001, PA, 'x']]);
    const t = follow('follow,tcp,raw,10.0.0.2:80,10.0.0.1:40000', recs);
    expect(t.split('\n').slice(1, 6)).toEqual([
      '===================================================================',
      'Follow: tcp,raw',
      'Filter: ((ip.src eq 10.0.0.2 and tcp.srcport eq 80) and (ip.dst eq 10.0.0.1 and tcp.dstport eq 40000)) or ((ip.src eq 10.0.0.1 and tcp.srcport eq 40000) and (ip.dst eq 10.0.0.2 and tcp.dstport eq 80))',
      'Node 0: 10.0.0.1:40000',
      'Node 1: 10.0.0.2:80',
    ]);
    expect(t).toContain('\n78\n');
    expect(follow('follow,tcp,ascii,7', recs)).toBe('\n===================================================================\nFollow: tcp,ascii\nFilter: tcp.stream eq 7\nNode 0: :0\nNode 1: :0\n' + END);
  });
});

describe('follow arguments and the hex dump', () => {
  it('parses stream, address pairs (IPv4, [IPv6]) and ranges', () => {
    expect(parseFollow('follow,udp,hex,3,2-5')).toMatchObject({ proto: 'udp', mode: 'hex', stream: 3, chunkMin: 2, chunkMax: 5 });
    const v6 = parseFollow('follow,tcp,raw,[fd00:99::1]:443,[fd00:99::2]:5000');
    expect([v6.v6, v6.port, v6.stream, v6.addr[1]!.length]).toEqual([true, [443, 5000], -1, 16]);
    expect(parseFollow('follow,tcp,ebcdic,0,4')).toMatchObject({ chunkMin: 4, chunkMax: 4 });
  });

  it('hexDump: uppercase offsets, a gap after 8 bytes, trailing gap trimmed', () => {
    expect(hexDump('', 0x2a, Uint8Array.from([0x41, 0x00, 0x7f, 0x20, 0x42, 0x43, 0x44, 0x45]))).toBe('0000002A  41 00 7f 20 42 43 44 45                           A.. BCDE\n');
  });
});

describe('follow on the fixtures (no tshark needed)', () => {
  it('halfclose.pcap: the request, then the three response parts, in order', async () => {
    const s = parseStat('follow,tcp,ascii,0');
    const eng = new Engine({ full: false, fields: statFields([s]), columns: false });
    for await (const rec of await openCapture(path.join(ROOT, 'fixtures', 'halfclose.pcap'))) s.packet(eng.dissect(rec));
    let t = '';
    s.finish((x) => (t += x));
    expect(t).toMatch(/\n15\nGET \/something\n\n\t21\nresponse part 1 of 3\n\n\t21\nresponse part 2 of 3\n\n\t21\nresponse part 3 of 3\n\n=+\n$/);
  });
});
