// The registry reads and renders (issue 17): a field's definition says how to read it (width,
// byte order, bitmask, encoding: src/core/read.ts) and how to show it (src/core/render.ts), and
// Ctx.item() reads a field from the current data, bounds-checked, records it when kept and returns
// the value. Checked on real fixture bytes against what the hand-written dissectors put in the tree.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { field, lookupField, type FieldDef, type FieldNode, type FieldValue } from '../src/core/field.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { naturalLength, readValue } from '../src/core/read.js';
import { defaultText, registerFormat } from '../src/core/render.js';
import { MalformedError, ShortError } from '../src/dissect/context.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { nodeText } from '../src/output/details.js';
import { captureFiles, FIXTURES } from './helpers/reference.js';

/** Fields whose value a dissector computes rather than reads from its bytes: relative sequence
 * numbers, names decoded from labels and pointers, address strings, values in the capture's own
 * byte order (null.family). The generic reader does not apply to them. */
const COMPUTED = new Set([
  'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.options.sack_le', 'tcp.options.sack_re',
  'ipv6.src_host', 'ipv6.dst_host', 'ipv6.host', 'null.family',
  'icmpv6.opt.linkaddr', 'icmpv6.opt.src_linkaddr', 'icmpv6.opt.target_linkaddr',
]);

/** Fields whose definitions do not yet say how to read them (the dissector masks or swaps by
 * hand): the same bytes read through a definition that does must give the dissector's value. */
const DESCRIBED: Record<string, FieldDef> = {
  'ip.version': field('test.read.ip.version', 'Version', 'uint', { bits: 8, bitmask: 0xf0 }),
  'icmp.ident_le': field('test.read.icmp.ident_le', 'Identifier (LE)', 'uint', { bits: 16, le: true, base: 'dec_hex' }),
  'icmp.seq_le': field('test.read.icmp.seq_le', 'Sequence Number (LE)', 'uint', { bits: 16, le: true, base: 'dec_hex' }),
};
/** Header lengths in 4-byte words shown as bytes: read with the mask, then times 4. */
const WORDS: Record<string, FieldDef> = {
  'ip.hdr_len': field('test.read.ip.hdr_len', 'Header Length', 'uint', { bits: 8, bitmask: 0x0f }),
  'tcp.hdr_len': field('test.read.tcp.hdr_len', 'Header Length', 'uint', { bits: 8, bitmask: 0xf0 }),
};
const READ_TYPES = new Set(['uint', 'int', 'bool', 'ipv4', 'ipv6', 'ether', 'bytes', 'string']);

function same(a: FieldValue, b: FieldValue): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  return a === b;
}

async function records(file: string): Promise<PacketRecord[]> {
  const out: PacketRecord[] = [];
  const reader = await openCapture(file);
  for await (const batch of reader.batches()) out.push(...batch);
  return out;
}

function* allNodes(p: Packet): Generator<FieldNode> {
  const stack: FieldNode[] = p.layers.flatMap((l) => l.fields).reverse();
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if (n.children) stack.push(...[...n.children].reverse());
  }
}

/** The value the registry reads for node n from the packet's bytes, or undefined when it does not apply. */
function registryValue(p: Packet, n: FieldNode): FieldValue | undefined {
  const d = n.def;
  if (n.generated || n.expert || n.length === 0 || !READ_TYPES.has(d.type) || COMPUTED.has(d.abbrev)) return undefined;
  if (d.proto === 'dns' && d.type === 'string') return undefined; // names: labels and pointers
  const data = n.src ? p.sources[n.src - 1]! : p.rec.data;
  const words = WORDS[d.abbrev];
  if (words) return (readValue(data, n.offset, n.length, words) as number) * 4;
  return readValue(data, n.offset, n.length, DESCRIBED[d.abbrev] ?? d);
}

