/**
 * IPv6 (RFC 8200) with its extension headers (hop-by-hop, routing, fragment, destination options),
 * jumbograms (RFC 2675) and fragment reassembly, as Wireshark 4.0's packet-ipv6.c shows them.
 *
 * The extension headers are sub-protocols inside the IPv6 tree (ipv6.hopopts, ipv6.routing,
 * ipv6.fraghdr, ipv6.dstopts): they are protocol nodes of the IPv6 layer and entries of
 * frame.protocols, like Wireshark with its default "exthdr_under_root_protocol_tree: FALSE".
 * The chain is walked in a loop (not through the dispatch tables), capped at MAX_EXT_HEADERS, and
 * every header consumes at least 8 bytes, so a malicious chain cannot loop or recurse.
 */
import { addrKey, etherStr, hex2, ipv4At, ipv6Str } from '../core/addr.js';
import { field, protocol, repeating, type FieldDef, type FieldNode, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, lookup, register } from '../dissect/registry.js';
import { bitPicture } from '../output/format.js';
import { DSCP, DSCP_SHORT, ECN, ECN_SHORT, ip, ipProtoName } from './ipv4.js';

/** Next Header / ip.proto names exactly as Wireshark 4.0's ipproto_val table prints them. */
export const IPV6_NXT: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 3: 'GGP', 4: 'IPIP', 5: 'Stream', 6: 'TCP', 7: 'CBT', 8: 'EGP',
  9: 'IGRP', 10: 'BBN RCC', 11: 'Network Voice', 12: 'PUP', 13: 'ARGUS', 14: 'EMCON', 15: 'XNET', 16: 'CHAOS',
  17: 'UDP', 18: 'Multiplex', 19: 'DCN Measurement', 20: 'Host Monitoring', 21: 'Packet radio', 22: 'IDP',
  23: 'Trunk-1', 24: 'Trunk-2', 25: 'Leaf-1', 26: 'Leaf-2', 27: 'Reliable Data', 28: 'IRT', 29: 'ISO TP4',
  30: 'Bulk Data', 31: 'MFE NSP', 32: 'Merit Internodal', 33: 'Datagram Congestion Control Protocol',
  34: '3rd Party Connect', 35: 'Inter-Domain Policy Routing Protocol', 36: 'XTP', 37: 'Datagram delivery',
  38: 'Control Message', 39: 'TP++', 40: 'IL', 41: 'IPv6', 42: 'Source demand routing',
  43: 'Routing Header for IPv6', 44: 'Fragment Header for IPv6', 45: 'Inter-Domain Routing Protocol',
  46: 'Reservation Protocol', 47: 'Generic Routing Encapsulation', 48: 'Dynamic source routing', 49: 'BNA',
  50: 'Encap Security Payload', 51: 'Authentication Header', 52: 'INSLP', 53: 'SWIPE', 54: 'NBMA ARP',
  55: 'IP Mobility', 56: 'TLSP Kryptonet', 57: 'SKIP', 58: 'ICMPv6', 59: 'No Next Header for IPv6',
  60: 'Destination Options for IPv6', 61: 'any host internal protocol', 62: 'Mobile IPv6 (old)',
  63: 'any local network', 64: 'SATNET EXPAK', 65: 'Kryptolan', 66: 'Remote Virtual Disk', 67: 'IPPC',
  68: 'any distributed file system', 69: 'SATNET Monitoring', 70: 'VISA', 71: 'IPCV', 72: 'CPNX', 73: 'CPHB',
  74: 'Wang Span', 75: 'Packet Video', 76: 'Backroom SATNET Mon', 77: 'Sun ND Protocol', 78: 'Wideband Mon',
  79: 'Wideband Expak', 80: 'ISO Internet Protocol', 81: 'VMTP', 82: 'Secure VMTP', 83: 'VINES', 84: 'TTP',
  85: 'NSFNET IGP', 86: 'Dissimilar Gateway', 87: 'TCF', 88: 'EIGRP', 89: 'OSPF IGP', 90: 'Sprite RPC',
  91: 'Locus ARP', 92: 'Multicast Transport', 93: 'AX.25 Frames', 94: 'IP in IP', 95: 'MICP', 96: 'Semaphore',
  97: 'Ether in IP', 98: 'ENCAP', 99: 'any private encryption scheme', 100: 'GMTP', 101: 'Ipsilon Flow',
  102: 'PNNI over IP', 103: 'PIM', 104: 'ARIS', 105: 'SCPS', 106: 'QNX', 107: 'Active Networks', 108: 'IPComp',
  109: 'Sitara Networks', 110: 'Compaq Peer', 111: 'IPX IN IP', 112: 'VRRP', 113: 'PGM', 114: 'any 0-hop protocol',
  115: 'Layer 2 Tunneling', 116: 'DDX', 117: 'IATP', 118: 'STP', 119: 'SpectraLink', 120: 'UTI', 121: 'SMP',
  122: 'SM', 123: 'PTP', 124: 'ISIS over IP', 125: 'FIRE', 126: 'CRTP', 127: 'CRUDP', 128: 'SSCOPMCE', 129: 'IPLT',
  130: 'Secure Packet', 131: 'PIPE', 132: 'SCTP', 133: 'Fibre Channel', 134: 'RSVP E2EI', 135: 'Mobile IPv6',
  136: 'UDPLite', 137: 'MPLS in IP', 138: 'MANET', 139: 'HIP', 140: 'Shim6 header', 141: 'WESP', 142: 'ROHC',
  143: 'Ethernet', 144: 'Unassigned', 145: 'Unassigned', 146: 'Unassigned', 147: 'Unassigned', 148: 'Unassigned',
  149: 'Unassigned', 150: 'Unassigned', 151: 'Unassigned', 152: 'Unassigned', 153: 'Unassigned', 154: 'Unassigned',
  155: 'Unassigned', 156: 'Unassigned', 157: 'Unassigned', 158: 'Unassigned', 159: 'Unassigned', 160: 'Unassigned',
  161: 'Unassigned', 162: 'Unassigned', 163: 'Unassigned', 164: 'Unassigned', 165: 'Unassigned', 166: 'Unassigned',
  167: 'Unassigned', 168: 'Unassigned', 169: 'Unassigned', 170: 'Unassigned', 171: 'Unassigned', 172: 'Unassigned',
  173: 'AX/4000 Testframe', 174: 'Unassigned', 175: 'Unassigned', 176: 'Unassigned', 177: 'Unassigned',
  178: 'Unassigned', 179: 'Unassigned', 180: 'Unassigned', 181: 'Unassigned', 182: 'Unassigned', 183: 'Unassigned',
  184: 'Unassigned', 185: 'Unassigned', 186: 'Unassigned', 187: 'Unassigned', 188: 'Unassigned', 189: 'Unassigned',
  190: 'Unassigned', 191: 'Unassigned', 192: 'Unassigned', 193: 'Unassigned', 194: 'Unassigned', 195: 'Unassigned',
  196: 'Unassigned', 197: 'Unassigned', 198: 'Unassigned', 199: 'Unassigned', 200: 'Unassigned', 201: 'Unassigned',
  202: 'Unassigned', 203: 'Unassigned', 204: 'Unassigned', 205: 'Unassigned', 206: 'Unassigned', 207: 'Unassigned',
  208: 'Unassigned', 209: 'Unassigned', 210: 'Unassigned', 211: 'Unassigned', 212: 'Unassigned', 213: 'Unassigned',
  214: 'Unassigned', 215: 'Unassigned', 216: 'Unassigned', 217: 'Unassigned', 218: 'Unassigned', 219: 'Unassigned',
  220: 'Unassigned', 221: 'Unassigned', 222: 'Unassigned', 223: 'Unassigned', 224: 'Novell NCS Heartbeat',
};

const RT_TYPE: Record<number, string> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2',
};

