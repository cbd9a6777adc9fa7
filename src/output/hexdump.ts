/**
 * -x: the packet bytes as `tshark -x` prints them: offset, 16 bytes in hex, the same bytes as ASCII
 * ('.' for anything that is not printable ASCII). A packet with reassembled data gets one block per
 * data source, labelled like tshark: "Frame (1402 bytes):", "Reassembled IPv4 (10248 bytes):".
 * With colours, each byte takes the colour of the layer it belongs to (the same colour as that
 * layer's title in -V), found from the layers' and fields' byte ranges.
 */
import type { FieldNode, Layer } from '../core/field.js';
import type { Packet } from '../core/packet.js';

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));
const ASCII: string[] = [];
for (let i = 0; i < 256; i++) ASCII.push(i >= 0x20 && i < 0x7f ? String.fromCharCode(i) : '.');

type Paint = ((s: string) => string) | null;

/** How many offset digits tshark uses: at least 4, more when the data is longer than 64 KiB. */
function offsetDigits(len: number): number {
  let d = 4;
  const max = Math.max(0, len - 1);
  while (d < 8 && max >= 16 ** d) d++;
  return d;
}

/** One data source as hex lines. `colors[i]` indexes `paints` (-1: no colour). */
export function hexBlock(data: Uint8Array, colors?: Int16Array | null, paints?: Paint[] | null): string {
  const digits = offsetDigits(data.length);
  let out = '';
  for (let o = 0; o < data.length; o += 16) {
    const end = Math.min(o + 16, data.length);
    let hex = '';
    let asc = '';
    if (colors && paints) {
      // group runs of one colour so each run gets one escape sequence
      let i = o;
      while (i < end) {
        const k = colors[i]!;
        let j = i;
        while (j < end && colors[j] === k) j++;
        let h = '';
        let a = '';
        for (let x = i; x < j; x++) {
          h += (x > i ? ' ' : '') + HEX[data[x]!];
          a += ASCII[data[x]!];
        }
        const p = k >= 0 ? paints[k] : null;
        hex += (i > o ? ' ' : '') + (p ? p(h) : h);
        asc += p ? p(a) : a;
        i = j;
      }
      hex += ' '.repeat((16 - (end - o)) * 3);
    } else {
      for (let x = o; x < end; x++) {
        hex += (x > o ? ' ' : '') + HEX[data[x]!];
        asc += ASCII[data[x]!];
      }
      hex += ' '.repeat((16 - (end - o)) * 3);
    }
    out += o.toString(16).padStart(digits, '0') + '  ' + hex + '   ' + asc + '\n';
  }
  return out;
}

const REASSEMBLED_NAME: Record<string, string> = { ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

/** The label of reassembled data source n (1-based), after the layer that built it: the layer just
 * before the first layer dissected from that source ("Reassembled IPv4"). */
export function sourceName(pkt: Packet, n: number): string {
  const i = pkt.layers.findIndex((L) => L.src === n);
  const prev = i > 0 ? pkt.layers[i - 1] : undefined;
  const name = prev ? (REASSEMBLED_NAME[prev.proto] ?? prev.proto.toUpperCase()) : 'data';
  return `Reassembled ${name}`;
}

/**
 * Colour index per byte for each data source: pass 1 gives every field's bytes the colour of its
 * layer (so Ethernet padding is Ethernet's); pass 2 gives each layer's own header range its colour
 * (so the payload bytes are the payload layer's, not the tcp.payload field's).
 */
export function byteColors(pkt: Packet, layerPaint: Paint[]): Int16Array[] {
  const srcs = [pkt.rec.data, ...pkt.sources];
  const maps = srcs.map((d) => new Int16Array(d.length).fill(-1));
  const mark = (src: number, off: number, len: number, k: number) => {
    const m = maps[src];
    if (!m || len <= 0) return;
    m.fill(k, Math.max(0, off), Math.min(m.length, off + len));
  };
  const visit = (nodes: FieldNode[], k: number) => {
    for (const n of nodes) {
      if (!n.generated && n.length > 0) mark(n.src ?? 0, n.offset, n.length, k);
      if (n.children) visit(n.children, k);
    }
  };
  pkt.layers.forEach((L: Layer, k) => {
    if (layerPaint[k]) visit(L.fields, k);
  });
  pkt.layers.forEach((L: Layer, k) => {
    if (layerPaint[k]) mark(L.src ?? 0, L.offset, L.length, k);
  });
  return maps;
}

/**
 * The hex dump of one packet (without the blank line tshark prints after it). With `layerPaint`
 * (one colour per layer, as -V uses), bytes are coloured by layer.
 */
export function hexDump(pkt: Packet, layerPaint?: Paint[] | null): string {
  const colors = layerPaint ? byteColors(pkt, layerPaint) : null;
  const data = pkt.rec.data;
  if (!pkt.sources.length) return hexBlock(data, colors?.[0], layerPaint);
  let s = `Frame (${data.length} bytes):\n` + hexBlock(data, colors?.[0], layerPaint);
  pkt.sources.forEach((b, i) => {
    s += `${sourceName(pkt, i + 1)} (${b.length} bytes):\n` + hexBlock(b, colors?.[i + 1], layerPaint);
  });
  return s;
}
