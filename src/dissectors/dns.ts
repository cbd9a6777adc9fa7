/**
 * DNS, mDNS and LLMNR (Wireshark 4.0's packet-dns.c): the header and flags, the questions, the
 * answer/authority/additional records (A, AAAA, CNAME, NS, PTR, MX, TXT, SOA, SRV, NSEC, OPT with
 * its EDNS0 options; other types show their data length), name compression with a loop guard, and
 * the request/response matching of one pass (dns.response_to, dns.time, retransmissions,
 * unsolicited responses). Registered as tshark registers it: udp.port and tcp.port 53 (over TCP
 * each message has a 2-byte length prefix), udp.port 5353 (mDNS) and 5355 (LLMNR).
 *
 * The whole protocol is this one file: it reads the transport's ports from the packet (ctx.pkt.udp
 * / ctx.pkt.tcp) and keeps its transactions in the capture state's per-protocol slot.
 */
import { ipv4At, ipv6Str } from '../core/addr.js';
import { field, protocol, repeating, type FieldDef, type FieldNode, type Layer, type Time } from '../core/field.js';
import { MalformedError, type Ctx, type Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { timeCmp, timeSub } from '../dissect/state.js';
import { tcpPduSize } from './tcp-pdus.js';

export const pDns = protocol('dns', 'Domain Name System', { short: 'DNS', headerFirst: true });
export const pMdns = protocol('mdns', 'Multicast Domain Name System', { short: 'mDNS', headerFirst: true });
export const pLlmnr = protocol('llmnr', 'Link-local Multicast Name Resolution', { short: 'LLMNR', headerFirst: true });

/** tshark 4.0's dns_types_description_vals; the short name (Info, summaries) is the part before " (". */
const TYPES: Record<number, string> = {
  0: 'Unused', 1: 'A (Host Address)', 2: 'NS (authoritative Name Server)',
  3: 'MD (Mail Destination)', 4: 'MF (Mail Forwarder)', 5: 'CNAME (Canonical NAME for an alias)',
  6: 'SOA (Start Of a zone of Authority)', 7: 'MB (MailBox domain name)', 8: 'MG (Mail Group member)',
  9: 'MR (Mail Rename domain)', 10: 'NULL RR', 11: 'WKS (Well Known Service)', 12: 'PTR (domain name PoinTeR)',
  13: 'HINFO (host information)', 14: 'MINFO (Mailbox or mail list information)', 15: 'MX (Mail eXchange)',
  16: 'TXT (Text strings)', 17: 'RP (Responsible Person)', 18: 'AFSDB (AFS Data Base location)',
  19: 'X25 (XX.25 PSDN address)', 20: 'ISDN (ISDN address)', 21: 'RT (Route Through)', 22: 'NSAP (NSAP address)',
  23: 'NSAP-PTR (NSAP domain name pointer)', 24: 'SIG (security signature)', 25: 'KEY (security key)',
  26: 'PX (X.400 mail mapping information)', 27: 'GPOS (Geographical Position)', 28: 'AAAA (IPv6 Address)',
  29: 'LOC (Location Information)', 30: 'NXT (Next Domain)', 31: 'EID (Endpoint Identifier)',
  32: 'NIMLOC (Nimrod Locator)', 33: 'SRV (Server Selection)', 34: 'ATMA (ATM Address)',
  35: 'NAPTR (Naming Authority Pointer)', 36: 'KX (Key Exchanger)', 37: 'CERT', 38: 'A6 (OBSOLETE - use AAAA)',
  39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS (Delegation Signer)', 44: 'SSHFP (SSH Key Fingerprint)',
  45: 'IPSECKEY', 46: 'RRSIG (Resource Record Signature)', 47: 'NSEC (Next Secure)', 48: 'DNSKEY (DNS Public Key)',
  49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 55: 'HIP (Host Identity Protocol)', 57: 'RKEY',
  58: 'TALINK (Trust Anchor LINK)', 59: 'CDS (Child DS)', 60: 'CDNSKEY (DNSKEY(s) the Child wants reflected in DS)',
  61: 'OPENPGPKEY (OpenPGP Key)', 62: 'CSYNC (Child-to-Parent Synchronization)', 63: 'ZONEMD',
  64: 'SVCB (General Purpose Service Endpoints)', 65: 'HTTPS (HTTPS Specific Service Endpoints)', 99: 'SPF',
  100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID (NodeID)', 105: 'L32 (Locator32)',
  106: 'L64 (Locator64)', 107: 'LP (Locator FQDN)', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY (Transaction Key)',
  250: 'TSIG (Transaction Signature)', 251: 'IXFR (incremental transfer)', 252: 'AXFR (transfer of an entire zone)',
  253: 'MAILB (mailbox-related RRs)', 254: 'MAILA (mail agent RRs)',
  255: '* (A request for all records the server/cache has available)', 256: 'URI',
  257: 'CAA (Certification Authority Restriction)', 32768: 'TA (DNSSEC Trust Authorities)',
  32769: 'DLV (DNSSEC Lookaside Validation)', 65281: 'WINS', 65282: 'WINS-R', 65422: 'XPF',
};
const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const OPCODES: Record<number, string> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update',
  6: 'DNS Stateful operations (DSO)',
};
const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused', 6: 'Name exists',
  7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone', 11: 'DSO-Type not implemented',
  16: 'Bad OPT Version or TSIG Signature Failure', 17: 'Key not recognized', 18: 'Signature out of time window', 19: 'Bad TKEY Mode',
  20: 'Duplicate key name', 21: 'Algorithm not supported', 22: 'Bad Truncation', 23: 'Bad/missing Server Cookie',
};
const OPT_CODES: Record<number, string> = {
  0: 'Reserved', 1: 'LLQ - Long-lived query', 2: 'UL - Update lease', 3: 'NSID - Name Server Identifier', 4: 'Owner (reserved)',
  5: 'DAU - DNSSEC Algorithm Understood (RFC6975)', 6: 'DHU - DS Hash Understood (RFC6975)', 7: 'N3U - NSEC3 Hash Understood (RFC6975)',
  8: 'CSUBNET - Client subnet', 9: 'EDNS EXPIRE (RFC7314)', 10: 'COOKIE', 11: 'EDNS TCP Keepalive', 12: 'PADDING', 13: 'CHAIN',
  15: 'Extended DNS Error', 20730: 'Experimental - CSUBNET - Client subnet',
};