/** IPv6 option types (ipv6.opt.type) */
const OPT_TYPE: Record<number, string> = {
  0: 'Pad1', 1: 'PadN', 4: 'Tunnel Encapsulation Limit', 5: 'Router Alert', 7: 'CALIPSO', 8: 'SMF_DPD',
  15: 'Performance and Diagnostic Metrics', 30: 'Experimental (0x1E)', 38: 'Quick-Start', 48: 'Path MTU Option',
  49: 'IOAM Option', 62: 'Experimental (0x3E)', 65: 'Tunnel Payload Forwarding (TPF) Information', 94: 'Experimental (0x5E)',
  99: 'RPL Option', 109: 'MPL Option', 126: 'Experimental (0x7E)', 138: 'Endpoint Identification', 139: 'ILNP Nonce',
  140: 'Line-Identification Option', 158: 'Experimental (0x9E)', 190: 'Experimental (0xBE)', 194: 'Jumbo Payload',
  201: 'Home Address', 222: 'Experimental (0xDE)', 238: 'IP_DFF', 254: 'Experimental (0xFE)',
};
const OPT_ACTION: Record<number, string> = {
  0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem', 3: 'Discard and send ICMP if not multicast',
};
const ROUTER_ALERT: Record<number, string> = { 0: 'MLD', 1: 'RSVP', 2: 'Active Network' };

export const pIpv6 = protocol('ipv6', 'Internet Protocol Version 6', { repeats: true, short: 'IPv6', analysis: false }) // IPv6 in IPv6;
export const pHopopts = protocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option', { short: 'IPv6 Hop-by-Hop' });
export const pRouting = protocol('ipv6.routing', 'Routing Header for IPv6', { short: 'IPv6 Routing' });
export const pFraghdr = protocol('ipv6.fraghdr', 'Fragment Header for IPv6', { short: 'IPv6 Fragment' });
export const pDstopts = protocol('ipv6.dstopts', 'Destination Options for IPv6', { short: 'IPv6 Destination' });

