import { etherStr } from '../core/addr.js';
import { field, protocol, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';

export const ETHERTYPES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8035: 'RARP',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x9100: 'VLAN-tagged frame (Q-in-Q)',
  0x86dd: 'IPv6',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x8847: 'MPLS label switched packet',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x888e: '802.1X Authentication',
  0x9000: 'Configuration Test Protocol (loopback)',
  0x88e5: '802.1AE (MACsec)',
  0x8137: 'Netware IPX/SPX',
  0x809b: 'AppleTalk LLAP bridging',
  0x0842: 'Wake on LAN',
  0x22f0: 'IEEE 1722 Audio Video Bridging Transport Protocol',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
  0x8809: 'Slow Protocols',
};

export const pEth = protocol('eth', 'Ethernet II');
export const eth = {
  dst: field('eth.dst', 'Destination', 'ether'),
  src: field('eth.src', 'Source', 'ether'),
  addr: field('eth.addr', 'Address', 'ether'),
  dstLg: field('eth.dst.lg', 'LG bit', 'bool', { bits: 24, bitmask: 0x020000, tf: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] }),
  dstIg: field('eth.dst.ig', 'IG bit', 'bool', { bits: 24, bitmask: 0x010000, tf: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] }),
  srcLg: field('eth.src.lg', 'LG bit', 'bool', { bits: 24, bitmask: 0x020000, tf: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] }),
  srcIg: field('eth.src.ig', 'IG bit', 'bool', { bits: 24, bitmask: 0x010000, tf: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] }),
  lg: field('eth.lg', 'LG bit', 'bool', { bits: 24, bitmask: 0x020000 }),
  ig: field('eth.ig', 'IG bit', 'bool', { bits: 24, bitmask: 0x010000 }),
  type: field('eth.type', 'Type', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  len: field('eth.len', 'Length', 'uint', { bits: 16 }),
  padding: field('eth.padding', 'Padding', 'bytes'),
  trailer: field('eth.trailer', 'Trailer', 'bytes'),
};

export const pEthertype = protocol('ethertype', 'Ethertype');

function macFields(ctx: Ctx, L: Layer, o: number, which: 'dst' | 'src'): void {
  const mac = ctx.bytes(o, 6);
  const s = etherStr(mac);
  const top = ctx.add(L, null, which === 'dst' ? eth.dst : eth.src, o, 6, mac, `${which === 'dst' ? 'Destination' : 'Source'}: ${s}`);
  const b0 = mac[0]!;
  const lg = (b0 & 2) !== 0;
  const ig = (b0 & 1) !== 0;
  ctx.add(L, top, eth.addr, o, 6, mac, `Address: ${s}`);
  ctx.add(L, top, which === 'dst' ? eth.dstLg : eth.srcLg, o, 3, lg);
  ctx.add(L, top, which === 'dst' ? eth.dstIg : eth.srcIg, o, 3, ig);
  // Wireshark also adds the direction-less names, hidden
  for (const n of [ctx.add(L, top, eth.lg, o, 3, lg), ctx.add(L, top, eth.ig, o, 3, ig)]) {
    if (n) n.hidden = true;
  }
}

export function dissectEthernet(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  ctx.need(o, 14, end, rend);
  const L = ctx.layer(pEth, o, 14);
  macFields(ctx, L, o, 'dst');
  macFields(ctx, L, o + 6, 'src');
  const type = ctx.u16(o + 12);
  if (ctx.tree.full) {
    L.summary = `Ethernet II, Src: ${etherStr(ctx.data, o + 6)}, Dst: ${etherStr(ctx.data, o)}`;
  }
  if (ctx.tree.cols) {
    ctx.pkt.colSrc = etherStr(ctx.data, o + 6);
    ctx.pkt.colDst = etherStr(ctx.data, o);
  }
  ctx.ethLayer = L;
  ctx.ethStart = o;
  if (type <= 1500) {
    // IEEE 802.3 with a length field; LLC is not dissected here, the rest is data
    L.summary = `IEEE 802.3 Ethernet`;
    ctx.add(L, null, eth.len, o + 12, 2, type, `Length: ${type}`);
    return { dissector: 'data', offset: o + 14, end, rend };
  }
  ctx.add(L, null, eth.type, o + 12, 2, type, `Type: ${ETHERTYPES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')})`);
  return ethertypeNext(ctx, type, o + 14, end, rend);
}

/** Hand off through the ethertype table (Wireshark's "ethertype" pseudo-protocol shows in frame.protocols). */
export function ethertypeNext(ctx: Ctx, type: number, o: number, end: number, rend: number): Next {
  ctx.pkt.protocols.push('ethertype');
  return { table: 'ethertype', key: type, offset: o, end, rend };
}

/** After dissection: bytes past the network-layer datagram in a short Ethernet frame are padding
 * (up to the 60-byte minimum), the rest a trailer. */
export function ethernetTrailer(ctx: Ctx): void {
  const L = ctx.ethLayer;
  if (!L || ctx.l3End < 0) return;
  const capEnd = ctx.pkt.rec.capLen;
  const data = ctx.pkt.rec.data;
  if (ctx.l3End >= capEnd) return;
  const frameLenNoTrailer = ctx.l3End - ctx.ethStart;
  let padLen = 0;
  if (frameLenNoTrailer < 60) padLen = Math.min(capEnd - ctx.l3End, 60 - frameLenNoTrailer);
  if (padLen > 0) {
    const b = data.subarray(ctx.l3End, ctx.l3End + padLen);
    ctx.add(L, null, eth.padding, ctx.l3End, padLen, b, `Padding: ${Buffer.from(b).toString('hex')}`);
  }
  const tStart = ctx.l3End + padLen;
  if (tStart < capEnd) {
    const b = data.subarray(tStart, capEnd);
    ctx.add(L, null, eth.trailer, tStart, capEnd - tStart, b, `Trailer: ${Buffer.from(b).toString('hex')}`);
  }
}

register('eth', dissectEthernet);
handoff('linktype', 1, 'eth');
