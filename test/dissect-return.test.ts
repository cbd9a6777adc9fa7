// The engine names no protocol: a protocol's short label is declared with it, and a dissector leaves
// work for when the layers above it have returned (ctx.onReturn), as Ethernet does for its trailer and
// frame for frame.protocols.
//
// The frames here are crafted: they carry test protocols registered by this file on the local
// experimental ethertypes 0x88b5/0x88b6 (IEEE 802 "local experimental"), which no real capture can
// exercise. The Ethernet trailer and frame.protocols themselves are checked on real captures by
// test/link.test.ts, test/arp.test.ts and the output goldens.
import { describe, expect, it } from 'vitest';
import { protocol } from '../src/core/field.js';
import type { PacketRecord } from '../src/core/packet.js';
import { type Ctx, MalformedError } from '../src/dissect/context.js';
import { Engine } from '../src/dissect/engine.js';
import { handoff, register } from '../src/dissect/registry.js';

const pBroken = protocol('mstest.broken', 'Minishark test protocol (always malformed)', { short: 'MS-TEST' });
const pOuter = protocol('mstest.outer', 'Minishark test outer protocol');
const pInner = protocol('mstest.inner', 'Minishark test inner protocol');

register('mstest.broken', (ctx, o) => {
  ctx.layer(pBroken, o, 1);
  throw new MalformedError('test', o);
});
handoff('ethertype', 0x88b5, 'mstest.broken');

/** what each registered return step saw: its name, the data source index, its first byte, and the
 * protocols dissected by then */
type Seen = { step: string; src: number; first: number; protocols: string };
const seen: Seen[] = [];
const note = (step: string) => (ctx: Ctx) => {
  seen.push({ step, src: ctx.src, first: ctx.data[0]!, protocols: ctx.pkt.protocols.join(':') });
};
const outerDone = note('outer');
const innerDone = note('inner');

register('mstest.outer', (ctx, o, end) => {
  ctx.layer(pOuter, o, 1);
  ctx.onReturn(outerDone);
  // the rest goes on in a new data source, as a reassembled payload does
  return { dissector: 'mstest.inner', offset: 0, end: 2, rend: 2, data: Uint8Array.from([0x77, end - o]) };
});
register('mstest.inner', (ctx, o) => {
  ctx.layer(pInner, o, 1);
  ctx.onReturn(innerDone);
  return { dissector: 'data', offset: o + 1, end: 2, rend: 2 };
});
handoff('ethertype', 0x88b6, 'mstest.outer');

function frame(ethertype: number): PacketRecord {
  const data = new Uint8Array(60);
  data.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, ethertype >> 8, ethertype & 0xff, 0xaa, 0xbb], 0);
  return { num: 1, ts: { sec: 1, nsec: 0 }, capLen: data.length, origLen: data.length, linkType: 1, interfaceId: 0, data, fileOffset: 0 };
}

describe('a protocol declares its short name', () => {
  it('"[Malformed Packet: X]" shows the short name declared with the protocol', () => {
    const pkt = new Engine({ full: true }).dissect(frame(0x88b5));
    expect(pBroken.short).toBe('MS-TEST');
    expect(pkt.layers.map((l) => l.summary ?? l.def.name)).toContain('[Malformed Packet: MS-TEST]');
  });
});

describe('ctx.onReturn', () => {
  it('runs after the layers above have returned, innermost first, each in the data source it was registered in', () => {
    seen.length = 0;
    const pkt = new Engine({ full: true }).dissect(frame(0x88b6));
    expect(seen).toEqual([
      { step: 'inner', src: 1, first: 0x77, protocols: 'frame:eth:ethertype:mstest.outer:mstest.inner:data' },
      { step: 'outer', src: 0, first: 0, protocols: 'frame:eth:ethertype:mstest.outer:mstest.inner:data' },
    ]);
    // frame.protocols, registered first by the frame, comes last and lists every layer
    const fp = pkt.layers[0]!.fields.find((n) => n.def.abbrev === 'frame.protocols');
    expect(fp?.value).toBe('eth:ethertype:mstest.outer:mstest.inner:data');
  });

  it('nothing is left over for the next packet', () => {
    const eng = new Engine({ full: true });
    eng.dissect(frame(0x88b6));
    seen.length = 0;
    eng.dissect(frame(0x88b5));
    expect(seen).toEqual([]);
  });
});
