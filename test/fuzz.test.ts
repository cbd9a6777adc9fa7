// Property tests (fast-check), bounded in time: dissectors and readers must terminate, never throw,
// keep every field inside the bytes, and report faults with their offsets, whatever the input.
// `npm run fuzz -- --runs N` runs the same properties for longer.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { packetViolations } from '../src/fuzz/invariants.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';

const FIX = path.resolve(__dirname, '../fixtures');
const LINKTYPES = [0, 1, 101, 108, 113, 228, 229, 276, 147, 9999];
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function record(data: Uint8Array, linkType: number, num = 1): PacketRecord {
  return { num, ts: { sec: 1, nsec: num }, tsPrec: 6, capLen: data.length, origLen: data.length, linkType, interfaceId: -1, data, fileOffset: 0 };
}

async function records(file: string): Promise<PacketRecord[]> {
  const out: PacketRecord[] = [];
  for await (const r of await openCapture(file)) out.push({ ...r, data: new Uint8Array(r.data) });
  return out;
}

const fixtureFiles = readdirSync(FIX).filter((f) => /\.pcap(ng)?$/.test(f));

describe('dissectors never throw and keep fields inside the frame', () => {
  it('arbitrary bytes under every link type, full and non-full engines', () => {
    const full = new Engine({ full: true });
    const lean = new Engine({ full: false, columns: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...LINKTYPES), (bytes, lt) => {
        for (const e of [full, lean]) {
          const pkt = e.dissect(record(bytes, lt));
          expect(packetViolations(pkt)).toEqual([]);
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('real fixture frames with byte flips, truncations and extensions', async () => {
    const frames: PacketRecord[] = [];
    for (const f of fixtureFiles) frames.push(...(await records(path.join(FIX, f))).slice(0, 40));
    expect(frames.length).toBeGreaterThan(200);
    const engine = new Engine({ full: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: frames.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat()),
        fc.uint8Array({ maxLength: 40 }),
        (i, flips, cut, extra) => {
          const src = frames[i]!;
          let b = new Uint8Array(src.data);
          for (const [pos, v] of flips) if (b.length) b[pos % b.length] = v;
          if (cut !== null && b.length) b = b.subarray(0, cut % (b.length + 1));
          if (extra.length && cut === null) {
            const c = new Uint8Array(b.length + extra.length);
            c.set(b);
            c.set(extra, b.length);
            b = c;
          }
          const pkt = engine.dissect({ ...src, data: b, capLen: b.length, origLen: Math.max(b.length, src.origLen) });
          expect(packetViolations(pkt)).toEqual([]);
        },
      ),
      { numRuns: RUNS * 4 },
    );
  });

  it('structure-aware mutations: repeated header ranges (tags, chains), 16-bit length fields, header nibbles', async () => {
    const frames: PacketRecord[] = [];
    for (const f of fixtureFiles) frames.push(...(await records(path.join(FIX, f))).slice(0, 20));
    const engine = new Engine({ full: true });
    const lean = new Engine({ full: false, columns: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: frames.length - 1 }),
        fc.nat(),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 700 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 1, 4, 19, 20, 40, 0x8100, 0x86dd, 0x7fff, 0xffff)), { maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 15 })), { maxLength: 3 }),
        (i, at, width, copies, words, nibbles) => {
          const src = frames[i]!.data;
          const pos = at % (src.length + 1);
          const piece = src.subarray(pos, Math.min(src.length, pos + width));
          const b = new Uint8Array(src.length + piece.length * copies);
          b.set(src.subarray(0, pos));
          for (let k = 0; k < copies; k++) b.set(piece, pos + k * piece.length);
          b.set(src.subarray(pos), pos + piece.length * copies);
          if (b.length > 1) {
            for (const [p, v] of words) {
              const q = p % (b.length - 1);
              b[q] = v >> 8;
              b[q + 1] = v & 255;
            }
            for (const [p, v] of nibbles) b[p % b.length] = (v << 4) | (b[p % b.length]! & 15);
          }
          for (const e of [engine, lean]) {
            const pkt = e.dissect({ ...frames[i]!, data: b, capLen: b.length, origLen: b.length });
            expect(packetViolations(pkt)).toEqual([]);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('the TCP tracker keeps its invariants over mutated conversations', async () => {
    const frames = await records(path.join(FIX, 'loss.pcap'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 30 }), (muts) => {
        const engine = new Engine({ full: true });
        const list = frames.map((r) => ({ ...r, data: new Uint8Array(r.data) }));
        for (const [fi, pos, v] of muts) {
          const r = list[fi % list.length]!;
          r.data[34 + (pos % Math.max(1, r.data.length - 34))] = v; // inside IP/TCP
        }
        for (const r of list) {
          const pkt = engine.dissect(r);
          expect(packetViolations(pkt)).toEqual([]);
        }
      }),
      { numRuns: Math.max(10, RUNS / 10) },
    );
  });
});

describe('readers terminate, keep every intact record and report faults with offsets', () => {
  it('truncation at every offset of the first few KB', async () => {
    for (const f of ['echo-veth.pcap', 'echo-veth.pcapng']) {
      const buf = readFileSync(path.join(FIX, f));
      const full = await records(path.join(FIX, f));
      // byte offsets where a unit (file header, record, block) ends: a cut there is a clean end
      const bounds = new Set<number>();
      if (f.endsWith('.pcapng')) for (let o = 0; o + 8 <= buf.length; ) bounds.add((o += buf.readUInt32LE(o + 4)));
      else for (let o = 24; o + 16 <= buf.length; o += 16 + buf.readUInt32LE(o + 8)) bounds.add(o);
      if (!f.endsWith('.pcapng')) bounds.add(24);
      bounds.add(buf.length);
      for (let cut = 0; cut <= Math.min(buf.length, 3000); cut++) {
        const got: PacketRecord[] = [];
        let err: CaptureError | null = null;
        try {
          for await (const r of await openCapture(buf.subarray(0, cut), { chunkSize: 61 })) got.push(r);
        } catch (e) {
          if (!(e instanceof CaptureError)) throw e;
          err = e;
        }
        // what was read is a prefix of the real records
        expect(got.map((r) => Buffer.from(r.data).toString('hex'))).toEqual(full.slice(0, got.length).map((r) => Buffer.from(r.data).toString('hex')));
        // only a cut exactly at a unit boundary may end without an error
        expect(err === null).toBe(bounds.has(cut));
        if (err) expect(err.offset === undefined || err.offset <= cut).toBe(true);
      }
    }
  });

  it('random mutations of headers and length fields', async () => {
    const files = ['echo-veth.pcap', 'echo-veth.pcapng', 'mixed-linktypes.pcapng', 'echo-veth-be.pcap'].map((f) => readFileSync(path.join(FIX, f)));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        async (fi, muts) => {
          const b = Buffer.from(files[fi]!);
          // bias mutations towards the first KB, where the headers and length fields are
          for (const [pos, v] of muts) b[pos % Math.min(b.length, 1024)] = v;
          let n = 0;
          try {
            for await (const r of await openCapture(b, { chunkSize: 113 })) {
              n++;
              expect(r.data.length).toBe(r.capLen);
              expect(r.capLen).toBeLessThanOrEqual(16 * 1024 * 1024);
            }
          } catch (e) {
            if (!(e instanceof CaptureError)) throw e;
            if (e.kind === 'corrupt' || e.kind === 'cut-short') expect(e.offset === undefined || e.offset >= 0).toBe(true);
          }
          expect(n).toBeLessThan(10_000);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
