// -w: captures written as pcap and pcapng, read back by minishark's own reader, by tshark and by
// tcpdump (each skipped when not installed): same frame count, same bytes, same lengths, and the
// timestamps at the precision of the format.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PacketRecord } from '../src/core/packet.js';
import { openCapture } from '../src/io/reader.js';
import { openCaptureWriter, WriteError, type CaptureFormat } from '../src/io/writer.js';

const run = promisify(execFile);
const FIXTURES = path.resolve(__dirname, '../fixtures');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
const hasTshark = has('tshark');
const hasTcpdump = has('tcpdump');
const DIR = mkdtempSync(path.join(os.tmpdir(), 'ms-write-'));

async function readAll(file: string): Promise<PacketRecord[]> {
  const out: PacketRecord[] = [];
  for await (const r of await openCapture(file)) out.push({ ...r, data: Uint8Array.from(r.data) });
  return out;
}

async function writeAll(recs: PacketRecord[], file: string, format: CaptureFormat, bufferSize?: number): Promise<void> {
  const w = openCaptureWriter(file, { format, bufferSize });
  for (const r of recs) {
    w.write(r);
    if (w.full) await w.flush();
  }
  await w.close();
  expect(w.count).toBe(recs.length);
  expect(w.bytes).toBe(statSync(file).size);
}

/** tshark's view of a file: per frame, length, captured length and epoch time */
async function tsharkView(file: string): Promise<string[]> {
  const { stdout } = await run('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.time_epoch'], { maxBuffer: 1 << 26 });
  return stdout.split('\n').filter(Boolean);
}

/** the same view at microsecond precision (what a microsecond pcap keeps) */
const usec = (v: string[]) => v.map((l) => l.replace(/^(\d+\t\d+\t\d+\.\d{6})\d{3}/, '$1000'));

async function tcpdumpHex(file: string): Promise<string> {
  const { stdout } = await run('tcpdump', ['-nn', '-r', file, '-xx', '-tt'], { maxBuffer: 1 << 26 });
  // the hex lines only (the decode line depends on the link type tcpdump understands)
  return stdout
    .split('\n')
    .filter((l) => /^\s+0x[0-9a-f]{4}:/.test(l))
    .join('\n');
}

const SAMPLES = ['loss.pcap', 'echo-veth.pcapng', 'echo-veth-be.pcap', 'echo-veth.pcap.gz', 'echo-any-sll2.pcap', 'udp-frag.pcap'];
const FORMATS = ['pcap', 'pcapng'] as const;