export const ipv6 = {
  version: field('ipv6.version', 'Version', 'uint', { bits: 8, bitmask: 0xf0 }),
  tclass: field('ipv6.tclass', 'Traffic Class', 'uint', { base: 'hex', bits: 32, bitmask: 0x0ff00000 }),
  dscp: field('ipv6.tclass.dscp', 'Differentiated Services Codepoint', 'uint', { bits: 32, bitmask: 0x0fc00000, vals: DSCP }),
  ecn: field('ipv6.tclass.ecn', 'Explicit Congestion Notification', 'uint', { bits: 32, bitmask: 0x00300000, vals: ECN }),
  flow: field('ipv6.flow', 'Flow Label', 'uint', { base: 'hex', bits: 24, bitmask: 0xfffff }),
  plen: field('ipv6.plen', 'Payload Length', 'uint', { bits: 16 }),
  nxt: field('ipv6.nxt', 'Next Header', 'uint', { bits: 8, vals: IPV6_NXT }),
  hlim: field('ipv6.hlim', 'Hop Limit', 'uint', { bits: 8 }),
  src: field('ipv6.src', 'Source Address', 'ipv6'),
  dst: field('ipv6.dst', 'Destination Address', 'ipv6'),
  addr: field('ipv6.addr', 'Source or Destination Address', 'ipv6'),
  srcHost: field('ipv6.src_host', 'Source Host', 'string'),
  dstHost: field('ipv6.dst_host', 'Destination Host', 'string'),
  host: field('ipv6.host', 'Source or Destination Host', 'string'),
  // address-derived fields (generated), each with a hidden direction-less twin
  srcSlaac: field('ipv6.src_slaac_mac', 'Source SLAAC MAC', 'ether'),
  dstSlaac: field('ipv6.dst_slaac_mac', 'Destination SLAAC MAC', 'ether'),
  slaac: field('ipv6.slaac_mac', 'SLAAC MAC', 'ether'),
  srcIsatap: field('ipv6.src_isatap_ipv4', 'Source ISATAP IPv4', 'ipv4'),
  dstIsatap: field('ipv6.dst_isatap_ipv4', 'Destination ISATAP IPv4', 'ipv4'),
  isatap: field('ipv6.isatap_ipv4', 'ISATAP IPv4', 'ipv4'),
  src6to4Gw: field('ipv6.src_6to4_gw_ipv4', 'Source 6to4 Gateway IPv4', 'ipv4'),
  dst6to4Gw: field('ipv6.dst_6to4_gw_ipv4', 'Destination 6to4 Gateway IPv4', 'ipv4'),
  gw6to4: field('ipv6.6to4_gw_ipv4', '6to4 Gateway IPv4', 'ipv4'),
  src6to4Sla: field('ipv6.src_6to4_sla_id', 'Source 6to4 SLA ID', 'uint', { bits: 16 }),
  dst6to4Sla: field('ipv6.dst_6to4_sla_id', 'Destination 6to4 SLA ID', 'uint', { bits: 16 }),
  sla6to4: field('ipv6.6to4_sla_id', '6to4 SLA ID', 'uint', { bits: 16 }),
  srcTs: field('ipv6.src_ts_ipv4', 'Source Teredo Server IPv4', 'ipv4'),
  dstTs: field('ipv6.dst_ts_ipv4', 'Destination Teredo Server IPv4', 'ipv4'),
  ts: field('ipv6.ts_ipv4', 'Teredo Server IPv4', 'ipv4'),
  srcTcPort: field('ipv6.src_tc_port', 'Source Teredo Port', 'uint', { bits: 16 }),
  dstTcPort: field('ipv6.dst_tc_port', 'Destination Teredo Port', 'uint', { bits: 16 }),
  tcPort: field('ipv6.tc_port', 'Teredo Port', 'uint', { bits: 16 }),
  srcTc: field('ipv6.src_tc_ipv4', 'Source Teredo Client IPv4', 'ipv4'),
  dstTc: field('ipv6.dst_tc_ipv4', 'Destination Teredo Client IPv4', 'ipv4'),
  tc: field('ipv6.tc_ipv4', 'Teredo Client IPv4', 'ipv4'),
  // options (hop-by-hop and destination options headers)
  opt: field('ipv6.opt', 'IPv6 Option', 'none'),
  optType: field('ipv6.opt.type', 'Type', 'uint', { base: 'hex', bits: 8, vals: OPT_TYPE }),
  optAction: field('ipv6.opt.type.action', 'Action', 'uint', { bits: 8, bitmask: 0xc0, vals: OPT_ACTION }),
  optChange: field('ipv6.opt.type.change', 'May Change', 'bool', { bits: 8, bitmask: 0x20, tf: ['Yes', 'No'] }),
  optRest: field('ipv6.opt.type.rest', 'Low-Order Bits', 'uint', { base: 'hex', bits: 8, bitmask: 0x1f }),
  optLength: field('ipv6.opt.length', 'Length', 'uint', { bits: 8 }),
  pad1: field('ipv6.opt.pad1', 'Pad1', 'none'),
  padn: field('ipv6.opt.padn', 'PadN', 'bytes', { empty: '<none>' }),
  tel: field('ipv6.opt.tel', 'Tunnel Encapsulation Limit', 'uint', { bits: 8 }),
  routerAlert: field('ipv6.opt.router_alert', 'Router Alert', 'uint', { bits: 16, vals: ROUTER_ALERT }),
  jumbo: field('ipv6.opt.jumbo', 'Payload Length', 'uint'),
  pmtuMin: field('ipv6.opt.pmtu.min', 'Minimum Reported PMTU', 'uint', { bits: 16 }),
  pmtuRtn: field('ipv6.opt.pmtu.rtn', 'Return Minimum PMTU', 'uint', { bits: 16 }),
  pmtuR: field('ipv6.opt.pmtu.r_flag', 'Return Flag', 'bool'),
  calipsoDoi: field('ipv6.opt.calipso.doi', 'CALIPSO Domain of Interpretation', 'uint'),
  calipsoCmptLen: field('ipv6.opt.calipso.cmpt.length', 'Compartment Length', 'uint', { bits: 8 }),
  calipsoSens: field('ipv6.opt.calipso.sens_level', 'Sensitivity Level', 'uint', { bits: 8 }),
  calipsoCksum: field('ipv6.opt.calipso.checksum', 'Checksum', 'uint', { base: 'hex', bits: 16 }),
  calipsoBitmap: field('ipv6.opt.calipso.cmpt_bitmap', 'Compartment Bitmap', 'bytes'),
  homeAddress: field('ipv6.opt.mipv6.home_address', 'MIPv6 Home Address', 'ipv6'),
  experimental: field('ipv6.opt.experimental', 'Experimental Option', 'bytes'),
  unknown: field('ipv6.opt.unknown', 'Unknown Option Payload', 'bytes', { empty: '<MISSING>' }),
  // extension headers
  hopNxt: field('ipv6.hopopts.nxt', 'Next Header', 'uint', { bits: 8, vals: IPV6_NXT }),
  hopLen: field('ipv6.hopopts.len', 'Length', 'uint', { bits: 8 }),
  hopLenOct: field('ipv6.hopopts.len_oct', 'Length', 'uint', { bits: 16 }),
  dstNxt: field('ipv6.dstopts.nxt', 'Next Header', 'uint', { bits: 8, vals: IPV6_NXT }),
  dstLen: field('ipv6.dstopts.len', 'Length', 'uint', { bits: 8 }),
  dstLenOct: field('ipv6.dstopts.len_oct', 'Length', 'uint', { bits: 16 }),
  rtNxt: field('ipv6.routing.nxt', 'Next Header', 'uint', { bits: 8, vals: IPV6_NXT }),
  rtLen: field('ipv6.routing.len', 'Length', 'uint', { bits: 8 }),
  rtLenOct: field('ipv6.routing.len_oct', 'Length', 'uint', { bits: 16 }),
  rtType: field('ipv6.routing.type', 'Type', 'uint', { bits: 8, vals: RT_TYPE }),
  rtSegleft: field('ipv6.routing.segleft', 'Segments Left', 'uint', { bits: 8 }),
  rtUnknown: field('ipv6.routing.unknown_data', 'Type-Specific Data', 'bytes'),
  rtSrcReserved: field('ipv6.routing.src.reserved', 'Reserved', 'bytes'),
  rtSrcAddr: field('ipv6.routing.src.addr', 'Address', 'ipv6'),
  rtMipReserved: field('ipv6.routing.mipv6.reserved', 'Reserved', 'bytes'),
  rtMipHome: field('ipv6.routing.mipv6.home_address', 'Home Address', 'ipv6'),
  rtSrhLast: field('ipv6.routing.srh.last_entry', 'Last Entry', 'uint', { bits: 8 }),
  rtSrhFlags: field('ipv6.routing.srh.flags', 'Flags', 'uint', { base: 'hex', bits: 8 }),
  rtSrhTag: field('ipv6.routing.srh.tag', 'Tag', 'bytes'),
  rtSrhAddr: field('ipv6.routing.srh.addr', 'Address', 'ipv6'),
  fragNxt: field('ipv6.fraghdr.nxt', 'Next header', 'uint', { bits: 8, vals: IPV6_NXT }),
  fragReservedOctet: field('ipv6.fraghdr.reserved_octet', 'Reserved octet', 'uint', { base: 'hex', bits: 8 }),
  fragOffset: field('ipv6.fraghdr.offset', 'Offset', 'uint', { bits: 16, bitmask: 0xfff8 }),
  fragReservedBits: field('ipv6.fraghdr.reserved_bits', 'Reserved bits', 'uint', { bits: 16, bitmask: 0x0006 }),
  fragMore: field('ipv6.fraghdr.more', 'More Fragments', 'bool', { bits: 16, bitmask: 0x0001, tf: ['Yes', 'No'] }),
  fragIdent: field('ipv6.fraghdr.ident', 'Identification', 'uint', { base: 'hex' }),
  // reassembly
  fragments: field('ipv6.fragments', 'IPv6 Fragments', 'none'),
  fragment: field('ipv6.fragment', 'IPv6 Fragment', 'framenum'),
  fragOverlap: field('ipv6.fragment.overlap', 'Fragment overlap', 'bool'),
  fragConflict: field('ipv6.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool'),
  fragTooLong: field('ipv6.fragment.toolongfragment', 'Fragment too long', 'bool'),
  fragCount: field('ipv6.fragment.count', 'Fragment count', 'uint'),
  reassembledIn: field('ipv6.reassembled.in', 'Reassembled IPv6 in frame', 'framenum'),
  reassembledLength: field('ipv6.reassembled.length', 'Reassembled IPv6 length', 'uint'),
  reassembledData: field('ipv6.reassembled.data', 'Reassembled IPv6 data', 'bytes'),
  // expert items
  badVersion: field('ipv6.bogus_ipv6_version', 'Bogus IP version', 'none'),
  invalidHeader: field('ipv6.invalid_header', 'Invalid IPv6 header', 'none'),
  plenExceeds: field('ipv6.plen_exceeds_framing', 'IPv6 payload length does not match expected framing length', 'none'),
  plenZero: field('ipv6.plen_zero', 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))', 'none'),
  jumboMissing: field('ipv6.opt.jumbo.missing', 'IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing', 'none'),
  jumboProhibited: field('ipv6.opt.jumbo.prohibited', 'When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present', 'none'),
  jumboTruncated: field('ipv6.opt.jumbo.truncated', 'Jumbo Payload option present and jumbo length < 65536', 'none'),
  optInvalidLen: field('ipv6.opt.invalid_len', 'Invalid IPv6 option length', 'none'),
  optUnknownData: field('ipv6.opt.unknown_data.expert', 'Unknown Data (not interpreted)', 'none'),
  hopNotFirst: field('ipv6.hopopts.not_first', 'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header', 'none'),
  rtDeprecated: field('ipv6.routing.deprecated', 'Routing header type is deprecated', 'none'),
  rtInvalidLength: field('ipv6.routing.invalid_length', 'Invalid IPv6 Routing header length', 'none'),
  rtInvalidSegleft: field('ipv6.routing.invalid_segleft', 'IPv6 Routing Header segments left field must not exceed address count', 'none'),
  tooManyExt: field('ipv6.exthdr.too_many', 'Too many IPv6 extension headers', 'none'),
};

// More than once in one header: the source and destination's (ipv6.addr, ipv6.host, the address
// kinds both can have); every extension header and option (a datagram may chain several, RFC 8200
// §4.1); each fragment of a reassembled datagram.
repeating([ipv6.addr, ipv6.host, ipv6.slaac, ipv6.isatap, ipv6.gw6to4, ipv6.sla6to4, ipv6.ts, ipv6.tcPort, ipv6.tc]);
repeating([pHopopts, pRouting, pFraghdr, pDstopts]);
repeating(Object.values(ipv6).filter((d) => /^ipv6\.(opt|hopopts|dstopts|routing|fraghdr)\./.test(d.abbrev)));
repeating([ipv6.fragment, ipv6.fragOverlap, ipv6.fragConflict, ipv6.fragTooLong]);

/** An extension header chain longer than this is cut (every header takes at least 8 bytes, so the
 * walk is bounded by the packet anyway; this keeps a 64 KiB chain of 8-byte headers cheap). */
export const MAX_EXT_HEADERS = 512;

