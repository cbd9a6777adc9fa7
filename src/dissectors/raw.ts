import { protocol } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';

export const pRaw = protocol('raw', 'Raw packet data', { short: 'Raw' });

/**
 * LINKTYPE_RAW (101; 12 and 14 map here too): an IP packet with no link header. The version nibble
 * picks IPv4 or IPv6. Like Wireshark's dissect_raw it first looks for the PPP/ISDN leftovers (0xff03 at
 * offset 0, 6 or 1: PPP, which minishark leaves as data) and ten zero bytes before an IPv4 packet.
 */
export function dissectRaw(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  ctx.layer(pRaw, o, end - o);
  ctx.pkt.colProto = 'N/A';
  if (ctx.tree.cols) {
    ctx.pkt.colSrc = 'N/A';
    ctx.pkt.colDst = 'N/A';
    ctx.pkt.colInfo = 'Raw packet data';
  }
  const d = ctx.data;
  ctx.need(o, 2, end, rend);
  if (ctx.u16(o) === 0xff03) return { dissector: 'data', offset: o, end, rend };
  ctx.need(o + 6, 2, end, rend);
  if (ctx.u16(o + 6) === 0xff03) return { dissector: 'data', offset: o + 6, end, rend };
  if (ctx.u16(o + 1) === 0xff03) return { dissector: 'data', offset: o + 1, end, rend };
  if (o + 10 <= end) {
    let z = 0;
    while (z < 10 && d[o + z] === 0) z++;
    if (z === 10) return { dissector: 'ip', offset: o + 10, end, rend };
  }
  const v = d[o]! & 0xf0;
  if (v === 0x40) return { dissector: 'ip', offset: o, end, rend };
  if (v === 0x60) return { dissector: 'ipv6', offset: o, end, rend };
  return { dissector: 'data', offset: o, end, rend };
}

register('raw', dissectRaw);
handoff('linktype', 101, 'raw');
// LINKTYPE_IPV6: straight to IPv6 (LINKTYPE_IPV4, 228, is registered by ipv4.ts)
handoff('linktype', 229, 'ipv6');