describe('readValue: the definition says how to read a field', () => {
  it('gives the dissectors\' own values for every field read from bytes, on every fixture', async () => {
    let compared = 0;
    const wrong: string[] = [];
    for (const file of captureFiles(FIXTURES)) {
      const engine = new Engine({ texts: false });
      for (const rec of await records(file)) {
        const p = engine.dissect(rec);
        for (const n of allNodes(p)) {
          const v = registryValue(p, n);
          if (v === undefined) continue;
          compared++;
          if (!same(v, n.value) && wrong.length < 10) wrong.push(`${path.basename(file)} #${rec.num} ${n.def.abbrev}: read ${String(v)}, dissector ${String(n.value)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(40_000);
  }, 120_000);

  it('reads widths, masks, byte order, signed values and strings', () => {
    const d = Uint8Array.from([0x45, 0x00, 0x01, 0x02, 0x80, 0x00, 0x00, 0x01, 0x41, 0xe9, 0x00, 0x42]);
    expect(readValue(d, 0, 1, field('test.read.u8hi', 'x', 'uint', { bits: 8, bitmask: 0xf0 }))).toBe(4);
    expect(readValue(d, 2, 2, field('test.read.u16', 'x', 'uint', { bits: 16 }))).toBe(0x0102);
    expect(readValue(d, 2, 2, field('test.read.u16le', 'x', 'uint', { bits: 16, le: true }))).toBe(0x0201);
    expect(readValue(d, 4, 4, field('test.read.u32', 'x', 'uint', { bits: 32 }))).toBe(0x80000001);
    expect(readValue(d, 4, 4, field('test.read.i32', 'x', 'int', { bits: 32 }))).toBe(-0x7fffffff);
    expect(readValue(d, 0, 8, field('test.read.u64', 'x', 'uint', { bits: 64 }))).toBe(0x4500010280000001n);
    expect(readValue(d, 4, 1, field('test.read.flag', 'x', 'bool', { bits: 8, bitmask: 0x80 }))).toBe(true);
    expect(readValue(d, 8, 4, field('test.read.ascii', 'x', 'string'))).toBe('A\ufffd');
    expect(readValue(d, 8, 4, field('test.read.latin1', 'x', 'string', { encoding: 'latin1' }))).toBe('A\u00e9');
    expect(naturalLength(lookupField('tcp.flags.syn')!)).toBe(2); // 12-bit picture, 2-byte container
  });
});

describe('defaultText: the definition says how to show a field', () => {
  it('renders value names, bit pictures and units as the dissectors write them by hand', () => {
    expect(defaultText(lookupField('tcp.flags.syn')!, true)).toBe('.... .... ..1. = Syn: Set');
    expect(defaultText(lookupField('ip.flags.df')!, false)).toBe(".0.. .... = Don't fragment: Not set");
    expect(defaultText(lookupField('ip.proto')!, 6)).toBe('Protocol: TCP (6)');
    expect(defaultText(lookupField('ip.src')!, 0x0a000001)).toBe('Source Address: 10.0.0.1');
    // a masked value is stored shifted down; the bit picture puts it back in place
    expect(defaultText(DESCRIBED['ip.version']!, 4)).toBe('0100 .... = Version: 4');
  });

  it('uses a formatter registered once by name', () => {
    registerFormat('test-permille', (v) => `${Number(v) / 10} %`);
    const def = field('test.render.load', 'Load', 'uint', { bits: 16, format: 'test-permille' });
    expect(defaultText(def, 125)).toBe('Load: 12.5 %');
    expect(() => registerFormat('test-permille', String)).toThrow(/twice/);
  });

  it('is what -V shows for a node without its own text', async () => {
    const [rec] = await records(path.join(FIXTURES, 'echo-veth.pcap'));
    const p = new Engine().dissect(rec!);
    const untexted = [...allNodes(p)].filter((n) => n.text === undefined && !n.expert && n.def.type !== 'none' && n.def.type !== 'protocol');
    expect(untexted.length).toBeGreaterThan(0);
    for (const n of untexted) expect(nodeText(n)).toBe(n.generated ? `[${defaultText(n.def, n.value)}]` : defaultText(n.def, n.value));
  });
});

function rawByte(ctx: { data: Uint8Array }, o: number): number {
  return ctx.data[o]!;
}

describe('Ctx.item and the bounds-checked reads', () => {
  /** An engine positioned on a packet (as a dissector would find it), and that packet's ip.ttl node. */
  async function onPacket(opts: ConstructorParameters<typeof Engine>[0]) {
    // the first IPv4 packet of the capture
    const recs = await records(path.join(FIXTURES, 'echo-veth.pcap'));
    const whole = new Engine();
    const ttls = recs.map((r) => [...allNodes(whole.dissect(r))].find((n) => n.def.abbrev === 'ip.ttl'));
    const i = ttls.findIndex((n) => n !== undefined);
    const [rec, ttl] = [recs[i], ttls[i]!];
    const engine = new Engine(opts);
    const p = engine.dissect(rec!);
    const ctx = engine.ctx;
    ctx.setData(rec!.data, 0);
    ctx.limit(rec!.capLen, rec!.origLen);
    return { ctx, p, ttl, rec: rec! };
  }

  it('reads the value, records the node when kept, and renders it from the definition', async () => {
    const { ctx, p, ttl } = await onPacket({});
    const layer = p.layers.find((l) => l.proto === 'ip')!;
    expect(ctx.item(layer, null, ttl.def, ttl.offset)).toBe(ttl.value);
    expect(ctx.lastNode).not.toBeNull();
    expect(ctx.lastNode!.offset).toBe(ttl.offset);
    expect(ctx.lastNode!.length).toBe(1);
    expect(nodeText(ctx.lastNode!)).toBe(`Time to Live: ${String(ttl.value)}`);
  });

  it('itemNum and itemBool give typed values (and refuse the wrong type)', async () => {
    const { ctx, p, ttl } = await onPacket({});
    const layer = p.layers.find((l) => l.proto === 'ip')!;
    expect(ctx.itemNum(layer, null, ttl.def, ttl.offset)).toBe(ttl.value);
    // the DF flag of the same header (one byte after the identification), per ip.flags.df's definition
    const df = lookupField('ip.flags.df')!;
    expect(ctx.itemBool(layer, null, df, ttl.offset - 2)).toBe((rawByte(ctx, ttl.offset - 2) & 0x40) !== 0);
    expect(nodeText(ctx.lastNode!)).toMatch(/^\.[01]\.\. \.\.\.\. = Don't fragment: (Set|Not set)$/);
    expect(() => ctx.itemBool(layer, null, ttl.def, ttl.offset)).toThrow(TypeError);
    expect(() => ctx.itemNum(layer, null, df, ttl.offset - 2)).toThrow(TypeError);
  });

  it('returns the value and keeps no node when the field is not wanted', async () => {
    const { ctx, p, ttl } = await onPacket({ full: false, columns: false });
    const layer = p.layers[0]!;
    const before = layer.fields.length;
    expect(ctx.item(layer, null, ttl.def, ttl.offset)).toBe(ttl.value);
    expect(ctx.lastNode).toBeNull();
    expect(layer.fields.length).toBe(before);
  });

  it('throws ShortError for bytes the capture cut and MalformedError past the reported end', async () => {
    const { ctx, p, ttl } = await onPacket({});
    const layer = p.layers[0]!;
    ctx.limit(ttl.offset, ttl.offset + 10);
    expect(() => ctx.item(layer, null, ttl.def, ttl.offset)).toThrow(ShortError);
    ctx.limit(ttl.offset, ttl.offset);
    expect(() => ctx.item(layer, null, ttl.def, ttl.offset)).toThrow(MalformedError);
  });

  it('u8/u16/u24/u32 throw past the current data instead of reading 0', async () => {
    const { ctx, rec } = await onPacket({});
    const n = rec.data.length;
    expect(ctx.u16(n - 2)).toBe((rec.data[n - 2]! << 8) | rec.data[n - 1]!);
    // echo-veth.pcap is captured whole: a read past its bytes overruns the packet
    for (const read of [() => ctx.u8(n), () => ctx.u16(n - 1), () => ctx.u24(n - 2), () => ctx.u32(n - 3), () => ctx.u16le(n - 1), () => ctx.u32le(n), () => ctx.u8(-1)]) {
      expect(read).toThrow(MalformedError);
    }
    ctx.setData(rec.data.subarray(0, n - 4), 0); // as if the snaplen had cut the last 4 bytes
    expect(() => ctx.u32(n - 4)).toThrow(ShortError);
  });
});
