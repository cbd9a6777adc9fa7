import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../src/core/packet.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';

const FIX = path.resolve(__dirname, '../fixtures');
const CORPUS = path.resolve(__dirname, '../../shared/corpus');
const hasCorpus = existsSync(CORPUS);

async function readAll(input: string | Uint8Array, chunkSize?: number): Promise<{ recs: PacketRecord[]; err?: CaptureError; format: string }> {
  const recs: PacketRecord[] = [];
  const r = await openCapture(input, { chunkSize });
  try {
    for await (const rec of r) recs.push(rec);
  } catch (e) {
    if (e instanceof CaptureError) return { recs, err: e, format: r.format };
    throw e;
  }
  return { recs, format: r.format };
}

const summary = (r: PacketRecord) => `${r.num} ${r.ts.sec}.${r.ts.nsec} ${r.capLen}/${r.origLen} lt=${r.linkType} if=${r.interfaceId} ${Buffer.from(r.data).toString('hex')}`;

describe('pcap reader', () => {
  it('reads the echo fixture: 13 frames, microsecond timestamps as integer nanoseconds', async () => {
    const { recs, err, format } = await readAll(path.join(FIX, 'echo-veth.pcap'));
    expect(err).toBeUndefined();
    expect(format).toBe('pcap');
    expect(recs).toHaveLength(13);
    for (const r of recs) {
      expect(Number.isInteger(r.ts.sec)).toBe(true);
      expect(Number.isInteger(r.ts.nsec)).toBe(true);
      expect(r.ts.nsec % 1000).toBe(0); // µs resolution
      expect(r.linkType).toBe(1);
      expect(r.interfaceId).toBe(-1);
      expect(r.data.length).toBe(r.capLen);
    }
    // frame 1 is the ARP request: broadcast destination, ethertype 0x0806
    expect(Buffer.from(recs[0]!.data.subarray(0, 6)).toString('hex')).toBe('ffffffffffff');
    expect(Buffer.from(recs[0]!.data.subarray(12, 14)).toString('hex')).toBe('0806');
  });

  it('gives the same records whatever the chunk size (records spanning chunk boundaries)', async () => {
    const whole = (await readAll(path.join(FIX, 'bulk4096.pcap'))).recs.map(summary);
    for (const size of [1, 7, 16, 100, 1499, 4096]) {
      const chunked = (await readAll(path.join(FIX, 'bulk4096.pcap'), size)).recs.map(summary);
      expect(chunked).toEqual(whole);
    }
  });

  it('reads big-endian and nanosecond pcaps to the same packets', async () => {
    const le = (await readAll(path.join(FIX, 'echo-veth.pcap'))).recs;
    const be = (await readAll(path.join(FIX, 'echo-veth-be.pcap'))).recs;
    expect(be.map(summary)).toEqual(le.map(summary));
    const ns = (await readAll(path.join(FIX, 'echo-veth-ns.pcap'))).recs;
    expect(ns).toHaveLength(13);
    // a real nanosecond capture: at least one timestamp has sub-microsecond digits
    expect(ns.some((r) => r.ts.nsec % 1000 !== 0)).toBe(true);
  });

  it('detects gzip by magic, not by extension', async () => {
    const plain = (await readAll(path.join(FIX, 'echo-veth.pcap'))).recs.map(summary);
    const gz = (await readAll(path.join(FIX, 'echo-veth.pcap.gz'))).recs.map(summary);
    expect(gz).toEqual(plain);
    const bytes = gzipSync(readFileSync(path.join(FIX, 'bulk4096.pcap')));
    const r = await readAll(bytes, 64);
    expect(r.recs).toHaveLength(13);
  });

  it('keeps the link type of SLL, SLL2 and NULL captures', async () => {
    expect((await readAll(path.join(FIX, 'echo-any.pcap'))).recs[0]!.linkType).toBe(113);
    expect((await readAll(path.join(FIX, 'echo-any-sll2.pcap'))).recs[0]!.linkType).toBe(276);
    expect((await readAll(path.join(FIX, 'echo-null.pcap'))).recs[0]!.linkType).toBe(0);
  });

  it('yields every complete record of a file cut short, then reports it', async () => {
    const buf = readFileSync(path.join(FIX, 'echo-veth.pcap'));
    const full = (await readAll(buf)).recs;
    // cut in the middle of the 5th record's data
    const cut = full[4]!.fileOffset + 16 + 10;
    const r = await readAll(buf.subarray(0, cut), 50);
    expect(r.recs.map(summary)).toEqual(full.slice(0, 4).map(summary));
    expect(r.err?.kind).toBe('cut-short');
    // cut inside a record header
    const r2 = await readAll(buf.subarray(0, full[2]!.fileOffset + 5));
    expect(r2.recs).toHaveLength(2);
    expect(r2.err?.kind).toBe('cut-short');
    // header only: no records, no error (tshark says nothing either)
    const r3 = await readAll(buf.subarray(0, 24));
    expect(r3.recs).toHaveLength(0);
    expect(r3.err).toBeUndefined();
  });

  it('rejects an absurd record length with the byte offset, without allocating it', async () => {
    const buf = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcap')));
    const recs = (await readAll(buf)).recs;
    const off = recs[1]!.fileOffset;
    buf.writeUInt32LE(0xffffffff, off + 8);
    const r = await readAll(buf);
    expect(r.recs).toHaveLength(1);
    expect(r.err?.kind).toBe('corrupt');
    expect(r.err?.offset).toBe(off + 8);
    expect(r.err?.message).toContain('4294967295');
  });

  it('tolerates a record caplen larger than the snaplen when it is sane', async () => {
    const buf = Buffer.from(readFileSync(path.join(FIX, 'loss.pcap')));
    buf.writeUInt32LE(64, 16); // snaplen 64, records are up to 96 bytes
    const r = await readAll(buf);
    expect(r.err).toBeUndefined();
    expect(r.recs.length).toBe(283);
  });

  it('rejects a pcap version wiretap rejects (1.x) and accepts 2.5 as tshark does', async () => {
    const buf = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcap')));
    buf.writeUInt16LE(1, 4);
    const r = await readAll(buf);
    expect(r.recs).toHaveLength(0);
    expect(r.err?.kind).toBe('corrupt');
    expect(r.err?.message).toContain('version 1.4');
    buf.writeUInt16LE(2, 4);
    buf.writeUInt16LE(5, 6);
    expect((await readAll(buf)).recs).toHaveLength(13);
  });

  it('classifies empty, text and random inputs', async () => {
    await expect(openCapture(new Uint8Array(0))).rejects.toMatchObject({ kind: 'empty' });
    await expect(openCapture(Buffer.from('hello, this is text\n'))).rejects.toMatchObject({ kind: 'unknown-format' });
    await expect(openCapture(Buffer.from([0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4, 5]))).rejects.toMatchObject({ kind: 'unknown-format' });
    await expect(openCapture(path.join(FIX, 'no-such-file.pcap'))).rejects.toMatchObject({ kind: 'missing' });
    await expect(openCapture(FIX)).rejects.toMatchObject({ kind: 'directory' });
  });
});