function nxtName(n: number): string {
  return IPV6_NXT[n] ?? 'Unknown';
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

function bytesText(b: Uint8Array, none: string): string {
  if (b.length === 0) return none;
  const s = Buffer.from(b.subarray(0, 36)).toString('hex');
  return b.length > 36 ? s + '\u2026' : s;
}

/** A declared length cut to the bytes there are (a header may claim more than was captured). */
function clampLen(ctx: Ctx, o: number, len: number): number {
  return Math.max(0, Math.min(len, ctx.data.length - o));
}

function appendInfo(ctx: Ctx, s: string): void {
  const p = ctx.pkt;
  p.colInfo = p.colInfo ? `${p.colInfo} , ${s}` : s;
}

/** State of one IPv6 header while its extension headers are walked (a reassembled datagram
 * continues the walk through 'ipv6.ext', called by the engine right after the header that made it). */
interface Walk {
  L: Layer;
  /** the raw payload length field (0 for a jumbogram) */
  plen: number;
  src: Uint8Array;
  dst: Uint8Array;
  /** extension headers seen so far in this IPv6 header */
  count: number;
  cols: boolean;
  /** the Next Header value of the extension header just dissected */
  nxt: number;
}


/** The Jumbo Payload option's value when the hop-by-hop header at `o` has one (-1 otherwise). Reads
 * only captured bytes and never throws: the real dissection of the header comes later. */
function scanJumbo(ctx: Ctx, o: number, end: number): number {
  if (o + 2 > end) return -1;
  const d = ctx.data;
  const hEnd = Math.min(end, o + (d[o + 1]! + 1) * 8);
  let p = o + 2;
  while (p < hEnd) {
    const t = d[p]!;
    if (t === 0) {
      p++;
      continue;
    }
    if (p + 1 >= hEnd) break;
    if (t === 0xc2 && p + 6 <= end) return ctx.u32(p + 2);
    p += 2 + d[p + 1]!;
  }
  return -1;
}

function genPair(ctx: Ctx, L: Layer, vis: FieldDef, hid: FieldDef, value: number | Uint8Array, text: string | undefined): void {
  ctx.gen(L, null, vis, value, text);
  const h = ctx.gen(L, null, hid, value);
  if (h) h.hidden = true;
}

/** SLAAC MAC, ISATAP, 6to4 and Teredo details derived from an address, as Wireshark adds them. */
function addressDetail(ctx: Ctx, L: Layer, a: Uint8Array, isSrc: boolean): void {
  const F = ctx.tree.full;
  const dir = isSrc ? 'Source' : 'Destination';
  // a modified EUI-64 interface identifier made from a universal MAC (the u bit set): RFC 4291 app. A
  if (a[11] === 0xff && a[12] === 0xfe && (a[8]! & 0x02) !== 0) {
    const vis = isSrc ? ipv6.srcSlaac : ipv6.dstSlaac;
    if (F || ctx.tree.wants(vis) || ctx.tree.wants(ipv6.slaac)) {
      const mac = new Uint8Array([a[8]! ^ 0x02, a[9]!, a[10]!, a[13]!, a[14]!, a[15]!]);
      genPair(ctx, L, vis, ipv6.slaac, mac, F ? `${dir} SLAAC MAC: ${etherStr(mac)}` : undefined);
    }
  }
  if ((a[8]! & 0xfc) === 0 && a[9] === 0 && a[10] === 0x5e && a[11] === 0xfe) {
    const v = ((a[12]! << 24) | (a[13]! << 16) | (a[14]! << 8) | a[15]!) >>> 0;
    genPair(ctx, L, isSrc ? ipv6.srcIsatap : ipv6.dstIsatap, ipv6.isatap, v, F ? `${dir} ISATAP IPv4: ${ipv4At(a, 12)}` : undefined);
  }
  if (a[0] === 0x20 && a[1] === 0x02) {
    const gw = ((a[2]! << 24) | (a[3]! << 16) | (a[4]! << 8) | a[5]!) >>> 0;
    const sla = (a[6]! << 8) | a[7]!;
    genPair(ctx, L, isSrc ? ipv6.src6to4Gw : ipv6.dst6to4Gw, ipv6.gw6to4, gw, F ? `${dir} 6to4 Gateway IPv4: ${ipv4At(a, 2)}` : undefined);
    genPair(ctx, L, isSrc ? ipv6.src6to4Sla : ipv6.dst6to4Sla, ipv6.sla6to4, sla, F ? `${dir} 6to4 SLA ID: ${sla}` : undefined);
  } else if (a[0] === 0x20 && a[1] === 0x01 && a[2] === 0 && a[3] === 0) {
    const server = ((a[4]! << 24) | (a[5]! << 16) | (a[6]! << 8) | a[7]!) >>> 0;
    const port = ~((a[10]! << 8) | a[11]!) & 0xffff;
    const client = ~((a[12]! << 24) | (a[13]! << 16) | (a[14]! << 8) | a[15]!) >>> 0;
    const cs = `${client >>> 24}.${(client >>> 16) & 255}.${(client >>> 8) & 255}.${client & 255}`;
    genPair(ctx, L, isSrc ? ipv6.srcTs : ipv6.dstTs, ipv6.ts, server, F ? `${dir} Teredo Server IPv4: ${ipv4At(a, 4)}` : undefined);
    genPair(ctx, L, isSrc ? ipv6.srcTcPort : ipv6.dstTcPort, ipv6.tcPort, port, F ? `${dir} Teredo Port: ${port}` : undefined);
    genPair(ctx, L, isSrc ? ipv6.srcTc : ipv6.dstTc, ipv6.tc, client, F ? `${dir} Teredo Client IPv4: ${cs}` : undefined);
  }
}

/** IPv6, after Wireshark's dissect_ipv6: the fixed header, then the extension header chain and the
 * payload. */
export function dissectIpv6(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const C = ctx.tree.cols && ctx.inError === 0;
  const protos = ctx.pkt.protocols;
  const viaEthertype = protos.length > 0 && protos[protos.length - 1] === 'ethertype';
  const L = ctx.layer(pIpv6, o, clampLen(ctx, o, 40));
  if (C) {
    ctx.pkt.colProto = 'IPv6';
    ctx.pkt.colInfo = '';
  }
  ctx.need(o, 1, end, rend);
  if (!versionOk(ctx, L, o, C)) return badVersion(ctx, viaEthertype, o, end, rend);
  const reported = rend - o;
  if (reported < 40) {
    if (C) ctx.pkt.colInfo = `Invalid IPv6 header (${reported} bytes, need exactly 40)`;
    ctx.expert(L, null, ipv6.invalidHeader, 'error', 'Malformed', 'IPv6 header must be exactly 40 bytes');
  }
  ctx.need(o, 4, end, rend);
  trafficClassAndFlow(ctx, L, o);
  ctx.need(o + 4, 4, end, rend);
  const plen = ctx.u16(o + 4);
  const nxt = ctx.u8(o + 6);
  const hlim = ctx.u8(o + 7);
  // a zero payload length with a hop-by-hop header: the length is in the Jumbo Payload option
  const jumbo = plen === 0 && nxt === 0 ? scanJumbo(ctx, o + 40, Math.min(end, rend)) : -1;
  const payLen = plen !== 0 ? plen : jumbo > 0 ? jumbo : 0;
  const plenN = payloadLength(ctx, L, o, plen, nxt, jumbo, C);
  ctx.add(L, null, ipv6.nxt, o + 6, 1, nxt, ctx.tree.texts ? `Next Header: ${nxtName(nxt)} (${nxt})` : undefined);
  ctx.add(L, null, ipv6.hlim, o + 7, 1, hlim, ctx.tree.texts ? `Hop Limit: ${hlim}` : undefined);
  addresses(ctx, L, o, end, rend, C);
  const src = ctx.data.subarray(o + 8, o + 24);
  const dst = ctx.data.subarray(o + 24, o + 40);
  const hdrEnd = o + 40;
  const avail = rend - hdrEnd;
  if (ctx.inError === 0 && payLen > avail) {
    ctx.expert(L, plenN, ipv6.plenExceeds, 'warn', 'Protocol', `IPv6 payload length exceeds framing length (${avail} bytes)`);
  }
  // the datagram ends where the payload length says, unless the frame is shorter
  const dgEnd = payLen <= avail ? hdrEnd + payLen : rend;
  if (ctx.inError === 0 && ctx.l3End < 0) ctx.l3End = Math.min(dgEnd, end);
  const pEnd = Math.min(end, dgEnd);
  ctx.netKind = 6;
  ctx.netSrc = src;
  ctx.netDst = dst;
  ctx.netSrcOff = o + 8;
  ctx.netDstOff = o + 24;
  // inside an ICMPv6 error only the invoking header may be quoted: nothing more to show
  if (ctx.inError > 0 && pEnd <= hdrEnd) return null;
  ctx.hopLimit = hlim;
  return extChain(ctx, { L, plen, src, dst, count: 0, cols: C, nxt }, nxt, hdrEnd, pEnd, dgEnd);
}

/** The version field (and its hidden ip.version twin); false when it is not 6. */
function versionOk(ctx: Ctx, L: Layer, o: number, C: boolean): boolean {
  const b0 = ctx.u8(o);
  const version = b0 >> 4;
  const vN = ctx.add(L, null, ipv6.version, o, 1, version, ctx.tree.texts ? `${bitPicture(8, 0xf0, b0)} = Version: ${version}` : undefined);
  const ipv = ctx.tree.hidden(L, ip.version, o, 1, version);
  if (ipv && ctx.tree.full) ipv.text = `${bitPicture(8, 0xf0, b0)} = Version: ${version} [This field makes the filter match on "ip.version == 6" possible]`;
  if (version === 6) return true;
  ctx.expert(L, vN, ipv6.badVersion, 'error', 'Malformed', 'Bogus IPv6 version');
  if (C) ctx.pkt.colInfo = `Bogus IPv6 version (${version}, must be 6)`;
  return false;
}

/** Wireshark's dissector rejects a bogus version (returns 0): ipv6 is not in frame.protocols, and
 * the Ethertype dissector shows the payload as data with its own columns. */
function badVersion(ctx: Ctx, viaEthertype: boolean, o: number, end: number, rend: number): Next | null {
  const protos = ctx.pkt.protocols;
  if (protos[protos.length - 1] === 'ipv6') protos.pop();
  if (!viaEthertype || ctx.inError !== 0) return null;
  if (ctx.tree.cols) {
    ctx.pkt.colProto = '0x86dd';
    ctx.pkt.colInfo = 'IPv6';
  }
  return { dissector: 'data', offset: o, end, rend };
}

/** Traffic class (DSCP, ECN) and flow label. */
function trafficClassAndFlow(ctx: Ctx, L: Layer, o: number): void {
  const w = ctx.u32(o);
  const tc = (w >>> 20) & 0xff;
  const flow = w & 0xfffff;
  const tcN = ctx.add(L, null, ipv6.tclass, o, 4, tc,
    ctx.tree.texts ? `${bitPicture(32, 0x0ff00000, w)} = Traffic Class: 0x${hex2(tc)} (DSCP: ${DSCP_SHORT[tc >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tc & 3]})` : undefined);
  ctx.add(L, tcN, ipv6.dscp, o, 4, tc >> 2, ctx.tree.texts ? `${bitPicture(32, 0x0fc00000, w)} = Differentiated Services Codepoint: ${DSCP[tc >> 2] ?? 'Unknown'} (${tc >> 2})` : undefined);
  ctx.add(L, tcN, ipv6.ecn, o, 4, tc & 3, ctx.tree.texts ? `${bitPicture(32, 0x00300000, w)} = Explicit Congestion Notification: ${ECN[tc & 3]} (${tc & 3})` : undefined);
  ctx.add(L, null, ipv6.flow, o + 1, 3, flow, ctx.tree.texts ? `${bitPicture(24, 0xfffff, w & 0xffffff)} = Flow Label: 0x${flow.toString(16).padStart(5, '0')}` : undefined);
}

/** The payload length and its notes (zero: TSO, or a jumbogram whose option must be present). */
function payloadLength(ctx: Ctx, L: Layer, o: number, plen: number, nxt: number, jumbo: number, C: boolean): FieldNode | null {
  const plenN = ctx.add(L, null, ipv6.plen, o + 4, 2, plen, ctx.tree.texts ? `Payload Length: ${plen}${jumbo >= 0 ? ' (Jumbogram)' : ''}` : undefined);
  if (plen !== 0) return plenN;
  if (nxt !== 0) {
    ctx.expert(L, plenN, ipv6.plenZero, 'chat', 'Protocol', 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))');
  } else if (jumbo < 0) {
    if (C) ctx.pkt.colInfo = 'Invalid IPv6 payload length';
    ctx.expert(L, plenN, ipv6.jumboMissing, 'error', 'Malformed', 'IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing');
  }
  return plenN;
}

