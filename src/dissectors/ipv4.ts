/**
 * IPv4 (Wireshark's packet-ip.c, 4.0): header, options, checksum (with ip.check_checksum), TTL
 * expert checks, source-route destination, TSO total length 0, fragments and reassembly.
 *
 * Lengths follow Wireshark's tvbuff rules: a total length that fits the reported bytes shrinks the
 * datagram to it (what follows is Ethernet padding/trailer); a larger one is flagged ("IPv4 total
 * length exceeds packet length") and the datagram keeps the frame's length; a total length of 0 is
 * taken as the reported length (TSO/GSO, BIG TCP); anything else below the header length stops here.
 * Every read goes through ctx.need, so a header cut by the snaplen ends in [Packet size limited
 * during capture] and one cut by its own lengths in [Malformed Packet], with what was read shown.
 */
import { ipv4At } from '../core/addr.js';
import { fold, sum16 } from '../core/checksum.js';
import { field, hiddenGen, protocol, repeating, type FieldDef, type FieldNode, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, lookup, register } from '../dissect/registry.js';
import type { Reassembled } from '../analysis/ipdefrag.js';
import { bitPicture } from '../output/format.js';

const DSCP: Record<number, string> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13', 16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23', 24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding', 48: 'Class Selector 6',
  56: 'Class Selector 7',
};
/** the DSCP names of the "Differentiated Services Field" summary (dscp_short_vals) */
const DSCP_SHORT: Record<number, string> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23', 24: 'CS3',
  26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5', 44: 'VOICE-ADMIT', 46: 'EF PHB',
  48: 'CS6', 56: 'CS7',
};
export const ECN: Record<number, string> = {
  0: 'Not ECN-Capable Transport',
  1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
};
export const ECN_SHORT: Record<number, string> = { 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' };
export { DSCP, DSCP_SHORT };

/** Wireshark 4.0's ipproto_val (ip.proto names, also ipprotostr() for the Info column), 0..143;
 * 144..223 are "Unassigned", 173 and 224 named, the rest "Unknown". */
const PROTO_NAMES = [
  'IPv6 Hop-by-Hop Option', 'ICMP', 'IGMP', 'GGP', 'IPIP', 'Stream', 'TCP', 'CBT', 'EGP', 'IGRP', 'BBN RCC',
  'Network Voice', 'PUP', 'ARGUS', 'EMCON', 'XNET', 'CHAOS', 'UDP', 'Multiplex', 'DCN Measurement',
  'Host Monitoring', 'Packet radio', 'IDP', 'Trunk-1', 'Trunk-2', 'Leaf-1', 'Leaf-2', 'Reliable Data', 'IRT',
  'ISO TP4', 'Bulk Data', 'MFE NSP', 'Merit Internodal', 'Datagram Congestion Control Protocol', '3rd Party Connect',
  'Inter-Domain Policy Routing Protocol', 'XTP', 'Datagram delivery', 'Control Message', 'TP++', 'IL', 'IPv6',
  'Source demand routing', 'Routing Header for IPv6', 'Fragment Header for IPv6', 'Inter-Domain Routing Protocol',
  'Reservation Protocol', 'Generic Routing Encapsulation', 'Dynamic source routing', 'BNA', 'Encap Security Payload',
  'Authentication Header', 'INSLP', 'SWIPE', 'NBMA ARP', 'IP Mobility', 'TLSP Kryptonet', 'SKIP', 'ICMPv6',
  'No Next Header for IPv6', 'Destination Options for IPv6', 'any host internal protocol', 'Mobile IPv6 (old)',
  'any local network', 'SATNET EXPAK', 'Kryptolan', 'Remote Virtual Disk', 'IPPC', 'any distributed file system',
  'SATNET Monitoring', 'VISA', 'IPCV', 'CPNX', 'CPHB', 'Wang Span', 'Packet Video', 'Backroom SATNET Mon',
  'Sun ND Protocol', 'Wideband Mon', 'Wideband Expak', 'ISO Internet Protocol', 'VMTP', 'Secure VMTP', 'VINES', 'TTP',
  'NSFNET IGP', 'Dissimilar Gateway', 'TCF', 'EIGRP', 'OSPF IGP', 'Sprite RPC', 'Locus ARP', 'Multicast Transport',
  'AX.25 Frames', 'IP in IP', 'MICP', 'Semaphore', 'Ether in IP', 'ENCAP', 'any private encryption scheme', 'GMTP',
  'Ipsilon Flow', 'PNNI over IP', 'PIM', 'ARIS', 'SCPS', 'QNX', 'Active Networks', 'IPComp', 'Sitara Networks',
  'Compaq Peer', 'IPX IN IP', 'VRRP', 'PGM', 'any 0-hop protocol', 'Layer 2 Tunneling', 'DDX', 'IATP', 'STP',
  'SpectraLink', 'UTI', 'SMP', 'SM', 'PTP', 'ISIS over IP', 'FIRE', 'CRTP', 'CRUDP', 'SSCOPMCE', 'IPLT', 'Secure Packet',
  'PIPE', 'SCTP', 'Fibre Channel', 'RSVP E2EI', 'Mobile IPv6', 'UDPLite', 'MPLS in IP', 'MANET', 'HIP', 'Shim6 header',
  'WESP', 'ROHC', 'Ethernet',
];

/** Wireshark's ipprotostr(): the protocol name for a number. */
export function ipProtoName(p: number): string {
  if (p < PROTO_NAMES.length) return PROTO_NAMES[p]!;
  if (p === 173) return 'AX/4000 Testframe';
  if (p === 224) return 'Novell NCS Heartbeat';
  if (p < 224) return 'Unassigned';
  return 'Unknown';
}

const PROTO_VALS: Record<number, string> = {};
for (let i = 0; i <= 224; i++) PROTO_VALS[i] = ipProtoName(i);

/** ip.opt.type.number names (ipopt_type_number_vals) */
const OPT_NUMBER: Record<number, string> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
  5: 'Extended security', 6: 'Commercial IP security option', 7: 'Record route', 8: 'Stream identifier',
  9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU probe', 12: 'MTU Reply',
  13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'Ask Estrin', 16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension', 20: 'Router Alert',
  21: 'Selective Directed Broadcast', 22: 'Unassigned', 23: 'Dynamic Packet State', 24: 'Upstream Multicast Packet',
  25: 'Quick-Start', 30: 'RFC 3692-style experiment',
};
const OPT_CLASS: Record<number, string> = { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' };
const TS_FLAG: Record<number, string> = { 0: 'Time stamps only', 1: 'Time stamp and address', 3: 'Time stamps for prespecified addresses' };
const SEC_RFC791: Record<number, string> = {
  0x0000: 'Unclassified', 0xf135: 'Confidential', 0x789a: 'EFTO', 0xbc4d: 'MMMM', 0x5e26: 'PROG', 0xaf13: 'Restricted',
  0xd788: 'Secret', 0x6bc5: 'Top secret', 0x35e2: 'Reserved', 0x9af1: 'Reserved', 0x4d78: 'Reserved', 0x24bd: 'Reserved',
  0x135e: 'Reserved', 0x89af: 'Reserved', 0xc4d6: 'Reserved', 0xe26b: 'Reserved',
};
const SEC_CL: Record<number, string> = {
  0x01: 'Reserved 4', 0x3d: 'Top secret', 0x5a: 'Secret', 0x96: 'Confidential', 0x66: 'Reserved 3', 0xcc: 'Reserved 2',
  0xab: 'Unclassified', 0xf1: 'Reserved 1',
};
const QS_RATE = ['0 bit/s', '80 Kbit/s', '160 Kbit/s', '320 Kbit/s', '640 Kbit/s', '1.28 Mbit/s', '2.56 Mbit/s', '5.12 Mbit/s',
  '10.24 Mbit/s', '20.48 Mbit/s', '40.96 Mbit/s', '81.92 Mbit/s', '163.84 Mbit/s', '327.68 Mbit/s', '655.36 Mbit/s', '1.31072 Gbit/s'];
const CIPSO_TAG: Record<number, string> = {
  0: 'Padding', 1: 'Restrictive Category Bitmap', 2: 'Enumerated Categories', 5: 'Ranged Categories',
  6: 'Permissive Categories', 7: 'Free Form',
};
const TF_SET: readonly [string, string] = ['Set', 'Not set'];
const TF_PROT: readonly [string, string] = ['Datagram protected in accordance with its rules', 'Datagram not protected in accordance with its rules'];

export const pIp = protocol('ip', 'Internet Protocol Version 4', { repeats: true, short: 'IPv4', analysis: false }) // IP in IP;
/** Wireshark's text-only tree items ("Options: (4 bytes)") */
const fText = field('text', 'Text item', 'none');

export const ip = {
  version: field('ip.version', 'Version', 'uint', { bits: 8 }),
  hdrLen: field('ip.hdr_len', 'Header Length', 'uint', { bits: 8 }),
  dsfield: field('ip.dsfield', 'Differentiated Services Field', 'uint', { base: 'hex', bits: 8 }),
  dscp: field('ip.dsfield.dscp', 'Differentiated Services Codepoint', 'uint', { bits: 8, bitmask: 0xfc, vals: DSCP }),
  ecn: field('ip.dsfield.ecn', 'Explicit Congestion Notification', 'uint', { bits: 8, bitmask: 0x03, vals: ECN }),
  len: field('ip.len', 'Total Length', 'uint', { bits: 16 }),
  id: field('ip.id', 'Identification', 'uint', { base: 'hex_dec', bits: 16 }),
  flags: field('ip.flags', 'Flags', 'uint', { base: 'hex', bits: 8, bitmask: 0xe0 }),
  rb: field('ip.flags.rb', 'Reserved bit', 'bool', { bits: 8, bitmask: 0x80, tf: TF_SET }),
  df: field('ip.flags.df', "Don't fragment", 'bool', { bits: 8, bitmask: 0x40, tf: TF_SET }),
  mf: field('ip.flags.mf', 'More fragments', 'bool', { bits: 8, bitmask: 0x20, tf: TF_SET }),
  fragOffset: field('ip.frag_offset', 'Fragment Offset', 'uint', { bits: 16, bitmask: 0x1fff }),
  ttl: field('ip.ttl', 'Time to Live', 'uint', { bits: 8 }),
  proto: field('ip.proto', 'Protocol', 'uint', { bits: 8, vals: PROTO_VALS }),
  checksum: field('ip.checksum', 'Header Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumCalc: field('ip.checksum_calculated', 'Calculated Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumStatus: field('ip.checksum.status', 'Header checksum status', 'uint', { bits: 8, vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' } }),
  checksumBad: field('ip.checksum_bad.expert', 'Bad checksum', 'none'),
  src: field('ip.src', 'Source Address', 'ipv4'),
  dst: field('ip.dst', 'Destination Address', 'ipv4'),
  addr: field('ip.addr', 'Source or Destination Address', 'ipv4'),
  srcHost: field('ip.src_host', 'Source Host', 'string'),
  dstHost: field('ip.dst_host', 'Destination Host', 'string'),
  host: field('ip.host', 'Source or Destination Host', 'string'),
  curRt: field('ip.cur_rt', 'Current Route', 'ipv4'),
  curRtHost: field('ip.cur_rt_host', 'Current Route Host', 'string'),
  // options
  optType: field('ip.opt.type', 'Type', 'uint', { bits: 8 }),
  optCopy: field('ip.opt.type.copy', 'Copy on fragmentation', 'bool', { bits: 8, bitmask: 0x80, tf: ['Yes', 'No'] }),
  optClass: field('ip.opt.type.class', 'Class', 'uint', { bits: 8, bitmask: 0x60, vals: OPT_CLASS }),
  optNumber: field('ip.opt.type.number', 'Number', 'uint', { bits: 8, bitmask: 0x1f, vals: OPT_NUMBER }),
  optLen: field('ip.opt.len', 'Length', 'uint', { bits: 8 }),
  optPtr: field('ip.opt.ptr', 'Pointer', 'uint', { bits: 8 }),
  optSid: field('ip.opt.sid', 'Stream Identifier', 'uint', { bits: 16 }),
  optMtu: field('ip.opt.mtu', 'MTU', 'uint', { bits: 16 }),
  optIdNumber: field('ip.opt.id_number', 'ID Number', 'uint', { bits: 16 }),
  optOhc: field('ip.opt.ohc', 'Outbound Hop Count', 'uint', { bits: 16 }),
  optRhc: field('ip.opt.rhc', 'Return Hop Count', 'uint', { bits: 16 }),
  optOriginator: field('ip.opt.originator', 'Originator IP Address', 'ipv4'),
  optRa: field('ip.opt.ra', 'Router Alert', 'uint', { bits: 16 }),
  optAddr: field('ip.opt.addr', 'IP Address', 'ipv4'),
  optPadding: field('ip.opt.padding', 'Padding', 'bytes'),
  qsFunc: field('ip.opt.qs_func', 'Function', 'uint', { bits: 8, bitmask: 0xf0, vals: { 0: 'Rate request', 8: 'Rate report' } }),
  qsRate: field('ip.opt.qs_rate', 'Rate', 'uint', { bits: 8, bitmask: 0x0f }),
  qsTtl: field('ip.opt.qs_ttl', 'QS TTL', 'uint', { bits: 8 }),
  qsTtlDiff: field('ip.opt.qs_ttl_diff', 'TTL Diff', 'uint', { bits: 8 }),
  qsUnused: field('ip.opt.qs_unused', 'Not Used', 'uint', { bits: 8 }),
  qsNonce: field('ip.opt.qs_nonce', 'QS Nonce', 'uint', { base: 'hex', bits: 32, bitmask: 0xfffffffc }),
  qsReserved: field('ip.opt.qs_reserved', 'Reserved', 'uint', { base: 'hex', bits: 32, bitmask: 0x3 }),
  secRfc791Sec: field('ip.opt.sec_rfc791_sec', 'Security', 'uint', { base: 'hex', bits: 16, vals: SEC_RFC791 }),
  secRfc791Comp: field('ip.opt.sec_rfc791_comp', 'Compartments', 'uint', { bits: 16 }),
  secRfc791Hr: field('ip.opt.sec_rfc791_hr', 'Handling Restrictions', 'string'),
  secRfc791Tcc: field('ip.opt.sec_rfc791_tcc', 'Transmission Control Code', 'string'),
  secCl: field('ip.opt.sec_cl', 'Classification Level', 'uint', { base: 'hex', bits: 8, vals: SEC_CL }),
  secFlags: field('ip.opt.sec_prot_auth_flags', 'Protection Authority Flags', 'uint', { base: 'hex', bits: 8 }),
  secGenser: field('ip.opt.sec_prot_auth_genser', 'GENSER', 'bool', { bits: 8, bitmask: 0x80, tf: TF_PROT }),
  secSiop: field('ip.opt.sec_prot_auth_siop_esi', 'SIOP-ESI', 'bool', { bits: 8, bitmask: 0x40, tf: TF_PROT }),
  secSci: field('ip.opt.sec_prot_auth_sci', 'SCI', 'bool', { bits: 8, bitmask: 0x20, tf: TF_PROT }),
  secNsa: field('ip.opt.sec_prot_auth_nsa', 'NSA', 'bool', { bits: 8, bitmask: 0x10, tf: TF_PROT }),
  secDoe: field('ip.opt.sec_prot_auth_doe', 'DOE', 'bool', { bits: 8, bitmask: 0x08, tf: TF_PROT }),
  secUnassigned: field('ip.opt.sec_prot_auth_unassigned', 'Unassigned', 'uint', { base: 'hex', bits: 8, bitmask: 0x06 }),
  secFti: field('ip.opt.sec_prot_auth_fti', 'Field Termination Indicator', 'bool', { bits: 8, bitmask: 0x01, tf: ['Additional octet present', 'Final octet'] }),
  extSecFormat: field('ip.opt.ext_sec_add_sec_info_format_code', 'Additional Security Info Format Code', 'uint', { base: 'hex', bits: 8 }),
  extSecInfo: field('ip.opt.ext_sec_add_sec_info', 'Additional Security Info', 'bytes'),
  recRt: field('ip.rec_rt', 'Recorded Route', 'ipv4'),
  recRtHost: field('ip.rec_rt_host', 'Recorded Route Host', 'string'),
  srcRt: field('ip.src_rt', 'Source Route', 'ipv4'),
  srcRtHost: field('ip.src_rt_host', 'Source Route Host', 'string'),
  emptyRt: field('ip.empty_rt', 'Empty Route', 'ipv4'),
  emptyRtHost: field('ip.empty_rt_host', 'Empty Route Host', 'string'),
  cipsoTagType: field('ip.cipso.tag_type', 'Tag Type', 'uint', { bits: 8, vals: CIPSO_TAG }),
  cipsoDoi: field('ip.cipso.doi', 'DOI', 'uint'),
  cipsoLevel: field('ip.cipso.sensitivity_level', 'Sensitivity Level', 'uint', { bits: 8 }),
  cipsoCategories: field('ip.cipso.categories', 'Categories', 'string'),
  cipsoTagData: field('ip.cipso.tag_data', 'Tag data', 'bytes'),
  optOverflow: field('ip.opt.overflow', 'Overflow', 'uint', { bits: 8, bitmask: 0xf0 }),
  optFlag: field('ip.opt.flag', 'Flag', 'uint', { base: 'hex', bits: 8, bitmask: 0x0f, vals: TS_FLAG }),
  optTimeStamp: field('ip.opt.time_stamp', 'Time stamp', 'uint'),
  optTimeStampAddr: field('ip.opt.time_stamp_addr', 'Address', 'ipv4'),
  // fragments and reassembly
  fragments: field('ip.fragments', 'IPv4 Fragments', 'bytes'),
  fragment: field('ip.fragment', 'IPv4 Fragment', 'framenum'),
  fragOverlap: field('ip.fragment.overlap', 'Fragment overlap', 'bool'),
  fragConflict: field('ip.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool'),
  fragMultipleTails: field('ip.fragment.multipletails', 'Multiple tail fragments found', 'bool'),
  fragTooLong: field('ip.fragment.toolongfragment', 'Fragment too long', 'bool'),
  fragError: field('ip.fragment.error', 'Defragmentation error', 'framenum'),
  fragCount: field('ip.fragment.count', 'Fragment count', 'uint'),
  reassembledIn: field('ip.reassembled_in', 'Reassembled IPv4 in frame', 'framenum'),
  reassembledLength: field('ip.reassembled.length', 'Reassembled IPv4 length', 'uint'),
  reassembledData: field('ip.reassembled.data', 'Reassembled IPv4 data', 'bytes'),
  // expert items
  optBadLen: field('ip.opt.len.invalid', 'Invalid length for option', 'none'),
  optPtrBefore: field('ip.opt.ptr.before_address', 'Pointer points before first address', 'none'),
  optPtrMiddle: field('ip.opt.ptr.middle_address', 'Pointer points to middle of address', 'none'),
  suboptTooLong: field('ip.subopt_too_long', 'Suboption would go past end of option', 'none'),
  nop: field('ip.nop', '4 NOP in a row - a router may have removed some options', 'none'),
  badLen: field('ip.bogus_ip_length', 'Bogus IP length', 'none'),
  ttlLncb: field('ip.ttl.lncb', 'Time To Live', 'none'),
  ttlZero: field('ip.ttl.too_small', 'Time To Live', 'none'),
  cipsoMalformed: field('ip.cipso.malformed', 'Malformed CIPSO tag', 'none'),
  badVersion: field('ip.bogus_ip_version', 'Bogus IP version', 'none'),
  badHdrLen: field('ip.bogus_header_length', 'Bogus IP header length', 'none'),
};

/** the option "protocols" (Wireshark registers each IP option as a protocol in name only) */
const OPT_PROTO = {
  eol: protocol('ip.options.eol', 'IP Option - End of Options List (EOL)'),
  nop: protocol('ip.options.nop', 'IP Option - No-Operation (NOP)', { short: 'No Operation (NOP)' }),
  security: protocol('ip.options.security', 'IP Option - Security'),
  route: protocol('ip.options.route', 'IP Option - Loose Source Route'),
  timestamp: protocol('ip.options.timestamp', 'IP Option - Time Stamp'),
  extSecurity: protocol('ip.options.ext_security', 'IP Option - Extended Security'),
  cipso: protocol('ip.options.cipso', 'IP Option - Commercial Security'),
  recordRoute: protocol('ip.options.record_route', 'IP Option - Record Route'),
  sid: protocol('ip.options.sid', 'IP Option - Stream ID'),
  sourceRoute: protocol('ip.options.source_route', 'IP Option - Strict Source Route'),
  mtuProbe: protocol('ip.options.mtu_probe', 'IP Option - MTU Probe'),
  mtuReply: protocol('ip.options.mtu_reply', 'IP Option - MTU Reply'),
  traceroute: protocol('ip.options.traceroute', 'IP Option - Traceroute'),
  routerAlert: protocol('ip.options.routeralert', 'IP Option - Router Alert'),
  sdb: protocol('ip.options.sdb', 'IP Option - Selective Directed Broadcast'),
  qs: protocol('ip.options.qs', 'IP Option - Quick-Start'),
};

// More than once in one header: the source and destination's (ip.addr, ip.host); everything of an
// option (a header may carry several options, and a route option several addresses); each
// fragment of a reassembled datagram.
repeating([ip.addr, ip.host, ...Object.values(OPT_PROTO)]);
repeating(Object.values(ip).filter((d) => /^ip\.(opt|cipso|rec_rt|src_rt|empty_rt|cur_rt)[._]|^ip\.(rec_rt|src_rt|empty_rt|cur_rt)$/.test(d.abbrev)));
repeating([ip.fragment, ip.fragOverlap, ip.fragConflict, ip.fragMultipleTails, ip.fragTooLong, ip.fragError]);

/** option type → [protocol item, short name] for the options Wireshark dissects */
const OPT_DISSECTED: Record<number, [FieldDef, string]> = {
  0x82: [OPT_PROTO.security, 'Security'],
  0x83: [OPT_PROTO.route, 'Loose Source Route'],
  0x44: [OPT_PROTO.timestamp, 'Time Stamp'],
  0x85: [OPT_PROTO.extSecurity, 'Extended Security'],
  0x86: [OPT_PROTO.cipso, 'Commercial Security'],
  0x07: [OPT_PROTO.recordRoute, 'Record Route'],
  0x88: [OPT_PROTO.sid, 'Stream ID'],
  0x89: [OPT_PROTO.sourceRoute, 'Strict Source Route'],
  0x0b: [OPT_PROTO.mtuProbe, 'MTU Probe'],
  0x0c: [OPT_PROTO.mtuReply, 'MTU Reply'],
  0x52: [OPT_PROTO.traceroute, 'Traceroute'],
  0x94: [OPT_PROTO.routerAlert, 'Router Alert'],
  0x95: [OPT_PROTO.sdb, 'Selective Directed Broadcast'],
  0x19: [OPT_PROTO.qs, 'Quick-Start'],
};

function onOff(b: boolean): string {
  return b ? 'Set' : 'Not set';
}

export function bitText(bits: number, mask: number, raw: number, label: string, value: string): string {
  return `${bitPicture(bits, mask, raw)} = ${label}: ${value}`;
}

function hex(v: number, digits: number): string {
  return v.toString(16).padStart(digits, '0');
}

/** Add an expert item as its own tree line (proto_tree_add_expert): the text, then the expert under it. */
function expertItem(ctx: Ctx, L: Layer, parent: FieldNode | null, def: FieldDef, severity: 'note' | 'warn' | 'error', group: string, message: string, o: number, n: number): void {
  const t = ctx.tree.full ? ctx.add(L, parent, fText, o, n, null, message) : null;
  ctx.expert(L, t ?? parent, def, severity, group, message);
}

/** "Type: 68" with the copy/class/number bits under it */
function optTypeTree(ctx: Ctx, L: Layer, parent: FieldNode | null, o: number, t: number): void {
  const n = ctx.add(L, parent, ip.optType, o, 1, t, ctx.tree.texts ? `Type: ${t}` : undefined);
  ctx.add(L, n, ip.optCopy, o, 1, (t & 0x80) !== 0, ctx.tree.texts ? bitText(8, 0x80, t, 'Copy on fragmentation', t & 0x80 ? 'Yes' : 'No') : undefined);
  ctx.add(L, n, ip.optClass, o, 1, (t >> 5) & 3, ctx.tree.texts ? bitText(8, 0x60, t, 'Class', `${OPT_CLASS[(t >> 5) & 3]} (${(t >> 5) & 3})`) : undefined);
  ctx.add(L, n, ip.optNumber, o, 1, t & 0x1f, ctx.tree.texts ? bitText(8, 0x1f, t, 'Number', `${OPT_NUMBER[t & 0x1f] ?? 'Unknown'} (${t & 0x1f})`) : undefined);
}

/** State of one option dissection: the option occupies [o, o+optlen) (reported), captured to cEnd. */
interface Opt {
  o: number;
  len: number;
  cEnd: number;
  node: FieldNode | null;
}

function optNeed(ctx: Ctx, opt: Opt, off: number, n: number): void {
  ctx.need(off, n, Math.min(opt.cEnd, opt.o + opt.len), opt.o + opt.len);
}

/** ip_fixed_option_header / ip_var_option_header: the option item, its type tree and length. */
function optHeader(ctx: Ctx, L: Layer, top: FieldNode | null, def: FieldDef, opt: Opt, shownLen: number, fixed: number): FieldNode | null {
  optNeed(ctx, opt, opt.o, 2);
  const node = ctx.add(L, top, def, opt.o, opt.len, ctx.bytes(opt.o, Math.max(0, Math.min(opt.len, opt.cEnd - opt.o))), ctx.tree.texts ? `${def.name} (${shownLen} bytes)` : undefined);
  opt.node = node;
  optTypeTree(ctx, L, node, opt.o, ctx.u8(opt.o));
  const lenN = ctx.add(L, node, ip.optLen, opt.o + 1, 1, opt.len, ctx.tree.texts ? `Length: ${opt.len}` : undefined);
  if (fixed > 0 && fixed !== opt.len) {
    const short = def.name.slice('IP Option - '.length);
    ctx.expert(L, lenN, ip.optBadLen, 'warn', 'Protocol', `${short} (with option length = ${opt.len} byte${opt.len === 1 ? '' : 's'}; should be ${fixed})`);
  } else if (fixed === 0 && opt.len > 40) {
    ctx.expert(L, lenN, ip.optBadLen, 'warn', 'Protocol', 'Invalid length for option');
  }
  return node;
}

function routeEntry(ctx: Ctx, L: Layer, parent: FieldNode | null, a: number, def: FieldDef, hostDef: FieldDef, next: boolean): void {
  const s = ipv4At(ctx.data, a);
  const label = def === ip.recRt ? 'Recorded Route' : def === ip.srcRt ? 'Source Route' : 'Empty Route';
  ctx.add(L, parent, def, a, 4, ctx.u32(a), ctx.tree.texts ? `${label}: ${s}${next ? ' <- (next)' : ''}` : undefined);
  const h = ctx.tree.hidden(L, hostDef, a, 4, s);
  if (h) h.generated = true;
}

/** Loose/strict source route and record route (dissect_ipopt_route / dissect_ipopt_record_route). */
function optRoute(ctx: Ctx, L: Layer, opt: Opt, record: boolean): void {
  const node = opt.node;
  optNeed(ctx, opt, opt.o + 2, 1);
  const ptr = ctx.u8(opt.o + 2);
  const ptrN = ctx.add(L, node, ip.optPtr, opt.o + 2, 1, ptr, ctx.tree.texts ? `Pointer: ${ptr}` : undefined);
  if (ptr < 4 || ptr & 3) {
    if (ptr < 4) ctx.expert(L, ptrN, ip.optPtrBefore, 'warn', 'Protocol', 'Pointer points before first address');
    else ctx.expert(L, ptrN, ip.optPtrMiddle, 'warn', 'Protocol', 'Pointer points to middle of address');
    return;
  }
  const len = opt.len;
  let rem = len - 3;
  for (let oo = 3; rem > 0; rem -= 4, oo += 4) {
    if (rem < 4) {
      ctx.expert(L, ptrN, ip.suboptTooLong, 'warn', 'Protocol', 'Suboption would go past end of option');
      break;
    }
    const a = opt.o + oo;
    optNeed(ctx, opt, a, 4);
    if (record) {
      if (ptr > len || oo + 1 < ptr) routeEntry(ctx, L, node, a, ip.recRt, ip.recRtHost, false);
      else routeEntry(ctx, L, node, a, ip.emptyRt, ip.emptyRtHost, oo + 1 === ptr);
      continue;
    }
    if (ptr > len) routeEntry(ctx, L, node, a, ip.recRt, ip.recRtHost, false);
    else if (oo === len - 4) {
      // the final destination
      const s = ipv4At(ctx.data, a);
      ctx.add(L, node, ip.dst, a, 4, ctx.u32(a), ctx.tree.texts ? `Destination Address: ${s}` : undefined);
      ctx.tree.hidden(L, ip.addr, a, 4, ctx.u32(a));
      for (const d of [ip.dstHost, ip.host]) {
        const h = ctx.tree.hidden(L, d, a, 4, s);
        if (h) h.generated = true;
      }
    } else if (oo + 1 < ptr) routeEntry(ctx, L, node, a, ip.recRt, ip.recRtHost, false);
    else routeEntry(ctx, L, node, a, ip.srcRt, ip.srcRtHost, oo + 1 === ptr);
  }
}

function optTimestamp(ctx: Ctx, L: Layer, opt: Opt): void {
  const node = opt.node;
  optNeed(ctx, opt, opt.o + 2, 1);
  const ptr = ctx.u8(opt.o + 2);
  ctx.add(L, node, ip.optPtr, opt.o + 2, 1, ptr,
    ctx.tree.texts ? `Pointer: ${ptr}${ptr === 1 ? ' (header is full)' : ptr < 5 ? ' (points before first address)' : (ptr - 1) & 3 ? ' (points to middle of field)' : ''}` : undefined);
  optNeed(ctx, opt, opt.o + 3, 1);
  const fb = ctx.u8(opt.o + 3);
  ctx.add(L, node, ip.optOverflow, opt.o + 3, 1, fb >> 4, ctx.tree.texts ? bitText(8, 0xf0, fb, 'Overflow', String(fb >> 4)) : undefined);
  const flg = fb & 0xf;
  ctx.add(L, node, ip.optFlag, opt.o + 3, 1, flg, ctx.tree.texts ? bitText(8, 0x0f, fb, 'Flag', `${TS_FLAG[flg] ?? 'Unknown'} (0x${flg.toString(16)})`) : undefined);
  let off = opt.o + 4;
  let rem = opt.len - 4;
  while (rem > 0) {
    if (flg === 1 || flg === 3) {
      if (rem < 8) {
        expertItem(ctx, L, node, ip.suboptTooLong, 'warn', 'Protocol', 'Suboption would go past end of option', off, rem);
        break;
      }
      optNeed(ctx, opt, off, 4);
      const addr = ctx.u32(off);
      ctx.add(L, node, ip.optTimeStampAddr, off, 4, addr, ctx.tree.texts ? `Address: ${addr === 0 ? '-' : ipv4At(ctx.data, off)}` : undefined);
      off += 4;
      rem -= 4;
    } else if (rem < 4) {
      expertItem(ctx, L, node, ip.suboptTooLong, 'warn', 'Protocol', 'Suboption would go past end of option', off, rem);
      break;
    }
    optNeed(ctx, opt, off, 4);
    ctx.add(L, node, ip.optTimeStamp, off, 4, ctx.u32(off), ctx.tree.texts ? `Time stamp: ${ctx.u32(off)}` : undefined);
    off += 4;
    rem -= 4;
  }
}

function optSecurity(ctx: Ctx, L: Layer, opt: Opt): void {
  const node = opt.node;
  let off = opt.o + 2;
  const end = opt.o + opt.len;
  if (opt.len === 11) {
    optNeed(ctx, opt, off, 2);
    const v = ctx.u16(off);
    if (SEC_RFC791[v] !== undefined) {
      ctx.add(L, node, ip.secRfc791Sec, off, 2, v, ctx.tree.texts ? `Security: ${SEC_RFC791[v]} (0x${hex(v, 4)})` : undefined);
      optNeed(ctx, opt, off + 2, 2);
      ctx.add(L, node, ip.secRfc791Comp, off + 2, 2, ctx.u16(off + 2), ctx.tree.texts ? `Compartments: ${ctx.u16(off + 2)}` : undefined);
      optNeed(ctx, opt, off + 4, 5);
      const hr = String.fromCharCode(ctx.u8(off + 4), ctx.u8(off + 5));
      ctx.add(L, node, ip.secRfc791Hr, off + 4, 2, hr, ctx.tree.texts ? `Handling Restrictions: ${hr}` : undefined);
      const tcc = String.fromCharCode(ctx.u8(off + 6), ctx.u8(off + 7), ctx.u8(off + 8));
      ctx.add(L, node, ip.secRfc791Tcc, off + 6, 3, tcc, ctx.tree.texts ? `Transmission Control Code: ${tcc}` : undefined);
      return;
    }
  }
  optNeed(ctx, opt, off, 1);
  const cl = ctx.u8(off);
  ctx.add(L, node, ip.secCl, off, 1, cl, ctx.tree.texts ? `Classification Level: ${SEC_CL[cl] ?? 'Unknown'} (0x${hex(cl, 2)})` : undefined);
  off++;
  if (off >= end) return;
  let val = 0;
  let first = true;
  do {
    if (!first && off === end) {
      ctx.expert(L, node, ip.optBadLen, 'warn', 'Protocol', 'Field Termination Indicator set to 1 for last byte of option');
      break;
    }
    optNeed(ctx, opt, off, 1);
    val = ctx.u8(off);
    const fl = ctx.add(L, node, ip.secFlags, off, 1, val, ctx.tree.texts ? `Protection Authority Flags: 0x${hex(val, 2)}` : undefined);
    if (first) {
      for (const d of [ip.secGenser, ip.secSiop, ip.secSci, ip.secNsa, ip.secDoe]) {
        const b = (val & d.bitmask) !== 0;
        ctx.add(L, fl, d, off, 1, b, ctx.tree.texts ? bitText(8, d.bitmask, val, d.name, b ? TF_PROT[0] : TF_PROT[1]) : undefined);
      }
      ctx.add(L, fl, ip.secUnassigned, off, 1, (val >> 1) & 3, ctx.tree.texts ? bitText(8, 0x06, val, 'Unassigned', `0x${(val >> 1) & 3}`) : undefined);
    } else {
      ctx.add(L, fl, ip.secUnassigned, off, 1, val >> 1, ctx.tree.texts ? bitText(8, 0xfe, val, 'Unassigned', `0x${hex(val >> 1, 2)}`) : undefined);
    }
    ctx.add(L, fl, ip.secFti, off, 1, (val & 1) !== 0, ctx.tree.texts ? bitText(8, 0x01, val, 'Field Termination Indicator', val & 1 ? 'Additional octet present' : 'Final octet') : undefined);
    off++;
    first = false;
  } while (val & 1);
  if (off < end) ctx.expert(L, node, ip.optBadLen, 'warn', 'Protocol', 'Extraneous data in option');
}

function optCipso(ctx: Ctx, L: Layer, opt: Opt): void {
  const F = ctx.tree.full;
  const node = opt.node;
  const max = opt.o + opt.len;
  let off = opt.o + 2;
  optNeed(ctx, opt, off, 4);
  ctx.add(L, node, ip.cipsoDoi, off, 4, ctx.u32(off), ctx.tree.texts ? `DOI: ${ctx.u32(off)}` : undefined);
  off += 4;
  while (off < max) {
    optNeed(ctx, opt, off, 1);
    const tag = ctx.u8(off);
    const tagN = ctx.add(L, node, ip.cipsoTagType, off, 1, tag, ctx.tree.texts ? `Tag Type: ${CIPSO_TAG[tag] ?? 'Unknown'} (${tag})` : undefined);
    let tlen = 1;
    if (off + 1 < max) {
      optNeed(ctx, opt, off + 1, 1);
      tlen = ctx.u8(off + 1);
    }
    if (tag === 0) {
      off++;
      continue;
    }
    const bad = (min: number): boolean => tlen < min || tlen > 34 || off + tlen - 1 > max;
    if (tag === 1 || tag === 2 || tag === 5) {
      if (bad(4)) {
        ctx.expert(L, tagN, ip.cipsoMalformed, 'error', 'Sequence', 'Malformed CIPSO tag');
        return;
      }
      off += 3;
      optNeed(ctx, opt, off, 1);
      ctx.add(L, node, ip.cipsoLevel, off, 1, ctx.u8(off), ctx.tree.texts ? `Sensitivity Level: ${ctx.u8(off)}` : undefined);
      off++;
      if (tlen > 4) {
        const n = tlen - 4;
        optNeed(ctx, opt, off, n);
        const cats: string[] = [];
        if (tag === 1) {
          for (let i = 0; i < n; i++) for (let b = 0; b < 8; b++) if (ctx.u8(off + i) & (0x80 >> b)) cats.push(String(i * 8 + b));
        } else if (tag === 2) {
          for (let i = 0; i + 2 <= n; i += 2) cats.push(String(ctx.u16(off + i)));
        } else {
          for (let i = 0; i + 2 <= n; ) {
            const hi = ctx.u16(off + i);
            let lo = 0;
            if (i + 4 <= n) {
              lo = ctx.u16(off + i + 2);
              i += 4;
            } else i += 2;
            cats.push(lo !== hi ? `${hi}-${lo}` : String(hi));
          }
        }
        const s = cats.join(',');
        ctx.add(L, node, ip.cipsoCategories, off, n, s, ctx.tree.texts ? `Categories: ${s}` : undefined);
        off += n;
      }
      continue;
    }
    if (tag === 6 || tag === 7) {
      if (bad(tag === 6 ? 4 : 2)) {
        ctx.expert(L, tagN, ip.cipsoMalformed, 'error', 'Sequence', 'Malformed CIPSO tag');
        return;
      }
      optNeed(ctx, opt, off + 2, tlen - 2);
      const b = ctx.bytes(off + 2, tlen - 2);
      ctx.add(L, node, ip.cipsoTagData, off + 2, tlen - 2, b, ctx.tree.texts ? `Tag data: ${Buffer.from(b).toString('hex')}` : undefined);
      off += tlen;
      continue;
    }
    // unknown tag: stop
    if (tagN && F && off + 1 <= max) tagN.text += ` (${tlen} bytes)`;
    return;
  }
}

/** One option with a length byte, handed to its dissector (or shown as unknown). */
function dissectOneOption(ctx: Ctx, L: Layer, top: FieldNode | null, t: number, opt: Opt, ttl: number): void {
  switch (t) {
    case 0x82: // Security
      optHeader(ctx, L, top, OPT_PROTO.security, opt, opt.len, 0);
      optSecurity(ctx, L, opt);
      return;
    case 0x83: // LSR
      optHeader(ctx, L, top, OPT_PROTO.route, opt, opt.len, 0);
      optRoute(ctx, L, opt, false);
      return;
    case 0x89: // SSR
      optHeader(ctx, L, top, OPT_PROTO.sourceRoute, opt, opt.len, 0);
      optRoute(ctx, L, opt, false);
      return;
    case 0x07: // RR
      optHeader(ctx, L, top, OPT_PROTO.recordRoute, opt, opt.len, 0);
      optRoute(ctx, L, opt, true);
      return;
    case 0x44: // TS
      optHeader(ctx, L, top, OPT_PROTO.timestamp, opt, opt.len, 0);
      optTimestamp(ctx, L, opt);
      return;
    case 0x85:
      optExtSecurity(ctx, L, top, opt);
      return;
    case 0x86:
      optHeader(ctx, L, top, OPT_PROTO.cipso, opt, opt.len, 0);
      optCipso(ctx, L, opt);
      return;
    case 0x88:
    case 0x0b:
    case 0x0c:
      optU16(ctx, L, top, t, opt);
      return;
    case 0x52:
      optTraceroute(ctx, L, top, opt);
      return;
    case 0x94:
      optRouterAlert(ctx, L, top, opt);
      return;
    case 0x95:
      optSdb(ctx, L, top, opt);
      return;
    case 0x19:
      optQuickStart(ctx, L, top, opt, ttl);
      return;
  }
}

/** Extended Security (RFC 1108): a format code and the security info. */
function optExtSecurity(ctx: Ctx, L: Layer, top: FieldNode | null, opt: Opt): void {
  const n = optHeader(ctx, L, top, OPT_PROTO.extSecurity, opt, opt.len, 0);
  optNeed(ctx, opt, opt.o + 2, 1);
  ctx.add(L, n, ip.extSecFormat, opt.o + 2, 1, ctx.u8(opt.o + 2), ctx.tree.texts ? `Additional Security Info Format Code: 0x${hex(ctx.u8(opt.o + 2), 2)}` : undefined);
  if (opt.len > 3) {
    optNeed(ctx, opt, opt.o + 3, opt.len - 3);
    const b = ctx.bytes(opt.o + 3, opt.len - 3);
    ctx.add(L, n, ip.extSecInfo, opt.o + 3, opt.len - 3, b, ctx.tree.texts ? `Additional Security Info: ${Buffer.from(b).toString('hex')}` : undefined);
  }
}

/** The 4-byte options holding one 16-bit value: Stream ID, MTU Probe, MTU Reply. */
function optU16(ctx: Ctx, L: Layer, top: FieldNode | null, t: number, opt: Opt): void {
  const proto = t === 0x88 ? OPT_PROTO.sid : t === 0x0b ? OPT_PROTO.mtuProbe : OPT_PROTO.mtuReply;
  const n = optHeader(ctx, L, top, proto, opt, 4, 4);
  optNeed(ctx, opt, opt.o + 2, 2);
  const v = ctx.u16(opt.o + 2);
  if (t === 0x88) ctx.add(L, n, ip.optSid, opt.o + 2, 2, v, ctx.tree.texts ? `Stream Identifier: ${v}` : undefined);
  else ctx.add(L, n, ip.optMtu, opt.o + 2, 2, v, ctx.tree.texts ? `MTU: ${v}` : undefined);
}

/** Traceroute (RFC 1393): ID number, hop counts, originator. */
function optTraceroute(ctx: Ctx, L: Layer, top: FieldNode | null, opt: Opt): void {
  const n = optHeader(ctx, L, top, OPT_PROTO.traceroute, opt, 12, 12);
  const b = opt.o + 2;
  optNeed(ctx, opt, b, 2);
  ctx.add(L, n, ip.optIdNumber, b, 2, ctx.u16(b), ctx.tree.texts ? `ID Number: ${ctx.u16(b)}` : undefined);
  optNeed(ctx, opt, b + 2, 2);
  ctx.add(L, n, ip.optOhc, b + 2, 2, ctx.u16(b + 2), ctx.tree.texts ? `Outbound Hop Count: ${ctx.u16(b + 2)}` : undefined);
  optNeed(ctx, opt, b + 4, 2);
  ctx.add(L, n, ip.optRhc, b + 4, 2, ctx.u16(b + 4), ctx.tree.texts ? `Return Hop Count: ${ctx.u16(b + 4)}` : undefined);
  optNeed(ctx, opt, b + 6, 4);
  ctx.add(L, n, ip.optOriginator, b + 6, 4, ctx.u32(b + 6), ctx.tree.texts ? `Originator IP Address: ${ipv4At(ctx.data, b + 6)}` : undefined);
}

/** Router Alert (RFC 2113). */
function optRouterAlert(ctx: Ctx, L: Layer, top: FieldNode | null, opt: Opt): void {
  const n = optHeader(ctx, L, top, OPT_PROTO.routerAlert, opt, 4, 4);
  optNeed(ctx, opt, opt.o + 2, 2);
  const v = ctx.u16(opt.o + 2);
  const name = v === 0 ? 'Router shall examine packet' : 'Reserved';
  ctx.add(L, n, ip.optRa, opt.o + 2, 2, v, ctx.tree.texts ? `Router Alert: ${name} (${v})` : undefined);
  if (n && ctx.tree.full) n.text += `: ${name} (${v})`;
}

/** Selective Directed Broadcast: addresses, then padding. */
function optSdb(ctx: Ctx, L: Layer, top: FieldNode | null, opt: Opt): void {
  const n = optHeader(ctx, L, top, OPT_PROTO.sdb, opt, opt.len, 0);
  let off = opt.o + 2;
  let rem = opt.len - 2;
  for (; rem >= 4; off += 4, rem -= 4) {
    optNeed(ctx, opt, off, 4);
    ctx.add(L, n, ip.optAddr, off, 4, ctx.u32(off), ctx.tree.texts ? `IP Address: ${ipv4At(ctx.data, off)}` : undefined);
  }
  if (rem > 0) {
    optNeed(ctx, opt, off, rem);
    ctx.addBytes(L, n, ip.optPadding, off, rem, ctx.tree.texts ? `Padding: ${Buffer.from(ctx.bytes(off, rem)).toString('hex')}` : undefined);
  }
}

/** Quick-Start (RFC 4782): function, rate, QS TTL (and its difference to the TTL), nonce. */
function optQuickStart(ctx: Ctx, L: Layer, top: FieldNode | null, opt: Opt, ttl: number): void {
  const F = ctx.tree.full;
  optNeed(ctx, opt, opt.o + 2, 1);
  const cmd = ctx.u8(opt.o + 2);
  const func = cmd >> 4;
  const rate = cmd & 0x0f;
  const n = optHeader(ctx, L, top, OPT_PROTO.qs, opt, 8, 8);
  if (n && F) n.text += `: ${func === 0 ? 'Rate request' : func === 8 ? 'Rate report' : `Unknown (${func})`} (${func})`;
  ctx.add(L, n, ip.qsFunc, opt.o + 2, 1, func, ctx.tree.texts ? bitText(8, 0xf0, cmd, 'Function', `${func === 0 ? 'Rate request' : func === 8 ? 'Rate report' : 'Unknown'} (${func})`) : undefined);
  if (func !== 0 && func !== 8) return;
  ctx.add(L, n, ip.qsRate, opt.o + 2, 1, rate, ctx.tree.texts ? bitText(8, 0x0f, cmd, 'Rate', `${QS_RATE[rate]} (${rate})`) : undefined);
  optNeed(ctx, opt, opt.o + 3, 1);
  const qttl = ctx.u8(opt.o + 3);
  if (func === 0) {
    ctx.add(L, n, ip.qsTtl, opt.o + 3, 1, qttl, ctx.tree.texts ? `QS TTL: ${qttl}` : undefined);
    const diff = (ttl - qttl) & 0xff;
    ctx.gen(L, n, ip.qsTtlDiff, diff, ctx.tree.texts ? `TTL Diff: ${diff}` : undefined);
    if (n && F) n.text += `, ${QS_RATE[rate]}, QS TTL ${qttl}, QS TTL diff ${diff}`;
  } else {
    if (n && F) n.text += `, ${QS_RATE[rate]}`;
    ctx.add(L, n, ip.qsUnused, opt.o + 3, 1, qttl, ctx.tree.texts ? `Not Used: ${qttl}` : undefined);
  }
  optNeed(ctx, opt, opt.o + 4, 4);
  const w = ctx.u32(opt.o + 4);
  ctx.add(L, n, ip.qsNonce, opt.o + 4, 4, (w >>> 2) >>> 0, ctx.tree.texts ? bitText(32, 0xfffffffc, w, 'QS Nonce', `0x${hex(w >>> 2, 8)}`) : undefined);
  ctx.add(L, n, ip.qsReserved, opt.o + 4, 4, w & 3, ctx.tree.texts ? bitText(32, 0x3, w, 'Reserved', `0x${hex(w & 3, 8)}`) : undefined);
}

function dissectOptions(ctx: Ctx, L: Layer, ipStart: number, o: number, hlEnd: number, end: number, ttl: number): void {
  const F = ctx.tree.full;
  const optlen = hlEnd - o;
  const top = F ? ctx.add(L, null, fText, o, optlen, null, `Options: (${optlen} bytes)`) : null;
  let length = optlen;
  let nopCount = 0;
  while (length > 0) {
    ctx.need(o, 1, end, hlEnd);
    const t = ctx.u8(o);
    length--;
    if (t === 0 || t === 1) {
      if (t === 1) {
        if (nopCount === 0 || (o - ipStart) % 4) {
          nopCount++;
          if (nopCount === 4) ctx.expert(L, top, ip.nop, 'warn', 'Protocol', '4 NOP in a row - a router may have removed some options');
        } else nopCount = 0;
      }
      const n = ctx.addBytes(L, top, t === 0 ? OPT_PROTO.eol : OPT_PROTO.nop, o, 1, ctx.tree.texts ? (t === 0 ? OPT_PROTO.eol.name : OPT_PROTO.nop.name) : undefined);
      optTypeTree(ctx, L, n, o, t);
      o++;
      if (t === 0) break;
      continue;
    }
    const known = OPT_DISSECTED[t];
    const name = known ? known[1] : `Unknown (0x${hex(t, 2)})`;
    if (length === 0) {
      expertItem(ctx, L, top, ip.optBadLen, 'warn', 'Protocol', `${name} (length byte past end of options)`, o, 1);
      return;
    }
    ctx.need(o + 1, 1, end, hlEnd);
    const olen = ctx.u8(o + 1);
    length--;
    if (olen < 2) {
      expertItem(ctx, L, top, ip.optBadLen, 'warn', 'Protocol', `${name} (with too-short option length = ${olen} byte${olen === 1 ? '' : 's'})`, o, 2);
      return;
    }
    if (olen - 2 > length) {
      expertItem(ctx, L, top, ip.optBadLen, 'warn', 'Protocol', `${name} (option length = ${olen} byte${olen === 1 ? '' : 's'} says option goes past end of options)`, o, length);
      return;
    }
    if (!known) {
      if (F) ctx.add(L, top, fText, o, olen, null, `${name} (${olen} byte${olen === 1 ? '' : 's'})`);
    } else {
      dissectOneOption(ctx, L, top, t, { o, len: olen, cEnd: end, node: null }, ttl);
      if (top) top.text += `, ${name}`;
    }
    o += olen;
    length -= olen - 2;
  }
}

/** get_dst_offset: the final destination of a loose/strict source route still in progress, as an
 * offset from the options start (0 when there is none). */
function sourceRouteDstOffset(ctx: Ctx, o: number, length: number, end: number, hlEnd: number): number {
  const start = o;
  while (length > 0) {
    ctx.need(o, 1, end, hlEnd);
    const t = ctx.u8(o);
    length--;
    if (t !== 0 && t !== 1) {
      if (length === 0) return 0;
      ctx.need(o + 1, 1, end, hlEnd);
      const len = ctx.u8(o + 1);
      length--;
      if (len < 2 || len - 2 > length) return 0;
      if (t === 0x89 || t === 0x83) {
        ctx.need(o + 2, 1, end, hlEnd);
        const ptr = ctx.u8(o + 2);
        if (ptr < 4 || ptr & 3 || ptr > len) return 0;
        return o - start + len;
      }
      o += len;
      length -= len - 2;
    } else o++;
    if (t === 0) return 0;
  }
  return 0;
}

const flagNames = (flags: number): string => {
  let s = '';
  if (flags & 4) s += ', Reserved bit';
  if (flags & 2) s += ", Don't fragment";
  if (flags & 1) s += ', More fragments';
  return s;
};

/** IPv4, after Wireshark's dissect_ip_v4: the header field by field, the options, then the payload
 * (reassembled from fragments when it can be) through the ip.proto table. */
export function dissectIpv4(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const C = ctx.tree.cols && ctx.inError === 0;
  if (C) {
    ctx.pkt.colProto = 'IPv4';
    ctx.pkt.colInfo = '';
  }
  const L = ctx.layer(pIp, o, 0);
  ctx.need(o, 1, end, rend);
  const vh = ctx.u8(o);
  const hl = (vh & 0x0f) * 4;
  L.length = hl;
  if (!versionOk(ctx, L, o, vh, C)) return vh >> 4 === 6 ? { dissector: 'ipv6', offset: o, end, rend } : null;
  if (!hdrLenOk(ctx, L, o, vh, C)) return null;
  dsField(ctx, L, o, end, rend);
  ctx.need(o + 2, 2, end, rend);
  const ipLen = totalLength(ctx, L, o, hl, rend, C);
  if (ipLen < 0) return null;
  if (ctx.u16(o + 2) >= hl && ipLen <= rend - o) {
    // set_actual_length: the datagram ends here; the rest of the frame is padding/trailer
    rend = o + ipLen;
    if (end > rend) end = rend;
    if (ctx.inError === 0 && ctx.l3End < 0) ctx.l3End = end;
  }
  const ff = idAndFragment(ctx, L, o, end, rend);
  ctx.need(o + 8, 1, end, rend);
  const ttl = ctx.u8(o + 8);
  const ttlN = ctx.tree.keeps(pIp) ? ctx.add(L, null, ip.ttl, o + 8, 1, ttl, ctx.tree.texts ? `Time to Live: ${ttl}` : undefined) : null;
  ctx.need(o + 9, 1, end, rend);
  const proto = ctx.u8(o + 9);
  // Wireshark checks the TTL once it has the destination, but shows the note under the TTL: add it
  // now so that the expert items come in tree order (as tshark lists them), when it will be reached
  ttlCheck(ctx, L, ttlN, o, hl, ttl, proto, end, rend);
  if (ctx.tree.keeps(pIp)) ctx.add(L, null, ip.proto, o + 9, 1, proto, ctx.tree.texts ? `Protocol: ${ipProtoName(proto)} (${proto})` : undefined);
  ctx.need(o + 10, 2, end, rend);
  const cksumBad = headerChecksum(ctx, L, o, hl, end);
  const dstOff = addresses(ctx, L, o, hl, end, rend, C);
  if (hl > 20) {
    // the options item covers the whole options area: it must have been captured
    ctx.need(o + 20, hl - 20, end, rend);
    dissectOptions(ctx, L, o, o + 20, o + hl, end, ttl);
  }
  ctx.setNet4(o + 12, o + 16 + dstOff);
  ctx.ttl = ttl;
  return ipv4Payload(ctx, L, o, hl, ipLen, ff, proto, cksumBad, dstOff, end, rend);
}

/** The version field; false when it is not 4 (IPv6 goes on to the IPv6 dissector). */
function versionOk(ctx: Ctx, L: Layer, o: number, vh: number, C: boolean): boolean {
  const version = vh >> 4;
  const verN = ctx.add(L, null, ip.version, o, 1, version, ctx.tree.texts ? bitText(8, 0xf0, vh, 'Version', String(version)) : undefined);
  if (version === 4) return true;
  if (C) ctx.pkt.colInfo = `Bogus IPv4 version (${version}, must be 4)`;
  ctx.expert(L, verN, ip.badVersion, 'error', 'Protocol', 'Bogus IPv4 version');
  L.length = 0;
  return false;
}

/** The header length field; false when it is below 20 bytes. */
function hdrLenOk(ctx: Ctx, L: Layer, o: number, vh: number, C: boolean): boolean {
  const hl = (vh & 0x0f) * 4;
  const hlText = ctx.tree.full ? bitText(8, 0x0f, vh, 'Header Length', `${hl} bytes (${vh & 15})`) : undefined;
  if (hl < 20) {
    if (C) ctx.pkt.colInfo = `Bogus IP header length (${hl}, must be at least 20)`;
    const n = ctx.add(L, null, ip.hdrLen, o, 1, hl, hlText);
    ctx.expert(L, n, ip.badHdrLen, 'error', 'Protocol', `Bogus IP header length (${hl}, must be at least 20)`);
    return false;
  }
  if (ctx.tree.keeps(pIp)) ctx.add(L, null, ip.hdrLen, o, 1, hl, hlText);
  return true;
}

/** The Differentiated Services field: DSCP and ECN. */
function dsField(ctx: Ctx, L: Layer, o: number, end: number, rend: number): void {
  ctx.need(o + 1, 1, end, rend);
  const ds = ctx.u8(o + 1);
  if (!ctx.tree.keeps(pIp)) return;
  const dsN = ctx.add(L, null, ip.dsfield, o + 1, 1, ds,
    ctx.tree.texts ? `Differentiated Services Field: 0x${hex(ds, 2)} (DSCP: ${DSCP_SHORT[ds >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[ds & 3]})` : undefined);
  ctx.add(L, dsN, ip.dscp, o + 1, 1, ds >> 2, ctx.tree.texts ? bitText(8, 0xfc, ds, 'Differentiated Services Codepoint', `${DSCP[ds >> 2] ?? 'Unknown'} (${ds >> 2})`) : undefined);
  ctx.add(L, dsN, ip.ecn, o + 1, 1, ds & 3, ctx.tree.texts ? bitText(8, 0x03, ds, 'Explicit Congestion Notification', `${ECN[ds & 3]} (${ds & 3})`) : undefined);
}

/** The total length: 0 (TSO) takes the reported length; below the header length is bogus (-1). */
function totalLength(ctx: Ctx, L: Layer, o: number, hl: number, rend: number, C: boolean): number {
  const ipLen = ctx.u16(o + 2);
  if (ipLen === 0) {
    // TSO/GSO/BIG TCP: take the reported length (not the captured one)
    const len = rend - o;
    const n = ctx.gen(L, null, ip.len, len,
      ctx.tree.texts ? `Total Length: ${len} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))` : undefined);
    if (n) {
      n.offset = o + 2;
      n.length = 2;
    }
    return len;
  }
  if (ipLen < hl) {
    if (C) ctx.pkt.colInfo = `Bogus IP length (${ipLen}, less than header length ${hl})`;
    const n = ctx.add(L, null, ip.len, o + 2, 2, ipLen, ctx.tree.texts ? `Total Length: ${ipLen} bytes (bogus, less than header length ${hl})` : undefined);
    ctx.expert(L, n, ip.badLen, 'error', 'Protocol', 'Bogus IP length');
    return -1;
  }
  const n = ctx.tree.keeps(pIp) ? ctx.add(L, null, ip.len, o + 2, 2, ipLen, ctx.tree.texts ? `Total Length: ${ipLen}` : undefined) : null;
  if (ipLen > rend - o && !ctx.inError) ctx.expert(L, n, ip.badLen, 'error', 'Protocol', `IPv4 total length exceeds packet length (${rend - o} bytes)`);
  return ipLen;
}

/** Identification, flags and fragment offset; returns the flags/fragment-offset word. */
function idAndFragment(ctx: Ctx, L: Layer, o: number, end: number, rend: number): number {
  ctx.need(o + 4, 2, end, rend);
  const id = ctx.u16(o + 4);
  const T = ctx.tree.keeps(pIp);
  if (T) ctx.add(L, null, ip.id, o + 4, 2, id, ctx.tree.texts ? `Identification: 0x${hex(id, 4)} (${id})` : undefined);
  ctx.need(o + 6, 2, end, rend);
  const ff = ctx.u16(o + 6);
  if (!T) return ff;
  const fb = ff >> 8;
  const flags = ff >> 13;
  const fragOff = ff & 0x1fff;
  const flN = ctx.add(L, null, ip.flags, o + 6, 1, flags, ctx.tree.texts ? `${bitPicture(8, 0xe0, fb)} = Flags: 0x${flags.toString(16)}${flagNames(flags)}` : undefined);
  ctx.add(L, flN, ip.rb, o + 6, 1, (flags & 4) !== 0, ctx.tree.texts ? bitText(8, 0x80, fb, 'Reserved bit', onOff((flags & 4) !== 0)) : undefined);
  ctx.add(L, flN, ip.df, o + 6, 1, (flags & 2) !== 0, ctx.tree.texts ? bitText(8, 0x40, fb, "Don't fragment", onOff((flags & 2) !== 0)) : undefined);
  ctx.add(L, flN, ip.mf, o + 6, 1, (flags & 1) !== 0, ctx.tree.texts ? bitText(8, 0x20, fb, 'More fragments', onOff((flags & 1) !== 0)) : undefined);
  ctx.add(L, null, ip.fragOffset, o + 6, 2, fragOff, ctx.tree.texts ? bitText(16, 0x1fff, ff, 'Fragment Offset', String(fragOff * 8)) : undefined);
  return ff;
}

/** The header checksum, verified when ip.check_checksum is on; true when it is known bad. */
function headerChecksum(ctx: Ctx, L: Layer, o: number, hl: number, end: number): boolean {
  const cks = ctx.u16(o + 10);
  const check = ctx.state.prefs['ip.check_checksum'];
  if (!check || o + hl > end) {
    if (!ctx.tree.keeps(pIp)) return false;
    ctx.add(L, null, ip.checksum, o + 10, 2, cks,
      ctx.tree.texts ? `Header Checksum: 0x${hex(cks, 4)} [${check ? 'not all data available' : 'validation disabled'}]` : undefined);
    ctx.gen(L, null, ip.checksumStatus, 2, ctx.tree.texts ? 'Header checksum status: Unverified' : undefined);
    return false;
  }
  const good = fold(sum16(ctx.data, o, hl)) === 0;
  const should = good ? cks : fold(sum16(ctx.data, o, 10) + sum16(ctx.data, o + 12, hl - 12));
  if (good) ctx.add(L, null, ip.checksum, o + 10, 2, cks, ctx.tree.texts ? `Header Checksum: 0x${hex(cks, 4)} [correct]` : undefined);
  else {
    const n = ctx.add(L, null, ip.checksum, o + 10, 2, cks,
      ctx.tree.texts ? `Header Checksum: 0x${hex(cks, 4)} incorrect, should be 0x${hex(should, 4)}(may be caused by "IP checksum offload"?)` : undefined);
    ctx.expert(L, n, ip.checksumBad, 'error', 'Checksum', `Bad checksum [should be 0x${hex(should, 4)}]`);
  }
  ctx.gen(L, null, ip.checksumStatus, good ? 1 : 0, ctx.tree.texts ? `Header checksum status: ${good ? 'Good' : 'Bad'}` : undefined);
  const c = ctx.gen(L, null, ip.checksumCalc, should, ctx.tree.texts ? `Calculated Checksum: 0x${hex(should, 4)}` : undefined);
  if (c) [c.offset, c.length] = [o + 10, 2];
  return !good;
}

/** Source and destination (the final destination of a source route in progress, then the current
 * route); returns the destination's offset from o + 16. */
function addresses(ctx: Ctx, L: Layer, o: number, hl: number, end: number, rend: number, C: boolean): number {
  const F = ctx.tree.full;
  const T = ctx.tree.keeps(pIp);
  ctx.need(o + 12, 4, end, rend);
  const src = ctx.u32(o + 12);
  const srcS = ctx.tree.cols || F || ctx.tree.wants(ip.srcHost) || ctx.tree.wants(ip.host) ? ipv4At(ctx.data, o + 12) : '';
  if (F) L.summary = `Internet Protocol Version 4, Src: ${srcS}`;
  if (T) addressItems(ctx, L, ip.src, ip.srcHost, o + 12, src, srcS, 'Source Address');
  if (C) ctx.pkt.colSrc = srcS;
  // a source route still in progress: the final destination is the route's last address
  const dstOff = hl > 20 ? sourceRouteDstOffset(ctx, o + 20, hl - 20, end, rend) : 0;
  ctx.need(o + 16 + dstOff, 4, end, rend);
  const dst = ctx.u32(o + 16 + dstOff);
  const dstS = ctx.tree.cols || F || ctx.tree.wants(ip.dstHost) || ctx.tree.wants(ip.host) ? ipv4At(ctx.data, o + 16 + dstOff) : '';
  if (C) ctx.pkt.colDst = dstS;
  if (F) L.summary += `, Dst: ${dstS}`;
  if (dstOff) {
    const curS = ipv4At(ctx.data, o + 16);
    if (F) L.summary += `, Via: ${curS}`;
    ctx.add(L, null, ip.curRt, o + 16, 4, ctx.u32(o + 16), ctx.tree.texts ? `Current Route: ${curS}` : undefined);
    hiddenGen(ctx.tree.hidden(L, ip.curRtHost, o + 16, 4, curS));
  } else if (T) addressItems(ctx, L, ip.dst, ip.dstHost, o + 16, dst, dstS, 'Destination Address');
  return dstOff;
}

/** An address item and its hidden ip.addr, ip.*_host and ip.host companions. */
function addressItems(ctx: Ctx, L: Layer, def: FieldDef, hostDef: FieldDef, off: number, v: number, s: string, label: string): void {
  ctx.add(L, null, def, off, 4, v, ctx.tree.texts ? `${label}: ${s}` : undefined);
  ctx.tree.hidden(L, ip.addr, off, 4, v);
  hiddenGen(ctx.tree.hidden(L, hostDef, off, 4, s));
  hiddenGen(ctx.tree.hidden(L, ip.host, off, 4, s));
}

/** The payload: reassembled when this fragment completes a datagram, shown as a fragment when it
 * does not, handed on as it is otherwise. */
function ipv4Payload(ctx: Ctx, L: Layer, o: number, hl: number, ipLen: number, ff: number, proto: number,
  cksumBad: boolean, dstOff: number, end: number, rend: number): Next | null {
  const pOff = o + hl;
  const fragOff = ff & 0x1fff;
  const more = (ff & 0x2000) !== 0;
  const id = ctx.u16(o + 4);
  // reassemble when this is a fragment whose payload was all captured and whose checksum is not known bad
  if (ctx.state.prefs['ip.defragment'] && (more || fragOff !== 0) && ipLen > hl && o + ipLen <= end && !cksumBad) {
    const key = `${ctx.u32(o + 12)}:${ctx.u32(o + 16 + dstOff)}:${proto}:${id}`;
    const r = ctx.state.defrag4.add(key, ctx.pkt.rec.num, fragOff * 8, ctx.data.subarray(pOff, o + ipLen), more);
    if (!r) return fragmentOnly(ctx, proto, fragOff, id, pOff, end, rend);
    const errs = showFragments(ctx, L, r);
    ctx.fragment = false;
    if (r.data.length === 0) return null;
    return handOff(ctx, proto, 0, r.data.length, r.data.length, !errs, r.data);
  }
  if (fragOff !== 0) return fragmentOnly(ctx, proto, fragOff, id, pOff, end, rend);
  // the first fragment (or a whole datagram): its payload is dissected as it is
  ctx.fragment = more;
  if (rend - pOff <= 0) return null;
  return handOff(ctx, proto, pOff, Math.max(pOff, end), rend, true);
}

/** ip_try_dissect: the ip.proto table, else "ICMP (1)"-style Info and the data dissector. */
function handOff(ctx: Ctx, proto: number, o: number, end: number, rend: number, updateInfo: boolean, data?: Uint8Array): Next {
  if (lookup('ip.proto', proto)) return ctx.toTable('ip.proto', proto, o, end, rend, data);
  const next: Next = { dissector: 'data', offset: o, end, rend };
  if (updateInfo && ctx.tree.cols && ctx.inError === 0) ctx.pkt.colInfo = `${ipProtoName(proto)} (${proto})`;
  if (data) next.data = data;
  return next;
}

/** The TTL notes (RFC 3171 Local Network Control Block, a low TTL to a unicast address), for a
 * header whose destination Wireshark will reach (it reads it after the checksum and source). */
function ttlCheck(ctx: Ctx, L: Layer, ttlN: FieldNode | null, o: number, hl: number, ttl: number, proto: number, end: number, rend: number): void {
  let dst: number;
  try {
    ctx.need(o + 10, 6, end, rend);
    const dstOff = hl > 20 ? sourceRouteDstOffset(ctx, o + 20, hl - 20, end, rend) : 0;
    ctx.need(o + 16 + dstOff, 4, end, rend);
    dst = ctx.u32(o + 16 + dstOff);
  } catch {
    return;
  }
  if ((dst & 0xffffff00) >>> 0 === 0xe0000000) {
    let valid = 1;
    if (proto !== 2) {
      if (dst === 0xe0000012 || dst === 0xe0000066 || dst === 0xe00000fb) valid = 255;
      else if (dst === 0xe00000fc) valid = 0x1000;
    }
    if (ttl !== valid && valid !== 0x1000) {
      ctx.expert(L, ttlN, ip.ttlLncb, 'note', 'Sequence', `"Time To Live" != ${valid} for a packet sent to the Local Network Control Block (see RFC 3171)`);
    }
  } else if (ttl < 5 && (dst & 0xf0000000) >>> 0 !== 0xe0000000 && proto !== 103 && proto !== 89) {
    ctx.expert(L, ttlN, ip.ttlZero, 'note', 'Sequence', `"Time To Live" only ${ttl}`);
  }
}

/** A fragment that is not reassembled (yet): "Fragmented IP protocol", the payload as data. */
function fragmentOnly(ctx: Ctx, proto: number, fragOff: number, id: number, pOff: number, end: number, rend: number): Next | null {
  if (ctx.tree.cols && ctx.inError === 0) {
    ctx.pkt.colInfo = `Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${fragOff * 8}, ID=${hex(id, 4)})`;
  }
  return { dissector: 'data', offset: pOff, end: Math.max(pOff, end), rend };
}

/** show_fragment_tree: "[7 IPv4 Fragments (10248 bytes): #1(1480), ...]" and the fragment lines. */
function showFragments(ctx: Ctx, L: Layer, r: Reassembled): boolean {
  const F = ctx.tree.full;
  const frs = r.fragments;
  const count = frs.length;
  let errs = false;
  let text: string | undefined;
  if (F) {
    text = `${count} IPv4 Fragment${count === 1 ? '' : 's'} (${r.data.length} byte${r.data.length === 1 ? '' : 's'}): `;
    text += frs.map((fr) => `#${fr.frame}(${fr.data.length})`).join(', ');
  }
  const top = ctx.gen(L, null, ip.fragments, r.data, text);
  if (top) [top.offset, top.length, top.src] = [0, r.data.length, ctx.pkt.sources.length + 1];
  for (const fr of frs) {
    const err = fr.conflict || fr.multipleTails || fr.tooLong;
    if (err) errs = true;
    const n = ctx.gen(L, top, err ? ip.fragError : ip.fragment, fr.frame,
      ctx.tree.texts ? (fr.data.length === 0 ? `Frame: ${fr.frame} (no data)` : `Frame: ${fr.frame}, payload: ${fr.offset}-${fr.offset + fr.data.length - 1} (${fr.data.length} byte${fr.data.length === 1 ? '' : 's'})`) : undefined);
    if (fr.overlap) ctx.gen(L, n, ip.fragOverlap, true, ctx.tree.texts ? 'Fragment overlap: True' : undefined);
    if (fr.conflict) ctx.gen(L, n, ip.fragConflict, true, ctx.tree.texts ? 'Conflicting data in fragment overlap: True' : undefined);
    if (fr.multipleTails) ctx.gen(L, n, ip.fragMultipleTails, true, ctx.tree.texts ? 'Multiple tail fragments found: True' : undefined);
    if (fr.tooLong) ctx.gen(L, n, ip.fragTooLong, true, ctx.tree.texts ? 'Fragment too long: True' : undefined);
  }
  ctx.gen(L, top, ip.fragCount, count, ctx.tree.texts ? `Fragment count: ${count}` : undefined);
  ctx.gen(L, top, ip.reassembledLength, r.data.length, ctx.tree.texts ? `Reassembled IPv4 length: ${r.data.length}` : undefined);
  if (F || ctx.tree.wants(ip.reassembledData)) {
    const d = ctx.gen(L, top, ip.reassembledData, r.data,
      ctx.tree.texts ? `Reassembled IPv4 data: ${Buffer.from(r.data.subarray(0, 36)).toString('hex')}${r.data.length > 36 ? '…' : ''}` : undefined);
    if (d) [d.offset, d.length, d.src] = [0, r.data.length, ctx.pkt.sources.length + 1];
  }
  return errs;
}

/**
 * Wireshark's "ip" handle (dissect_ip), used by raw IP, LINKTYPE_IPV4, BSD loopback, LLC and IP-in-IP:
 * the version nibble picks IPv4 or IPv6; any other version is a one-byte "bogus version" item.
 * (The ethertype table uses the IPv4 dissector directly, which reports a wrong version itself.)
 */
export function dissectIp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  if (o >= end) {
    // nothing captured: Wireshark has entered "ip" when the version read fails
    ctx.layer(pIp, o, 0);
    ctx.need(o, 1, end, rend);
  }
  const b = ctx.u8(o);
  const version = b >> 4;
  if (version === 4) return dissectIpv4(ctx, o, end, rend);
  if (version === 6) {
    ctx.pkt.protocols.push('ip');
    return { dissector: 'ipv6', offset: o, end, rend };
  }
  const L = ctx.layer(pIp, o, 1);
  if (ctx.tree.full) L.summary = `Internet Protocol, bogus version (${version})`;
  if (ctx.tree.cols && ctx.inError === 0) {
    ctx.pkt.colProto = 'IP';
    ctx.pkt.colInfo = `Bogus IP version (${version})`;
  }
  const n = ctx.add(L, null, ip.version, o, 1, version, ctx.tree.texts ? bitText(8, 0xf0, b, 'Version', String(version)) : undefined);
  ctx.expert(L, n, ip.badVersion, 'error', 'Protocol', 'Bogus IP version');
  return null;
}

register('ip', dissectIp);
register('ipv4', dissectIpv4);
handoff('ethertype', 0x0800, 'ipv4');
handoff('linktype', 228, 'ip');
handoff('ip.proto', 4, 'ip');
