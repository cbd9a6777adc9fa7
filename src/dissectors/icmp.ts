/**
 * ICMP for IPv4 (Wireshark 4.0's packet-icmp.c).
 *
 * - Info: the type name padded to 20 characters ("%-20s"), the code name in parentheses, echo
 *   "id=0x04bb, seq=1/256, ttl=64"; single pass like tshark's first pass, so a reply names its
 *   request ("(request in 3)", icmp.resp_to, icmp.resptime) but a request never names its reply.
 * - The checksum is verified whenever the whole message was captured and is neither a fragment
 *   nor quoted inside an error (Wireshark does this by default, no preference).
 * - Error messages (3, 4, 5, 11, 12) quote the offending datagram: it is dissected here as
 *   Wireshark's call_dissector(ip) does inside an error packet: columns stay the ICMP's, stateful
 *   work is skipped (ctx.inError), a read past the quoted bytes ([Malformed Packet]) is swallowed
 *   and ends the quote, a snaplen cut ([Packet size limited during capture]) goes on up. The net
 *   addresses are restored afterwards, and RFC 4884 extensions follow the quote.
 */
import { ipv4At, ipv6Str } from '../core/addr.js';
import { fold, sum16 } from '../core/checksum.js';
import { field, newLayer, protocol, repeating, type FieldDef, type FieldNode, type Layer, type Time } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { timeSub, type CaptureState } from '../dissect/state.js';
import { bitPicture, formatRelTime } from '../output/format.js';
import { dissectData } from './data.js';
import { runQuoted } from './quoted.js';