/** Source and destination, their hidden companions, the columns and what the addresses embed. */
function addresses(ctx: Ctx, L: Layer, o: number, end: number, rend: number, C: boolean): void {
  const F = ctx.tree.full;
  const strs = F || C || ctx.tree.wants(ipv6.srcHost) || ctx.tree.wants(ipv6.dstHost) || ctx.tree.wants(ipv6.host);
  ctx.need(o + 8, 16, end, rend);
  const src = ctx.data.subarray(o + 8, o + 24);
  const srcS = strs ? ipv6Str(src) : '';
  ctx.add(L, null, ipv6.src, o + 8, 16, src, ctx.tree.texts ? `Source Address: ${srcS}` : undefined);
  ctx.tree.hidden(L, ipv6.addr, o + 8, 16, src);
  ctx.tree.hidden(L, ipv6.srcHost, o + 8, 16, srcS);
  ctx.tree.hidden(L, ipv6.host, o + 8, 16, srcS);
  if (C) ctx.pkt.colSrc = srcS;
  ctx.need(o + 24, 16, end, rend);
  const dst = ctx.data.subarray(o + 24, o + 40);
  const dstS = strs ? ipv6Str(dst) : '';
  ctx.add(L, null, ipv6.dst, o + 24, 16, dst, ctx.tree.texts ? `Destination Address: ${dstS}` : undefined);
  ctx.tree.hidden(L, ipv6.addr, o + 24, 16, dst);
  ctx.tree.hidden(L, ipv6.dstHost, o + 24, 16, dstS);
  ctx.tree.hidden(L, ipv6.host, o + 24, 16, dstS);
  if (C) ctx.pkt.colDst = dstS;
  addressDetail(ctx, L, src, true);
  addressDetail(ctx, L, dst, false);
  if (F) L.summary = `Internet Protocol Version 6, Src: ${srcS}, Dst: ${dstS}`;
}

/** Walk the extension headers from `o`, then hand the payload to the next protocol. */
function extChain(ctx: Ctx, W: Walk, nh: number, o: number, end: number, rend: number): Next | null {
  for (;;) {
    switch (nh) {
      case 0:
      case 60: {
        if (W.count >= MAX_EXT_HEADERS) return tooMany(ctx, W, o, end, rend);
        const next = optionsHeader(ctx, W, nh === 0, o, end, rend);
        nh = W.nxt;
        ctx.need(next, 0, end, rend);
        o = next;
        break;
      }
      case 43: {
        if (W.count >= MAX_EXT_HEADERS) return tooMany(ctx, W, o, end, rend);
        const next = routingHeader(ctx, W, o, end, rend);
        nh = W.nxt;
        ctx.need(next, 0, end, rend);
        o = next;
        break;
      }
      case 44: {
        if (W.count >= MAX_EXT_HEADERS) return tooMany(ctx, W, o, end, rend);
        const r = fragmentHeader(ctx, W, o, end, rend);
        if (r !== null) return r;
        nh = W.nxt;
        o += 8;
        break;
      }
      case 59:
        if (W.cols) appendInfo(ctx, 'IPv6 no next header');
        return { dissector: 'data', offset: o, end, rend };
      default:
        // ipv6_dissect_next: no dissector for the next header: "Unknown IP Protocol" and data (not
        // for the extension-header types AH, Mobility and Shim6, whose dissectors tshark-ref disables)
        if (!lookup('ip.proto', nh)) {
          if (W.cols && ctx.inError === 0 && nh !== 51 && nh !== 135 && nh !== 140) ctx.pkt.colInfo = `Unknown IP Protocol: ${ipProtoName(nh)} (${nh})`;
          return { dissector: 'data', offset: o, end, rend };
        }
        return { table: 'ip.proto', key: nh, offset: o, end, rend };
    }
  }
}