const T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_MX = 15, T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_OPT = 41, T_NSEC = 47;

const bit = (abbrev: string, name: string, mask: number, tf: readonly [string, string]): FieldDef =>
  field(abbrev, name, 'bool', { bits: 16, bitmask: mask, tf });

export const dns = {
  length: field('dns.length', 'Length', 'uint', { bits: 16 }),
  id: field('dns.id', 'Transaction ID', 'uint', { base: 'hex', bits: 16 }),
  flags: field('dns.flags', 'Flags', 'uint', { base: 'hex', bits: 16 }),
  response: bit('dns.flags.response', 'Response', 0x8000, ['Message is a response', 'Message is a query']),
  opcode: field('dns.flags.opcode', 'Opcode', 'uint', { bits: 16, bitmask: 0x7800, vals: OPCODES }),
  authoritative: bit('dns.flags.authoritative', 'Authoritative', 0x400, ['Server is an authority for domain', 'Server is not an authority for domain']),
  conflict: bit('dns.flags.conflict', 'Conflict', 0x400, ['The name is not considered unique', 'The name is considered unique']),
  truncated: bit('dns.flags.truncated', 'Truncated', 0x200, ['Message is truncated', 'Message is not truncated']),
  recdesired: bit('dns.flags.recdesired', 'Recursion desired', 0x100, ['Do query recursively', "Don't do query recursively"]),
  tentative: bit('dns.flags.tentative', 'Tentative', 0x100, ['Tentative', 'Not tentative']),
  recavail: bit('dns.flags.recavail', 'Recursion available', 0x80, ['Server can do recursive queries', "Server can't do recursive queries"]),
  z: bit('dns.flags.z', 'Z', 0x40, ['reserved - incorrect!', 'reserved (0)']),
  authenticated: bit('dns.flags.authenticated', 'Answer authenticated', 0x20,
    ['Answer/authority portion was authenticated by the server', 'Answer/authority portion was not authenticated by the server']),
  checkdisable: bit('dns.flags.checkdisable', 'Non-authenticated data', 0x10, ['Acceptable', 'Unacceptable']),
  rcode: field('dns.flags.rcode', 'Reply code', 'uint', { bits: 16, bitmask: 0xf, vals: RCODES }),
  queries: field('dns.count.queries', 'Questions', 'uint', { bits: 16 }),
  answers: field('dns.count.answers', 'Answer RRs', 'uint', { bits: 16 }),
  authRr: field('dns.count.auth_rr', 'Authority RRs', 'uint', { bits: 16 }),
  addRr: field('dns.count.add_rr', 'Additional RRs', 'uint', { bits: 16 }),
  qryName: field('dns.qry.name', 'Name', 'string'),
  qryNameLen: field('dns.qry.name.len', 'Name Length', 'uint', { bits: 16 }),
  labels: field('dns.count.labels', 'Label Count', 'uint', { bits: 16 }),
  qryType: field('dns.qry.type', 'Type', 'uint', { bits: 16, vals: TYPES }),
  qryClass: field('dns.qry.class', 'Class', 'uint', { base: 'hex', bits: 16, vals: CLASSES }),
  qu: bit('dns.qry.qu', '"QU" question', 0x8000, ['True', 'False']),
  respName: field('dns.resp.name', 'Name', 'string'),
  respType: field('dns.resp.type', 'Type', 'uint', { bits: 16, vals: TYPES }),
  respClass: field('dns.resp.class', 'Class', 'uint', { base: 'hex', bits: 16, vals: CLASSES }),
  cacheFlush: bit('dns.resp.cache_flush', 'Cache flush', 0x8000, ['True', 'False']),
  ttl: field('dns.resp.ttl', 'Time to live', 'uint'),
  respLen: field('dns.resp.len', 'Data length', 'uint', { bits: 16 }),
  a: field('dns.a', 'Address', 'ipv4'),
  aaaa: field('dns.aaaa', 'AAAA Address', 'ipv6'),
  cname: field('dns.cname', 'CNAME', 'string'),
  ns: field('dns.ns', 'Name Server', 'string'),
  ptr: field('dns.ptr.domain_name', 'Domain Name', 'string'),
  mxPref: field('dns.mx.preference', 'Preference', 'uint', { bits: 16 }),
  mx: field('dns.mx.mail_exchange', 'Mail Exchange', 'string'),
  txtLen: field('dns.txt.length', 'TXT Length', 'uint', { bits: 8 }),
  txt: field('dns.txt', 'TXT', 'string'),
  soaMname: field('dns.soa.mname', 'Primary name server', 'string'),
  soaRname: field('dns.soa.rname', "Responsible authority's mailbox", 'string'),
  soaSerial: field('dns.soa.serial_number', 'Serial Number', 'uint'),
  soaRefresh: field('dns.soa.refresh_interval', 'Refresh Interval', 'uint'),
  soaRetry: field('dns.soa.retry_interval', 'Retry Interval', 'uint'),
  soaExpire: field('dns.soa.expire_limit', 'Expire limit', 'uint'),
  soaMinimum: field('dns.soa.minimum_ttl', 'Minimum TTL', 'uint'),
  srvService: field('dns.srv.service', 'Service', 'string'),
  srvProto: field('dns.srv.proto', 'Protocol', 'string'),
  srvName: field('dns.srv.name', 'Name', 'string'),
  srvPriority: field('dns.srv.priority', 'Priority', 'uint', { bits: 16 }),
  srvWeight: field('dns.srv.weight', 'Weight', 'uint', { bits: 16 }),
  srvPort: field('dns.srv.port', 'Port', 'uint', { bits: 16 }),
  srvTarget: field('dns.srv.target', 'Target', 'string'),
  nsecNext: field('dns.nsec.next_domain_name', 'Next Domain Name', 'string'),
  udpPayload: field('dns.rr.udp_payload_size', 'UDP payload size', 'uint', { bits: 16 }),
  extRcode: field('dns.resp.ext_rcode', 'Higher bits in extended RCODE', 'uint', { base: 'hex', bits: 8 }),
  ednsVersion: field('dns.resp.edns0_version', 'EDNS0 version', 'uint', { bits: 8 }),
  ednsZ: field('dns.resp.z', 'Z', 'uint', { base: 'hex', bits: 16 }),
  ednsDo: bit('dns.resp.z.do', 'DO bit', 0x8000, ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs']),
  ednsReserved: field('dns.resp.z.reserved', 'Reserved', 'uint', { base: 'hex', bits: 16, bitmask: 0x7fff }),
  opt: field('dns.opt', 'Option', 'none'),
  optCode: field('dns.opt.code', 'Option Code', 'uint', { bits: 16, vals: OPT_CODES }),
  optLen: field('dns.opt.len', 'Option Length', 'uint', { bits: 16 }),
  optData: field('dns.opt.data', 'Option Data', 'bytes'),
  cookieClient: field('dns.opt.cookie.client', 'Client Cookie', 'bytes'),
  cookieServer: field('dns.opt.cookie.server', 'Server Cookie', 'bytes', { empty: '<MISSING>' }),
  responseIn: field('dns.response_in', 'Response In', 'framenum'),
  responseTo: field('dns.response_to', 'Request In', 'framenum'),
  time: field('dns.time', 'Time', 'reltime'),
  retransmission: field('dns.retransmission', 'Retransmission', 'bool'),
  retransmitRequestIn: field('dns.retransmit_request_in', 'Retransmitted request. Original request in', 'framenum'),
  retransmitResponseIn: field('dns.retransmit_response_in', 'Retransmitted response. Original response in', 'framenum'),
  unsolicited: field('dns.unsolicited', 'Unsolicited', 'bool'),
  // expert items
  retransmitRequest: field('dns.retransmit_request', 'DNS query retransmission', 'none'),
  retransmitResponse: field('dns.retransmit_response', 'DNS response retransmission', 'none'),
};
/** Everything of a question or a resource record occurs once per record, so can repeat in one
 * message (FieldDef.repeats: always a JSON array); the header and the request/response matching
 * occur once. */
const ONCE: readonly string[] = ['length', 'id', 'queries', 'answers', 'authRr', 'addRr', 'responseIn', 'responseTo', 'time',
  'retransmission', 'retransmitRequestIn', 'retransmitResponseIn', 'unsolicited', 'retransmitRequest', 'retransmitResponse'];
repeating(Object.entries(dns).filter(([k, d]) => !ONCE.includes(k) && !d.abbrev.startsWith('dns.flags')).map(([, d]) => d));
/** Wireshark registers a second header field under these names for mDNS (masked, in hex): one
 * abbrev, so one id (-e and filters see one field), with its own base and mask. */
const mdnsQryClass: FieldDef = { ...dns.qryClass, bitmask: 0x7fff };
const mdnsRespClass: FieldDef = { ...dns.respClass, bitmask: 0x7fff };
const mdnsUdpPayload: FieldDef = { ...dns.udpPayload, base: 'hex', bitmask: 0x7fff };
/** the ID shown as "AD bit" in queries (same filter name as the response's "Answer authenticated") */
const adBit: FieldDef = { ...dns.authenticated, name: 'AD bit', tf: ['Set', 'Not set'] };
/** LLMNR's conflict bit in a query */
const conflictQuery: FieldDef = { ...dns.conflict, tf: ['The sender received multiple responses', 'None'] };
/** The mDNS and LLMNR layers carry dns.* fields: their definitions say so (same ids, so `-Y mdns`
 * and `-e mdns` still name them), and a display filter on dns.* looks into them as tshark's does. */
const mdnsLayer: FieldDef = { ...pMdns, proto: 'dns' };
const llmnrLayer: FieldDef = { ...pLlmnr, proto: 'dns' };
/** Wireshark's text-only tree items ("Queries", "Answers", an RR's summary line) */
const fText = field('text', 'Text item', 'none');

/** dns.retransmission_timer (seconds), tshark's default */
const RETRANSMISSION_TIMER = 5;

type Flavour = 'dns' | 'mdns' | 'llmnr';

/** One request/response pair of a conversation (Wireshark's dns_transaction_t). */
interface Transaction {
  reqFrame: number;
  repFrame: number;
  reqTime: Time;
}
/** conversation key → transaction ID → the conversation's latest transaction with that ID */
type Transactions = Map<string, Map<number, Transaction>>;

/** The message being dissected: where it starts (compression pointers count from there), its ends. */
interface Msg {
  ctx: Ctx;
  L: Layer;
  base: number;
  end: number;
  rend: number;
  flavour: Flavour;
  info: string;
}

function shortType(t: number): string {
  if (t === 255) return 'ANY';
  const s = TYPES[t];
  if (s === undefined) return `Unknown (${t})`;
  const i = s.indexOf(' (');
  return i < 0 ? (s === 'NULL RR' ? 'NULL' : s) : s.slice(0, i);
}

function className(c: number): string {
  return CLASSES[c] ?? `Unknown (${c})`;
}

/** Wireshark's unsigned_time_secs_to_str: "1 hour, 2 minutes, 3 seconds" (days, hours, minutes, seconds). */
export function secsText(v: number): string {
  if (v === 0) return '0 seconds';
  const parts: string[] = [];
  const unit = (n: number, w: string): void => {
    if (n) parts.push(`${n} ${w}${n === 1 ? '' : 's'}`);
  };
  unit(Math.floor(v / 86400), 'day');
  unit(Math.floor((v % 86400) / 3600), 'hour');
  unit(Math.floor((v % 3600) / 60), 'minute');
  unit(v % 60, 'second');
  return parts.join(', ');
}

function need(m: Msg, off: number, n: number): void {
  m.ctx.need(off, n, m.end, m.rend);
}

/** A label's bytes as Wireshark shows them: printable ASCII as is, '.' and '\' escaped, others as \ddd. */
function labelText(d: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = o; i < o + n; i++) {
    const c = d[i]!;
    if (c === 0x2e || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return s;
}

interface Name {
  name: string;
  /** bytes the name takes where it starts (up to and with its first pointer) */
  len: number;
}

/**
 * Wireshark's get_dns_name: labels joined with dots, compression pointers followed (counted from the
 * message start). A pointer chain longer than the message is a loop: its name is Wireshark's
 * "<Name contains a pointer that loops>"; a name running past the message is malformed.
 */
function readName(m: Msg, start: number): Name {
  const d = m.ctx.data;
  const dataSize = m.rend - m.base;
  let o = start;
  let len = -1;
  let processed = 0;
  let name = '';
  for (;;) {
    need(m, o, 1);
    const c = d[o++]!;
    processed++;
    const kind = c & 0xc0;
    if (kind === 0) {
      if (c === 0) break;
      need(m, o, c);
      if (name) name += '.';
      name += labelText(d, o, c);
      o += c;
      processed += c;
    } else if (kind === 0xc0) {
      need(m, o, 1);
      const target = m.base + (((c & 0x3f) << 8) | d[o]!);
      o++;
      processed++;
      if (len < 0) len = o - start;
      if (processed >= dataSize) return { name: '<Name contains a pointer that loops>', len };
      o = target;
    } else {
      throw new MalformedError('DNS extended label type', o - 1);
    }
  }
  if (len < 0) len = o - start;
  return { name: name || '<Root>', len };
}

/** Wireshark's qname_labels_count: the dots of the shown name plus one (0 for the root). */
function labelCount(name: string): number {
  if (name === '<Root>') return 0;
  let n = 1;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 0x2e) n++;
  return n;
}

/** A name as a string field, its bytes being where it starts (pointer included). */
function nameField(m: Msg, parent: FieldNode | null, def: FieldDef, off: number): Name {
  const n = readName(m, off);
  m.ctx.add(m.L, parent, def, off, n.len, n.name);
  return n;
}

function texts(m: Msg): boolean {
  return m.ctx.tree.texts;
}

/** The header flags: a tree of bits that depends on query/response and on the flavour. */
function addFlags(m: Msg, off: number, flags: number): void {
  const { ctx, L } = m;
  const resp = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  let s = OPCODES[opcode] ?? `Unknown operation (${opcode})`;
  if (resp) s += ` response, ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  const fN = ctx.add(L, null, dns.flags, off, 2, flags, texts(m) ? `Flags: 0x${flags.toString(16).padStart(4, '0')} ${s}` : undefined);
  const b = (def: FieldDef, mask: number): void => {
    ctx.add(L, fN, def, off, 2, (flags & mask) !== 0);
  };
  b(dns.response, 0x8000);
  ctx.add(L, fN, dns.opcode, off, 2, opcode);
  if (m.flavour === 'llmnr') {
    b(resp ? dns.conflict : conflictQuery, 0x400);
    b(dns.truncated, 0x200);
    b(dns.tentative, 0x100);
  } else {
    if (resp) b(dns.authoritative, 0x400);
    b(dns.truncated, 0x200);
    b(dns.recdesired, 0x100);
    if (resp) b(dns.recavail, 0x80);
    b(dns.z, 0x40);
    // a query shows its AD bit only when it is set
    if (resp) b(dns.authenticated, 0x20);
    else if (flags & 0x20) b(adBit, 0x20);
    b(dns.checkdisable, 0x10);
  }
  if (resp) ctx.add(L, fN, dns.rcode, off, 2, rcode);
}

/** One question: "name: type A, class IN" with its name, length, labels, type and class. */
function addQuestion(m: Msg, parent: FieldNode | null, off: number): number {
  const { ctx, L } = m;
  const n = readName(m, off);
  const o = off + n.len;
  need(m, o, 4);
  const type = ctx.u16(o);
  const cls = ctx.u16(o + 2);
  const mdns = m.flavour === 'mdns';
  const qu = mdns ? ` "${cls & 0x8000 ? 'QU' : 'QM'}" question` : '';
  const c = mdns ? cls & 0x7fff : cls;
  const q = ctx.add(L, parent, fText, off, n.len + 4, null, texts(m) ? `${n.name}: type ${shortType(type)}, class ${className(c)}${qu ? `,${qu}` : ''}` : undefined);
  ctx.add(L, q, dns.qryName, off, n.len, n.name);
  ctx.gen(L, q, dns.qryNameLen, n.name === '<Root>' ? 0 : n.name.length);
  ctx.gen(L, q, dns.labels, labelCount(n.name));
  ctx.add(L, q, dns.qryType, o, 2, type);
  ctx.add(L, q, mdns ? mdnsQryClass : dns.qryClass, o + 2, 2, c);
  if (mdns) ctx.add(L, q, dns.qu, o + 2, 2, (cls & 0x8000) !== 0);
  m.info += ` ${shortType(type)} ${n.name}${qu ? `,${qu}` : ''}`;
  return o + 4;
}

/** One resource record; returns where the next starts. */
function addRecord(m: Msg, parent: FieldNode | null, off: number): number {
  const { ctx, L } = m;
  const n = readName(m, off);
  const o = off + n.len;
  need(m, o, 10);
  const type = ctx.u16(o);
  const cls = ctx.u16(o + 2);
  const ttl = ctx.u32(o + 4);
  const dlen = ctx.u16(o + 8);
  const mdns = m.flavour === 'mdns';
  const flush = mdns && (cls & 0x8000) !== 0;
  const c = mdns ? cls & 0x7fff : cls;
  // as tshark: the type goes into Info, then the record's item needs all its bytes
  m.info += ` ${shortType(type)}${flush && type !== T_OPT ? ', cache flush' : ''}`;
  need(m, off, n.len + 10 + dlen);
  const rr = ctx.add(L, parent, fText, off, n.len + 10 + dlen, null, '');
  const data = o + 10;
  if (type === T_OPT) {
    addOpt(m, rr, off, n, o, dlen);
    if (rr) rr.text = `${n.name}: type OPT`;
    return data + dlen;
  }
  if (type === T_SRV) addSrvName(m, rr, off, n);
  else ctx.add(L, rr, dns.respName, off, n.len, n.name);
  ctx.add(L, rr, dns.respType, o, 2, type);
  ctx.add(L, rr, mdns ? mdnsRespClass : dns.respClass, o + 2, 2, c);
  if (mdns) ctx.add(L, rr, dns.cacheFlush, o + 2, 2, flush);
  ctx.add(L, rr, dns.ttl, o + 4, 4, ttl, texts(m) ? `Time to live: ${ttl} (${secsText(ttl)})` : undefined);
  ctx.add(L, rr, dns.respLen, o + 8, 2, dlen);
  const r = addRdata(m, rr, type, data, dlen);
  if (rr) rr.text = `${n.name}: type ${shortType(type)}, class ${className(c)}${flush ? ', cache flush' : ''}${r.summary}`;
  m.info += r.info;
  return data + dlen;
}

/** An SRV owner name "_service._proto.name" in its three fields. */
function addSrvName(m: Msg, rr: FieldNode | null, off: number, n: Name): void {
  const parts = n.name.split('.');
  const { ctx, L } = m;
  ctx.add(L, rr, dns.srvService, off, n.len, parts[0] ?? '');
  ctx.add(L, rr, dns.srvProto, off, n.len, parts[1] ?? '');
  ctx.add(L, rr, dns.srvName, off, n.len, parts.slice(2).join('.'));
}

interface Rdata {
  /** appended to the RR's summary line */
  summary: string;
  /** appended to the Info column after the type */
  info: string;
}

/** The record's data by type. */
function addRdata(m: Msg, rr: FieldNode | null, type: number, o: number, dlen: number): Rdata {
  const { ctx, L } = m;
  switch (type) {
    case T_A: {
      need(m, o, 4);
      const a = ipv4At(ctx.data, o);
      ctx.add(L, rr, dns.a, o, 4, ctx.u32(o));
      return { summary: `, addr ${a}`, info: ` ${a}` };
    }
    case T_AAAA: {
      need(m, o, 16);
      const b = ctx.bytes(o, 16);
      const a = ipv6Str(b);
      ctx.add(L, rr, dns.aaaa, o, 16, b);
      return { summary: `, addr ${a}`, info: ` ${a}` };
    }
    case T_NS:
    case T_CNAME:
    case T_PTR: {
      const def = type === T_NS ? dns.ns : type === T_CNAME ? dns.cname : dns.ptr;
      const n = nameField(m, rr, def, o);
      return { summary: `, ${type === T_NS ? 'ns ' : type === T_CNAME ? 'cname ' : ''}${n.name}`, info: ` ${n.name}` };
    }
    case T_MX: {
      need(m, o, 2);
      const pref = ctx.u16(o);
      ctx.add(L, rr, dns.mxPref, o, 2, pref);
      const n = nameField(m, rr, dns.mx, o + 2);
      return { summary: `, preference ${pref}, mx ${n.name}`, info: ` ${pref} ${n.name}` };
    }
    case T_SOA:
      return addSoa(m, rr, o);
    case T_SRV:
      return addSrv(m, rr, o);
    case T_TXT:
      addTxt(m, rr, o, dlen);
      return { summary: '', info: '' };
    case T_NSEC:
      return addNsec(m, rr, o, dlen);
    default:
      return { summary: '', info: '' };
  }
}

function addSoa(m: Msg, rr: FieldNode | null, o: number): Rdata {
  const { ctx, L } = m;
  const mn = nameField(m, rr, dns.soaMname, o);
  let p = o + mn.len;
  const rn = nameField(m, rr, dns.soaRname, p);
  p += rn.len;
  need(m, p, 20);
  ctx.add(L, rr, dns.soaSerial, p, 4, ctx.u32(p));
  const times: [FieldDef, string][] = [
    [dns.soaRefresh, 'Refresh Interval'],
    [dns.soaRetry, 'Retry Interval'],
    [dns.soaExpire, 'Expire limit'],
    [dns.soaMinimum, 'Minimum TTL'],
  ];
  for (let i = 0; i < 4; i++) {
    const v = ctx.u32(p + 4 + 4 * i);
    const [def, label] = times[i]!;
    ctx.add(L, rr, def, p + 4 + 4 * i, 4, v, texts(m) ? `${label}: ${v} (${secsText(v)})` : undefined);
  }
  return { summary: `, mname ${mn.name}`, info: ` ${mn.name}` };
}

function addSrv(m: Msg, rr: FieldNode | null, o: number): Rdata {
  const { ctx, L } = m;
  need(m, o, 6);
  const prio = ctx.u16(o);
  const weight = ctx.u16(o + 2);
  const port = ctx.u16(o + 4);
  ctx.add(L, rr, dns.srvPriority, o, 2, prio);
  ctx.add(L, rr, dns.srvWeight, o + 2, 2, weight);
  ctx.add(L, rr, dns.srvPort, o + 4, 2, port);
  const t = nameField(m, rr, dns.srvTarget, o + 6);
  return { summary: `, priority ${prio}, weight ${weight}, port ${port}, target ${t.name}`, info: ` ${prio} ${weight} ${port} ${t.name}` };
}

/** TXT: length-prefixed strings filling the data. */
function addTxt(m: Msg, rr: FieldNode | null, o: number, dlen: number): void {
  const { ctx, L } = m;
  const end = o + dlen;
  let p = o;
  while (p < end) {
    need(m, p, 1);
    const n = ctx.u8(p);
    ctx.add(L, rr, dns.txtLen, p, 1, n);
    need(m, p + 1, n);
    ctx.add(L, rr, dns.txt, p + 1, n, labelText(ctx.data, p + 1, n).replace(/\\([.\\])/g, '$1'));
    p += 1 + n;
  }
}

/** NSEC: the next name and the types of its bitmap (text items). */
function addNsec(m: Msg, rr: FieldNode | null, o: number, dlen: number): Rdata {
  const { ctx, L } = m;
  const n = nameField(m, rr, dns.nsecNext, o);
  const end = o + dlen;
  let p = o + n.len;
  while (p + 2 <= end) {
    need(m, p, 2);
    const win = ctx.u8(p);
    const blen = ctx.u8(p + 1);
    need(m, p + 2, blen);
    for (let i = 0; i < blen; i++) {
      const byte = ctx.u8(p + 2 + i);
      for (let b = 0; b < 8; b++) {
        if (!(byte & (0x80 >> b))) continue;
        const t = win * 256 + i * 8 + b;
        ctx.add(L, rr, dns.respType, p + 2 + i, 1, t, texts(m) ? `RR type in bit map: ${TYPES[t] ?? `Unknown (${t})`}` : undefined);
      }
    }
    p += 2 + blen;
  }
  return { summary: `, next domain name ${n.name}`, info: ` ${n.name}` };
}

/** The OPT pseudo-RR (EDNS0): payload size, extended RCODE, version, Z flags, then its options. */
function addOpt(m: Msg, rr: FieldNode | null, off: number, n: Name, o: number, dlen: number): void {
  const { ctx, L } = m;
  const mdns = m.flavour === 'mdns';
  ctx.add(L, rr, dns.respName, off, n.len, n.name);
  ctx.add(L, rr, dns.respType, o, 2, T_OPT);
  const size = ctx.u16(o + 2);
  ctx.add(L, rr, mdns ? mdnsUdpPayload : dns.udpPayload, o + 2, 2, mdns ? size & 0x7fff : size);
  if (mdns) ctx.add(L, rr, dns.cacheFlush, o + 2, 2, (size & 0x8000) !== 0);
  ctx.add(L, rr, dns.extRcode, o + 4, 1, ctx.u8(o + 4));
  ctx.add(L, rr, dns.ednsVersion, o + 5, 1, ctx.u8(o + 5));
  const z = ctx.u16(o + 6);
  const zN = ctx.add(L, rr, dns.ednsZ, o + 6, 2, z);
  ctx.add(L, zN, dns.ednsDo, o + 6, 2, (z & 0x8000) !== 0);
  ctx.add(L, zN, dns.ednsReserved, o + 6, 2, z & 0x7fff);
  ctx.add(L, rr, dns.respLen, o + 8, 2, dlen);
  const end = o + 10 + dlen;
  let p = o + 10;
  while (p < end) {
    need(m, p, 4);
    const code = ctx.u16(p);
    const len = ctx.u16(p + 2);
    const name = OPT_CODES[code] ?? `Unknown (${code})`;
    need(m, p + 4, len);
    const oN = ctx.add(L, rr, dns.opt, p, 4 + len, null, texts(m) ? `Option: ${name}` : undefined);
    ctx.add(L, oN, dns.optCode, p, 2, code);
    ctx.add(L, oN, dns.optLen, p + 2, 2, len);
    if (len > 0) ctx.addBytes(L, oN, dns.optData, p + 4, len);
    if (code === 10) addCookie(m, oN, p + 4, len);
    p += 4 + len;
  }
}

/** EDNS COOKIE: the 8-byte client cookie, then the server cookie (absent in a first query). */
function addCookie(m: Msg, oN: FieldNode | null, o: number, len: number): void {
  const { ctx, L } = m;
  ctx.addBytes(L, oN, dns.cookieClient, o, Math.min(8, len));
  ctx.addBytes(L, oN, dns.cookieServer, o + 8, Math.max(0, len - 8), len > 8 ? undefined : 'Server Cookie: <MISSING>');
}

/** The conversation's key: transport, both addresses and ports, the same in either direction. */
function conversationKey(ctx: Ctx, tcp: boolean): string | null {
  const t = tcp ? ctx.pkt.tcp : ctx.pkt.udp;
  if (!t || !ctx.hasNet()) return null;
  const a = `${t.srcKey}|${t.srcPort}`;
  const b = `${t.dstKey}|${t.dstPort}`;
  return `${tcp ? 't' : 'u'}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
}

interface Match {
  trans: Transaction | null;
  retransmission: boolean;
}

/** Wireshark's first-pass transaction matching (one pass: a request never knows its response). */
function matchTransaction(ctx: Ctx, tcp: boolean, id: number, response: boolean): Match {
  const key = ctx.inError ? null : conversationKey(ctx, tcp);
  if (key === null) return { trans: null, retransmission: false };
  let all = ctx.state.protoData.get('dns') as Transactions | undefined;
  if (!all) ctx.state.protoData.set('dns', (all = new Map()));
  let conv = all.get(key);
  if (!conv) all.set(key, (conv = new Map()));
  const now = ctx.pkt.rec.ts;
  const frame = ctx.pkt.rec.num;
  let t = conv.get(id) ?? null;
  if (!response) {
    if (t && t.repFrame === 0 && timeCmp(timeSub(now, t.reqTime), { sec: RETRANSMISSION_TIMER, nsec: 0 }) < 0) {
      return { trans: t, retransmission: true };
    }
    t = { reqFrame: frame, repFrame: 0, reqTime: now };
    conv.set(id, t);
    return { trans: t, retransmission: false };
  }
  if (!t) return { trans: null, retransmission: false };
  if (t.repFrame === 0) {
    t.repFrame = frame;
    return { trans: t, retransmission: false };
  }
  return { trans: t, retransmission: true };
}

/** The generated request/response items at the end of the DNS tree. */
function addTransaction(m: Msg, idN: FieldNode | null, match: Match, response: boolean): void {
  const { ctx, L } = m;
  const t = match.trans;
  if (!response) {
    if (match.retransmission && t) {
      ctx.expert(L, idN, dns.retransmitRequest, 'warn', 'Protocol', `DNS query retransmission. Original request in frame ${t.reqFrame}`);
      ctx.gen(L, null, dns.retransmitRequestIn, t.reqFrame);
      ctx.gen(L, null, dns.retransmission, true);
    } else if (t && t.repFrame) ctx.gen(L, null, dns.responseIn, t.repFrame);
    return;
  }
  if (match.retransmission && t) {
    ctx.expert(L, idN, dns.retransmitResponse, 'warn', 'Protocol', `DNS response retransmission. Original response in frame ${t.repFrame}`);
    ctx.gen(L, null, dns.retransmitResponseIn, t.repFrame);
    ctx.gen(L, null, dns.retransmission, true);
  } else if (t) {
    ctx.gen(L, null, dns.responseTo, t.reqFrame);
    ctx.gen(L, null, dns.time, timeSub(ctx.pkt.rec.ts, t.reqTime));
  } else if (ctx.inError === 0) ctx.gen(L, null, dns.unsolicited, true);
}

const SECTIONS: [FieldDef, string][] = [
  [dns.answers, 'Answers'],
  [dns.authRr, 'Authoritative nameservers'],
  [dns.addRr, 'Additional records'],
];

/** One DNS message in [o, end) (reported rend); `lenOff` >= 0: the TCP length prefix there. */
function dissectMessage(ctx: Ctx, o: number, end: number, rend: number, flavour: Flavour, lenOff: number): void {
  const proto = flavour === 'mdns' ? mdnsLayer : flavour === 'llmnr' ? llmnrLayer : pDns;
  const start = lenOff >= 0 ? lenOff : o;
  const L = ctx.layer(proto, start, rend - start);
  // tshark draws a DNS message quoted in an ICMP error at the top of the tree, not under the ICMP
  if (ctx.inError > 0) L.inner = undefined;
  if (ctx.inError === 0) ctx.pkt.colProto = flavour === 'mdns' ? 'MDNS' : flavour === 'llmnr' ? 'LLMNR' : 'DNS';
  const m: Msg = { ctx, L, base: o, end, rend, flavour, info: '' };
  if (lenOff >= 0) ctx.add(L, null, dns.length, lenOff, 2, ctx.u16(lenOff));
  // Wireshark clears Info before it reads the header (a cut header leaves it empty)
  if (ctx.tree.cols && ctx.inError === 0) ctx.pkt.colInfo = '';
  need(m, o, 4);
  const id = ctx.u16(o);
  const flags = ctx.u16(o + 2);
  const response = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  if (ctx.tree.full) L.summary = `${proto.name} (${response ? 'response' : 'query'})`;
  m.info = `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${response ? ' response' : ''} 0x${id.toString(16).padStart(4, '0')}`;
  if (response && rcode !== 0) m.info += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  const setInfo = (): void => {
    if (ctx.tree.cols && ctx.inError === 0) ctx.pkt.colInfo = m.info;
  };
  setInfo();
  const idN = ctx.add(L, null, dns.id, o, 2, id);
  addFlags(m, o + 2, flags);
  need(m, o + 4, 8);
  const counts = [ctx.u16(o + 4), ctx.u16(o + 6), ctx.u16(o + 8), ctx.u16(o + 10)];
  ctx.add(L, null, dns.queries, o + 4, 2, counts[0]!);
  for (let i = 0; i < 3; i++) ctx.add(L, null, SECTIONS[i]![0], o + 6 + 2 * i, 2, counts[i + 1]!);
  const match = matchTransaction(ctx, lenOff >= 0, id, response);
  let p = o + 12;
  try {
    p = addSection(m, p, counts[0]!, 'Queries', addQuestion);
    for (let i = 0; i < 3; i++) p = addSection(m, p, counts[i + 1]!, SECTIONS[i]![1], addRecord);
  } finally {
    setInfo();
  }
  addTransaction(m, idN, match, response);
}

/** A section ("Queries", "Answers", …): a text item over its records. */
function addSection(m: Msg, p: number, count: number, title: string, one: (m: Msg, parent: FieldNode | null, off: number) => number): number {
  if (count === 0) return p;
  const s = m.ctx.add(m.L, null, fText, p, 0, null, title);
  const start = p;
  for (let i = 0; i < count; i++) p = one(m, s, p);
  if (s) s.length = p - start;
  return p;
}

function udpDissector(flavour: Flavour) {
  return (ctx: Ctx, o: number, end: number, rend: number): Next | null => {
    // quoted in an ICMP error, a message cut inside its header shows nothing (as in tshark 4.0)
    if (ctx.inError > 0 && end - o < 12) return null;
    dissectMessage(ctx, o, end, rend, flavour, -1);
    return null;
  };
}

/** DNS over TCP: each message after its 2-byte length (no reassembly: tshark-ref runs without it). */
function dissectDnsTcp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  let p = o;
  while (p < rend) {
    ctx.need(p, 2, end, rend);
    const len = ctx.u16(p);
    const mEnd = p + 2 + len;
    tcpPduSize(ctx, len + 2);
    dissectMessage(ctx, p + 2, Math.min(end, mEnd), mEnd, 'dns', p);
    p = mEnd;
  }
  return null;
}

register('dns', udpDissector('dns'));
register('dns.tcp', dissectDnsTcp);
register('mdns', udpDissector('mdns'));
register('llmnr', udpDissector('llmnr'));
handoff('udp.port', 53, 'dns');
handoff('tcp.port', 53, 'dns.tcp');
handoff('udp.port', 5353, 'mdns');
handoff('udp.port', 5355, 'llmnr');
handoff('tcp.port', 5353, 'dns.tcp');