const TYPE: Record<number, string> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable', 4: 'Source quench (flow control)',
  5: 'Redirect', 6: 'Alternate host address', 8: 'Echo (ping) request', 9: 'Router advertisement', 10: 'Router solicitation',
  11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request', 14: 'Timestamp reply',
  15: 'Information request', 16: 'Information reply', 17: 'Address mask request', 18: 'Address mask reply',
  19: 'Reserved (for security)', 30: 'Traceroute', 31: 'Datagram Conversion Error', 32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request', 36: 'Mobile Registration Reply',
  37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris', 41: 'Experimental mobility protocols',
  42: 'Extended Echo request', 43: 'Extended Echo reply',
};
const UNREACH: Record<number, string> = {
  0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable', 4: 'Fragmentation needed',
  5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown', 8: 'Source host isolated',
  9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS', 13: 'Communication administratively filtered', 14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};
const REDIRECT: Record<number, string> = { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' };
const ALTHOST: Record<number, string> = { 0: 'Alternate address for host' };
const RTRADVERT: Record<number, string> = { 0: 'Normal router advertisement', 16: 'Does not route common traffic' };
const TIMXCEED: Record<number, string> = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' };
const PARAMPROB: Record<number, string> = { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' };
const PHOTURIS: Record<number, string> = {
  0: 'Bad SPI', 1: 'Authentication Failed', 2: 'Decompression Failed', 3: 'Decryption Failed', 4: 'Need Authentication', 5: 'Need Authorization',
};
const EXTECHO_REQ: Record<number, string> = { 0: 'No error' };
const EXTECHO_REPLY: Record<number, string> = {
  0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query',
};
const CODES: Record<number, Record<number, string>> = {
  3: UNREACH, 5: REDIRECT, 6: ALTHOST, 9: RTRADVERT, 11: TIMXCEED, 12: PARAMPROB, 40: PHOTURIS, 42: EXTECHO_REQ, 43: EXTECHO_REPLY,
};
const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
const EXT_CLASS: Record<number, string> = { 1: 'MPLS Label Stack Class', 2: 'Interface Information Object', 3: 'Interface Identification Object' };
const INT_ROLE: Record<number, string> = {
  0: 'IP interface upon which datagram arrived', 1: 'sub-IP component of an IP interface upon which datagram arrived',
  2: 'IP interface through which datagram would be forwarded', 3: 'IP next-hop to which datagram would be forwarded',
};
const ECHO_STATE: Record<number, string> = { 0: 'Reserved', 1: 'Incomplete', 2: 'Reachable', 3: 'Stale', 4: 'Delay', 5: 'Probe', 6: 'Failed' };
const MIP_EXT: Record<number, string> = { 0: 'One byte padding extension', 16: 'Mobility Agent Advertisement Extension', 19: 'Prefix Lengths Extension', 24: 'Challenge Extension' };
/** afn_vals (Address Family Numbers) */
const AFN: Record<number, string> = {
  0: 'Reserved', 1: 'IPv4', 2: 'IPv6', 3: 'NSAP', 4: 'HDLC (8-bit multidrop)', 5: 'BBN 1822',
  6: '802 (includes all 802 media plus Ethernet)', 7: 'E.163', 8: 'E.164 (SMDS, Frame Relay, ATM)',
  9: 'F.69 (Telex)', 10: 'X.121 (X.25, Frame Relay)', 11: 'IPX', 12: 'Appletalk', 13: 'Decnet IV',
  14: 'Banyan Vines', 15: 'E.164 with NSAP subaddress', 16: 'DNS (Domain Name System)', 17: 'Distinguished Name',
  18: 'AS Number', 19: 'XTP over IP version 4', 20: 'XTP over IP version 6', 21: 'XTP native mode XTP',
  22: 'Fibre Channel World-Wide Port Name', 23: 'Fibre Channel World-Wide Node Name', 24: 'GWID', 25: 'Layer-2 VPN',
  196: 'Layer-2 VPN (old)', 26: 'MPLS-TP Section Endpoint Identifier', 27: 'MPLS-TP LSP Endpoint Identifier',
  28: 'MPLS-TP Pseudowire Endpoint Identifier', 29: 'MT IP: Multi-Topology IP version 4',
  30: 'MT IPv6: Multi-Topology IP version 6', 16384: 'EIGRP Common Service Family',
  16385: 'EIGRP IPv4 Service Family', 16386: 'EIGRP IPv6 Service Family',
  16387: 'LISP Canonical Address Format (LCAF)', 16388: 'BGP-LS', 16389: '48-bit MAC Address',
  16390: '64-bit MAC Address', 16391: 'OUI', 16392: 'MAC/24', 16393: 'MAC/40', 16394: 'IPv6/64',
  16395: 'RBridge Port ID', 16396: 'TRILL Nickname', 65535: 'Reserved',
};
const TF_SET: readonly [string, string] = ['Set', 'Not set'];
const TF_PRESENT: readonly [string, string] = ['Present', 'Not Present'];

export const pIcmp = protocol('icmp', 'Internet Control Message Protocol', { short: 'ICMP', headerFirst: true, analysis: false });
const fText = field('text', 'Text item', 'none');

export const icmp = {
  type: field('icmp.type', 'Type', 'uint', { bits: 8 }),
  code: field('icmp.code', 'Code', 'uint', { bits: 8 }),
  checksum: field('icmp.checksum', 'Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumStatus: field('icmp.checksum.status', 'Checksum Status', 'uint', { bits: 8, vals: CHECKSUM_STATUS }),
  unused: field('icmp.unused', 'Unused', 'bytes', { repeats: true }),
  reserved: field('icmp.reserved', 'Reserved', 'bytes'),
  ident: field('icmp.ident', 'Identifier (BE)', 'uint', { base: 'dec_hex', bits: 16 }),
  identLe: field('icmp.ident_le', 'Identifier (LE)', 'uint', { base: 'dec_hex', bits: 16 }),
  seq: field('icmp.seq', 'Sequence Number (BE)', 'uint', { base: 'dec_hex', bits: 16 }),
  seqLe: field('icmp.seq_le', 'Sequence Number (LE)', 'uint', { base: 'dec_hex', bits: 16 }),
  mtu: field('icmp.mtu', 'MTU of next hop', 'uint', { bits: 16 }),
  numAddrs: field('icmp.num_addrs', 'Number of addresses', 'uint', { bits: 8 }),
  addrEntrySize: field('icmp.addr_entry_size', 'Address entry size', 'uint', { bits: 8 }),
  lifetime: field('icmp.lifetime', 'Lifetime', 'uint', { bits: 16 }),
  pointer: field('icmp.pointer', 'Pointer', 'uint'),
  routerAddress: field('icmp.router_address', 'Router address', 'ipv4'),
  prefLevel: field('icmp.pref_level', 'Preference level', 'int'),
  originateTs: field('icmp.originate_timestamp', 'Originate Timestamp', 'uint'),
  receiveTs: field('icmp.receive_timestamp', 'Receive Timestamp', 'uint'),
  transmitTs: field('icmp.transmit_timestamp', 'Transmit Timestamp', 'uint'),
  addressMask: field('icmp.address_mask', 'Address Mask', 'ipv4'),
  redirGw: field('icmp.redir_gw', 'Gateway Address', 'ipv4'),
  length: field('icmp.length', 'Length', 'uint', { bits: 8 }),
  lengthOrig: field('icmp.length.original_datagram', 'Length of original datagram', 'uint', { bits: 8 }),
  respIn: field('icmp.resp_in', 'Response frame', 'framenum'),
  respTo: field('icmp.resp_to', 'Request frame', 'framenum'),
  noResp: field('icmp.no_resp', 'No response seen', 'none'),
  /** FT_DOUBLE in Wireshark (milliseconds); kept as the text tshark prints (%.15g) */
  resptime: field('icmp.resptime', 'Response time', 'string'),
  dataTime: field('icmp.data_time', 'Timestamp from icmp data', 'abstime'),
  dataTimeRelative: field('icmp.data_time_relative', 'Timestamp from icmp data (relative)', 'reltime'),
  // Mobile IP advertisement extensions
  mipType: field('icmp.mip.type', 'Extension Type', 'uint', { bits: 8, vals: MIP_EXT }),
  mipLength: field('icmp.mip.length', 'Length', 'uint', { bits: 8 }),
  mipPrefixLength: field('icmp.mip.prefixlength', 'Prefix Length', 'uint', { bits: 8 }),
  mipSeq: field('icmp.mip.seq', 'Sequence Number', 'uint', { bits: 16 }),
  mipLife: field('icmp.mip.life', 'Registration Lifetime', 'uint', { bits: 16 }),
  mipFlags: field('icmp.mip.flags', 'Flags', 'uint', { base: 'hex', bits: 16 }),
  mipCoa: field('icmp.mip.coa', 'Care-Of-Address', 'ipv4'),
  mipChallenge: field('icmp.mip.challenge', 'Challenge', 'bytes'),
  mipContent: field('icmp.mip.content', 'Content', 'bytes'),
  // RFC 4884 extensions, RFC 5837 interface information, RFC 8335 extended echo
  ext: field('icmp.ext', 'ICMP Extensions', 'none'),
  extVersion: field('icmp.ext.version', 'Version', 'uint', { bits: 8 }),
  extRes: field('icmp.ext.res', 'Reserved', 'uint', { base: 'hex', bits: 16, bitmask: 0x0fff }),
  extChecksum: field('icmp.ext.checksum', 'Checksum', 'uint', { base: 'hex', bits: 16 }),
  extChecksumStatus: field('icmp.ext.checksum.status', 'Checksum Status', 'uint', { bits: 8, vals: CHECKSUM_STATUS }),
  extLength: field('icmp.ext.length', 'Length', 'uint', { bits: 16 }),
  extClass: field('icmp.ext.class', 'Class', 'uint', { bits: 8, vals: EXT_CLASS }),
  extCtype: field('icmp.ext.ctype', 'C-Type', 'uint', { bits: 8 }),
  extData: field('icmp.ext.data', 'Data', 'bytes'),
  mplsLabel: field('icmp.mpls.label', 'Label', 'uint', { bits: 24, bitmask: 0xfffff0 }),
  mplsExp: field('icmp.mpls.exp', 'Experimental', 'uint', { bits: 24, bitmask: 0x0e }),
  mplsS: field('icmp.mpls.s', 'Stack bit', 'bool', { bits: 24, bitmask: 0x01, tf: TF_SET }),
  mplsTtl: field('icmp.mpls.ttl', 'Time to live', 'uint', { bits: 8 }),
  mplsData: field('icmp.mpls.data', 'Data', 'bytes'),
  intRole: field('icmp.int_info.role', 'Interface Role', 'uint', { bits: 8, bitmask: 0xc0, vals: INT_ROLE }),
  intReserved: field('icmp.int_info.reserved', 'Reserved', 'uint', { bits: 8, bitmask: 0x30 }),
  intIfindex: field('icmp.int_info.ifindex', 'ifIndex', 'bool', { bits: 8, bitmask: 0x08 }),
  intIpaddr: field('icmp.int_info.ipaddr', 'IP Address', 'bool', { bits: 8, bitmask: 0x04, tf: TF_PRESENT }),
  intName: field('icmp.int_info.name_present', 'Interface Name', 'bool', { bits: 8, bitmask: 0x02, tf: TF_PRESENT }),
  intMtuPresent: field('icmp.int_info.mtu_present', 'MTU', 'bool', { bits: 8, bitmask: 0x01, tf: TF_PRESENT }),
  intIndex: field('icmp.int_info.index', 'Interface Index', 'uint'),
  intAfi: field('icmp.int_info.afi', 'Address Family Identifier', 'uint', { bits: 16 }),
  intIpv4: field('icmp.int_info.ipv4', 'Source', 'ipv4'),
  intIpv6: field('icmp.int_info.ipv6', 'Source', 'ipv6'),
  intIpunknown: field('icmp.int_info.ipunknown', 'Source', 'bytes'),
  intNameLength: field('icmp.int_info.name_length', 'Name Length', 'uint', { bits: 8 }),
  intNameString: field('icmp.int_info.name', 'Name', 'string'),
  intMtu: field('icmp.int_info.mtu', 'Maximum Transmission Unit', 'uint'),
  extEchoSeq: field('icmp.ext.echo.seq', 'Sequence Number', 'uint', { base: 'dec_hex', bits: 8 }),
  extEchoReqRes: field('icmp.ext.echo.req.res', 'Reserved', 'uint', { base: 'hex', bits: 8, bitmask: 0xfe }),
  extEchoReqLocal: field('icmp.ext.echo.req.local', 'Local bit', 'bool', { bits: 8, bitmask: 0x01, tf: TF_SET }),
  extEchoRspState: field('icmp.ext.echo.rsp.state', 'State', 'uint', { bits: 8, bitmask: 0xe0, vals: ECHO_STATE }),
  extEchoRspRes: field('icmp.ext.echo.rsp.res', 'Reserved', 'uint', { base: 'hex', bits: 8, bitmask: 0x18 }),
  extEchoRspActive: field('icmp.ext.echo.rsp.active', 'Active bit', 'bool', { bits: 8, bitmask: 0x04, tf: TF_SET }),
  extEchoRspIpv4: field('icmp.ext.echo.rsp.ipv4', 'IPv4 bit', 'bool', { bits: 8, bitmask: 0x02, tf: TF_SET }),
  extEchoRspIpv6: field('icmp.ext.echo.rsp.ipv6', 'IPv6 bit', 'bool', { bits: 8, bitmask: 0x01, tf: TF_SET }),
  intIdentName: field('icmp.int_ident.name', 'Name', 'string'),
  intIdentIndex: field('icmp.int_ident.index', 'Interface Index', 'uint'),
  intIdentAfi: field('icmp.int_ident.afi', 'Address Family Identifier', 'uint', { bits: 16, vals: AFN }),
  intIdentAddrLength: field('icmp.int_ident.addr_length', 'Address Length', 'uint', { bits: 8 }),
  intIdentReserved: field('icmp.int_ident.reserved', 'Reserved', 'bytes'),
  intIdentIpv4: field('icmp.int_ident.ipv4', 'Address', 'ipv4'),
  intIdentIpv6: field('icmp.int_ident.ipv6', 'Address', 'ipv6'),
  intIdentAddress: field('icmp.int_ident.address', 'Address', 'bytes'),
  // expert items
  respNotFound: field('icmp.resp_not_found', 'Response not found', 'none'),
  checksumBad: field('icmp.checksum_bad', 'Bad checksum', 'none'),
  extChecksumBad: field('icmp.ext.checksum_bad', 'Bad checksum', 'none'),
};

// More than once in one message: a router advertisement's address entries; Mobile IP extensions;
// the objects of an RFC 4884 extension structure (several per message), MPLS label stack entries,
// interface information objects (RFC 5837) and interface identification objects.
repeating([icmp.routerAddress, icmp.prefLevel, icmp.extLength, icmp.extClass, icmp.extCtype, icmp.extData]);
repeating(Object.values(icmp).filter((d) => /^icmp\.(mip|mpls|int_info|int_ident)\./.test(d.abbrev)));

/** Request/response matching (Wireshark's per-conversation unmatched_pdus): bounded, oldest first out. */
export const MAX_TRANSACTIONS = 65536;
interface Trans {
  rqstFrame: number;
  respFrame: number;
  rqstTime: Time;
}
class IcmpState {
  trans = new Map<string, Trans>();
}
function newIcmpState(): IcmpState {
  return new IcmpState();
}
function stateOf(s: CaptureState): IcmpState {
  return s.slot('icmp', newIcmpState);
}

/** the number of open request/response records (for tests of the bound) */
export function icmpTransactionCount(s: CaptureState): number {
  return (s.protoData.get('icmp') as IcmpState | undefined)?.trans.size ?? 0;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Nov 22, 2026 05:20:55.000000000 UTC": tshark's absolute time (TZ=UTC, day padded with a space) */
function absTime(t: Time): string {
  const d = new Date(t.sec * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(t.nsec).padStart(9, '0')} UTC`;
}

/** C's "%.15g" (how tshark prints an FT_DOUBLE in -T fields) */
export function fmtG15(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 15) {
    const [m, e] = x.toExponential(14).split('e');
    const mant = m!.includes('.') ? m!.replace(/0+$/, '').replace(/\.$/, '') : m!;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(Number(x.toPrecision(15)));
}

/** signed_time_msecs_to_str / signed_time_secs_to_str: "1 hour, 2 minutes, 3.456 seconds" */
function timeStr(ms: number, withMs: boolean): string {
  if (ms === 0) return '0 seconds';
  let v = Math.abs(ms);
  const msecs = withMs ? v % 1000 : 0;
  if (withMs) v = Math.floor(v / 1000);
  const secs = v % 60;
  v = Math.floor(v / 60);
  const mins = v % 60;
  v = Math.floor(v / 60);
  const hours = v % 24;
  const days = Math.floor(v / 24);
  const parts: string[] = [];
  const pl = (n: number, u: string): string => `${n} ${u}${n === 1 ? '' : 's'}`;
  if (days) parts.push(pl(days, 'day'));
  if (hours) parts.push(pl(hours, 'hour'));
  if (mins) parts.push(pl(mins, 'minute'));
  if (secs || msecs) parts.push(msecs ? `${secs}.${String(msecs).padStart(3, '0')} seconds` : pl(secs, 'second'));
  return (ms < 0 ? '-' : '') + parts.join(', ');
}

const MSPERDAY = 86400000;
/** get_best_guess_mstimeofday: a timestamp field read big- or little-endian, whichever is plausible */
function bestGuessMs(ctx: Ctx, o: number, comp: number): number {
  let be = ctx.u32(o) & 0x7fffffff;
  let le = ctx.u32le(o) & 0x7fffffff;
  if (be < MSPERDAY && le >= MSPERDAY) return be;
  if (le < MSPERDAY && be >= MSPERDAY) return le;
  if (be < MSPERDAY && le < MSPERDAY) {
    const sBe = be;
    const sLe = le;
    if (be < comp && be <= MSPERDAY / 4 && comp >= MSPERDAY - MSPERDAY / 4) be += MSPERDAY;
    if (le < comp && le <= MSPERDAY / 4 && comp >= MSPERDAY - MSPERDAY / 4) le += MSPERDAY;
    return ((be - comp) >>> 0) < ((le - comp) >>> 0) ? sBe : sLe;
  }
  return ((be - comp) >>> 0) < ((le - comp) >>> 0) ? be : le;
}

/** a byte range clamped to the captured bytes of the data source (items never point past them) */
function cap(ctx: Ctx, off: number, n: number): number {
  return Math.max(0, Math.min(n, ctx.data.length - off));
}

function hex(v: number, digits: number): string {
  return v.toString(16).padStart(digits, '0');
}

function bytesHex(ctx: Ctx, o: number, n: number): string {
  return Buffer.from(ctx.bytes(o, n)).toString('hex');
}

/** the address pair of the outer IPv4/IPv6 header, direction-free (Wireshark's conversation) */
function convKey(ctx: Ctx): string {
  const a = ctx.netKey(false);
  const b = ctx.netKey(true);
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * A verified 16-bit checksum at `off` (`computed` = the folded sum over the covered bytes, 0 when
 * right): the value with [correct] or the value it should have been, its status, and the expert.
 */
function checksumItems(ctx: Ctx, L: Layer, parent: FieldNode | null, def: FieldDef, statusDef: FieldDef, badDef: FieldDef, off: number, cks: number, computed: number): void {
  if (computed === 0) {
    ctx.add(L, parent, def, off, 2, cks, ctx.tree.texts ? `Checksum: 0x${hex(cks, 4)} [correct]` : undefined);
    ctx.gen(L, parent, statusDef, 1, ctx.tree.texts ? 'Checksum Status: Good' : undefined);
    return;
  }
  let should = cks + computed;
  should = (should & 0xffff) + (should >>> 16);
  should = (should & 0xffff) + (should >>> 16);
  const n = ctx.add(L, parent, def, off, 2, cks, ctx.tree.texts ? `Checksum: 0x${hex(cks, 4)} incorrect, should be 0x${hex(should, 4)}` : undefined);
  ctx.expert(L, n, badDef, 'warn', 'Checksum', `Bad checksum [should be 0x${hex(should, 4)}]`);
  ctx.gen(L, parent, statusDef, 0, ctx.tree.texts ? 'Checksum Status: Bad' : undefined);
}

/** ICMP, after Wireshark's dissect_icmp: type and code, checksum, the second 32-bit word (which
 * depends on the type), then the rest of the message. */
export function dissectIcmp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const C = ctx.tree.cols && ctx.inError === 0;
  if (C) {
    ctx.pkt.colProto = 'ICMP';
    ctx.pkt.colInfo = '';
  }
  const capEnd = Math.min(end, rend);
  const L = ctx.layer(pIcmp, o, Math.max(0, capEnd - o));
  ctx.need(o, 2, end, rend);
  const type = ctx.u8(o);
  const code = ctx.u8(o + 1);
  ctx.need(o + 5, 1, end, rend);
  const origLen = type === 6 ? 0 : ctx.u8(o + 5);
  typeAndCode(ctx, L, o, type, code, C);
  ctx.need(o + 2, 2, end, rend);
  const cks = ctx.u16(o + 2);
  if (!ctx.fragment && capEnd >= rend && ctx.inError === 0) {
    checksumItems(ctx, L, null, icmp.checksum, icmp.checksumStatus, icmp.checksumBad, o + 2, cks, fold(sum16(ctx.data, o, rend - o)));
  } else {
    ctx.add(L, null, icmp.checksum, o + 2, 2, cks,
      ctx.tree.texts ? `Checksum: 0x${hex(cks, 4)} [unverified] [${ctx.inError > 0 ? 'in ICMP error packet' : 'fragmented datagram'}]` : undefined);
    ctx.gen(L, null, icmp.checksumStatus, 2, ctx.tree.texts ? 'Checksum Status: Unverified' : undefined);
  }
  secondWord(ctx, L, o, type, code, origLen, end, rend, C);
  restOfMessage(ctx, L, o, type, code, cks, origLen, end, rend);
  return null;
}

/** Type and code with their names; the Info column. */
function typeAndCode(ctx: Ctx, L: Layer, o: number, type: number, code: number, C: boolean): void {
  let typeStr = TYPE[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  let codeStr: string | null = null;
  const codes = CODES[type];
  if (codes) codeStr = codes[code] ?? `Unknown code: ${code}`;
  if (type === 9 && (code === 0 || code === 16)) typeStr = 'Mobile IP Advertisement';
  if (C) ctx.pkt.colInfo = typeStr.padEnd(20) + (codeStr ? ` (${codeStr})` : '');
  ctx.add(L, null, icmp.type, o, 1, type, ctx.tree.texts ? `Type: ${type} (${typeStr})` : undefined);
  ctx.add(L, null, icmp.code, o + 1, 1, code, ctx.tree.texts ? `Code: ${code}${codeStr ? ` (${codeStr})` : ''}` : undefined);
}

/** The second 32-bit word, as the type lays it out. */
function secondWord(ctx: Ctx, L: Layer, o: number, type: number, code: number, origLen: number, end: number, rend: number, C: boolean): void {
  switch (type) {
    case 0:
    case 8:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
      echoWord(ctx, L, o, end, rend, C);
      break;
    case 3:
      if (origLen > 0) {
        unused(ctx, L, o + 4, 1, end, rend);
        lengthFields(ctx, L, o, origLen);
        if (code === 4) mtu(ctx, L, o, end, rend);
        else unused(ctx, L, o + 6, 2, end, rend);
      } else if (code === 4) {
        unused(ctx, L, o + 4, 2, end, rend);
        mtu(ctx, L, o, end, rend);
      } else unused(ctx, L, o + 4, 4, end, rend);
      break;
    case 9:
      routerAdvertWord(ctx, L, o, end, rend);
      break;
    case 12:
      ctx.need(o + 4, 1, end, rend);
      ctx.add(L, null, icmp.pointer, o + 4, 1, ctx.u8(o + 4), ctx.tree.texts ? `Pointer: ${ctx.u8(o + 4)}` : undefined);
      if (origLen > 0) {
        lengthFields(ctx, L, o, origLen);
        unused(ctx, L, o + 6, 2, end, rend);
      } else unused(ctx, L, o + 5, 3, end, rend);
      break;
    case 5:
      ctx.need(o + 4, 4, end, rend);
      ctx.add(L, null, icmp.redirGw, o + 4, 4, ctx.u32(o + 4), ctx.tree.texts ? `Gateway Address: ${ipv4At(ctx.data, o + 4)}` : undefined);
      break;
    case 11:
      if (origLen > 0) {
        unused(ctx, L, o + 4, 1, end, rend);
        lengthFields(ctx, L, o, origLen);
        unused(ctx, L, o + 6, 2, end, rend);
      } else unused(ctx, L, o + 4, 4, end, rend);
      break;
    case 42:
    case 43:
      extEchoWord(ctx, L, o, type, end, rend);
      break;
  }
}

/** Identifier and sequence number (both byte orders, as Wireshark shows them); the Info column. */
function echoWord(ctx: Ctx, L: Layer, o: number, end: number, rend: number, C: boolean): void {
  const id = identSeq(ctx, L, o, end, rend);
  ctx.need(o + 6, 2, end, rend);
  const seq = ctx.u16(o + 6);
  ctx.add(L, null, icmp.seq, o + 6, 2, seq, ctx.tree.texts ? `Sequence Number (BE): ${seq} (0x${hex(seq, 4)})` : undefined);
  const seqLe = ctx.u16le(o + 6);
  ctx.add(L, null, icmp.seqLe, o + 6, 2, seqLe, ctx.tree.texts ? `Sequence Number (LE): ${seqLe} (0x${hex(seqLe, 4)})` : undefined);
  if (C) ctx.pkt.colInfo += ` id=0x${hex(id, 4)}, seq=${seq}/${seqLe}${ctx.netKind === 4 ? `, ttl=${ctx.ttl}` : ''}`;
}

/** Router advertisement: number of addresses, entry size, lifetime. */
function routerAdvertWord(ctx: Ctx, L: Layer, o: number, end: number, rend: number): void {
  ctx.need(o + 4, 2, end, rend);
  const numAddrs = ctx.u8(o + 4);
  const entrySize = ctx.u8(o + 5);
  ctx.add(L, null, icmp.numAddrs, o + 4, 1, numAddrs, ctx.tree.texts ? `Number of addresses: ${numAddrs}` : undefined);
  ctx.add(L, null, icmp.addrEntrySize, o + 5, 1, entrySize, ctx.tree.texts ? `Address entry size: ${entrySize}` : undefined);
  ctx.need(o + 6, 2, end, rend);
  const life = ctx.u16(o + 6);
  ctx.add(L, null, icmp.lifetime, o + 6, 2, life, ctx.tree.texts ? `Lifetime: ${life} (${timeStr(life, false)})` : undefined);
}

/** Extended echo request/reply (RFC 8335): identifier, sequence number, flags. */
function extEchoWord(ctx: Ctx, L: Layer, o: number, type: number, end: number, rend: number): void {
  identSeq(ctx, L, o, end, rend);
  ctx.need(o + 6, 2, end, rend);
  const s = ctx.u8(o + 6);
  ctx.add(L, null, icmp.extEchoSeq, o + 6, 1, s, ctx.tree.texts ? `Sequence Number: ${s} (0x${hex(s, 2)})` : undefined);
  const b = ctx.u8(o + 7);
  if (type === 42) {
    ctx.add(L, null, icmp.extEchoReqRes, o + 7, 1, b >> 1, ctx.tree.texts ? `${bitPicture(8, 0xfe, b)} = Reserved: 0x${hex(b >> 1, 2)}` : undefined);
    flagBit(ctx, L, o + 7, b, icmp.extEchoReqLocal, 'Local bit');
  } else {
    ctx.add(L, null, icmp.extEchoRspState, o + 7, 1, b >> 5, ctx.tree.texts ? `${bitPicture(8, 0xe0, b)} = State: ${ECHO_STATE[b >> 5] ?? 'Unknown'} (${b >> 5})` : undefined);
    ctx.add(L, null, icmp.extEchoRspRes, o + 7, 1, (b >> 3) & 3, ctx.tree.texts ? `${bitPicture(8, 0x18, b)} = Reserved: 0x${hex((b >> 3) & 3, 1)}` : undefined);
    flagBit(ctx, L, o + 7, b, icmp.extEchoRspActive, 'Active bit');
    flagBit(ctx, L, o + 7, b, icmp.extEchoRspIpv4, 'IPv4 bit');
    flagBit(ctx, L, o + 7, b, icmp.extEchoRspIpv6, 'IPv6 bit');
  }
}

/** A one-bit flag of byte `b` (at off), by its definition's bitmask. */
function flagBit(ctx: Ctx, L: Layer, off: number, b: number, def: FieldDef, label: string): void {
  const v = (b & def.bitmask) !== 0;
  ctx.add(L, null, def, off, 1, v, ctx.tree.texts ? `${bitPicture(8, def.bitmask, b)} = ${label}: ${v ? 'Set' : 'Not set'}` : undefined);
}

/** What follows the second word: the quoted datagram of an error, echo data, router addresses,
 * timestamps, an address mask, extended echo's extensions. */
function restOfMessage(ctx: Ctx, L: Layer, o: number, type: number, code: number, cks: number, origLen: number, end: number, rend: number): void {
  switch (type) {
    case 3:
    case 4:
    case 5:
    case 11:
    case 12:
      quotedDatagram(ctx, L, o, end, rend, type, origLen);
      break;
    case 0:
    case 8:
      if (ctx.inError === 0) matchEcho(ctx, L, o, type, cks);
      echoData(ctx, L, o, end, rend);
      break;
    case 9:
      if (ctx.u8(o + 5) === 2) routerAddresses(ctx, L, o, code, end, rend);
      else innerData(ctx, o + 8, end, rend);
      break;
    case 13:
    case 14:
      timestampFields(ctx, L, o, end, rend);
      break;
    case 17:
    case 18:
      ctx.need(o + 8, 4, end, rend);
      ctx.add(L, null, icmp.addressMask, o + 8, 4, ctx.u32(o + 8), ctx.tree.texts ? `Address Mask: ${ipv4At(ctx.data, o + 8)}` : undefined);
      break;
    case 42:
      if (rend - o > 8) extensions(ctx, L, o + 8, end, rend);
      break;
  }
}

/** A router advertisement's addresses and preference levels, then Mobile IP extensions. */
function routerAddresses(ctx: Ctx, L: Layer, o: number, code: number, end: number, rend: number): void {
  const numAddrs = ctx.u8(o + 4);
  let i = 0;
  for (; i < numAddrs; i++) {
    const a = o + 8 + i * 8;
    ctx.need(a, 4, end, rend);
    ctx.add(L, null, icmp.routerAddress, a, 4, ctx.u32(a), ctx.tree.texts ? `Router address: ${ipv4At(ctx.data, a)}` : undefined);
    ctx.need(a + 4, 4, end, rend);
    const pref = ctx.u32(a + 4) | 0;
    ctx.add(L, null, icmp.prefLevel, a + 4, 4, pref, ctx.tree.texts ? `Preference level: ${pref}` : undefined);
  }
  if (code === 0 || code === 16) mipExtensions(ctx, L, o + 8 + i * 8, end, rend);
}

/** Timestamp request/reply: originate, receive and transmit timestamps (ms after midnight UTC). */
function timestampFields(ctx: Ctx, L: Layer, o: number, end: number, rend: number): void {
  const ts = ctx.pkt.rec.ts;
  const frameTs = (ts.sec * 1000 + Math.floor(ts.nsec / 1000000)) % MSPERDAY;
  const defs = [icmp.originateTs, icmp.receiveTs, icmp.transmitTs];
  for (let i = 0; i < 3; i++) {
    const a = o + 8 + i * 4;
    ctx.need(a, 4, end, rend);
    const v = ctx.u32(a);
    const d = defs[i]!;
    ctx.add(L, null, d, a, 4, v, ctx.tree.texts ? `${d.name}: ${v} (${timeStr(bestGuessMs(ctx, a, frameTs), true)} after midnight UTC)` : undefined);
  }
}

function identSeq(ctx: Ctx, L: Layer, o: number, end: number, rend: number): number {
  ctx.need(o + 4, 2, end, rend);
  const id = ctx.u16(o + 4);
  ctx.add(L, null, icmp.ident, o + 4, 2, id, ctx.tree.texts ? `Identifier (BE): ${id} (0x${hex(id, 4)})` : undefined);
  const idLe = ctx.u16le(o + 4);
  ctx.add(L, null, icmp.identLe, o + 4, 2, idLe, ctx.tree.texts ? `Identifier (LE): ${idLe} (0x${hex(idLe, 4)})` : undefined);
  return id;
}

function unused(ctx: Ctx, L: Layer, at: number, n: number, end: number, rend: number): void {
  ctx.need(at, n, end, rend);
  ctx.addBytes(L, null, icmp.unused, at, n, ctx.tree.texts ? `Unused: ${bytesHex(ctx, at, n)}` : undefined);
}

function lengthFields(ctx: Ctx, L: Layer, o: number, origLen: number): void {
  ctx.add(L, null, icmp.length, o + 5, 1, origLen, ctx.tree.texts ? `Length: ${origLen}` : undefined);
  const n = ctx.gen(L, null, icmp.lengthOrig, (origLen * 4) & 0xff, ctx.tree.texts ? `Length of original datagram: ${origLen * 4}` : undefined);
  if (n) [n.offset, n.length] = [o + 5, 1];
}

function mtu(ctx: Ctx, L: Layer, o: number, end: number, rend: number): void {
  ctx.need(o + 6, 2, end, rend);
  ctx.add(L, null, icmp.mtu, o + 6, 2, ctx.u16(o + 6), ctx.tree.texts ? `MTU of next hop: ${ctx.u16(o + 6)}` : undefined);
}

/** Payload handed to the data dissector as a child of the ICMP tree. */
function innerData(ctx: Ctx, p: number, end: number, rend: number): void {
  const before = ctx.pkt.layers.length;
  dissectData(ctx, p, Math.min(end, rend), rend);
  const dl = ctx.pkt.layers[before];
  if (dl) dl.inner = true;
}

/** Echo request/reply: transaction matching (single pass), as Wireshark's transaction_start/_end. */
function matchEcho(ctx: Ctx, L: Layer, o: number, type: number, cks: number): void {
  const st = stateOf(ctx.state).trans;
  const idSeq = ctx.u32(o + 4);
  const conv = convKey(ctx);
  if (type === 8) {
    // the checksum the reply will carry (type 8 → 0 adds 0x0800)
    let s = (~cks & 0xffff) + (~0x0800 & 0xffff);
    s = (s & 0xffff) + (s >>> 16);
    s = (s & 0xffff) + (s >>> 16);
    const key0 = ~s & 0xffff;
    const key = `${conv}|${key0}|${idSeq}`;
    st.delete(key);
    while (st.size >= MAX_TRANSACTIONS) st.delete(st.keys().next().value as string);
    st.set(key, { rqstFrame: ctx.pkt.rec.num, respFrame: 0, rqstTime: ctx.pkt.rec.ts });
    return;
  }
  const key0 = cks === 0xffff ? 0 : cks;
  const t = st.get(`${conv}|${key0}|${idSeq}`);
  if (!t || t.respFrame !== 0) return;
  t.respFrame = ctx.pkt.rec.num;
  const rt = timeSub(ctx.pkt.rec.ts, t.rqstTime);
  const ms = (rt.sec * 1e9 + rt.nsec) / 1e6;
  ctx.gen(L, null, icmp.respTo, t.rqstFrame, ctx.tree.texts ? `Request frame: ${t.rqstFrame}` : undefined);
  ctx.gen(L, null, icmp.resptime, fmtG15(ms), ctx.tree.texts ? `Response time: ${ms.toFixed(3)} ms` : undefined);
  if (ctx.tree.cols) ctx.pkt.colInfo += ` (request in ${t.rqstFrame})`;
}

/** The first 8 data bytes as a timestamp (BE, else LE) when within a day of the frame time. */
function echoData(ctx: Ctx, L: Layer, o: number, end: number, rend: number): void {
  const capEnd = Math.min(end, rend);
  const p = o + 8;
  if (capEnd - p < 8) {
    if (capEnd - p > 0) innerData(ctx, p, end, rend);
    return;
  }
  const frameSec = ctx.pkt.rec.ts.sec;
  let secs = ctx.u32(p);
  let usecs = ctx.u32(p + 4) | 0;
  const plausible = (s: number, us: number): boolean => Math.abs((s - frameSec) | 0) < 86400 && us < 1000000;
  if (!plausible(secs, usecs)) {
    secs = ctx.u32le(p);
    usecs = ctx.u32le(p + 4) | 0;
  }
  if (plausible(secs, usecs)) {
    const ts: Time = { sec: secs, nsec: Math.imul(usecs, 1000) };
    ctx.add(L, null, icmp.dataTime, p, 8, ts, ctx.tree.texts ? `Timestamp from icmp data: ${absTime(ts)}` : undefined);
    const rel = timeSub(ctx.pkt.rec.ts, ts);
    const n = ctx.add(L, null, icmp.dataTimeRelative, p, 8, rel, ctx.tree.texts ? `Timestamp from icmp data (relative): ${formatRelTime(rel)} seconds` : undefined);
    if (n) n.generated = true;
    innerData(ctx, p + 8, end, rend);
  } else innerData(ctx, p, end, rend);
}

/**
 * The quoted datagram of an error message (Wireshark: call_dissector(ip_handle) with
 * pinfo->flags.in_error_pkt set), then the RFC 4884 extension structure when there is one.
 */
function quotedDatagram(ctx: Ctx, L: Layer, o: number, end: number, rend: number, type: number, origLen: number): void {
  const p = o + 8;
  let qEnd = end;
  let qRend = rend;
  const reported = rend - o;
  const shrink = (len: number): void => {
    if (p + len < qRend) {
      qRend = p + len;
      if (qEnd > qRend) qEnd = qRend;
    }
  };
  if (type === 5) {
    ctx.need(p, 1, end, rend);
    shrink((ctx.u8(p) & 0x0f) * 4 + 8);
  } else if (origLen && reported > 8 + origLen * 4) {
    ctx.need(o + 10, 2, end, rend);
    if (ctx.u16(o + 10) > origLen * 4) {
      ctx.need(p, 1, end, rend);
      shrink(((ctx.u8(p) & 0x0f) + origLen) * 4);
    }
  }
  // Wireshark does not get this deep anyway: its layer list is bounded too
  const quoteStart = ctx.pkt.layers.length;
  if (ctx.inError < 8 && qRend > p) runQuoted(ctx, 'ip', p, qEnd, qRend);
  if (reported > 8 + 128) {
    ctx.need(o + 10, 2, end, rend);
    if (ctx.u16(o + 10) <= 128) {
      extensionBlock(ctx, 'icmp', quoteStart, o + (origLen ? origLen * 4 : 128) + 8, end, rend);
    }
  }
}

/**
 * The RFC 4884 extensions after an error's quoted datagram, from `e` (ICMP and ICMPv6). In
 * Wireshark's tree they follow the quote: a block of their own after the quoted layers. A start
 * past the end of the message (a length field the message contradicts) is out of bounds for the
 * error's protocol, `proto`. Returns false for an extension version it does not know.
 */
export function extensionBlock(ctx: Ctx, proto: 'icmp' | 'icmpv6', quoteStart: number, e: number, end: number, rend: number): boolean {
  ctx.needAs(proto, e, 0, end, rend);
  const XL = newLayer('icmp', fText, 'ICMP Multi-Part Extensions', e, cap(ctx, e, rend - e), ctx.src || undefined, true);
  // before a top-level layer the quote added (the quoted UDP's data goes to the tree's root)
  const layers = ctx.pkt.layers;
  let at = quoteStart;
  while (at < layers.length && layers[at]!.inner) at++;
  layers.splice(at, 0, XL);
  return extensions(ctx, XL, e, end, rend, true);
}

/** RFC 4884 multi-part extensions (dissect_icmp_extension), from e to the end of the message;
 * false when the version is not one it knows */
function extensions(ctx: Ctx, L: Layer, e: number, end: number, rend: number, block = false): boolean {
  const F = ctx.tree.full;
  const reported = rend - e;
  // in a block of its own (see quotedDatagram) the block header stands for the icmp.ext item
  const extN = block ? ctx.tree.hidden(L, icmp.ext, e, cap(ctx, e, reported), null) : ctx.add(L, null, icmp.ext, e, cap(ctx, e, reported), null, ctx.tree.texts ? 'ICMP Multi-Part Extensions' : undefined);
  const top = block ? null : extN;
  if (reported < 4) return true;
  ctx.need(e, 4, end, rend);
  const b0 = ctx.u8(e);
  const version = b0 >> 4;
  ctx.add(L, top, icmp.extVersion, e, 1, version, ctx.tree.texts ? `Version: ${version}` : undefined);
  const res = ctx.u16(e) & 0x0fff;
  ctx.add(L, top, icmp.extRes, e, 2, res, ctx.tree.texts ? `${bitPicture(16, 0x0fff, ctx.u16(e))} = Reserved: 0x${hex(res, 3)}` : undefined);
  const cks = ctx.u16(e + 2);
  if (cks === 0) {
    const n = ctx.gen(L, top, icmp.extChecksum, 0, ctx.tree.texts ? 'Checksum: [missing]' : undefined);
    if (n) [n.offset, n.length] = [e + 2, 2];
    ctx.gen(L, top, icmp.extChecksumStatus, 3, ctx.tree.texts ? 'Checksum Status: Not present' : undefined);
  } else {
    ctx.need(e, reported, end, rend);
    checksumItems(ctx, L, top, icmp.extChecksum, icmp.extChecksumStatus, icmp.extChecksumBad, e + 2, cks, fold(sum16(ctx.data, e, reported)));
  }
  if (version !== 1 && version !== 2) {
    if (F) {
      if (top) top.text += ' (unsupported version)';
      else L.summary += ' (unsupported version)';
    }
    return false;
  }
  let off = e + 4;
  let intInfoCount = 0;
  while (rend - off >= 4) {
    ctx.need(off, 4, end, rend);
    const objLen = ctx.u16(off);
    const trunc = Math.min(objLen, rend - off);
    const objEnd = off + trunc;
    const obj = F || ctx.tree.wants(fText) ? ctx.add(L, top, fText, off, cap(ctx, off, Math.max(trunc, 4)), null, 'Unknown object') : null;
    ctx.add(L, obj, icmp.extLength, off, 2, objLen, ctx.tree.texts ? `Length: ${objLen}` : undefined);
    const cls = ctx.u8(off + 2);
    ctx.add(L, obj, icmp.extClass, off + 2, 1, cls, ctx.tree.texts ? `Class: ${EXT_CLASS[cls] ?? 'Unknown'} (${cls})` : undefined);
    const ctype = ctx.u8(off + 3);
    if (objLen < 4) {
      if (obj) obj.text = 'Object with bad length';
      break;
    }
    let unknown = false;
    if (cls === 1) unknown = mplsStack(ctx, L, obj, off, objEnd, ctype, end, rend);
    else if (cls === 2) {
      unknown = interfaceInfo(ctx, L, obj, off, objEnd, ctype, end, rend);
      if (++intInfoCount > 4 && obj) obj.text = 'More than 4 Interface Information Objects';
    } else if (cls === 3) unknown = interfaceIdent(ctx, L, obj, off, objLen, ctype, end, rend);
    else if (cls === 0) {
      // MPLS extended payload object
      ctx.add(L, obj, icmp.extCtype, off + 3, 1, ctype, ctx.tree.texts ? `C-Type: ${ctype}` : undefined);
      if (ctype === 1) {
        if (obj) obj.text = 'Extended Payload';
        if (trunc > 4) {
          ctx.need(off + 4, trunc - 4, end, rend);
          ctx.addBytes(L, obj, icmp.extData, off + 4, trunc - 4, ctx.tree.texts ? `Data: ${bytesHex(ctx, off + 4, trunc - 4)}` : undefined);
        }
      } else unknown = true;
    } else unknown = true;
    if (unknown) {
      ctx.add(L, obj, icmp.extCtype, off + 3, 1, ctype, ctx.tree.texts ? `C-Type: ${ctype}` : undefined);
      if (obj) obj.text = `Unknown object (${cls}/${ctype})`;
      if (trunc > 4) {
        ctx.need(off + 4, trunc - 4, end, rend);
        ctx.addBytes(L, obj, icmp.extData, off + 4, trunc - 4, ctx.tree.texts ? `Data: ${bytesHex(ctx, off + 4, trunc - 4)}` : undefined);
      }
    }
    if (trunc < objLen && obj) obj.text += ' (truncated)';
    off = objEnd;
  }
  return true;
}

function mplsStack(ctx: Ctx, L: Layer, obj: FieldNode | null, off: number, objEnd: number, ctype: number, end: number, rend: number): boolean {
  const F = ctx.tree.full;
  ctx.add(L, obj, icmp.extCtype, off + 3, 1, ctype, ctx.tree.texts ? `C-Type: ${ctype}` : undefined);
  if (ctype !== 1) return true;
  if (obj) obj.text = 'MPLS Stack Entry';
  let p = off + 4;
  while (p + 4 <= objEnd && rend - p >= 4) {
    ctx.need(p, 4, end, rend);
    const w = ctx.u24(p);
    const label = w >> 4;
    const tmp = ctx.u8(p + 2);
    const ttl = ctx.u8(p + 3);
    const entry = F ? ctx.add(L, obj, fText, p, 4, null, `Label: ${label}, Exp: ${(tmp >> 1) & 7}, S: ${tmp & 1}, TTL: ${ttl}`) : null;
    ctx.add(L, entry, icmp.mplsLabel, p, 3, label, ctx.tree.texts ? `${bitPicture(24, 0xfffff0, w)} = Label: ${label}` : undefined);
    ctx.add(L, entry, icmp.mplsExp, p + 2, 1, (tmp >> 1) & 7, ctx.tree.texts ? `${bitPicture(24, 0x0e, tmp)} = Experimental: ${(tmp >> 1) & 7}` : undefined);
    ctx.add(L, entry, icmp.mplsS, p + 2, 1, (tmp & 1) !== 0, ctx.tree.texts ? `${bitPicture(24, 0x01, tmp)} = Stack bit: ${tmp & 1 ? 'Set' : 'Not set'}` : undefined);
    ctx.add(L, entry, icmp.mplsTtl, p + 3, 1, ttl, ctx.tree.texts ? `Time to live: ${ttl}` : undefined);
    p += 4;
  }
  if (p < objEnd) {
    ctx.need(p, objEnd - p, end, rend);
    ctx.addBytes(L, obj, icmp.mplsData, p, objEnd - p, ctx.tree.texts ? `Data: ${bytesHex(ctx, p, objEnd - p)}` : undefined);
  }
  return false;
}

function interfaceInfo(ctx: Ctx, L: Layer, obj: FieldNode | null, off: number, objEnd: number, ctype: number, end: number, rend: number): boolean {
  const F = ctx.tree.full;
  if (obj) obj.text = 'Interface Information Object';
  if (rend - off < 4) return true;
  const ifIndex = (ctype & 0x08) !== 0;
  const ipaddr = (ctype & 0x04) !== 0;
  const name = (ctype & 0x02) !== 0;
  const mtuF = (ctype & 0x01) !== 0;
  let text: string | undefined;
  if (F) {
    const parts = [`C-Type: ${ctype}`, `Interface Role: ${INT_ROLE[ctype >> 6]}`];
    if (ifIndex) parts.push('ifIndex');
    if (ipaddr) parts.push('IP Address');
    if (name) parts.push('Interface Name');
    if (mtuF) parts.push('MTU');
    text = parts.join(', ');
  }
  const ct = ctx.add(L, obj, icmp.extCtype, off + 3, 1, ctype, text);
  ctx.add(L, ct, icmp.intRole, off + 3, 1, ctype >> 6, ctx.tree.texts ? `${bitPicture(8, 0xc0, ctype)} = Interface Role: ${INT_ROLE[ctype >> 6]} (${ctype >> 6})` : undefined);
  ctx.add(L, ct, icmp.intReserved, off + 3, 1, (ctype >> 4) & 3, ctx.tree.texts ? `${bitPicture(8, 0x30, ctype)} = Reserved: ${(ctype >> 4) & 3}` : undefined);
  ctx.add(L, ct, icmp.intIfindex, off + 3, 1, ifIndex, ctx.tree.texts ? `${bitPicture(8, 0x08, ctype)} = ifIndex: ${ifIndex ? 'True' : 'False'}` : undefined);
  ctx.add(L, ct, icmp.intIpaddr, off + 3, 1, ipaddr, ctx.tree.texts ? `${bitPicture(8, 0x04, ctype)} = IP Address: ${ipaddr ? 'Present' : 'Not Present'}` : undefined);
  ctx.add(L, ct, icmp.intName, off + 3, 1, name, ctx.tree.texts ? `${bitPicture(8, 0x02, ctype)} = Interface Name: ${name ? 'Present' : 'Not Present'}` : undefined);
  ctx.add(L, ct, icmp.intMtuPresent, off + 3, 1, mtuF, ctx.tree.texts ? `${bitPicture(8, 0x01, ctype)} = MTU: ${mtuF ? 'Present' : 'Not Present'}` : undefined);
  let p = off + 4;
  if (ifIndex) {
    ctx.need(p, 4, end, rend);
    ctx.add(L, obj, icmp.intIndex, p, 4, ctx.u32(p), ctx.tree.texts ? `Interface Index: ${ctx.u32(p)}` : undefined);
    p += 4;
  }
  if (ipaddr && objEnd >= p + 2) {
    ctx.need(p, 2, end, rend);
    const afi = ctx.u16(p);
    const sub = F ? ctx.add(L, obj, fText, p, cap(ctx, p, afi === 1 ? 8 : 20), null, 'IP Address Sub-Object') : null;
    ctx.add(L, sub, icmp.intAfi, p, 2, afi, ctx.tree.texts ? `Address Family Identifier: ${afi}` : undefined);
    p += 2;
    ctx.need(p, 2, end, rend);
    ctx.addBytes(L, sub, icmp.reserved, p, 2, ctx.tree.texts ? `Reserved: ${bytesHex(ctx, p, 2)}` : undefined);
    p += 2;
    if (afi === 1) {
      ctx.need(p, 4, end, rend);
      ctx.add(L, sub, icmp.intIpv4, p, 4, ctx.u32(p), ctx.tree.texts ? `Source: ${ipv4At(ctx.data, p)}` : undefined);
      p += 4;
    } else if (afi === 2) {
      ctx.need(p, 16, end, rend);
      ctx.addBytes(L, sub, icmp.intIpv6, p, 16, ctx.tree.texts ? `Source: ${ipv6Str(ctx.data, p)}` : undefined);
      p += 16;
    } else {
      // Wireshark passes a negative length here (offset - end): an item to the end of the data
      ctx.add(L, sub, icmp.intIpunknown, p, 0, new Uint8Array(0), ctx.tree.texts ? 'Source: <MISSING>' : undefined);
      return false;
    }
  }
  if (name) {
    let nameLen = 0;
    let sub: FieldNode | null = null;
    if (objEnd >= p + 1) {
      ctx.need(p, 1, end, rend);
      nameLen = ctx.u8(p);
      sub = F ? ctx.add(L, obj, fText, p, cap(ctx, p, nameLen), null, 'Interface Name Sub-Object') : null;
      ctx.add(L, sub, icmp.intNameLength, p, 1, nameLen, ctx.tree.texts ? `Name Length: ${nameLen}` : undefined);
      p += 1;
    }
    if (objEnd >= p + nameLen && nameLen > 1) {
      ctx.need(p, nameLen - 1, end, rend);
      let s = '';
      for (let i = 0; i < nameLen - 1; i++) {
        const c = ctx.u8(p + i);
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      ctx.add(L, sub, icmp.intNameString, p, nameLen - 1, s, ctx.tree.texts ? `Name: ${s}` : undefined);
      p += nameLen - 1;
    }
  }
  if (mtuF) {
    ctx.need(p, 4, end, rend);
    ctx.add(L, obj, icmp.intMtu, p, 4, ctx.u32(p), ctx.tree.texts ? `Maximum Transmission Unit: ${ctx.u32(p)}` : undefined);
  }
  return false;
}

function interfaceIdent(ctx: Ctx, L: Layer, obj: FieldNode | null, off: number, objLen: number, ctype: number, end: number, rend: number): boolean {
  if (obj) obj.text = 'Interface Identification Object';
  if (rend - off < 5) return true;
  const names: Record<number, string> = { 1: 'Identifies Interface By Name', 2: 'Identifies Interface By Index', 3: 'Identifies Interface By Address' };
  ctx.add(L, obj, icmp.extCtype, off + 3, 1, ctype, ctx.tree.texts ? `C-Type: ${ctype} (${names[ctype] ?? `Unknown C-Type ${ctype}`})` : undefined);
  let p = off + 4;
  if (ctype === 1) {
    const n = Math.max(0, objLen - 4);
    ctx.need(p, n, end, rend);
    let s = '';
    for (let i = 0; i < n && ctx.u8(p + i) !== 0; i++) s += String.fromCharCode(ctx.u8(p + i));
    ctx.add(L, obj, icmp.intIdentName, p, n, s, ctx.tree.texts ? `Name: ${s}` : undefined);
  } else if (ctype === 2) {
    ctx.need(p, 4, end, rend);
    ctx.add(L, obj, icmp.intIdentIndex, p, 4, ctx.u32(p), ctx.tree.texts ? `Interface Index: ${ctx.u32(p)}` : undefined);
  } else if (ctype === 3) {
    ctx.need(p, 4, end, rend);
    const afi = ctx.u16(p);
    let alen = ctx.u8(p + 2);
    ctx.add(L, obj, icmp.intIdentAfi, p, 2, afi, ctx.tree.texts ? `Address Family Identifier: ${AFN[afi] ?? 'Unknown'} (${afi})` : undefined);
    ctx.add(L, obj, icmp.intIdentAddrLength, p + 2, 1, alen, ctx.tree.texts ? `Address Length: ${alen}` : undefined);
    ctx.addBytes(L, obj, icmp.intIdentReserved, p + 3, 1, ctx.tree.texts ? `Reserved: ${bytesHex(ctx, p + 3, 1)}` : undefined);
    p += 4;
    if (afi === 1) {
      while (alen >= 4 && rend - p >= 4) {
        ctx.need(p, 4, end, rend);
        ctx.add(L, obj, icmp.intIdentIpv4, p, 4, ctx.u32(p), ctx.tree.texts ? `Address: ${ipv4At(ctx.data, p)}` : undefined);
        p += 4;
        alen -= 4;
      }
    } else if (afi === 2) {
      while (alen >= 16 && rend - p >= 16) {
        ctx.need(p, 16, end, rend);
        ctx.addBytes(L, obj, icmp.intIdentIpv6, p, 16, ctx.tree.texts ? `Address: ${ipv6Str(ctx.data, p)}` : undefined);
        p += 16;
        alen -= 16;
      }
    } else if (rend - p > 0) {
      ctx.need(p, rend - p, end, rend);
      ctx.addBytes(L, obj, icmp.intIdentAddress, p, rend - p, ctx.tree.texts ? `Address: ${bytesHex(ctx, p, rend - p)}` : undefined);
    }
  }
  return false;
}

/** Mobile IP advertisement extensions (RFC 2002/3012) after the router addresses. */
function mipExtensions(ctx: Ctx, L: Layer, p: number, end: number, rend: number): void {
  const F = ctx.tree.full;
  while (rend - p > 0) {
    ctx.need(p, 1, end, rend);
    const t = ctx.u8(p);
    let len = 0;
    if (t) {
      ctx.need(p + 1, 1, end, rend);
      len = ctx.u8(p + 1);
    }
    const ext = F ? ctx.add(L, null, fText, p, cap(ctx, p, t ? len + 2 : 1), null, `Ext: ${MIP_EXT[t] ?? `Unknown ext ${t}`}`) : null;
    ctx.add(L, ext, icmp.mipType, p, 1, t, ctx.tree.texts ? `Extension Type: ${MIP_EXT[t] ?? 'Unknown'} (${t})` : undefined);
    p++;
    if (t !== 0) {
      ctx.add(L, ext, icmp.mipLength, p, 1, len, ctx.tree.texts ? `Length: ${len}` : undefined);
      p++;
    }
    if (t === 0) continue;
    if (t === 16) {
      ctx.need(p, 6, end, rend);
      ctx.add(L, ext, icmp.mipSeq, p, 2, ctx.u16(p), ctx.tree.texts ? `Sequence Number: ${ctx.u16(p)}` : undefined);
      ctx.add(L, ext, icmp.mipLife, p + 2, 2, ctx.u16(p + 2), ctx.tree.texts ? `Registration Lifetime: ${ctx.u16(p + 2)}` : undefined);
      ctx.add(L, ext, icmp.mipFlags, p + 4, 2, ctx.u16(p + 4), ctx.tree.texts ? `Flags: 0x${hex(ctx.u16(p + 4), 4)}` : undefined);
      p += 6;
      const n = Math.floor((len - 6) / 4);
      for (let i = 0; i < n; i++) {
        ctx.need(p, 4, end, rend);
        ctx.add(L, ext, icmp.mipCoa, p, 4, ctx.u32(p), ctx.tree.texts ? `Care-Of-Address: ${ipv4At(ctx.data, p)}` : undefined);
        p += 4;
      }
    } else if (t === 19) {
      for (let i = 0; i < len; i++) {
        ctx.need(p, 1, end, rend);
        ctx.add(L, ext, icmp.mipPrefixLength, p, 1, ctx.u8(p), ctx.tree.texts ? `Prefix Length: ${ctx.u8(p)}` : undefined);
        p++;
      }
    } else if (t === 24) {
      ctx.need(p, len, end, rend);
      ctx.addBytes(L, ext, icmp.mipChallenge, p, len, ctx.tree.texts ? `Challenge: ${bytesHex(ctx, p, len)}` : undefined);
      p += len;
    } else if (len !== 0) {
      const n = Math.max(0, len - 4);
      ctx.need(p, n, end, rend);
      ctx.addBytes(L, ext, icmp.mipContent, p, n, ctx.tree.texts ? `Content: ${bytesHex(ctx, p, n)}` : undefined);
      p += len;
    }
  }
}

register('icmp', dissectIcmp);
handoff('ip.proto', 1, 'icmp');
