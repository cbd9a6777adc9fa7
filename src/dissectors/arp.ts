import { etherStr, hexStr, ipv4At } from '../core/addr.js';
import { field, protocol, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { MalformedError } from '../dissect/context.js';
import type { CaptureState } from '../dissect/state.js';
import { handoff, register } from '../dissect/registry.js';
import { ETHERTYPES, etypeText } from './ethernet.js';

/** Hardware types (IANA, plus Linux's ARPHRD_* used by cooked captures), as tshark 4.0 names them. */
export const ARP_HRD: Record<number, string> = {
  0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 4: 'ProNET', 5: 'Chaos', 6: 'IEEE 802', 7: 'ARCNET',
  8: 'Hyperchannel', 9: 'Lanstar', 10: 'Autonet Short Address', 11: 'Localtalk', 12: 'LocalNet', 13: 'Ultra link', 14: 'SMDS',
  15: 'Frame Relay DLCI', 16: 'ATM', 17: 'HDLC', 18: 'Fibre Channel', 19: 'ATM (RFC 2225)', 20: 'Serial Line', 21: 'ATM',
  22: 'MIL-STD-188-220', 23: 'Metricom STRIP', 24: 'IEEE 1394.1995', 25: 'MAPOS', 26: 'Twinaxial', 27: 'EUI-64', 28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3', 30: 'ARPSec', 31: 'IPsec tunnel', 32: 'InfiniBand', 33: 'TIA-102 Project 25 CAI',
  34: 'Wiegand Interface', 35: 'Pure IP', 36: 'Experimental 1', 37: 'HFI', 256: 'Experimental 2', 257: 'AEthernet',
  260: 'Notional KISS type', 264: 'ADAPT', 270: 'ROSE', 271: 'CCITT X.25', 272: 'Boards with X.25 in firmware',
  280: 'Controller Area Network', 512: 'PPP', 513: 'Cisco HDLC', 516: 'LAPB', 517: "Digital's DDCMP protocol", 518: 'Raw HDLC',
  519: 'Raw IP', 768: 'IPIP tunnel', 769: 'IP6IP6 tunnel', 770: 'Frame Relay Access Device', 771: 'SKIP vif', 772: 'Loopback',
  774: 'Fiber Distributed Data Interface', 775: 'AP1000 BIF', 776: 'sit0 device - IPv6-in-IPv4', 777: 'IP over DDP tunneller',
  778: 'GRE over IP', 779: 'PIMSM register interface', 780: 'High Performance Parallel Interface', 781: 'Nexus 64Mbps Ash',
  782: 'Acorn Econet', 783: 'Linux-IrDA', 784: 'Point to point fibrechannel', 785: 'Fibrechannel arbitrated loop',
  786: 'Fibrechannel public loop', 787: 'Fibrechannel fabric', 800: 'Magic type ident for TR', 801: 'IEEE 802.11',
  802: 'IEEE 802.11 + Prism2 header', 803: 'IEEE 802.11 + radiotap header', 804: 'IEEE 802.15.4', 805: 'IEEE 802.15.4 network monitor',
  820: 'PhoNet media type', 821: 'PhoNet pipe header', 822: 'CAIF media type', 823: 'GRE over IPv6', 824: 'Netlink',
  825: 'IPv6 over LoWPAN', 826: 'Vsock monitor header', 65534: 'zero header length', 65535: 'Void type, nothing is known',
};

const OPCODES: Record<number, string> = {
  0: 'reserved', 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'drarp request', 6: 'drarp reply',
  7: 'drarp error', 8: 'inverse request', 9: 'inverse reply', 10: 'arp nak', 11: 'mars request', 12: 'mars multi',
  13: 'mars mserv', 14: 'mars join', 15: 'mars leave', 16: 'mars nak', 17: 'mars unserv', 18: 'mars sjoin', 19: 'mars sleave',
  20: 'mars grouplist request', 21: 'mars grouplist reply', 22: 'mars redirect map', 23: 'mapos unarp', 24: 'experimental 1',
  25: 'experimental 2', 65535: 'reserved',
};

/** MARS/MAPOS opcodes: Info "<what> from <sender hw> at <sender proto>". */
const MARS_INFO: Record<number, string> = {
  11: 'MARS request', 12: 'MARS MULTI request', 13: 'MARS MSERV request', 14: 'MARS JOIN request', 15: 'MARS LEAVE',
  16: 'MARS NAK', 17: 'MARS UNSERV request', 18: 'MARS SJOIN request', 19: 'MARS SLEAVE', 20: 'MARS grouplist request',
  21: 'MARS grouplist reply', 22: 'MARS redirect map', 23: 'MAPOS UNARP request',
};

const DRARP_STATUS: Record<number, string> = { 1: 'restricted', 2: 'no address', 3: 'serverdown', 4: 'moved', 5: 'failure' };

export const pArp = protocol('arp', 'Address Resolution Protocol', { short: 'ARP/RARP', analysis: false });
export const arp = {
  hwType: field('arp.hw.type', 'Hardware type', 'uint', { bits: 16, vals: ARP_HRD }),
  protoType: field('arp.proto.type', 'Protocol type', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  hwSize: field('arp.hw.size', 'Hardware size', 'uint', { bits: 8 }),
  protoSize: field('arp.proto.size', 'Protocol size', 'uint', { bits: 8 }),
  opcode: field('arp.opcode', 'Opcode', 'uint', { bits: 16, vals: OPCODES }),
  isGratuitous: field('arp.isgratuitous', 'Is gratuitous', 'bool', { tf: ['True', 'False'] }),
  isProbe: field('arp.isprobe', 'Is probe', 'bool', { tf: ['True', 'False'] }),
  isAnnouncement: field('arp.isannouncement', 'Is announcement', 'bool', { tf: ['True', 'False'] }),
  srcHw: field('arp.src.hw', 'Sender hardware address', 'bytes'),
  srcHwMac: field('arp.src.hw_mac', 'Sender MAC address', 'ether'),
  srcHwAx25: field('arp.src.hw_ax25', 'Sender AX.25 address', 'string'),
  srcProto: field('arp.src.proto', 'Sender protocol address', 'bytes'),
  srcProtoIpv4: field('arp.src.proto_ipv4', 'Sender IP address', 'ipv4'),
  dstHw: field('arp.dst.hw', 'Target hardware address', 'bytes'),
  dstHwMac: field('arp.dst.hw_mac', 'Target MAC address', 'ether'),
  dstHwAx25: field('arp.dst.hw_ax25', 'Target AX.25 address', 'string'),
  dstProto: field('arp.dst.proto', 'Target protocol address', 'bytes'),
  dstProtoIpv4: field('arp.dst.proto_ipv4', 'Target IP address', 'ipv4'),
  drarpErrorStatus: field('arp.dst.drarp_error_status', 'DRARP error status', 'uint', { bits: 16, vals: DRARP_STATUS }),
  dupFrame: field('arp.duplicate-address-frame', 'Frame showing earlier use of IP address', 'framenum'),
  dupSeconds: field('arp.seconds-since-duplicate-address-frame', 'Seconds since earlier frame seen', 'uint'),
  dupDetected: field('arp.duplicate-address-detected', 'Duplicate IP address configured', 'none'),
};

/** Wireshark's text-only tree items ("text"): a label with no value. */
export const fText = field('text', 'Text item', 'none');

const ARPHRD_ETHER = 1;
const ARPHRD_IEEE802 = 6;

function hwIsEther(hrd: number, hln: number): boolean {
  return (hrd === ARPHRD_ETHER || hrd === ARPHRD_IEEE802) && hln === 6;
}

function proIsIpv4(pro: number, pln: number): boolean {
  return (pro === 0x0800 || pro === 0xcc) && pln === 4;
}

/** IP → (MAC, frame, time) seen so far, per capture, for duplicate-address detection. */
interface Binding {
  mac: string;
  frame: number;
  sec: number;
}
function newBindingTable(): Map<number, Binding> {
  return new Map();
}

function bindingTable(state: CaptureState): Map<number, Binding> {
  return state.slot('arp', newBindingTable);
}

/** Wireshark's check_for_duplicate_addresses (first pass): a binding of this IP to another MAC seen
 * in an earlier frame makes a duplicate. Returns the earlier binding, or null. */
function checkDuplicate(ctx: Ctx, mac: Uint8Array, ip: number): Binding | null {
  const table = bindingTable(ctx.state);
  const num = ctx.pkt.rec.num;
  const key = String.fromCharCode(mac[0]!, mac[1]!, mac[2]!, mac[3]!, mac[4]!, mac[5]!);
  const v = table.get(ip);
  if (!v) {
    table.set(ip, { mac: key, frame: num, sec: ctx.pkt.rec.ts.sec });
    return null;
  }
  if (num > v.frame) {
    if (v.mac === key) {
      v.frame = num;
      v.sec = ctx.pkt.rec.ts.sec;
      return null;
    }
    return { mac: v.mac, frame: v.frame, sec: v.sec };
  }
  return null;
}

function macOfKey(k: string): string {
  const b = new Uint8Array(6);
  for (let i = 0; i < 6; i++) b[i] = k.charCodeAt(i);
  return etherStr(b);
}

function ipStr(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The ARP datagram being dissected: its captured and reported end, address types and sizes, and
 * where the four addresses start. */
interface ArpHeader {
  end: number;
  rend: number;
  hrd: number;
  pro: number;
  hln: number;
  pln: number;
  op: number;
  sha: number;
  spa: number;
  tha: number;
  tpa: number;
}

/** What the addresses say about the packet (Wireshark's is_gratuitous, is_probe, is_announcement)
 * and the duplicate-address findings. */
interface ArpKind {
  gratuitous: boolean;
  probe: boolean;
  announcement: boolean;
  /** the IP of the last duplicate found (-1: none), for the Info note */
  dupIp: number;
  dupNote: boolean;
  dup: Binding | null;
  dup2: Binding | null;
}

/**
 * ARP and RARP (and the other opcodes sharing the format), after Wireshark's dissect_arp.
 */
export function dissectArp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  ctx.pkt.colProto = 'ARP';
  if (ctx.tree.cols) ctx.pkt.colInfo = '';
  // the layer is listed before anything is read (a 1-byte "ARP" is a malformed ARP)
  const L = ctx.layer(pArp, o, rend - o);
  ctx.need(o, 2, end, rend);
  const hrd = ctx.u16(o);
  if (hrd === 19) {
    // ATMARP (RFC 2225): its dissector is not part of minishark (nor of tshark-ref), so the rest is data
    ctx.pkt.layers.pop();
    return { dissector: 'data', offset: o, end, rend };
  }
  if (hrd === 3) {
    // AX.25 hardware goes through Wireshark's ARP hardware-type table back to ARP: listed twice
    ctx.pkt.protocols.push('arp');
  }
  const h = arpFixedHeader(ctx, L, hrd, o, end, rend);
  arpColProtocol(ctx, h.op);
  const k = arpDuplicates(ctx, h);
  arpClassify(ctx, h, k);
  // Info (the address strings are read, and may run out of bytes, even when no column is shown)
  const info = arpInfo(ctx, h, k, ctx.tree.cols);
  if (ctx.tree.cols) ctx.pkt.colInfo = info;
  if (ctx.tree.full) L.summary = arpSummary(h.op, k);
  arpAddresses(ctx, L, h, k);
  if (k.dup) duplicateItem(ctx, ctx.u32(h.spa), ctx.data.subarray(h.sha, h.sha + 6), k.dup);
  if (k.dup2) duplicateItem(ctx, ctx.u32(h.tpa), ctx.data.subarray(h.tha, h.tha + 6), k.dup2);
  if (k.dupNote && ctx.tree.cols) ctx.pkt.colInfo += ` (duplicate use of ${ipStr(k.dupIp)} detected!)`;
  return null;
}

/** The fixed part: hardware and protocol types and sizes, opcode; the datagram's extent. */
function arpFixedHeader(ctx: Ctx, L: Layer, hrd: number, o: number, end: number, rend: number): ArpHeader {
  ctx.add(L, null, arp.hwType, o, 2, hrd, ctx.tree.texts ? `Hardware type: ${ARP_HRD[hrd] ?? 'Unknown'} (${hrd})` : undefined);
  ctx.need(o + 2, 2, end, rend);
  const pro = ctx.u16(o + 2);
  ctx.add(L, null, arp.protoType, o + 2, 2, pro, ctx.tree.texts ? etypeText('Protocol type', pro) : undefined);
  ctx.need(o + 4, 1, end, rend);
  const hln = ctx.u8(o + 4);
  ctx.add(L, null, arp.hwSize, o + 4, 1, hln, ctx.tree.texts ? `Hardware size: ${hln}` : undefined);
  ctx.need(o + 5, 1, end, rend);
  const pln = ctx.u8(o + 5);
  ctx.add(L, null, arp.protoSize, o + 5, 1, pln, ctx.tree.texts ? `Protocol size: ${pln}` : undefined);
  ctx.need(o + 6, 2, end, rend);
  const op = ctx.u16(o + 6);
  ctx.add(L, null, arp.opcode, o + 6, 2, op, ctx.tree.texts ? `Opcode: ${OPCODES[op] ?? 'Unknown'} (${op})` : undefined);
  const totLen = 8 + 2 * hln + 2 * pln;
  L.length = totLen;
  // the datagram is tot_len bytes long; what follows is padding (Wireshark: tvb_set_reported_length,
  // which throws when the ARP header claims more than the packet has)
  if (totLen > rend - o) throw new MalformedError('ARP header longer than the packet', o + 4);
  const aRend = o + totLen;
  const aEnd = Math.min(end, aRend);
  if (!ctx.inError && ctx.l3End < 0) ctx.l3End = aEnd;
  const sha = o + 8;
  return { end: aEnd, rend: aRend, hrd, pro, hln, pln, op, sha, spa: sha + hln, tha: sha + hln + pln, tpa: sha + 2 * hln + pln };
}

/** The Protocol column: RARP, DRARP, Inverse ARP, MAPOS and MARS share ARP's format. */
function arpColProtocol(ctx: Ctx, op: number): void {
  if (op === 3 || op === 4) ctx.pkt.colProto = 'RARP';
  else if (op >= 5 && op <= 7) ctx.pkt.colProto = 'DRARP';
  else if (op === 8 || op === 9) ctx.pkt.colProto = 'Inverse ARP';
  else if (op === 23) ctx.pkt.colProto = 'MAPOS';
  else if (op >= 11 && op <= 22) ctx.pkt.colProto = 'MARS';
}

/** Duplicate-address detection for Ethernet/IPv4 requests and replies (the Info note follows the
 * last check made, as in Wireshark). */
function arpDuplicates(ctx: Ctx, h: ArpHeader): ArpKind {
  const k: ArpKind = { gratuitous: false, probe: false, announcement: false, dupIp: -1, dupNote: false, dup: null, dup2: null };
  if (!((h.op === 1 || h.op === 2) && hwIsEther(h.hrd, h.hln) && proIsIpv4(h.pro, h.pln))) return k;
  const data = ctx.data;
  take(ctx, h, h.spa, 4);
  take(ctx, h, h.sha, 6);
  let ip = ctx.u32(h.spa);
  let mac = data.subarray(h.sha, h.sha + 6);
  if ((mac[0]! & 1) === 0 && !allZero(mac) && ip !== 0) {
    k.dup = checkDuplicate(ctx, mac, ip);
    k.dupNote = k.dup !== null;
    if (k.dup) k.dupIp = ip;
  }
  take(ctx, h, h.tpa, 4);
  take(ctx, h, h.tha, 6);
  ip = ctx.u32(h.tpa);
  mac = data.subarray(h.tha, h.tha + 6);
  if ((mac[0]! & 1) === 0 && !allZero(mac) && ip !== 0 && h.op !== 1 && k.dupIp !== ip) {
    k.dup2 = checkDuplicate(ctx, mac, ip);
    k.dupNote = k.dup2 !== null;
    if (k.dup2) k.dupIp = ip;
  }
  return k;
}

/** Gratuitous ARP, ARP probe, ARP announcement (RFC 5227). */
function arpClassify(ctx: Ctx, h: ArpHeader, k: ArpKind): void {
  const data = ctx.data;
  const thaZero = h.tha + 6 <= h.end && allZero(data.subarray(h.tha, h.tha + 6));
  if (h.op === 1 || h.op === 2) {
    // tvb_memeql: a zero-length or missing range never compares equal
    take(ctx, h, h.tpa, h.pln);
    k.gratuitous = h.pln > 0 && h.spa + h.pln <= h.end && bytesEqual(data, h.spa, h.tpa, h.pln);
  }
  if (k.gratuitous) {
    if (h.op === 1 && thaZero) k.announcement = true;
  } else if (h.op === 1 && thaZero) {
    take(ctx, h, h.spa, 4);
    if (ctx.u32(h.spa) === 0) k.probe = true;
  }
}

/** The Info column; the strings are built only when `b` (the reads are made either way). */
function arpInfo(ctx: Ctx, h: ArpHeader, k: ArpKind, b: boolean): string {
  const { op, sha, spa, tha, tpa } = h;
  switch (op) {
    case 1:
      if (k.gratuitous) return k.announcement ? `ARP Announcement for ${proStr(ctx, h, tpa, b)}` : `Gratuitous ARP for ${proStr(ctx, h, tpa, b)} (Request)`;
      if (k.probe) return `Who has ${proStr(ctx, h, tpa, b)}? (ARP Probe)`;
      return `Who has ${proStr(ctx, h, tpa, b)}? Tell ${proStr(ctx, h, spa, b)}`;
    case 2:
      return k.gratuitous ? `Gratuitous ARP for ${proStr(ctx, h, spa, b)} (Reply)` : `${proStr(ctx, h, spa, b)} is at ${hwStr(ctx, h, sha, b)}`;
    case 3:
    case 5:
    case 8:
      return `Who is ${hwStr(ctx, h, tha, b)}? Tell ${hwStr(ctx, h, sha, b)}`;
    case 4:
    case 6:
      return `${hwStr(ctx, h, tha, b)} is at ${proStr(ctx, h, tpa, b)}`;
    case 7:
      return 'DRARP Error';
    case 9:
      return `${hwStr(ctx, h, sha, b)} is at ${proStr(ctx, h, spa, b)}`;
    case 10:
      return 'ARP NAK';
    case 24:
    case 25:
      return `Experimental ${op - 23} ( opcode ${op} )`;
    case 0:
    case 65535:
      return `Reserved opcode ${op}`;
    default:
      if (MARS_INFO[op]) return `${MARS_INFO[op]} from ${hwStr(ctx, h, sha, b)} at ${proStr(ctx, h, spa, b)}`;
      return `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
  }
}

/** The layer's line in the details. */
function arpSummary(op: number, k: ArpKind): string {
  let opStr = OPCODES[op];
  if (opStr === undefined) return `Address Resolution Protocol (opcode 0x${op.toString(16).padStart(4, '0')})`;
  if (k.gratuitous && op === 1) opStr = 'request/gratuitous ARP';
  if (k.gratuitous && op === 2) opStr = 'reply/gratuitous ARP';
  if (k.probe) opStr = 'ARP Probe';
  if (k.announcement) opStr = 'ARP Announcement';
  return `Address Resolution Protocol (${opStr})`;
}

/** The generated flags, then the sender's and target's addresses (or the DRARP error status). */
function arpAddresses(ctx: Ctx, L: Layer, h: ArpHeader, k: ArpKind): void {
  if (k.gratuitous) ctx.gen(L, null, arp.isGratuitous, true, 'Is gratuitous: True');
  if (k.probe) ctx.gen(L, null, arp.isProbe, true, 'Is probe: True');
  if (k.announcement) ctx.gen(L, null, arp.isAnnouncement, true, 'Is announcement: True');
  const { hln, pln, op } = h;
  const ether = hwIsEther(h.hrd, hln);
  const ax25 = h.hrd === 3 && hln === 7;
  const ipv4 = proIsIpv4(h.pro, pln);
  if (hln !== 0) addHw(ctx, L, h, h.sha, ether, ax25, true);
  if (pln !== 0) addProto(ctx, L, h, h.spa, ipv4, true);
  if (hln !== 0) addHw(ctx, L, h, h.tha, ether, ax25, false);
  if (pln !== 0 && op !== 7) addProto(ctx, L, h, h.tpa, ipv4, false);
  else if (pln !== 0 && op === 7) {
    take(ctx, h, h.tpa, 1);
    const st = ctx.data[h.tpa]!;
    ctx.add(L, null, arp.drarpErrorStatus, h.tpa, 1, st, ctx.tree.texts ? `DRARP error status: ${DRARP_STATUS[st] ?? 'Unknown'} (${st})` : undefined);
  }
}

/** Read bytes as tvb_get_ptr does: past the datagram is malformed, past the capture is short. */
function take(ctx: Ctx, h: ArpHeader, off: number, n: number): void {
  if (off + n > h.rend) throw new MalformedError('read past the end of the ARP datagram', off);
  ctx.need(off, n, h.end, h.rend);
}

/** Wireshark's tvb_arpproaddr_to_str (the string only when `build`). */
function proStr(ctx: Ctx, h: ArpHeader, off: number, build: boolean): string {
  if (h.pln === 0) return '<No address>';
  take(ctx, h, off, h.pln);
  if (!build) return '';
  if (proIsIpv4(h.pro, h.pln)) return ipv4At(ctx.data, off);
  return bytesStr(ctx.data.subarray(off, off + h.pln));
}

/** Wireshark's tvb_arphrdaddr_to_str (the string only when `build`). */
function hwStr(ctx: Ctx, h: ArpHeader, off: number, build: boolean): string {
  if (h.hln === 0) return '<No address>';
  take(ctx, h, off, h.hln);
  if (!build) return '';
  if (hwIsEther(h.hrd, h.hln)) return etherStr(ctx.data, off);
  return bytesStr(ctx.data.subarray(off, off + h.hln));
}

function addHw(ctx: Ctx, L: Layer, h: ArpHeader, off: number, ether: boolean, ax25: boolean, sender: boolean): void {
  const n = h.hln;
  take(ctx, h, off, n);
  if (ax25) {
    // FT_AX25: -T fields shows the 7 bytes colon-separated, the details the callsign
    const b = ctx.bytes(off, 7);
    const v = hexStr(b, ':');
    ctx.add(L, null, sender ? arp.srcHwAx25 : arp.dstHwAx25, off, 7, v, ctx.tree.texts ? `${sender ? 'Sender' : 'Target'} AX.25 address: ${ax25Str(b)}` : undefined);
  } else if (ether) {
    const b = ctx.bytes(off, 6);
    ctx.add(L, null, sender ? arp.srcHwMac : arp.dstHwMac, off, 6, b, ctx.tree.texts ? `${sender ? 'Sender' : 'Target'} MAC address: ${etherStr(b)}` : undefined);
  } else {
    const b = ctx.bytes(off, n);
    ctx.add(L, null, sender ? arp.srcHw : arp.dstHw, off, n, b, ctx.tree.texts ? `${sender ? 'Sender' : 'Target'} hardware address: ${bytesStr(b)}` : undefined);
  }
}

function addProto(ctx: Ctx, L: Layer, h: ArpHeader, off: number, ipv4: boolean, sender: boolean): void {
  const n = h.pln;
  take(ctx, h, off, n);
  if (ipv4) {
    ctx.add(L, null, sender ? arp.srcProtoIpv4 : arp.dstProtoIpv4, off, 4, ctx.u32(off), ctx.tree.texts ? `${sender ? 'Sender' : 'Target'} IP address: ${ipv4At(ctx.data, off)}` : undefined);
  } else {
    const b = ctx.bytes(off, n);
    ctx.add(L, null, sender ? arp.srcProto : arp.dstProto, off, n, b, ctx.tree.texts ? `${sender ? 'Sender' : 'Target'} protocol address: ${bytesStr(b)}` : undefined);
  }
}

/** The top-level "Duplicate IP address detected" item Wireshark adds after the ARP tree. */
function duplicateItem(ctx: Ctx, ip: number, mac: Uint8Array, earlier: Binding): void {
  const L = ctx.layer(fText, 0, 0);
  ctx.pkt.protocols.pop();
  const ipS = ipStr(ip);
  if (ctx.tree.full) L.summary = `[Duplicate IP address detected for ${ipS} (${etherStr(mac)}) - also in use by ${macOfKey(earlier.mac)} (frame ${earlier.frame})]`;
  const n = ctx.gen(L, null, arp.dupFrame, earlier.frame, `Frame showing earlier use of IP address: ${earlier.frame}`);
  ctx.expert(L, n, arp.dupDetected, 'warn', 'Sequence', `Duplicate IP address configured (${ipS})`);
  // a guint32 in Wireshark: time going backwards wraps around
  const secs = (ctx.pkt.rec.ts.sec - earlier.sec) >>> 0;
  ctx.gen(L, null, arp.dupSeconds, secs, `Seconds since earlier frame seen: ${secs}`);
}

/** An AX.25 address: six shifted callsign characters, then "-SSID" when the SSID is not 0. */
function ax25Str(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const c = b[i]! >> 1;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  s = s.trimEnd();
  const ssid = (b[6]! >> 1) & 0x0f;
  return ssid ? `${s}-${ssid}` : s;
}

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function bytesEqual(d: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (d[a + i] !== d[b + i]) return false;
  return true;
}

/** Wireshark's bytes_to_str: hex without separators, cut at 36 bytes with an ellipsis. */
function bytesStr(b: Uint8Array): string {
  return b.length > 36 ? hexStr(b.subarray(0, 36)) + '\u2026' : hexStr(b);
}

register('arp', dissectArp);
handoff('ethertype', 0x0806, 'arp');
handoff('ethertype', 0x8035, 'arp');
