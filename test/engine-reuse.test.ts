// EngineOptions.reuse (issue 17, the CLI's setting): the engine reuses one Packet, its arrays and its
// layer objects from one packet to the next, like gopacket's DecodingLayer. What a reused packet
// holds must be exactly what a fresh one holds, packet by packet, on every fixture; and the objects
// must really be the same ones from packet to packet.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupField, type FieldNode, type Layer } from '../src/core/field.js';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';
import { infoText } from '../src/output/columns.js';
import { bytesText, nodeText } from '../src/output/details.js';
import { captureFiles, FIXTURES, ROOT } from './helpers/reference.js';

function nodeLines(ns: FieldNode[] | undefined, depth: number, out: string[]): void {
  for (const n of ns ?? []) {
    out.push(`${' '.repeat(depth)}${n.def.abbrev} ${bytesText(n)} ${n.hidden ? 'h' : ''}${nodeText(n)}`);
    nodeLines(n.children, depth + 1, out);
  }
}

/** Everything a packet holds, as text (read at once: a reused packet changes with the next record). */
function whole(p: Packet): string {
  const out = [p.colSrc, p.colDst, p.colProto, infoText(p), String(p.malformed), p.protocols.join(':'), String(p.sources.length)];
  for (const L of p.layers) {
    out.push(`${L.proto} ${L.offset}+${L.length} ${L.src ?? ''} ${L.inner ?? ''} ${L.summary} ${L.malformed?.error ?? ''}`);
    nodeLines(L.fields, 1, out);
  }
  for (const e of p.expert) out.push(`${e.abbrev} ${e.severity} ${e.group} ${e.message} ${e.proto}`);
  if (p.tcp) out.push(`tcp ${p.tcp.stream} ${p.tcp.srcPort} ${p.tcp.dstPort} ${p.tcp.len} ${p.tcp.flags}`);
  return out.join('\n');
}

/** -T fields as the bench runs it, and a few more (pooled nodes on the lean path) */
const FIELDS = ['frame.number', 'frame.time_relative', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.analysis.flags', 'ip.ttl', 'tcp.flags.syn', 'udp.port', 'eth.src', 'icmp.type', 'tcp.options.sack_le'].map((a) => lookupField(a)!);

describe('an engine that reuses its packet', () => {
  it('gives what a fresh packet gives, packet by packet, on every fixture and test input (whole tree, columns only, fields only)', async () => {
    let n = 0;
    for (const opts of [{}, { full: false, columns: true }, { full: false, columns: false, fields: FIELDS }]) {
      for (const file of [...captureFiles(FIXTURES), ...captureFiles(path.join(ROOT, 'test', 'inputs'))]) {
        const fresh = new Engine(opts);
        const reused = new Engine({ ...opts, reuse: true });
        try {
          const reader = await openCapture(file);
          for await (const batch of reader.batches()) {
            for (const rec of batch) {
              expect(whole(reused.dissect(rec)), `${path.basename(file)} frame ${rec.num}`).toBe(whole(fresh.dissect(rec)));
              n++;
            }
          }
        } catch (e) {
          if (!(e instanceof CaptureError)) throw e;
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
  }, 120_000);

  it('returns the same packet, arrays and layer objects every time', async () => {
    const reader = await openCapture(path.join(FIXTURES, 'bulk4096.pcap'));
    const engine = new Engine({ full: false, columns: true, reuse: true });
    let first: Packet | null = null;
    let layers: Layer[] = [];
    let n = 0;
    for await (const batch of reader.batches()) {
      for (const rec of batch) {
        const p = engine.dissect(rec);
        first ??= p;
        expect(p).toBe(first);
        // the i-th layer of every packet is one pooled object
        p.layers.forEach((L, i) => {
          if (layers[i] === undefined) layers[i] = L;
          else expect(L).toBe(layers[i]);
        });
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
    expect(layers.length).toBeGreaterThanOrEqual(4);
    // without reuse, every packet is new
    const fresh = new Engine({ full: false, columns: true });
    const [rec] = (await (await openCapture(path.join(FIXTURES, 'bulk4096.pcap')).then((r) => r.batches().next())).value) as Parameters<Engine['dissect']>[0][];
    expect(fresh.dissect(rec!)).not.toBe(fresh.dissect(rec!));
  });
});