function tooMany(ctx: Ctx, W: Walk, o: number, end: number, rend: number): Next {
  ctx.expert(W.L, null, ipv6.tooManyExt, 'error', 'Malformed', `More than ${MAX_EXT_HEADERS} IPv6 extension headers`);
  return { dissector: 'data', offset: o, end, rend };
}

function lengthFields(ctx: Ctx, L: Layer, node: FieldNode | null, o: number, nxt: number, len: number,
  fNxt: FieldDef, fLen: FieldDef, fLenOct: FieldDef, nxtLabel: string): void {
  ctx.add(L, node, fNxt, o, 1, nxt, ctx.tree.texts ? `${nxtLabel}: ${nxtName(nxt)} (${nxt})` : undefined);
  ctx.add(L, node, fLen, o + 1, 1, len, ctx.tree.texts ? `Length: ${len}` : undefined);
  ctx.gen(L, node, fLenOct, (len + 1) * 8, ctx.tree.texts ? `Length: ${(len + 1) * 8} bytes` : undefined);
}

/** Hop-by-hop or destination options header; returns where the next header starts. */
function optionsHeader(ctx: Ctx, W: Walk, hbh: boolean, o: number, end: number, rend: number): number {
  const L = W.L;
  const proto = hbh ? pHopopts : pDstopts;
  ctx.pkt.protocols.push(proto.abbrev);
  if (W.cols && ctx.tree.cols) appendInfo(ctx, hbh ? 'IPv6 hop-by-hop options' : 'IPv6 destination options');
  const first = W.count === 0;
  W.count++;
  ctx.need(o, 2, end, rend);
  const nxt = ctx.u8(o);
  const len = ctx.u8(o + 1);
  const hlen = (len + 1) * 8;
  const node = ctx.add(L, null, proto, o, clampLen(ctx, o, hlen), proto.abbrev, ctx.tree.texts ? proto.name : undefined);
  if (hbh && !first) ctx.expert(L, node, ipv6.hopNotFirst, 'error', 'Protocol', 'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header');
  if (hbh) lengthFields(ctx, L, node, o, nxt, len, ipv6.hopNxt, ipv6.hopLen, ipv6.hopLenOct, 'Next Header');
  else lengthFields(ctx, L, node, o, nxt, len, ipv6.dstNxt, ipv6.dstLen, ipv6.dstLenOct, 'Next Header');
  W.nxt = nxt;
  const hEnd = o + hlen;
  let p = o + 2;
  while (p < hEnd) {
    ctx.need(p, 1, end, rend);
    const t = ctx.u8(p);
    if (t === 0) {
      const on = ctx.add(L, node, ipv6.opt, p, 1, null, ctx.tree.texts ? 'Pad1' : undefined);
      ctx.add(L, on, ipv6.optType, p, 1, 0, ctx.tree.texts ? 'Type: Pad1 (0x00)' : undefined);
      ctx.add(L, on, ipv6.pad1, p, 1, null, ctx.tree.texts ? 'Pad1' : undefined);
      p++;
      continue;
    }
    ctx.need(p + 1, 1, end, rend);
    p = option(ctx, W, node, t, p, end, rend);
  }
  W.nxt = nxt;
  return p;
}

function badLen(ctx: Ctx, L: Layer, lN: FieldNode | null, message: string): void {
  ctx.expert(L, lN, ipv6.optInvalidLen, 'error', 'Malformed', message);
}

/** One TLV option at p (type t, not Pad1); returns where the next option starts. */
function option(ctx: Ctx, W: Walk, parent: FieldNode | null, t: number, p: number, end: number, rend: number): number {
  const L = W.L;
  const olen = ctx.u8(p + 1);
  const known = OPT_TYPE[t];
  const on = ctx.add(L, parent, ipv6.opt, p, clampLen(ctx, p, 2 + olen), null, ctx.tree.texts ? known ?? `Unknown IPv6 Option (${t})` : undefined);
  const tN = ctx.add(L, on, ipv6.optType, p, 1, t, ctx.tree.texts ? `Type: ${known ?? 'Unknown'} (0x${hex2(t)})` : undefined);
  ctx.add(L, tN, ipv6.optAction, p, 1, t >> 6, ctx.tree.texts ? `${bitPicture(8, 0xc0, t)} = Action: ${OPT_ACTION[t >> 6]} (${t >> 6})` : undefined);
  ctx.add(L, tN, ipv6.optChange, p, 1, (t & 0x20) !== 0, ctx.tree.texts ? `${bitPicture(8, 0x20, t)} = May Change: ${t & 0x20 ? 'Yes' : 'No'}` : undefined);
  ctx.add(L, tN, ipv6.optRest, p, 1, t & 0x1f, ctx.tree.texts ? `${bitPicture(8, 0x1f, t)} = Low-Order Bits: 0x${hex2(t & 0x1f)}` : undefined);
  const lN = ctx.add(L, on, ipv6.optLength, p + 1, 1, olen, ctx.tree.texts ? `Length: ${olen}` : undefined);
  return optionData(ctx, W, on, lN, t, p + 2, olen, end, rend);
}

/** An option's data at c (`olen` bytes, `on` its item, `lN` its length item); returns where the
 * next option starts. */
function optionData(ctx: Ctx, W: Walk, on: FieldNode | null, lN: FieldNode | null, t: number, c: number, olen: number, end: number, rend: number): number {
  const L = W.L;
  switch (t) {
    case 1: {
      ctx.need(c, olen, end, rend);
      const b = ctx.bytes(c, olen);
      ctx.add(L, on, ipv6.padn, c, olen, b, ctx.tree.texts ? `PadN: ${bytesText(b, '<none>')}` : undefined);
      break;
    }
    case 4: {
      if (olen !== 1) badLen(ctx, L, lN, `Tunnel Encapsulation Limit: Invalid length (${olen} bytes)`);
      ctx.need(c, 1, end, rend);
      ctx.add(L, on, ipv6.tel, c, 1, ctx.u8(c), ctx.tree.texts ? `Tunnel Encapsulation Limit: ${ctx.u8(c)}` : undefined);
      break;
    }
    case 5: {
      if (olen !== 2) badLen(ctx, L, lN, `Router alert: Invalid Length (${olen} bytes)`);
      ctx.need(c, 2, end, rend);
      const v = ctx.u16(c);
      ctx.add(L, on, ipv6.routerAlert, c, 2, v, ctx.tree.texts ? `Router Alert: ${ROUTER_ALERT[v] ?? 'Unknown'} (${v})` : undefined);
      break;
    }
    case 7:
      calipso(ctx, L, on, lN, c, olen, end, rend);
      break;
    case 0x30: {
      if (olen !== 4) badLen(ctx, L, lN, `PMTU Option: Invalid Length (${olen} bytes)`);
      ctx.need(c, 4, end, rend);
      const min = ctx.u16(c);
      const rtn = ctx.u16(c + 2);
      ctx.add(L, on, ipv6.pmtuMin, c, 2, min, ctx.tree.texts ? `Minimum Reported PMTU: ${min}` : undefined);
      ctx.add(L, on, ipv6.pmtuRtn, c + 2, 2, rtn, ctx.tree.texts ? `Return Minimum PMTU: ${rtn}` : undefined);
      ctx.add(L, on, ipv6.pmtuR, c + 2, 2, (rtn & 1) !== 0, ctx.tree.texts ? `Return Flag: ${rtn & 1 ? 'True' : 'False'}` : undefined);
      break;
    }
    case 0xc2: {
      if (olen !== 4) badLen(ctx, L, lN, `Jumbo Payload: Invalid length (${olen} bytes)`);
      ctx.need(c, 4, end, rend);
      const v = ctx.u32(c);
      const jN = ctx.add(L, on, ipv6.jumbo, c, 4, v, ctx.tree.texts ? `Payload Length: ${v}` : undefined);
      if (W.plen !== 0) ctx.expert(L, jN, ipv6.jumboProhibited, 'error', 'Protocol', 'When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present');
      if (v < 65536) ctx.expert(L, jN, ipv6.jumboTruncated, 'warn', 'Protocol', 'Jumbo Payload option present and jumbo length < 65536');
      break;
    }
    case 0xc9: {
      // Home Address: the packet's real source (RFC 6275); Wireshark reads 16 bytes whatever the length says
      if (olen !== 16) badLen(ctx, L, lN, `Home Address: Invalid length (${olen} bytes)`);
      ctx.need(c, 16, end, rend);
      const hoa = ctx.data.subarray(c, c + 16);
      ctx.add(L, on, ipv6.homeAddress, c, 16, hoa, ctx.tree.texts ? `MIPv6 Home Address: ${ipv6Str(hoa)}` : undefined);
      if (ctx.inError === 0) {
        ctx.netSrc = hoa;
        if (W.cols && ctx.tree.cols) ctx.pkt.colSrc = ipv6Str(hoa);
      }
      return c + 16;
    }
    default:
      otherOption(ctx, L, on, t, c, olen, end, rend);
      break;
  }
  return c + olen;
}