describe('writing captures (-w, -F pcap|pcapng)', () => {
  // write everything first, then ask tshark about all files at once (it starts slowly)
  const views = new Map<string, string[]>();
  beforeAll(async () => {
    const jobs: Array<Promise<void>> = [];
    for (const name of SAMPLES) {
      const src = path.join(FIXTURES, name);
      const orig = await readAll(src);
      for (const format of FORMATS) {
        const out = path.join(DIR, `${name}.${format}`);
        await writeAll(orig, out, format, 4096);
        if (hasTshark) jobs.push(tsharkView(out).then((v) => void views.set(out, v)));
      }
      if (hasTshark) jobs.push(tsharkView(src).then((v) => void views.set(src, v)));
    }
    await Promise.all(jobs);
  });

  for (const name of SAMPLES) {
    for (const format of FORMATS) {
      it(`${name} → ${format}: same records for minishark${hasTshark ? ', tshark' : ''}${hasTcpdump ? ', tcpdump' : ''}`, async () => {
        const src = path.join(FIXTURES, name);
        const orig = await readAll(src);
        const out = path.join(DIR, `${name}.${format}`);
        const back = await readAll(out);
        expect(back.length).toBe(orig.length);
        back.forEach((r, i) => {
          const o = orig[i]!;
          expect([r.capLen, r.origLen, r.linkType]).toEqual([o.capLen, o.origLen, o.linkType]);
          expect(Buffer.from(r.data).equals(Buffer.from(o.data))).toBe(true);
          // pcap is written with microseconds (as tshark -F pcap); pcapng keeps nanoseconds
          expect(r.ts).toEqual(format === 'pcap' ? { sec: o.ts.sec, nsec: Math.floor(o.ts.nsec / 1000) * 1000 } : o.ts);
          if (format === 'pcapng') expect(r.comment).toEqual(o.comment);
        });
        if (hasTshark) {
          expect(views.get(out)!.length).toBe(orig.length);
          expect(views.get(out)).toEqual(format === 'pcap' ? usec(views.get(src)!) : views.get(src));
        }
        // tcpdump reads no gzip: compare with the uncompressed twin when the fixture has one
        const plain = src.endsWith('.gz') ? src.slice(0, -3) : src;
        if (hasTcpdump && (plain === src || (await readAll(plain)).length === orig.length)) expect(await tcpdumpHex(out)).toBe(await tcpdumpHex(plain));
      });
    }
  }

  it('several link types go to pcapng (one interface each); pcap refuses them', async () => {
    const orig = await readAll(path.join(FIXTURES, 'mixed-linktypes.pcapng'));
    expect(new Set(orig.map((r) => r.linkType)).size).toBeGreaterThan(1);
    const out = path.join(DIR, 'mixed.pcapng');
    await writeAll(orig, out, 'pcapng');
    const back = await readAll(out);
    expect(back.map((r) => [r.linkType, r.capLen, Buffer.from(r.data).toString('hex')])).toEqual(orig.map((r) => [r.linkType, r.capLen, Buffer.from(r.data).toString('hex')]));
    const w = openCaptureWriter(path.join(DIR, 'mixed.pcap'), { format: 'pcap' });
    const first = orig[0]!;
    w.write(first);
    const other = orig.find((r) => r.linkType !== first.linkType)!;
    expect(() => w.write(other)).toThrow(WriteError);
    expect(() => w.write(other)).toThrow(/can't be written as a "pcap" file/);
    await w.close();
  });

  it('an empty capture is a valid file; nanosecond pcap keeps nanoseconds; a stream target works', async () => {
    for (const format of ['pcap', 'pcapng'] as const) {
      const out = path.join(DIR, `empty.${format}`);
      const w = openCaptureWriter(out, { format, linkType: 1 });
      await w.close();
      expect(await readAll(out)).toEqual([]);
      // pcap: the file header; pcapng: a section header block (with shb_userappl), no interface yet
      expect(readFileSync(out).length).toBe(format === 'pcap' ? 24 : 48);
    }
    const orig = await readAll(path.join(FIXTURES, 'halfclose.pcap'));
    const nano = orig.map((r, i) => ({ ...r, ts: { sec: r.ts.sec, nsec: 123456789 + i } }));
    const out = path.join(DIR, 'nano.pcap');
    const w = openCaptureWriter(out, { format: 'pcap', nanosecond: true });
    for (const r of nano) w.write(r);
    await w.close();
    expect((await readAll(out)).map((r) => r.ts)).toEqual(nano.map((r) => r.ts));
    expect(readFileSync(out).readUInt32LE(0)).toBe(0xa1b23c4d);
    // to a stream (as "-w -" does with stdout)
    const pt = new PassThrough();
    const chunks: Buffer[] = [];
    pt.on('data', (c: Buffer) => chunks.push(c));
    const ws = openCaptureWriter(pt, { format: 'pcapng' });
    for (const r of orig) ws.write(r);
    await ws.close();
    expect((await readAll(path.join(DIR, 'nano.pcap'))).length).toBe(orig.length);
    const viaStream = path.join(DIR, 'stream.pcapng');
    await import('node:fs').then((fs) => fs.writeFileSync(viaStream, Buffer.concat(chunks)));
    expect((await readAll(viaStream)).map((r) => Buffer.from(r.data).toString('hex'))).toEqual(orig.map((r) => Buffer.from(r.data).toString('hex')));
  });

  it('pcapng keeps the source resolution: microseconds stay microseconds (6-digit Time column), nanoseconds stay', async () => {
    for (const [name, prec] of [
      ['loss.pcap', 6],
      ['echo-veth-ns.pcap', 9],
    ] as const) {
      const orig = await readAll(path.join(FIXTURES, name));
      expect(orig.every((r) => r.tsPrec === prec)).toBe(true);
      const out = path.join(DIR, `res-${name}.pcapng`);
      await writeAll(orig, out, 'pcapng');
      const back = await readAll(out);
      expect(back.map((r) => [r.tsPrec, r.ts.sec, r.ts.nsec])).toEqual(orig.map((r) => [prec, r.ts.sec, r.ts.nsec]));
    }
    // a record finer than its stated microsecond resolution still keeps its nanoseconds
    const orig = await readAll(path.join(FIXTURES, 'halfclose.pcap'));
    const odd = orig.map((r, i) => (i === 3 ? { ...r, ts: { sec: r.ts.sec, nsec: r.ts.nsec + 7 } } : r));
    const out = path.join(DIR, 'odd.pcapng');
    await writeAll(odd, out, 'pcapng');
    expect((await readAll(out)).map((r) => r.ts)).toEqual(odd.map((r) => r.ts));
  });

  it('a file that cannot be created fails at once', () => {
    const missing = path.join(DIR, 'no', 'such', 'dir.pcap');
    // tshark's wording
    expect(() => openCaptureWriter(missing)).toThrow(`The path to the file "${missing}" doesn't exist.`);
    expect(() => openCaptureWriter(DIR)).toThrow(`"${DIR}" is a directory (folder), not a file.`);
  });
});
