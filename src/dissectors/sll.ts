import { etherStr, hexStr, ipv4At } from '../core/addr.js';
import { field, protocol, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { ARP_HRD } from './arp.js';
import { ETHERTYPES, etypeText, ethertypeNext, hex4, ownTrailer } from './ethernet.js';

const PKTTYPE: Record<number, string> = {
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
};

/** Linux-internal protocol types (values <= 1536 in the protocol field). */
const LTYPE: Record<number, string> = {
  0x0001: 'Raw 802.3', 0x0003: 'Ethernet', 0x0004: '802.2 LLC', 0x0007: 'PPP (HDLC)', 0x000c: 'CAN', 0x000d: 'CAN FD',
  0x0017: 'IrDA LAP', 0x00f5: 'ISI', 0x00f6: 'IEEE 802.15.4',
};

const GRETYPE: Record<number, string> = { 0x0800: 'IP', 0x86dd: 'IPv6', 0x6558: 'Transparent Ethernet bridging' };

const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;

export const pSll = protocol('sll', 'Linux cooked capture', { short: 'SLL', analysis: false });
export const sll = {
  pkttype: field('sll.pkttype', 'Packet type', 'uint', { bits: 16, vals: PKTTYPE }),
  hatype: field('sll.hatype', 'Link-layer address type', 'uint', { bits: 16, vals: ARP_HRD }),
  halen: field('sll.halen', 'Link-layer address length', 'uint', { bits: 16 }),
  srcEth: field('sll.src.eth', 'Source', 'ether'),
  srcIpv4: field('sll.src.ipv4', 'Source', 'ipv4'),
  srcOther: field('sll.src.other', 'Source', 'bytes'),
  unused: field('sll.unused', 'Unused', 'bytes'),
  ltype: field('sll.ltype', 'Protocol', 'uint', { base: 'hex', bits: 16, vals: LTYPE }),
  gretype: field('sll.gretype', 'Protocol', 'uint', { base: 'hex', bits: 16, vals: GRETYPE }),
  etype: field('sll.etype', 'Protocol', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  trailer: field('sll.trailer', 'Trailer', 'bytes'),
  ifindex: field('sll.ifindex', 'Interface index', 'uint'),
};

/** Link-layer address length, the source address (4 bytes: IPv4, 6: MAC, else bytes) and the unused
 * rest of the 8-byte address field (Wireshark's add_ll_address). */
function llAddress(ctx: Ctx, L: Layer, lenOff: number, lenLen: number, end: number, rend: number): void {
  const full = ctx.tree.full;
  ctx.need(lenOff, lenLen, end, rend);
  const halen = lenLen === 2 ? ctx.u16(lenOff) : ctx.u8(lenOff);
  ctx.add(L, null, sll.halen, lenOff, lenLen, halen, ctx.tree.texts ? `Link-layer address length: ${halen}` : undefined);
  const a = lenOff + lenLen;
  if (halen === 4) {
    ctx.need(a, 4, end, rend);
    const s = full || ctx.tree.cols ? ipv4At(ctx.data, a) : '';
    if (ctx.tree.cols) ctx.pkt.colSrc = s;
    ctx.add(L, null, sll.srcIpv4, a, 4, ctx.u32(a), ctx.tree.texts ? `Source: ${s}` : undefined);
  } else if (halen === 6) {
    ctx.need(a, 6, end, rend);
    const s = full || ctx.tree.cols ? etherStr(ctx.data, a) : '';
    if (ctx.tree.cols) ctx.pkt.colSrc = s;
    ctx.addBytes(L, null, sll.srcEth, a, 6, ctx.tree.texts ? `Source: ${s}` : undefined);
  } else if (halen !== 0) {
    const n = halen > 8 ? 8 : halen;
    ctx.need(a, n, end, rend);
    const b = ctx.bytes(a, n);
    ctx.add(L, null, sll.srcOther, a, n, b, ctx.tree.texts ? `Source: ${hexStr(b)}` : undefined);
  }
  if (halen < 8) {
    ctx.need(a + halen, 8 - halen, end, rend);
    const b = ctx.bytes(a + halen, 8 - halen);
    ctx.add(L, null, sll.unused, a + halen, 8 - halen, b, ctx.tree.texts ? `Unused: ${hexStr(b)}` : undefined);
  }
}

/** The protocol field: a Linux protocol type (<= 1536), a GRE protocol type, or an ethertype. */
function protocolField(ctx: Ctx, L: Layer, o: number, end: number, rend: number, hatype: number): number {
  ctx.need(o, 2, end, rend);
  const p = ctx.u16(o);
  if (p <= 1536) ctx.add(L, null, sll.ltype, o, 2, p, ctx.tree.texts ? `Protocol: ${LTYPE[p] ?? 'Unknown'} (${hex4(p)})` : undefined);
  else if (hatype === ARPHRD_IPGRE) ctx.add(L, null, sll.gretype, o, 2, p, ctx.tree.texts ? `Protocol: ${GRETYPE[p] ?? 'Unknown'} (${hex4(p)})` : undefined);
  else ctx.add(L, null, sll.etype, o, 2, p, ctx.tree.texts ? etypeText('Protocol', p) : undefined);
  return p;
}

/** Where the payload goes (Wireshark's dissect_payload). */
function payload(ctx: Ctx, L: Layer, o: number, end: number, rend: number, hatype: number, p: number, sllStart: number): Next | null {
  if (p <= 1536) {
    // the hatype table (802.11 radiotap, IEEE 802.15.4, ...) holds nothing minishark dissects
    if (p === 0x0003) return { dissector: 'eth_withoutfcs', offset: o, end, rend };
    if (p === 0x0004) return { dissector: 'llc', offset: o, end, rend };
    return { dissector: 'data', offset: o, end, rend };
  }
  if (hatype === ARPHRD_IPGRE) {
    // GRE protocol types: IPv4 and IPv6; anything else is left undissected (not even data)
    if (p === 0x0800) return { dissector: 'ip', offset: o, end, rend };
    if (p === 0x86dd) return { dissector: 'ipv6', offset: o, end, rend };
    if (p === 0x6558) return { dissector: 'eth_withoutfcs', offset: o, end, rend };
    return null;
  }
  ownTrailer(ctx, L, sll.trailer, sllStart, rend, 0);
  return ethertypeNext(ctx, p, o, end, rend);
}

function columns(ctx: Ctx, pkttype: number): void {
  ctx.pkt.colProto = 'SLL';
  if (ctx.tree.cols) ctx.pkt.colInfo = PKTTYPE[pkttype] ?? `Unknown (${pkttype})`;
}

/** LINKTYPE_LINUX_SLL (113): Linux "cooked" capture, version 1 (16-byte header). */
export function dissectSll(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const L = ctx.layer(pSll, o, 16);
  ctx.need(o, 2, end, rend);
  const pkttype = ctx.u16(o);
  ctx.need(o + 2, 2, end, rend);
  const hatype = ctx.u16(o + 2);
  if (hatype === ARPHRD_NETLINK) {
    // netlink messages get the whole packet (not dissected by minishark)
    ctx.pkt.layers.pop();
    return { dissector: 'data', offset: o, end, rend };
  }
  columns(ctx, pkttype);
  const full = ctx.tree.full;
  if (full) L.summary = 'Linux cooked capture v1';
  ctx.add(L, null, sll.pkttype, o, 2, pkttype, ctx.tree.texts ? `Packet type: ${PKTTYPE[pkttype] ?? 'Unknown'} (${pkttype})` : undefined);
  ctx.add(L, null, sll.hatype, o + 2, 2, hatype, ctx.tree.texts ? `Link-layer address type: ${ARP_HRD[hatype] ?? 'Unknown'} (${hatype})` : undefined);
  llAddress(ctx, L, o + 4, 2, end, rend);
  const p = protocolField(ctx, L, o + 14, end, rend, hatype);
  return payload(ctx, L, o + 16, end, rend, hatype, p, o);
}

/** LINKTYPE_LINUX_SLL2 (276): version 2 (20-byte header, with the interface index). */
export function dissectSll2(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const L = ctx.layer(pSll, o, 20);
  ctx.need(o + 10, 1, end, rend);
  const pkttype = ctx.u8(o + 10);
  ctx.need(o + 8, 2, end, rend);
  const hatype = ctx.u16(o + 8);
  if (hatype === ARPHRD_NETLINK) {
    ctx.pkt.layers.pop();
    return { dissector: 'data', offset: o, end, rend };
  }
  columns(ctx, pkttype);
  const full = ctx.tree.full;
  if (full) L.summary = 'Linux cooked capture v2';
  const p = protocolField(ctx, L, o, end, rend, hatype);
  ctx.need(o + 4, 4, end, rend);
  const ifindex = ctx.u32(o + 4);
  ctx.add(L, null, sll.ifindex, o + 4, 4, ifindex, ctx.tree.texts ? `Interface index: ${ifindex}` : undefined);
  ctx.add(L, null, sll.hatype, o + 8, 2, hatype, ctx.tree.texts ? `Link-layer address type: ${ARP_HRD[hatype] ?? 'Unknown'} (${hatype})` : undefined);
  ctx.add(L, null, sll.pkttype, o + 10, 1, pkttype, ctx.tree.texts ? `Packet type: ${PKTTYPE[pkttype] ?? 'Unknown'} (${pkttype})` : undefined);
  llAddress(ctx, L, o + 11, 1, end, rend);
  return payload(ctx, L, o + 20, end, rend, hatype, p, o);
}

register('sll', dissectSll);
register('sll2', dissectSll2);
handoff('linktype', 113, 'sll');
handoff('linktype', 276, 'sll2');