/** CALIPSO (RFC 5570): domain, compartments, sensitivity, checksum, compartment bitmap. */
function calipso(ctx: Ctx, L: Layer, on: FieldNode | null, lN: FieldNode | null, c: number, olen: number, end: number, rend: number): void {
  if (olen < 8 || (olen - 8) % 4 !== 0) badLen(ctx, L, lN, `CALIPSO: Invalid Length (${olen} bytes)`);
  ctx.need(c, 8, end, rend);
  const cmpt = ctx.u8(c + 4);
  ctx.add(L, on, ipv6.calipsoDoi, c, 4, ctx.u32(c), ctx.tree.texts ? `CALIPSO Domain of Interpretation: ${ctx.u32(c)}` : undefined);
  ctx.add(L, on, ipv6.calipsoCmptLen, c + 4, 1, cmpt, ctx.tree.texts ? `Compartment Length: ${cmpt}` : undefined);
  ctx.add(L, on, ipv6.calipsoSens, c + 5, 1, ctx.u8(c + 5), ctx.tree.texts ? `Sensitivity Level: ${ctx.u8(c + 5)}` : undefined);
  ctx.add(L, on, ipv6.calipsoCksum, c + 6, 2, ctx.u16(c + 6), ctx.tree.texts ? `Checksum: 0x${ctx.u16(c + 6).toString(16).padStart(4, '0')}` : undefined);
  if (cmpt > 0) {
    ctx.need(c + 8, cmpt * 4, end, rend);
    const b = ctx.bytes(c + 8, cmpt * 4);
    ctx.add(L, on, ipv6.calipsoBitmap, c + 8, b.length, b, ctx.tree.texts ? `Compartment Bitmap: ${bytesText(b, '<none>')}` : undefined);
  }
}

/** An option without a dissector of its own: unknown (its data shown and noted), experimental (its
 * data shown), or registered (shown by name only). */
function otherOption(ctx: Ctx, L: Layer, on: FieldNode | null, t: number, c: number, olen: number, end: number, rend: number): void {
  if (OPT_TYPE[t] === undefined) {
    if (olen > 0) ctx.need(c, olen, end, rend);
    const b = ctx.bytes(c, olen);
    const uN = ctx.add(L, on, ipv6.unknown, c, olen, b, ctx.tree.texts ? `Unknown Option Payload: ${bytesText(b, '<MISSING>')}` : undefined);
    ctx.expert(L, uN, ipv6.optUnknownData, 'note', 'Undecoded', 'Unknown Data (not interpreted)');
  } else if ((t & 0x1f) === 0x1e) {
    ctx.need(c, olen, end, rend);
    const b = ctx.bytes(c, olen);
    ctx.add(L, on, ipv6.experimental, c, olen, b, ctx.tree.texts ? `Experimental Option: ${bytesText(b, '<none>')}` : undefined);
  }
  // other registered option types are shown by name only
}

/** Routing header; returns where the next header starts. */
function routingHeader(ctx: Ctx, W: Walk, o: number, end: number, rend: number): number {
  const L = W.L;
  ctx.pkt.protocols.push(pRouting.abbrev);
  if (W.cols && ctx.tree.cols) appendInfo(ctx, 'IPv6 routing');
  W.count++;
  ctx.need(o, 4, end, rend);
  const nxt = ctx.u8(o);
  const len = ctx.u8(o + 1);
  const type = ctx.u8(o + 2);
  const segleft = ctx.u8(o + 3);
  const hlen = (len + 1) * 8;
  const typeName = RT_TYPE[type];
  const label = `Routing Header for IPv6 (${typeName ?? `Unknown type ${type}`})`;
  const node = ctx.add(L, null, pRouting, o, clampLen(ctx, o, hlen), label, ctx.tree.texts ? label : undefined);
  lengthFields(ctx, L, node, o, nxt, len, ipv6.rtNxt, ipv6.rtLen, ipv6.rtLenOct, 'Next Header');
  W.nxt = nxt;
  const tN = ctx.add(L, node, ipv6.rtType, o + 2, 1, type, ctx.tree.texts ? `Type: ${typeName ?? 'Unknown'} (${type})` : undefined);
  if (type === 0) ctx.expert(L, tN, ipv6.rtDeprecated, 'note', 'Deprecated', 'Routing header type is deprecated');
  const slN = ctx.add(L, node, ipv6.rtSegleft, o + 3, 1, segleft, ctx.tree.texts ? `Segments Left: ${segleft}` : undefined);
  let finalDst: Uint8Array | null = null;
  if (type === 0) {
    if (len & 1) ctx.expert(L, node, ipv6.rtInvalidLength, 'error', 'Malformed', 'IPv6 Routing Header extension header length must not be odd');
    ctx.need(o + 4, 4, end, rend);
    const res = ctx.bytes(o + 4, 4);
    ctx.add(L, node, ipv6.rtSrcReserved, o + 4, 4, res, ctx.tree.texts ? `Reserved: ${bytesText(res, '<none>')}` : undefined);
    const n = len >> 1;
    if (segleft > n) ctx.expert(L, slN, ipv6.rtInvalidSegleft, 'error', 'Protocol', `IPv6 Type 0 Routing Header segments left field must not exceed address count (${n})`);
    for (let i = 0; i < n; i++) {
      const a = o + 8 + 16 * i;
      ctx.need(a, 16, end, rend);
      const addr = ctx.data.subarray(a, a + 16);
      ctx.add(L, node, ipv6.rtSrcAddr, a, 16, addr, ctx.tree.texts ? `Address[${i + 1}]: ${ipv6Str(addr)}` : undefined);
      finalDst = addr;
    }
  } else if (type === 2) {
    if (len !== 2) ctx.expert(L, node, ipv6.rtInvalidLength, 'error', 'Malformed', 'IPv6 Type 2 Routing Header extension header length must equal 2');
    if (segleft !== 1) ctx.expert(L, slN, ipv6.rtInvalidSegleft, 'error', 'Protocol', 'IPv6 Type 2 Routing Header segments left field must equal 1');
    ctx.need(o + 4, 20, end, rend);
    const res = ctx.bytes(o + 4, 4);
    ctx.add(L, node, ipv6.rtMipReserved, o + 4, 4, res, ctx.tree.texts ? `Reserved: ${bytesText(res, '<none>')}` : undefined);
    const addr = ctx.data.subarray(o + 8, o + 24);
    ctx.add(L, node, ipv6.rtMipHome, o + 8, 16, addr, ctx.tree.texts ? `Home Address: ${ipv6Str(addr)}` : undefined);
    finalDst = addr;
  } else if (type === 4) {
    ctx.need(o + 4, 4, end, rend);
    const last = ctx.u8(o + 4);
    ctx.add(L, node, ipv6.rtSrhLast, o + 4, 1, last, ctx.tree.texts ? `Last Entry: ${last}` : undefined);
    ctx.add(L, node, ipv6.rtSrhFlags, o + 5, 1, ctx.u8(o + 5), ctx.tree.texts ? `Flags: 0x${hex2(ctx.u8(o + 5))}` : undefined);
    const tag = ctx.bytes(o + 6, 2);
    ctx.add(L, node, ipv6.rtSrhTag, o + 6, 2, tag, ctx.tree.texts ? `Tag: ${bytesText(tag, '<none>')}` : undefined);
    const n = len >> 1;
    if (segleft > n) ctx.expert(L, slN, ipv6.rtInvalidSegleft, 'error', 'Protocol', `IPv6 Type 4 Routing Header segments left field must not exceed address count (${n})`);
    for (let i = 0; i < n; i++) {
      const a = o + 8 + 16 * i;
      ctx.need(a, 16, end, rend);
      const addr = ctx.data.subarray(a, a + 16);
      ctx.add(L, node, ipv6.rtSrhAddr, a, 16, addr, ctx.tree.texts ? `Address[${i}]: ${ipv6Str(addr)}` : undefined);
      if (i === 0) finalDst = addr;
    }
  } else if (hlen > 4) {
    ctx.need(o + 4, hlen - 4, end, rend);
    const b = ctx.bytes(o + 4, hlen - 4);
    ctx.add(L, node, ipv6.rtUnknown, o + 4, b.length, b, ctx.tree.texts ? `Type-Specific Data: ${bytesText(b, '<none>')}` : undefined);
  }
  // the packet's final destination: for pseudo-header checksums and the Destination column
  if (finalDst && segleft > 0 && ctx.inError === 0) {
    ctx.netDst = finalDst;
    if (W.cols && ctx.tree.cols) ctx.pkt.colDst = ipv6Str(finalDst);
  }
  W.nxt = nxt;
  return o + hlen;
}

