/**
 * Invariants every dissected packet must keep, whatever the bytes: used by the property tests and by
 * `npm run fuzz`. Returns a list of violations (empty when the packet is sound).
 */
import type { FieldNode, FieldValue } from '../core/field.js';
import type { Packet } from '../core/packet.js';

function badNumber(v: FieldValue): boolean {
  return typeof v === 'number' && !Number.isFinite(v);
}

export function packetViolations(pkt: Packet): string[] {
  const out: string[] = [];
  const srcLen = (src: number | undefined) => (src ? (pkt.sources[src - 1]?.length ?? -1) : pkt.rec.data.length);
  const visit = (nodes: FieldNode[], depth: number) => {
    if (depth > 64) {
      out.push('field tree deeper than 64');
      return;
    }
    for (const n of nodes) {
      const len = srcLen(n.src);
      if (n.length < 0 || n.offset < 0) out.push(`${n.def.abbrev}: negative offset/length ${n.offset}+${n.length}`);
      if (n.length > 0 && n.offset + n.length > len) out.push(`${n.def.abbrev}: bytes ${n.offset}+${n.length} outside a ${len}-byte source`);
      if (badNumber(n.value)) out.push(`${n.def.abbrev}: non-finite value ${String(n.value)}`);
      if ((n.def.type === 'uint' || n.def.type === 'framenum') && typeof n.value === 'number' && n.value < 0) {
        out.push(`${n.def.abbrev}: negative unsigned value ${n.value}`);
      }
      if (n.children) visit(n.children, depth + 1);
    }
  };
  for (const L of pkt.layers) {
    if (L.offset < 0 || L.length < 0) out.push(`${L.proto}: negative layer range`);
    visit(L.fields, 0);
    if (L.malformed && !pkt.malformed) out.push(`${L.proto}: layer malformed but packet not flagged`);
    // the engine turns an exception that is not a bounds fault (a TypeError, a RangeError from deep
    // recursion…) into "[Malformed Packet]" so the CLI goes on; for the fuzzer it is a bug
    if (L.malformed?.error.startsWith('dissector failure')) out.push(`${L.proto}: ${L.malformed.error}`);
  }
  if (pkt.malformed && !pkt.layers.some((l) => l.proto === '_ws.malformed')) out.push('malformed packet without a _ws.malformed item');
  if (!pkt.layers.some((l) => l.proto === 'frame')) out.push('no frame layer');
  return out;
}
