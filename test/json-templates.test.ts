// -T json / jsonl are written from compiled templates (one per shape of packet: which fields, in
// which layers, in which order), not by building an object per packet and stringifying it. These
// tests hold the template writer to the object it stands for: for every packet of every fixture and
// corpus capture, in the three ways JSON is asked for (whole tree, pretty; whole tree, one line; a -e
// list with columns and the expert list), the text equals JSON.stringify of the object the
// builder makes for that packet. The printer runs across the whole capture, so its templates are
// reused by later packets of the same shape, which is what could go wrong.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';
import { resolveFields } from '../src/output/fields.js';
import { JsonBuilder, JsonPrinter } from '../src/output/json.js';
import { captureFiles, CORPUS, FIXTURES } from './helpers/reference.js';

const E_LIST = ['ip.src', 'ip.addr', 'tcp.port', 'data', 'tcp.seq', 'tcp.options.sack_le', 'tcp.analysis.flags', 'icmp', 'udp', '_ws.col.No.', '_ws.col.Info', '_ws.expert', 'eth.dst.lg', 'tcp.flags'];


/** Dissects a capture (the whole tree and the columns, as JSON with -e columns needs) and hands each
 * packet to `each`; a capture that ends in an error yields the packets before it. */
async function eachPacket(file: string, limit: number, each: (p: Packet) => void): Promise<number> {
  const engine = new Engine({ full: true, texts: false, columns: true });
  let n = 0;
  try {
    const reader = await openCapture(file);
    for await (const batch of reader.batches()) {
      for (const rec of batch) {
        if (n++ >= limit) return n - 1;
        each(engine.dissect(rec));
      }
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  return n;
}

interface Tally {
  packets: number;
  differ: string[];
}

async function compare(files: string[], limit: number): Promise<Tally> {
  const { refs } = resolveFields(E_LIST);
  const t: Tally = { packets: 0, differ: [] };
  for (const f of files) {
    const ways = [
      { name: 'jsonl', printer: new JsonPrinter(true), builder: new JsonBuilder(), text: (o: object) => JSON.stringify(o) + '\n' },
      { name: 'json', printer: new JsonPrinter(false), builder: new JsonBuilder(), text: (o: object) => '  ' + JSON.stringify(o, null, 2).replace(/\n/g, '\n  ') },
      { name: 'jsonl -e', printer: new JsonPrinter(true, { refs }), builder: new JsonBuilder({ refs }), text: (o: object) => JSON.stringify(o) + '\n' },
    ];
    let first = true;
    t.packets += await eachPacket(f, limit, (p) => {
      for (const w of ways) {
        let got = w.printer.packet(p);
        if (w.name === 'json' && !first) got = got.replace(/^,\n/, '');
        const want = w.text(w.builder.packet(p));
        if (got !== want && t.differ.length < 5) t.differ.push(`${path.basename(f)} #${p.rec.num} ${w.name}:\n${got}\n---\n${want}`);
      }
      first = false;
    });
  }
  return t;
}

describe('JSON templates write what the object builder builds', () => {
  it('on every packet of every fixture', async () => {
    const t = await compare(captureFiles(FIXTURES), Infinity);
    expect(t.differ).toEqual([]);
    expect(t.packets).toBeGreaterThan(800);
  });

  it.skipIf(!existsSync(CORPUS))('on the first 3,000 packets of every corpus capture (skipped when ../shared/corpus is absent)', async () => {
    const files = captureFiles(CORPUS);
    const t = await compare(files, 3000);
    expect(t.differ).toEqual([]);
    expect(files.length).toBeGreaterThan(250);
    expect(t.packets).toBeGreaterThan(5000);
  }, 300_000);

  it('a shape seen again reuses its template, and a new shape makes a new one', async () => {
    const printer = new JsonPrinter(true);
    const templates = (printer as unknown as { templates: Map<string, unknown> }).templates;
    const seen: number[] = [];
    await eachPacket(path.join(FIXTURES, 'echo-veth.pcap'), Infinity, (p) => {
      printer.packet(p);
      seen.push(templates.size);
    });
    // 13 packets: ARP request and reply, handshake, 'AB' and its echo, teardown; the pure ACKs share a shape
    expect(seen.length).toBe(13);
    expect(seen[seen.length - 1]).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toBeLessThan(seen.length);
  });
});
