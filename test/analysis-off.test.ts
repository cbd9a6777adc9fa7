// The engine runs the TCP analysis stage only when something reads it. Without it (e.g. `-q -z
// conv,tcp`, or -T fields of header fields) the tracker only numbers the streams: tcp.stream and
// the header fields must come out exactly as with the analysis, and as tshark prints them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupField, type FieldDef } from '../src/core/field.js';
import { analysisNeeded, Engine } from '../src/dissect/engine.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';
import { FieldsPrinter, resolveFields } from '../src/output/fields.js';
import { captureFiles, CORPUS, FIXTURES, hasTshark, tsharkRows } from './helpers/reference.js';

const FIELDS = ['frame.number', 'ip.src', 'ipv6.src', 'tcp.srcport', 'tcp.dstport', 'tcp.stream', 'tcp.len', 'tcp.hdr_len', 'tcp.seq_raw', 'tcp.flags.syn', 'udp.stream'];

async function rows(file: string, analysis: boolean): Promise<string[]> {
  const { refs } = resolveFields(FIELDS);
  const wanted = refs.map((r) => r.def!);
  const engine = new Engine({ full: false, fields: wanted, columns: false, analysis });
  const printer = new FieldsPrinter(refs, { header: false, separator: '\t', occurrence: 'a', aggregator: ',', quote: '' });
  const out: string[] = [];
  try {
    const reader = await openCapture(file);
    for await (const batch of reader.batches()) for (const rec of batch) out.push(printer.line(engine.dissect(rec)));
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  return out;
}


const defs = (...names: string[]): FieldDef[] => names.map((n) => lookupField(n)!);

describe('which fields need the TCP analysis', () => {
  it('header fields and tcp.stream do not; relative numbers, analysis, payload and experts do', () => {
    expect(analysisNeeded(defs(...FIELDS))).toBe(false);
    expect(analysisNeeded(defs('frame', 'ip', 'tcp', 'eth.src', 'udp.port'))).toBe(false);
    for (const f of ['tcp.seq', 'tcp.ack', 'tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.window_size', 'tcp.payload', 'data.data', 'frame.protocols', '_ws.expert.message', 'tcp.time_delta', 'tcp.completeness', 'minishark.tcp.phase', 'tcp.flags.str', 'data']) {
      expect(analysisNeeded(defs(f)), f).toBe(true);
    }
  });
});

describe('without the analysis stage, the same streams and header fields', () => {
  it('on every fixture', async () => {
    let n = 0;
    for (const f of captureFiles(FIXTURES)) {
      const [on, off] = await Promise.all([rows(f, true), rows(f, false)]);
      expect(off, path.basename(f)).toEqual(on);
      n += on.length;
    }
    expect(n).toBeGreaterThan(500);
  });

  it.skipIf(!existsSync(CORPUS))('on every corpus capture (skipped when ../shared/corpus is absent)', async () => {
    let n = 0;
    for (const f of captureFiles(CORPUS)) {
      const [on, off] = await Promise.all([rows(f, true), rows(f, false)]);
      expect(off, path.relative(CORPUS, f)).toEqual(on);
      n += on.length;
    }
    expect(n).toBeGreaterThan(10000);
  });

  it.skipIf(!hasTshark)('equal to tshark on the fixtures (skipped when tshark is not installed)', async () => {
    for (const f of captureFiles(FIXTURES)) {
      const t = await tsharkRows(f, FIELDS);
      const m = (await rows(f, false)).map((l) => l.replace(/\n$/, '').split('\t'));
      expect(m, path.basename(f)).toEqual(t);
    }
  });
});
