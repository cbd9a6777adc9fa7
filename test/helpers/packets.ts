// Shared helpers of the per-dissector tests: dissect a capture with the whole tree, and read fields
// back from the packets by filter name.
import type { FieldNode } from '../../src/core/field.js';
import type { Packet } from '../../src/core/packet.js';
import { Engine, type EngineOptions } from '../../src/dissect/engine.js';
import { openCapture } from '../../src/io/reader.js';
import { columnValue } from '../../src/output/columns.js';
import { formatFieldValue } from '../../src/output/format.js';

/** Every packet of a capture, dissected with the whole tree and the columns (options override). */
export async function dissectFile(file: string, opts: EngineOptions = {}): Promise<Packet[]> {
  const eng = new Engine({ full: true, columns: true, ...opts });
  const out: Packet[] = [];
  for await (const rec of await openCapture(file)) out.push(eng.dissect(rec));
  return out;
}

/** Every node of a packet with this filter name, in tree order. */
export function nodes(p: Packet, abbrev: string): FieldNode[] {
  const out: FieldNode[] = [];
  const walk = (ns: FieldNode[]) => {
    for (const n of ns) {
      if (n.def.abbrev === abbrev) out.push(n);
      if (n.children) walk(n.children);
    }
  };
  for (const L of p.layers) walk(L.fields);
  return out;
}

/** The values as `-T fields -E occurrence=a -E aggregator=,` prints them. */
export const val = (p: Packet, abbrev: string) => nodes(p, abbrev).map(formatFieldValue).join(',');
/** [offset, length] of each occurrence */
export const at = (p: Packet, abbrev: string) => nodes(p, abbrev).map((n) => [n.offset, n.length]);
/** the details-pane texts */
export const text = (p: Packet, abbrev: string) => nodes(p, abbrev).map((n) => n.text);
/** a column: col(p, 'Info') */
export const col = (p: Packet, c: string) => columnValue(p, `_ws.col.${c}`);
/** frame.protocols (the layers after the frame, colon-separated) */
export const protos = (p: Packet) => p.protocols.slice(1).join(':');
/** bytes from hex text, whitespace ignored */
export const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