describe('pcapng reader', () => {
  it('reads the pcapng echo with interface ids, names and comments', async () => {
    const { recs, format } = await readAll(path.join(FIX, 'echo-veth.pcapng'));
    expect(format).toBe('pcapng');
    expect(recs).toHaveLength(13);
    expect(recs[0]!.interfaceId).toBe(0);
    expect(recs[0]!.comment?.[0]).toBe('ARP request before the echo connection');
    expect(recs[2]!.comment?.[0]).toBe('SYN of the echo connection');
    const pcap = (await readAll(path.join(FIX, 'echo-veth.pcap'))).recs;
    expect(recs.map((r) => Buffer.from(r.data).toString('hex'))).toEqual(pcap.map((r) => Buffer.from(r.data).toString('hex')));
    expect(recs.map((r) => `${r.ts.sec}.${r.ts.nsec}`)).toEqual(pcap.map((r) => `${r.ts.sec}.${r.ts.nsec}`));
  });

  it('handles interfaces with different link types in one file', async () => {
    const { recs } = await readAll(path.join(FIX, 'mixed-linktypes.pcapng'));
    expect(recs).toHaveLength(24);
    const types = new Set(recs.map((r) => `${r.interfaceId}:${r.linkType}`));
    expect(types).toEqual(new Set(['0:113', '1:1']));
  });

  it('rejects bad block lengths with the byte offset', async () => {
    const buf = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcapng')));
    const shbLen = buf.readUInt32LE(4);
    const idbLen = buf.readUInt32LE(shbLen + 4);
    const epb = shbLen + idbLen;
    for (const [bad, word] of [
      [13, 'multiple of 4'],
      [8, 'less than 12'],
      [0x7ffffff0, 'too large'],
    ] as const) {
      const b = Buffer.from(buf);
      b.writeUInt32LE(bad, epb + 4);
      const r = await readAll(b);
      expect(r.recs).toHaveLength(0);
      expect(r.err?.kind).toBe('corrupt');
      expect(r.err?.message).toContain(word);
      expect(r.err?.offset).toBe(epb + 4);
    }
    // a block longer than the rest of the file: the file was cut short
    const b = Buffer.from(buf);
    b.writeUInt32LE(1 << 20, epb + 4);
    const r = await readAll(b);
    expect(r.err?.kind).toBe('cut-short');
  });

  it('rejects an EPB before any IDB and an interface id out of range', async () => {
    const buf = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcapng')));
    const shbLen = buf.readUInt32LE(4);
    const idbLen = buf.readUInt32LE(shbLen + 4);
    // drop the IDB
    const noIdb = Buffer.concat([buf.subarray(0, shbLen), buf.subarray(shbLen + idbLen)]);
    const r = await readAll(noIdb);
    expect(r.recs).toHaveLength(0);
    expect(r.err?.message).toContain('interface index 0 is not less than interface count 0');
    const b = Buffer.from(buf);
    b.writeUInt32LE(7, shbLen + idbLen + 8);
    const r2 = await readAll(b);
    expect(r2.err?.message).toContain('interface index 7');
  });
});

// The pcapng conformance set (both byte orders): every file must read, and the frames must be the
// packet and custom blocks the generator's .txt lists (tshark shows custom blocks as frames too).
describe.skipIf(!hasCorpus)('pcapng conformance files (../shared/corpus)', () => {
  const dirs = ['output_le', 'output_be'].flatMap((o) =>
    ['basic', 'advanced', 'difficult'].map((c) => path.join(CORPUS, 'pcapng-test-generator', o, c)),
  );
  const files = dirs.filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.pcapng')).map((f) => path.join(d, f)));
  it('has the conformance files', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });
  for (const f of files) {
    it(path.relative(CORPUS, f), async () => {
      const txt = readFileSync(f.replace(/\.pcapng$/, '.txt'), 'utf8');
      const count = (name: string) => Number(new RegExp(`^\\s*${name}: (\\d+)`, 'm').exec(txt)?.[1] ?? 0);
      const expected = count('EPB') + count('SPB') + count('PB') + count('CB') + count('DCB');
      const r = await readAll(f, 97);
      expect(r.err).toBeUndefined();
      expect(r.recs).toHaveLength(expected);
    });
  }
});
