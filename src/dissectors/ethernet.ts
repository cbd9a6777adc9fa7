import { etherStr, hexStr } from '../core/addr.js';
import { field, hiddenGen, protocol, type FieldDef, type Layer } from '../core/field.js';
import { type Ctx, type Next, ShortError } from '../dissect/context.js';
import { handoff, lookup, register } from '../dissect/registry.js';

/**
 * Wireshark 4.0's etype_vals (packet-ethertype.c), read off tshark 4.0.17: the names used by
 * eth.type, vlan.etype, sll.etype, llc.type, arp.proto.type, and the Info column of an Ethernet
 * frame whose type no dissector takes.
 */
export const ETHERTYPES: Record<number, string> = {
  0x0600: 'XNS Internet Datagram Protocol', 0x0800: 'IPv4', 0x0805: 'X.25 Layer 3', 0x0806: 'ARP', 0x0842: 'Wake on LAN',
  0x08f0: 'WiMax Mac-to-Mac', 0x08ff: 'AX.25', 0x0bad: 'Vines IP', 0x0baf: 'Vines Echo', 0x1984: 'Netmon Train',
  0x2001: 'Cisco Group Management Protocol', 0x22e5: 'Gigamon Header', 0x22ea: '802.1Qat Multiple Stream Reservation Protocol',
  0x22f0: 'IEEE 1722 Audio Video Transport Protocol', 0x22f1: 'Robust Header Compression(RoHC)',
  0x22f3: 'Transparent Interconnection of Lots of Links', 0x22f4: 'Intermediate System to Intermediate System',
  0x2452: 'IEEE 802.11 (Centrino promiscuous)', 0x3c07: '3Com NBP Datagram', 0x3e3f: 'EPL_V1', 0x6000: 'DEC proto',
  0x6001: 'DEC DNA Dump/Load', 0x6002: 'DEC DNA Remote Console', 0x6003: 'DEC DNA Routing', 0x6004: 'DEC LAT',
  0x6005: 'DEC Diagnostics', 0x6006: 'DEC Customer use', 0x6007: 'DEC LAVC/SCA', 0x6558: 'Transparent Ethernet bridging',
  0x8021: 'PPP IP Control Protocol', 0x8035: 'RARP', 0x8038: 'DEC LanBridge', 0x8041: 'DEC LAST', 0x809b: 'AppleTalk LLAP bridging',
  0x80d5: 'SNA-over-Ethernet', 0x80e1: 'EtherNet/IP Device Level Ring', 0x80f3: 'AARP', 0x80fd: 'PPP Compression Control Protocol',
  0x80ff: 'Wellfleet Compression Protocol', 0x8100: '802.1Q Virtual LAN', 0x8102: 'Simple Loop Protection Protocol',
  0x8103: 'Virtual LACP', 0x8104: 'Simple Loop Protection Protocol (old)', 0x8133: 'Juniper Netscreen Redundant Protocol',
  0x8137: 'Netware IPX/SPX', 0x8181: 'Spanning Tree Protocol', 0x81fd: 'Cabletron Interswitch Message Protocol',
  0x81ff: 'Cabletron SFVLAN 1.8 Tag-Based Flood', 0x8204: 'QNX 6 QNET protocol', 0x86dd: 'IPv6',
  0x872d: 'Cisco Wireless Lan Context Control Protocol', 0x8783: 'Motorola Media Independent Network Transport',
  0x8808: 'MAC Control', 0x8809: 'Slow Protocols', 0x8819: 'Cirrus Cobranet Packet', 0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet', 0x885a: 'Foundry proprietary', 0x8863: 'PPPoE Discovery', 0x8864: 'PPPoE Session',
  0x886c: 'HomePNA, wlan link local tunnel', 0x886d: 'Intel ANS probe', 0x886f: 'MS NLB heartbeat', 0x8870: 'Jumbo LLC',
  0x8874: 'Broadcom tag', 0x887b: 'Homeplug', 0x8881: 'CDMA2000 A10 Unstructured byte stream', 0x8884: 'ATM over Ethernet',
  0x888e: '802.1X Authentication', 0x8892: 'PROFINET', 0x8899: 'Realtek Layer 2 Protocols', 0x889b: 'CSM_ENCAPS Protocol',
  0x88a1: 'Telkonet powerline', 0x88a2: 'ATA over Ethernet', 0x88a4: 'EtherCAT frame', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x88ab: 'ETHERNET Powerlink v2', 0x88ad: 'XiMeta Technology', 0x88b4: 'WAI Authentication Protocol',
  0x88b5: 'Local Experimental Ethertype 1', 0x88b6: 'Local Experimental Ethertype 2', 0x88b7: 'IEEE 802a OUI Extended Ethertype',
  0x88b8: 'IEC 61850/GOOSE', 0x88b9: 'IEC 61850/GSE management services', 0x88ba: 'IEC 61850/SV (Sampled Value Transmission',
  0x88c7: '802.11i Pre-Authentication', 0x88ca: 'Transparent Inter Process Communication',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)', 0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x88d8: 'Circuit Emulation Services over Ethernet (MEF8)', 0x88d9: 'Link Layer Topology Discovery (LLTD)',
  0x88dc: '(WAVE) Short Message Protocol (WSM)', 0x88de: 'VMware Lab Manager', 0x88e1: 'Homeplug AV', 0x88e3: 'MRP',
  0x88e5: '802.1AE (MACsec)', 0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)',
  0x88ee: 'Ethernet Local Management Interface (MEF16)', 0x88f6: '802.1ak Multiple Mac Registration Protocol',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)', 0x88f8: 'Network Controller Sideband Interface',
  0x88fb: 'Parallel Redundancy Protocol (PRP) and HSR Supervision (IEC62439 Part 3)', 0x8901: 'Flow Layer Internal Protocol',
  0x8902: 'IEEE 802.1ag Connectivity Fault Management (CFM) protocol', 0x8903: 'Data Center Ethernet (DCE) protocol(Cisco)',
  0x8906: 'Fibre Channel over Ethernet', 0x8909: 'CiscoMetaData', 0x890d: 'IEEE 802.11 data encapsulation',
  0x8911: 'LINX IPC Protocol', 0x8914: 'FCoE Initialization Protocol', 0x8915: 'RDMA over Converged Ethernet',
  0x8917: 'Media Independent Handover Protocol', 0x891d: 'TTEthernet Protocol Control Frame', 0x8926: 'VN-Tag',
  0x892b: 'Schweitzer Engineering Labs Layer 2 Protocol', 0x892d: 'bluecom Protocol',
  0x892f: 'High-availability Seamless Redundancy (IEC62439 Part 3)',
  0x893a: '1905.1a Convergent Digital Home Network for Heterogenous Technologies', 0x893f: '802.1br Bridge Port Extension E-Tag',
  0x8947: 'GeoNetworking', 0x894f: 'Network Service Header', 0x8988: 'PA HB Backup', 0x9000: 'Loopback',
  0x9021: 'Real-Time Media Access Control', 0x9022: 'Real-Time Configuration Protocol', 0x9100: 'QinQ: old non-standard 802.1ad',
  0x9104: 'EERO Broadcast Packet', 0x99fe: 'Technically Enhanced Capture Module Protocol (TECMP)', 0xa0ed: '6LoWPAN',
  0xaefe: 'eCPRI', 0xb4e3: 'CableLabs Layer-3 Protocol', 0xc021: 'PPP Link Control Protocol',
  0xc023: 'PPP Password Authentication Protocol', 0xc0de: 'eXpressive Internet Protocol', 0xc0df: 'Neighborhood Watch Protocol',
  0xcafe: 'Veritas Low Latency Transport (not officially registered)', 0xd00d: 'Digium TDM over Ethernet Protocol',
  0xd28b: 'Arista Timestamp', 0xe555: 'EXos internal Extra Header', 0xf1c1: '802.1CB Frame Replication and Elimination for Reliability',
  0xfff2: 'Cisco ACI ARP gleaning',
};

