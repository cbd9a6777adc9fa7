import { field, protocol } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, lookup, register } from '../dissect/registry.js';
import { ETHERTYPES, etypeText } from './ethernet.js';

/** BSD address families as they appear in DLT_NULL / DLT_LOOP headers. */
const FAMILY: Record<number, string> = {
  2: 'IP',
  7: 'OSI',
  16: 'Appletalk',
  23: 'Netware IPX/SPX',
  24: 'IPv6',
  28: 'IPv6',
  30: 'IPv6',
};

export const pNull = protocol('null', 'Null/Loopback', { short: 'Null', analysis: false });
export const nul = {
  type: field('null.type', 'Type', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  family: field('null.family', 'Family', 'uint', { vals: FAMILY }),
};

function start(ctx: Ctx): void {
  // shown until the network layer overwrites them
  ctx.pkt.colProto = 'N/A';
  if (ctx.tree.cols) {
    ctx.pkt.colSrc = 'N/A';
    ctx.pkt.colDst = 'N/A';
    ctx.pkt.colInfo = 'Null/Loopback';
  }
}

function byFamily(family: number, o: number, end: number, rend: number): Next {
  // the "null.type" table: IPv4 for AF_INET, IPv6 for the BSD AF_INET6 values (not Linux's 10)
  return lookup('null.family', family) ? { table: 'null.family', key: family, offset: o, end, rend } : { dissector: 'data', offset: o, end, rend };
}

/**
 * LINKTYPE_NULL (0): a 4-byte address family in the byte order of the capturing host. Like Wireshark
 * (on a little-endian host) the header is read little-endian and byte-swapped when its upper bits show
 * it was written the other way (or by IRIX's 2-byte form); values above 1500 are ethertypes (old Linux).
 */
export function dissectNull(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const L = ctx.layer(pNull, o, 4);
  ctx.need(o, 2, end, rend);
  if (ctx.u16(o) === 0xff03) {
    // PPP in HDLC-like framing (not dissected by minishark)
    ctx.pkt.layers.pop();
    return { dissector: 'data', offset: o, end, rend };
  }
  start(ctx);
  ctx.need(o, 4, end, rend);
  let h = ctx.u32le(o);
  if ((h & 0xffff0000) !== 0) {
    if ((h & 0xff000000) === 0 && (h & 0x00ff0000) < 0x00060000) h >>>= 16;
    else h = (((h & 0xff) << 24) | ((h & 0xff00) << 8) | ((h >>> 8) & 0xff00) | (h >>> 24)) >>> 0;
  } else if ((h & 0xff) === 0 && (h & 0xff00) < 0x0600) {
    h = ((h & 0xff) << 8) | ((h >>> 8) & 0xff);
  }
  if (h > 1500) {
    const t = h & 0xffff;
    ctx.add(L, null, nul.type, o, 4, t, ctx.tree.texts ? etypeText('Type', t) : undefined);
    if (lookup('ethertype', t)) return { table: 'ethertype', key: t, offset: o + 4, end, rend };
    return { dissector: 'data', offset: o + 4, end, rend };
  }
  ctx.add(L, null, nul.family, o, 4, h, ctx.tree.texts ? `Family: ${FAMILY[h] ?? 'Unknown'} (${h})` : undefined);
  return byFamily(h, o + 4, end, rend);
}

/** LINKTYPE_LOOP (108, OpenBSD): the address family in network byte order. */
export function dissectLoop(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const L = ctx.layer(pNull, o, 4);
  start(ctx);
  ctx.need(o, 4, end, rend);
  const f = ctx.u32(o);
  ctx.add(L, null, nul.family, o, 4, f, ctx.tree.texts ? `Family: ${FAMILY[f] ?? 'Unknown'} (${f})` : undefined);
  return byFamily(f, o + 4, end, rend);
}

register('null', dissectNull);
register('loop', dissectLoop);
handoff('linktype', 0, 'null');
handoff('linktype', 108, 'loop');
handoff('null.family', 2, 'ip');
handoff('null.family', 24, 'ipv6');
handoff('null.family', 28, 'ipv6');
handoff('null.family', 30, 'ipv6');