/**
 * Fragment header. Returns null to continue the chain (W.nxt, 8 bytes on) with an atomic or
 * first fragment, or the Next for a fragment (data) or for the reassembled datagram.
 */
function fragmentHeader(ctx: Ctx, W: Walk, o: number, end: number, rend: number): Next | null {
  const F = ctx.tree.full;
  const L = W.L;
  ctx.pkt.protocols.push(pFraghdr.abbrev);
  W.count++;
  ctx.need(o, 8, end, rend);
  const nxt = ctx.u8(o);
  const resv = ctx.u8(o + 1);
  const offlg = ctx.u16(o + 2);
  const ident = ctx.u32(o + 4);
  const fragOff = offlg & 0xfff8;
  const more = (offlg & 1) !== 0;
  const node = ctx.add(L, null, pFraghdr, o, 8, pFraghdr.abbrev, ctx.tree.texts ? pFraghdr.name : undefined);
  ctx.add(L, node, ipv6.fragNxt, o, 1, nxt, ctx.tree.texts ? `Next header: ${nxtName(nxt)} (${nxt})` : undefined);
  ctx.add(L, node, ipv6.fragReservedOctet, o + 1, 1, resv, ctx.tree.texts ? `Reserved octet: 0x${hex2(resv)}` : undefined);
  ctx.add(L, node, ipv6.fragOffset, o + 2, 2, offlg >> 3, ctx.tree.texts ? `${bitPicture(16, 0xfff8, offlg)} = Offset: ${offlg >> 3} (${fragOff} bytes)` : undefined);
  ctx.add(L, node, ipv6.fragReservedBits, o + 2, 2, (offlg >> 1) & 3, ctx.tree.texts ? `${bitPicture(16, 0x0006, offlg)} = Reserved bits: ${(offlg >> 1) & 3}` : undefined);
  ctx.add(L, node, ipv6.fragMore, o + 2, 2, more, ctx.tree.texts ? `${bitPicture(16, 0x0001, offlg)} = More Fragments: ${more ? 'Yes' : 'No'}` : undefined);
  ctx.add(L, node, ipv6.fragIdent, o + 4, 4, ident, ctx.tree.texts ? `Identification: 0x${hex8(ident)}` : undefined);
  W.nxt = nxt;
  // an atomic fragment (offset 0, no more fragments) is the whole datagram
  if (fragOff === 0 && !more) return null;
  const p = o + 8;
  const info = W.cols && ctx.tree.cols;
  if (ctx.inError > 0 || !ctx.state.prefs['ipv6.defragment']) {
    ctx.fragment = true;
    if (fragOff === 0) return null;
    if (info) ctx.pkt.colInfo = `IPv6 fragment (off=${fragOff} more=${more ? 'y' : 'n'} ident=0x${hex8(ident)} nxt=${nxt})`;
    return { dissector: 'data', offset: p, end, rend };
  }
  const r = end >= rend && p <= end
    ? ctx.state.defrag6.add(`${addrKey(W.src)}|${addrKey(W.dst)}|${ident}`, ctx.pkt.rec.num, fragOff, ctx.data.subarray(p, end), more)
    : null;
  if (!r) {
    ctx.fragment = true;
    if (info) ctx.pkt.colInfo = `IPv6 fragment (off=${fragOff} more=${more ? 'y' : 'n'} ident=0x${hex8(ident)} nxt=${nxt})`;
    return { dissector: 'data', offset: p, end, rend };
  }
  const total = r.data.length;
  let fragsN: FieldNode | null = null;
  if (F || ctx.tree.wants(ipv6.fragments)) {
    fragsN = ctx.gen(L, null, ipv6.fragments, null,
      ctx.tree.texts ? `${r.fragments.length} IPv6 Fragments (${total} bytes): ${r.fragments.map((fr) => `#${fr.frame}(${fr.data.length})`).join(', ')}` : undefined);
  }
  for (const fr of r.fragments) {
    const n = ctx.gen(L, fragsN, ipv6.fragment, fr.frame, ctx.tree.texts ? `Frame: ${fr.frame}, payload: ${fr.offset}-${fr.offset + fr.data.length - 1} (${fr.data.length} bytes)` : undefined);
    if (fr.overlap) ctx.gen(L, n, ipv6.fragOverlap, true, 'Fragment overlap: True');
    if (fr.conflict) ctx.gen(L, n, ipv6.fragConflict, true, 'Conflicting data in fragment overlap: True');
    if (fr.tooLong) ctx.gen(L, n, ipv6.fragTooLong, true, 'Fragment too long: True');
  }
  ctx.gen(L, fragsN, ipv6.fragCount, r.fragments.length, ctx.tree.texts ? `Fragment count: ${r.fragments.length}` : undefined);
  ctx.gen(L, fragsN, ipv6.reassembledLength, total, ctx.tree.texts ? `Reassembled IPv6 length: ${total}` : undefined);
  ctx.gen(L, fragsN, ipv6.reassembledData, r.data, ctx.tree.texts ? `Reassembled IPv6 data: ${bytesText(r.data, '<none>')}` : undefined);
  // the reassembled payload may itself start with extension headers (destination options)
  if (nxt === 0 || nxt === 43 || nxt === 44 || nxt === 59 || nxt === 60) {
    ctx.carried = W;
    return { dissector: 'ipv6.ext', offset: 0, end: total, rend: total, data: r.data };
  }
  return { table: 'ip.proto', key: nxt, offset: 0, end: total, rend: total, data: r.data };
}

/** The rest of an extension header chain inside a reassembled datagram (the walk is carried over
 * from the fragment header that completed it). */
function dissectIpv6Ext(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const W = ctx.carried as Walk | null;
  ctx.carried = null;
  if (!W) return { dissector: 'data', offset: o, end, rend };
  return extChain(ctx, W, W.nxt, o, end, rend);
}

register('ipv6', dissectIpv6);
register('ipv6.ext', dissectIpv6Ext);
handoff('ethertype', 0x86dd, 'ipv6');
handoff('ip.proto', 41, 'ipv6');