/** "0x0800" */
export function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}

/** "Type: IPv4 (0x0800)", as Wireshark labels an ethertype field. */
export function etypeText(label: string, v: number): string {
  return `${label}: ${ETHERTYPES[v] ?? 'Unknown'} (${hex4(v)})`;
}

const LG_TF = ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] as const;
const IG_TF = ['Group address (multicast/broadcast)', 'Individual address (unicast)'] as const;

export const pEth = protocol('eth', 'Ethernet II', { repeats: true, short: 'Ethernet', headerFirst: true, analysis: false }) // Ethernet in Ethernet: ethertype 0x6558;
export const eth = {
  dst: field('eth.dst', 'Destination', 'ether'),
  dstResolved: field('eth.dst_resolved', 'Destination (resolved)', 'string'),
  dstOui: field('eth.dst.oui', 'Destination OUI', 'uint', { bits: 24 }),
  src: field('eth.src', 'Source', 'ether'),
  srcResolved: field('eth.src_resolved', 'Source (resolved)', 'string'),
  srcOui: field('eth.src.oui', 'Source OUI', 'uint', { bits: 24 }),
  addr: field('eth.addr', 'Address', 'ether', { repeats: true }),
  addrResolved: field('eth.addr_resolved', 'Address (resolved)', 'string', { repeats: true }),
  addrOui: field('eth.addr.oui', 'Address OUI', 'uint', { bits: 24, repeats: true }),
  dstLg: field('eth.dst.lg', 'LG bit', 'bool', { bits: 24, bitmask: 0x020000, tf: LG_TF }),
  dstIg: field('eth.dst.ig', 'IG bit', 'bool', { bits: 24, bitmask: 0x010000, tf: IG_TF }),
  srcLg: field('eth.src.lg', 'LG bit', 'bool', { bits: 24, bitmask: 0x020000, tf: LG_TF }),
  srcIg: field('eth.src.ig', 'IG bit', 'bool', { bits: 24, bitmask: 0x010000, tf: IG_TF }),
  lg: field('eth.lg', 'LG bit', 'bool', { bits: 24, bitmask: 0x020000, tf: LG_TF, repeats: true }),
  ig: field('eth.ig', 'IG bit', 'bool', { bits: 24, bitmask: 0x010000, tf: IG_TF, repeats: true }),
  type: field('eth.type', 'Type', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  len: field('eth.len', 'Length', 'uint', { bits: 16 }),
  invalidLentype: field('eth.invalid_lentype', 'Invalid length/type', 'uint', { base: 'hex_dec', bits: 16 }),
  invalidLentypeExpert: field('eth.invalid_lentype.expert', 'Invalid length/type', 'none'),
  srcNotGroup: field('eth.src_not_group', 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)', 'none'),
  lenPastEnd: field('eth.len.past_end', 'Length field value goes past the end of the payload', 'none'),
  padding: field('eth.padding', 'Padding', 'bytes'),
  paddingBad: field('eth.padding_bad', 'Padding identification may be inaccurate and impact trailer dissector', 'none'),
  trailer: field('eth.trailer', 'Trailer', 'bytes'),
  fcs: field('eth.fcs', 'Frame check sequence', 'uint', { base: 'hex', bits: 32 }),
  fcsStatus: field('eth.fcs.status', 'FCS Status', 'uint', { bits: 8, vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
};

export const pEthertype = protocol('ethertype', 'Ethertype', { short: 'Ethertype' });

// ---------------------------------------------------------------------------------------------
// Padding and trailer, after Wireshark's add_dix_trailer / dissect_802_3 / add_ethernet_trailer.
//
// The innermost header that hands its payload on (Ethernet, VLAN, 802.1ad, SLL) owns the trailer: it
// goes in that header's subtree, under that header's trailer field (eth.trailer, vlan.trailer,
// ieee8021ah.trailer, sll.trailer), while the padding is always eth.padding. For an Ethernet type the
// trailer starts where the network-layer datagram ends (ctx.l3End, set by IP and ARP, like their
// tvb_set_reported_length); for an 802.3 length field it starts where the length says the payload ends.
// Each owner registers ethernetTrailer() to run when the layers above it have returned; the
// innermost owner's runs first and takes the trailer, the others then find none.
// ---------------------------------------------------------------------------------------------

interface TrailerOwner {
  layer: Layer | null;
  field: FieldDef;
  /** the tvb handed to the payload: its start and reported end (for the 64-byte FCS heuristic) */
  tvbStart: number;
  tvbRend: number;
  /** 4: there is an FCS, 0: there is none, -1: guess (Wireshark's "according to heuristic") */
  fcsLen: number;
  /** expert items recorded when the payload was handed on: the trailer's go right after them, in
   * tree order (the owner's subtree comes before the payload's layers) */
  experts: number;
}

function newTrailerOwner(): TrailerOwner {
  return { layer: null, field: eth.trailer, tvbStart: 0, tvbRend: 0, fcsLen: -1, experts: 0 };
}

/** The trailer's owner in this packet (one record per capture, reused from packet to packet). */
function trailerOwner(ctx: Ctx): TrailerOwner {
  return ctx.state.slot('eth.trailer', newTrailerOwner);
}

/** Make `layer` the owner of the padding/trailer of this frame (called by every header that hands
 * its payload to an ethertype or 802.3 length dissection). */
export function ownTrailer(ctx: Ctx, layer: Layer, trailerField: FieldDef, tvbStart: number, tvbRend: number, fcsLen: number): void {
  const owner = trailerOwner(ctx);
  owner.layer = layer;
  owner.field = trailerField;
  owner.tvbStart = tvbStart;
  owner.tvbRend = tvbRend;
  owner.fcsLen = fcsLen;
  owner.experts = ctx.pkt.expert.length;
  ctx.onReturn(ethernetTrailer);
}

/** When the payload has returned: padding, trailer and FCS behind the datagram of an Ethernet type,
 * as tshark 4.0 shows them (eth.padding = "Zeros", eth.fcs = "According to heuristic"). A cut
 * trailer is reported for the ethertype dissector, which adds it. */
function ethernetTrailer(ctx: Ctx): void {
  const owner = trailerOwner(ctx);
  const L = owner.layer;
  owner.layer = null;
  // a trailer that would start beyond what was captured is not shown
  if (!L || ctx.l3End < 0 || ctx.l3End >= ctx.pkt.rec.capLen) return;
  try {
    addTrailer(ctx, L, owner.field, ctx.l3End, owner.tvbStart, owner.tvbRend, owner.fcsLen, owner.experts, true);
  } catch (e) {
    if (e instanceof ShortError) e.proto = 'ethertype';
    throw e;
  }
}

/**
 * Wireshark's add_ethernet_trailer: the bytes from `tStart` to the end of the tvb [tvbStart, tvbRend)
 * are padding (zeros up to a 60-byte frame), then a trailer, then (guessed for frames of 64 bytes or
 * more) a 4-byte FCS. `expertAt` >= 0 moves the padding expert to that place in the expert list.
 */
function addTrailer(ctx: Ctx, L: Layer, trailerField: FieldDef, tStart: number, tvbStart: number, tvbRend: number, fcsLen: number, expertAt: number, ethertype = false): void {
  const rec = ctx.pkt.rec;
  const capEnd = rec.capLen;
  if (tStart > capEnd || tStart > tvbRend) return;
  const data = rec.data;
  let capLen = Math.max(0, Math.min(capEnd, tvbRend) - tStart);
  let repLen = tvbRend - tStart;
  const pktLen = rec.origLen;
  let padLen = 0;
  const maybePadded = pktLen >= 60 && pktLen - repLen < 60;
  if (maybePadded) {
    padLen = 60 - (pktLen - repLen);
    // padding must be zeros; running past the captured bytes while checking ends it all (Wireshark
    // throws a bounds error there)
    const chk = Math.min(padLen, capLen);
    let i = 0;
    while (i < chk && data[tStart + i] === 0) i++;
    if (i < chk) padLen = 0;
    else if (padLen > capLen) {
      // the ethertype dissector's read runs off the captured bytes: "[Packet size limited during capture]"
      if (ethertype) throw new ShortError(capEnd);
      return;
    }
    if (padLen > 0) {
      const b = data.subarray(tStart, tStart + padLen);
      ctx.add(L, null, eth.padding, tStart, padLen, b, ctx.tree.texts ? `Padding: ${shortHex(b)}` : undefined);
      capLen -= padLen;
      repLen -= padLen;
    }
  }
  let hasFcs = false;
  if (fcsLen !== 0 && (fcsLen === 4 || (tvbRend - tvbStart >= 64 && repLen >= 4))) {
    if (capLen < repLen) {
      repLen -= 4;
      if (capLen > repLen) capLen = repLen;
    } else {
      capLen -= 4;
      repLen -= 4;
    }
    hasFcs = true;
  }
  const trStart = tStart + padLen;
  const realRep = fcsLen === 4 ? repLen : repLen + (hasFcs ? 4 : 0);
  if (realRep !== 0 && capLen > 0) {
    const b = data.subarray(trStart, trStart + capLen);
    const n = ctx.add(L, null, trailerField, trStart, capLen, b, ctx.tree.texts ? `Trailer: ${shortHex(b)}` : undefined);
    if (maybePadded && padLen === 0) {
      ctx.expert(L, n, eth.paddingBad, 'note', 'Protocol', "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.");
      const ex = ctx.pkt.expert;
      if (expertAt >= 0 && expertAt < ex.length - 1) ex.splice(expertAt, 0, ex.pop()!);
    }
  }
  if (hasFcs) {
    const fo = trStart + capLen;
    if (fo + 4 > capEnd) {
      // Wireshark reads the (assumed) FCS, which the snaplen cut off: the ethertype dissector throws
      if (ethertype) throw new ShortError(capEnd);
      return;
    }
    const v = ((data[fo]! << 24) | (data[fo + 1]! << 16) | (data[fo + 2]! << 8) | data[fo + 3]!) >>> 0;
    ctx.add(L, null, eth.fcs, fo, 4, v, ctx.tree.texts ? `Frame check sequence: 0x${v.toString(16).padStart(8, '0')} [unverified]` : undefined);
    ctx.gen(L, null, eth.fcsStatus, 2, '[FCS Status: Unverified]');
  }
}

/** Byte strings in the details pane: hex, cut after 36 bytes with an ellipsis. */
export function shortHex(b: Uint8Array): string {
  return b.length > 36 ? hexStr(b.subarray(0, 36)) + '\u2026' : hexStr(b);
}

// ---------------------------------------------------------------------------------------------

function macFields(ctx: Ctx, L: Layer, o: number, isDst: boolean, checkGroup: boolean): void {
  const full = ctx.tree.full;
  if (!ctx.tree.keeps(pEth)) {
    // no eth.* field wanted: only the expert item
    if (checkGroup && (ctx.data[o]! & 1) !== 0) {
      ctx.expert(L, null, eth.srcNotGroup, 'warn', 'Protocol', 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)');
    }
    return;
  }
  const mac = ctx.bytes(o, 6);
  const s = full || ctx.tree.wants(eth.dstResolved) || ctx.tree.wants(eth.srcResolved) || ctx.tree.wants(eth.addrResolved) ? etherStr(mac) : '';
  const top = ctx.add(L, null, isDst ? eth.dst : eth.src, o, 6, mac, ctx.tree.texts ? `${isDst ? 'Destination' : 'Source'}: ${s}` : undefined);
  if (checkGroup && (mac[0]! & 1) !== 0) {
    ctx.expert(L, top, eth.srcNotGroup, 'warn', 'Protocol', 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)');
  }
  const oui = (mac[0]! << 16) | (mac[1]! << 8) | mac[2]!;
  const lg = (mac[0]! & 2) !== 0;
  const ig = (mac[0]! & 1) !== 0;
  hiddenGen(ctx.add(L, top, isDst ? eth.dstResolved : eth.srcResolved, o, 6, s, ctx.tree.texts ? `${isDst ? 'Destination' : 'Source'} (resolved): ${s}` : undefined));
  hiddenGen(ctx.add(L, top, isDst ? eth.dstOui : eth.srcOui, o, 3, oui, ctx.tree.texts ? `${isDst ? 'Destination' : 'Source'} OUI: ${s.slice(0, 8)}` : undefined));
  ctx.add(L, top, eth.addr, o, 6, mac, ctx.tree.texts ? `Address: ${s}` : undefined);
  hiddenGen(ctx.add(L, top, eth.addrResolved, o, 6, s, ctx.tree.texts ? `Address (resolved): ${s}` : undefined));
  hiddenGen(ctx.add(L, top, eth.addrOui, o, 3, oui, ctx.tree.texts ? `Address OUI: ${s.slice(0, 8)}` : undefined));
  const lgText = full ? `.... ..${lg ? 1 : 0}. .... .... .... .... = LG bit: ${lg ? LG_TF[0] : LG_TF[1]}` : undefined;
  const igText = full ? `.... ...${ig ? 1 : 0} .... .... .... .... = IG bit: ${ig ? IG_TF[0] : IG_TF[1]}` : undefined;
  ctx.add(L, top, isDst ? eth.dstLg : eth.srcLg, o, 3, lg, lgText);
  const lgN = ctx.add(L, top, eth.lg, o, 3, lg, lgText);
  if (lgN) lgN.hidden = true;
  ctx.add(L, top, isDst ? eth.dstIg : eth.srcIg, o, 3, ig, igText);
  const igN = ctx.add(L, top, eth.ig, o, 3, ig, igText);
  if (igN) igN.hidden = true;
}


/** Ethernet as Wireshark's dissect_eth_common: Ethernet II (type), IEEE 802.3 (length, LLC or raw
 * IPX), or an invalid length/type. `fcsLen` is 4, 0 or -1 (guess). */
function dissectEthCommon(ctx: Ctx, o: number, end: number, rend: number, fcsLen: number): Next | null {
  const L = ctx.layer(pEth, o, 14);
  ctx.pkt.colProto = 'Ethernet';
  // the addresses become the Source/Destination columns as soon as they are read
  ctx.need(o, 6, end, rend);
  if (ctx.tree.cols) ctx.pkt.colDst = etherStr(ctx.data, o);
  ctx.need(o + 6, 6, end, rend);
  if (ctx.tree.cols) ctx.pkt.colSrc = etherStr(ctx.data, o + 6);
  ctx.need(o + 12, 2, end, rend);
  const type = ctx.u16(o + 12);
  if (type > 1500 && type < 1536) {
    // neither a length nor a type
    if (ctx.tree.cols) ctx.pkt.colInfo = `Ethernet Unknown: Invalid length/type: ${hex4(type)} (${type})`;
    if (ctx.tree.full) L.summary = `Ethernet Unknown, Src: ${etherStr(ctx.data, o + 6)}, Dst: ${etherStr(ctx.data, o)}`;
    macFields(ctx, L, o, true, false);
    macFields(ctx, L, o + 6, false, false);
    const n = ctx.add(L, null, eth.invalidLentype, o + 12, 2, type, `Invalid length/type: ${hex4(type)} (${type})`);
    ctx.expert(L, n, eth.invalidLentypeExpert, 'warn', 'Protocol', `Invalid length/type: ${hex4(type)} (${type})`);
    return { dissector: 'data', offset: o + 14, end, rend };
  }
  if (type <= 1500 && type !== 0) {
    // IEEE 802.3: a length, then LLC (or Novell "raw" IPX when the payload starts with 0xffff)
    const is8022 = !(o + 16 <= end && ctx.data[o + 14] === 0xff && ctx.data[o + 15] === 0xff);
    if (ctx.tree.cols) ctx.pkt.colInfo = is8022 ? 'IEEE 802.3 Ethernet ' : 'IEEE 802.3 Ethernet Raw ';
    L.summary = is8022 ? 'IEEE 802.3 Ethernet ' : 'IEEE 802.3 Ethernet Raw ';
    macFields(ctx, L, o, true, false);
    macFields(ctx, L, o + 6, false, false);
    return dissect8023(ctx, L, type, is8022, o, o + 14, end, rend, eth.len, eth.lenPastEnd, eth.trailer, fcsLen);
  }
  if (ctx.tree.cols) ctx.pkt.colInfo = 'Ethernet II';
  if (ctx.tree.full) L.summary = `Ethernet II, Src: ${etherStr(ctx.data, o + 6)}, Dst: ${etherStr(ctx.data, o)}`;
  macFields(ctx, L, o, true, false);
  macFields(ctx, L, o + 6, false, true);
  ctx.add(L, null, eth.type, o + 12, 2, type, ctx.tree.texts ? etypeText('Type', type) : undefined);
  ownTrailer(ctx, L, eth.trailer, o, rend, fcsLen);
  return ethertypeNext(ctx, type, o + 14, end, rend);
}

/**
 * Wireshark's dissect_802_3: `length` bytes after the length field go to LLC (or IPX), what follows
 * them is padding/trailer. Used by Ethernet and by VLAN tags carrying a length.
 */
export function dissect8023(
  ctx: Ctx,
  L: Layer,
  length: number,
  is8022: boolean,
  tvbStart: number,
  o: number,
  end: number,
  rend: number,
  lenField: FieldDef,
  pastEnd: FieldDef,
  trailerField: FieldDef,
  fcsLen: number,
): Next | null {
  const n = ctx.add(L, null, lenField, o - 2, 2, length, `Length: ${length}`);
  let reported = rend - o;
  if (fcsLen > 0 && reported >= fcsLen) reported -= fcsLen;
  if (length > reported) {
    length = Math.max(0, reported);
    ctx.expert(L, n, pastEnd, 'error', 'Malformed', 'Length field value goes past the end of the payload');
  }
  const pEnd = Math.min(end, o + length);
  // the trailer is known now (it does not depend on the payload); an Ethernet type around this
  // frame no longer has a trailer of its own
  trailerOwner(ctx).layer = null;
  addTrailer(ctx, L, trailerField, o + length, tvbStart, rend, fcsLen, -1);
  if (is8022) return { dissector: 'llc', offset: o, end: pEnd, rend: o + length };
  // IPX (not dissected by minishark, like tshark-ref with ipx disabled)
  return { dissector: 'data', offset: o, end: pEnd, rend: o + length };
}

export function dissectEthernet(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  return dissectEthCommon(ctx, o, end, rend, -1);
}

/** Ethernet inside something else (Transparent Ethernet bridging, 0x6558): no FCS. */
export function dissectEthernetNoFcs(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  return dissectEthCommon(ctx, o, end, rend, 0);
}

/**
 * Hand off through the ethertype table, as Wireshark's "ethertype" dissector (which shows up in
 * frame.protocols). A type no dissector takes goes to data, with Protocol "0x%04x" and the type's
 * name as Info.
 */
export function ethertypeNext(ctx: Ctx, type: number, o: number, end: number, rend: number): Next | null {
  if (!lookup('ethertype', type)) {
    ctx.pkt.colProto = hex4(type);
    const d = ETHERTYPES[type];
    if (d !== undefined && ctx.tree.cols) ctx.pkt.colInfo = d;
    // nothing captured after the type: the data dissector takes nothing and "ethertype" is not listed
    if (o >= end) return null;
    ctx.pkt.protocols.push('ethertype');
    return { dissector: 'data', offset: o, end, rend };
  }
  ctx.pkt.protocols.push('ethertype');
  return ctx.toTable('ethertype', type, o, end, rend);
}

/** Ethernet that is known to end with an FCS (bridged Ethernet "with FCS"). */
export function dissectEthernetFcs(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  return dissectEthCommon(ctx, o, end, rend, 4);
}

register('eth', dissectEthernet);
register('eth_withoutfcs', dissectEthernetNoFcs);
register('eth_withfcs', dissectEthernetFcs);
handoff('linktype', 1, 'eth');
handoff('ethertype', 0x6558, 'eth_withoutfcs');
