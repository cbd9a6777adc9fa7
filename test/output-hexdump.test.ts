// -x: the bytes exactly as tshark -x prints them; with -V and colour, each byte in its layer's colour.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { layerStyles, makeChalk } from '../src/output/color.js';
import { byteColors, hexBlock, hexDump } from '../src/output/hexdump.js';
// @ts-expect-error plain JS helpers
import { fixtures, ROOT, runCli } from './golden/cases.mjs';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
const CORPUS = path.join(ROOT, '..', 'shared', 'corpus');
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

async function packets(file: string, full = true): Promise<Packet[]> {
  const engine = new Engine({ full, columns: false });
  const out: Packet[] = [];
  for await (const batch of (await openCapture(file)).batches()) for (const rec of batch) out.push(engine.dissect(rec));
  return out;
}

function tshark(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(ROOT, 'scripts', 'tshark-ref'), args, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('hex lines', () => {
  it('offset, 16 bytes, ASCII with dots; a short last line keeps the ASCII column', () => {
    const data = new Uint8Array([...Buffer.from('GET / HTTP/1.1\r\n'), 0x00, 0x7f, 0x80, 0x41]);
    expect(hexBlock(data)).toBe(
      '0000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a   GET / HTTP/1.1..\n' + '0010  00 7f 80 41                                       ...A\n',
    );
  });

  it('uses more offset digits past 64 KiB, as tshark does', () => {
    const lines = hexBlock(new Uint8Array(0x10001)).split('\n');
    expect(lines[0]).toMatch(/^00000  00 /);
    expect(lines[lines.length - 2]).toMatch(/^10000  00 {3}/);
  });

  it('labels the frame and each reassembled buffer', async () => {
    const ps = await packets(path.join(ROOT, 'fixtures', 'udp-frag.pcap'), false);
    const whole = ps.find((p) => p.sources.length > 0)!;
    const dump = hexDump(whole);
    expect(dump.startsWith(`Frame (${whole.rec.data.length} bytes):\n0000  `)).toBe(true);
    expect(dump).toContain(`\nReassembled IPv4 (${whole.sources[0]!.length} bytes):\n0000  `);
  });
});

describe.skipIf(!hasTshark)('= tshark -x (needs tshark)', () => {
  // plain frames, a reassembled datagram, several link types, a long capture; a 80 KB frame from the corpus
  const some = ['echo-veth.pcap', 'udp-frag.pcap', 'mixed-linktypes.pcapng', 'loss.pcap'].filter((f) => fixtures().includes(f));
  const files = some.map((f: string) => path.join(ROOT, 'fixtures', f));
  for (const f of ['tcpdump/bigtcp-ipv4.pcap', 'zeek/tcp/reassembly.pcap']) if (existsSync(path.join(CORPUS, f))) files.push(path.join(CORPUS, f));
  it.each(files.map((f) => [path.relative(ROOT, f), f]))('%s', async (_n, file) => {
    const [want, got] = await Promise.all([tshark(['-r', file, '-x']), runCli(main, ['-r', file, '-x'])]);
    expect(got.out).toBe(want);
  });
});

describe('colour by layer (-V -x)', () => {
  it('each byte takes its layer colour; the dump without escapes is the plain dump', async () => {
    const ps = await packets(path.join(ROOT, 'fixtures', 'echo-veth.pcap'));
    const syn = ps.find((p) => p.tcp && p.tcp.flags === 2)!;
    const chalk = makeChalk(1);
    const styles = layerStyles(chalk, syn.layers);
    const names = syn.layers.map((L) => L.proto);
    expect(names.slice(0, 4)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    expect(styles[0]).toBeNull();
    const [colors] = byteColors(syn, styles);
    const eth = names.indexOf('eth');
    const ip = names.indexOf('ip');
    const tcp = names.indexOf('tcp');
    expect([...colors!.subarray(0, 14)].every((c) => c === eth)).toBe(true);
    expect([...colors!.subarray(14, 34)].every((c) => c === ip)).toBe(true);
    expect([...colors!.subarray(34, syn.rec.capLen)].every((c) => c === tcp)).toBe(true);
    const dump = hexDump(syn, styles);
    expect(strip(dump)).toBe(hexDump(syn));
    // the IP header's first bytes (45 00) are in IP's colour, at the end of the first line
    expect(dump.split('\n')[0]).toContain(styles[ip]!('45 00'));
    expect(dump.split('\n')[0]).toContain(styles[eth]!('02 00 0a 63 00 02 02 00 0a 63 00 01 08 00'));
  });

  it('the payload bytes are the payload layer\'s, not the TCP layer\'s', async () => {
    const ps = await packets(path.join(ROOT, 'fixtures', 'echo-veth.pcap'));
    const withData = ps.find((p) => p.layers.some((L) => L.proto === 'data'))!;
    const styles = layerStyles(makeChalk(1), withData.layers);
    const [colors] = byteColors(withData, styles);
    const d = withData.layers.findIndex((L) => L.proto === 'data');
    const L = withData.layers[d]!;
    expect(L.length).toBeGreaterThan(0);
    expect([...colors!.subarray(L.offset, L.offset + L.length)].every((c) => c === d)).toBe(true);
  });

  it('-V -x --color=always: layer titles and their bytes share a colour; the text is tshark-like without colour', async () => {
    const plain = await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-V', '-x', '-c', '3']);
    const col = await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-V', '-x', '-c', '3', '--color=always']);
    expect(strip(col.out)).toBe(plain.out);
    const ipTitle = col.out.split('\n').find((l: string) => strip(l).startsWith('Internet Protocol Version 4'))!;
    const code = /\x1b\[(9\dm)/.exec(ipTitle)![1];
    const hex = col.out.split('\n').filter((l: string) => /^00[0-9a-f]0 {2}/.test(strip(l)));
    expect(hex.some((l: string) => l.includes(`\x1b[${code}45 00`))).toBe(true);
  });
});
