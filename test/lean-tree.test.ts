// A run keeps only the fields something reads (Wireshark's tree == NULL path): with none of a
// protocol's fields wanted, its dissector skips their calls altogether (src/dissectors/ipv4.ts,
// tcp.ts check TreeBuilder.wantP once). What the user sees apart from the fields must not change:
// the columns, the expert items, the malformed and short flags, the layers and the TCP stream index
// come out the same as when the whole tree is built. Checked on every fixture and corpus capture.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupField, type FieldDef } from '../src/core/field.js';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';
import { infoText } from '../src/output/columns.js';
import { captureFiles, CORPUS, FIXTURES, hasCorpus } from './helpers/reference.js';

/** Everything of a packet but its fields, as one comparable text per packet. */
function visible(p: Packet): string {
  return JSON.stringify([
    p.colSrc,
    p.colDst,
    p.colProto,
    infoText(p),
    p.malformed,
    p.protocols,
    p.layers.map((l) => [l.proto, l.offset, l.length, l.malformed?.error ?? null]),
    p.expert.map((e) => [e.abbrev, e.severity, e.group, e.message, e.proto]),
    p.tcp ? [p.tcp.stream, p.tcp.srcPort, p.tcp.dstPort, p.tcp.len, p.tcp.flags] : null,
  ]);
}

/** The same run three ways: the whole tree; no field at all; one field of each of IPv4 and TCP
 * (so those protocols take the field path while the others skip theirs). */
async function compare(file: string, limit: number): Promise<number> {
  const some: FieldDef[] = [lookupField('ip.ttl')!, lookupField('tcp.urgent_pointer')!];
  const engines = [
    new Engine({ full: true, columns: true, texts: false }),
    new Engine({ full: false, columns: true }),
    new Engine({ full: false, columns: true, fields: some }),
  ];
  let n = 0;
  try {
    const reader = await openCapture(file);
    for await (const batch of reader.batches()) {
      for (const rec of batch) {
        const [whole, none, partial] = engines.map((e) => visible(e.dissect(rec)));
        expect(none, `${path.basename(file)} frame ${rec.num}: no fields kept`).toBe(whole);
        expect(partial, `${path.basename(file)} frame ${rec.num}: ip.ttl and tcp.urgent_pointer kept`).toBe(whole);
        if (++n >= limit) return n;
      }
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  return n;
}

describe('a lean run (fields skipped) shows what a whole-tree run shows', () => {
  it('on every fixture', async () => {
    let n = 0;
    for (const f of captureFiles(FIXTURES)) n += await compare(f, Infinity);
    expect(n).toBeGreaterThan(500);
  });

  it.skipIf(!hasCorpus)('on every corpus capture, first 20,000 packets (skipped when ../shared/corpus is absent)', async () => {
    let n = 0;
    for (const f of captureFiles(CORPUS)) n += await compare(f, 20_000);
    expect(n).toBeGreaterThan(5_000);
  }, 300_000);
});
