import { fold, pseudoSum, sum16 } from '../core/checksum.js';
import { field, protocol, repeating, type FieldDef, type FieldNode, type Layer } from '../core/field.js';
import type { TcpSegment } from '../core/packet.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { bitPicture } from '../output/format.js';
import { data, pData } from './data.js';
import { finishTcpBogus, finishTcpQuoted } from './tcp-finish.js';

export const pTcp = protocol('tcp', 'Transmission Control Protocol', { analysis: false });
/** Wireshark's text-only items (an expert item's own line) */
const fTextItem = field('text', 'Text item', 'none');

const OPT_KIND: Record<number, string> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted', 5: 'SACK',
  6: 'Echo', 7: 'Echo Reply', 8: 'Time Stamp Option', 9: 'Partial Order Connection Permitted', 10: 'Partial Order Service Profile',
  11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request', 15: 'TCP Alternate Checksum Data',
  16: 'Skeeter', 17: 'Bubba', 18: 'Trailer Checksum Option', 19: 'MD5 Signature Option', 20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements', 22: 'Record Boundaries', 23: 'Corruption experienced', 24: 'SNAP',
  25: 'Unassigned', 26: 'TCP Compression Filter', 27: 'Quick-Start Response', 28: 'User Timeout Option',
  29: 'The TCP Authentication Option', 30: 'Multipath TCP', 34: 'TCP Fast Open Cookie', 69: 'Encryption Negotiation',
  172: 'Accurate ECN Order 0 (AccECN0)', 174: 'Accurate ECN Order 1 (AccECN1)', 253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

const TF_SET: readonly [string, string] = ['Set', 'Not set'];

export const tcp = {
  srcport: field('tcp.srcport', 'Source Port', 'uint', { bits: 16 }),
  dstport: field('tcp.dstport', 'Destination Port', 'uint', { bits: 16 }),
  port: field('tcp.port', 'Source or Destination Port', 'uint', { bits: 16 }),
  stream: field('tcp.stream', 'Stream index', 'uint'),
  completeness: field('tcp.completeness', 'Conversation completeness', 'uint', { bits: 8 , analysis: true }),
  len: field('tcp.len', 'TCP Segment Len', 'uint'),
  seq: field('tcp.seq', 'Sequence Number', 'uint', { analysis: true }),
  seqRaw: field('tcp.seq_raw', 'Sequence Number (raw)', 'uint'),
  nxtseq: field('tcp.nxtseq', 'Next Sequence Number', 'uint', { analysis: true }),
  ack: field('tcp.ack', 'Acknowledgment Number', 'uint', { analysis: true }),
  ackRaw: field('tcp.ack_raw', 'Acknowledgment number (raw)', 'uint'),
  ackNonzero: field('tcp.ack.nonzero', 'The acknowledgment number field is nonzero while the ACK flag is not set', 'none', { analysis: true }),
  hdrLen: field('tcp.hdr_len', 'Header Length', 'uint', { bits: 8, bitmask: 0xf0 }),
  flags: field('tcp.flags', 'Flags', 'uint', { base: 'hex', bits: 16, bitmask: 0x0fff , analysis: true }),
  fRes: field('tcp.flags.res', 'Reserved', 'bool', { bits: 12, bitmask: 0xe00, tf: TF_SET , analysis: true }),
  fAe: field('tcp.flags.ae', 'Accurate ECN', 'bool', { bits: 12, bitmask: 0x100, tf: TF_SET , analysis: true }),
  fCwr: field('tcp.flags.cwr', 'Congestion Window Reduced', 'bool', { bits: 12, bitmask: 0x80, tf: TF_SET , analysis: true }),
  fEce: field('tcp.flags.ece', 'ECN-Echo', 'bool', { bits: 12, bitmask: 0x40, tf: TF_SET , analysis: true }),
  fAce: field('tcp.flags.ace', 'ACE', 'uint', { bits: 8 , analysis: true }),
  fUrg: field('tcp.flags.urg', 'Urgent', 'bool', { bits: 12, bitmask: 0x20, tf: TF_SET }),
  fAck: field('tcp.flags.ack', 'Acknowledgment', 'bool', { bits: 12, bitmask: 0x10, tf: TF_SET }),
  fPush: field('tcp.flags.push', 'Push', 'bool', { bits: 12, bitmask: 0x08, tf: TF_SET }),
  fReset: field('tcp.flags.reset', 'Reset', 'bool', { bits: 12, bitmask: 0x04, tf: TF_SET }),
  fSyn: field('tcp.flags.syn', 'Syn', 'bool', { bits: 12, bitmask: 0x02, tf: TF_SET }),
  fFin: field('tcp.flags.fin', 'Fin', 'bool', { bits: 12, bitmask: 0x01, tf: TF_SET }),
  fStr: field('tcp.flags.str', 'TCP Flags', 'string', { analysis: true }),
  connSyn: field('tcp.connection.syn', 'Connection establish request (SYN)', 'none', { analysis: true }),
  connSynack: field('tcp.connection.synack', 'Connection establish acknowledge (SYN+ACK)', 'none', { analysis: true }),
  connFin: field('tcp.connection.fin', 'Connection finish (FIN)', 'none', { analysis: true }),
  connRst: field('tcp.connection.rst', 'Connection reset (RST)', 'none', { analysis: true }),
  windowValue: field('tcp.window_size_value', 'Window', 'uint', { bits: 16 }),
  windowSize: field('tcp.window_size', 'Calculated window size', 'uint', { analysis: true }),
  windowScale: field('tcp.window_size_scalefactor', 'Window size scaling factor', 'int', { analysis: true }),
  checksum: field('tcp.checksum', 'Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumCalc: field('tcp.checksum_calculated', 'Calculated Checksum', 'uint', { base: 'hex', bits: 16 , analysis: true }),
  checksumStatus: field('tcp.checksum.status', 'Checksum Status', 'uint', { bits: 8, vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  checksumBad: field('tcp.checksum_bad.expert', 'Bad checksum', 'none', { analysis: true }),
  checksumFfff: field('tcp.checksum.ffff', 'TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)', 'none', { analysis: true }),
  urgent: field('tcp.urgent_pointer', 'Urgent Pointer', 'uint', { bits: 16 }),
  urgentNonzero: field('tcp.urgent_pointer.non_zero', 'The urgent pointer field is nonzero while the URG flag is not set', 'none', { analysis: true }),
  options: field('tcp.options', 'TCP Options', 'bytes', { analysis: true }),
  optionKind: field('tcp.option_kind', 'Kind', 'uint', { bits: 8, vals: OPT_KIND , analysis: true }),
  optionLen: field('tcp.option_len', 'Length', 'uint', { bits: 8 , analysis: true }),
  optEol: field('tcp.options.eol', 'TCP Option - End of Option List (EOL)', 'protocol', { analysis: true }),
  optNop: field('tcp.options.nop', 'TCP Option - No-Operation (NOP)', 'protocol', { analysis: true }),
  nonZeroAfterEol: field('tcp.non_zero_bytes_after_eol', 'Non zero bytes in option space after EOL option', 'none', { analysis: true }),
  optMss: field('tcp.options.mss', 'TCP Option - Maximum segment size', 'protocol', { analysis: true }),
  mssVal: field('tcp.options.mss_val', 'MSS Value', 'uint', { bits: 16 , analysis: true }),
  optWscale: field('tcp.options.wscale', 'TCP Option - Window scale', 'protocol', { analysis: true }),
  wsShift: field('tcp.options.wscale.shift', 'Shift count', 'uint', { bits: 8 , analysis: true }),
  wsMultiplier: field('tcp.options.wscale.multiplier', 'Multiplier', 'uint', { bits: 16 , analysis: true }),
  optSackPerm: field('tcp.options.sack_perm', 'TCP Option - SACK permitted', 'protocol', { analysis: true }),
  optSack: field('tcp.options.sack', 'TCP Option - SACK', 'protocol', { analysis: true }),
  sackLe: field('tcp.options.sack_le', 'TCP SACK Left Edge', 'uint', { analysis: true }),
  sackRe: field('tcp.options.sack_re', 'TCP SACK Right Edge', 'uint', { analysis: true }),
  sackCount: field('tcp.options.sack.count', 'TCP SACK Count', 'uint', { bits: 8 , analysis: true }),
  optTime: field('tcp.options.timestamp', 'TCP Option - Timestamps', 'protocol', { analysis: true }),
  tsval: field('tcp.options.timestamp.tsval', 'Timestamp value', 'uint', { analysis: true }),
  tsecr: field('tcp.options.timestamp.tsecr', 'Timestamp echo reply', 'uint', { analysis: true }),
  optUnknown: field('tcp.options.unknown', 'TCP Option - Unknown', 'protocol', { analysis: true }),
  optUnknownPayload: field('tcp.options.unknown.payload', 'Payload', 'bytes', { analysis: true }),
  optBadLen: field('tcp.option.len.invalid', 'Invalid length for option', 'none', { analysis: true }),
  optMptcp: field('tcp.options.mptcp', 'TCP Option - Multipath TCP', 'protocol', { analysis: true }),
  optTfo: field('tcp.options.tfo', 'TCP Option - TCP Fast Open', 'protocol', { analysis: true }),
  tfoRequest: field('tcp.options.tfo.request', 'Fast Open Cookie Request', 'none', { analysis: true }),
  tfoCookie: field('tcp.options.tfo.cookie', 'Fast Open Cookie', 'bytes', { analysis: true }),
  tfoSyn: field('tcp.analysis.tfo_syn', 'TCP SYN with TFO Cookie', 'none', { analysis: true }),
  optExp: field('tcp.options.experimental', 'TCP Option - Experimental', 'protocol', { analysis: true }),
  expExid: field('tcp.options.experimental.exid', 'Experiment Identifier', 'uint', { base: 'hex', bits: 16, vals: { 0xf989: 'Fast Open', 0xacc0: 'Accurate ECN - Order 0', 0xacc1: 'Accurate ECN - Order 1' }, analysis: true }),
  expData: field('tcp.options.experimental.data', 'Data', 'bytes', { analysis: true }),
  optAccEcn: field('tcp.options.acc_ecn', 'TCP Option - Accurate ECN', 'protocol', { analysis: true }),
  accEe0b: field('tcp.options.acc_ecn.ee0b', 'Accurate ECN Echo ECT(0) Byte Counter', 'uint', { bits: 24 , analysis: true }),
  accEceb: field('tcp.options.acc_ecn.eceb', 'Accurate ECN Echo CE Byte Counter', 'uint', { bits: 24 , analysis: true }),
  accEe1b: field('tcp.options.acc_ecn.ee1b', 'Accurate ECN Echo ECT(1) Byte Counter', 'uint', { bits: 24 , analysis: true }),
  optQs: field('tcp.options.qs', 'TCP Option - Quick-Start', 'protocol', { analysis: true }),
  qsRate: field('tcp.options.qs.rate', 'QS Rate', 'uint', { bits: 8, bitmask: 0x0f , analysis: true }),
  qsTtlDiff: field('tcp.options.qs.ttl_diff', 'QS Rate', 'uint', { bits: 8 , analysis: true }),
  userToGran: field('tcp.options.user_to_granularity', 'Granularity', 'bool', { bits: 16, bitmask: 0x8000, tf: ['Minutes', 'Seconds'] , analysis: true }),
  userToVal: field('tcp.options.user_to_val', 'User Timeout', 'uint', { bits: 16, bitmask: 0x7fff , analysis: true }),
  optEchoReply: field('tcp.options.echoreply', 'TCP Option - Echo reply', 'protocol', { analysis: true }),
  echoValue: field('tcp.options.echo_value', 'TCP Echo Option', 'uint', { analysis: true }),
  ccValue: field('tcp.options.cc_value', 'TCP CC Option', 'uint', { analysis: true }),
  optCcNew: field('tcp.options.ccnew', 'TCP Option - CC.NEW', 'protocol', { analysis: true }),
  optCcEcho: field('tcp.options.ccecho', 'TCP Option - CC.ECHO', 'protocol', { analysis: true }),
  md5Digest: field('tcp.options.md5.digest', 'MD5 digest', 'bytes', { analysis: true }),
  optAo: field('tcp.options.ao', 'TCP Option - TCP AO', 'protocol', { analysis: true }),
  aoKeyId: field('tcp.options.ao.keyid', 'AO KeyID', 'uint', { bits: 8 , analysis: true }),
  aoRnextKeyId: field('tcp.options.ao.rnextkeyid', 'AO RNextKeyID', 'uint', { bits: 8 , analysis: true }),
  aoMac: field('tcp.options.ao.mac', 'AO MAC', 'bytes', { analysis: true }),
  optNopWarn: field('tcp.nop', '4 NOP in a row - a router may have removed some options', 'none', { analysis: true }),
  mssAbsent: field('tcp.options.mss.absent', 'The SYN packet does not contain a MSS option', 'none', { analysis: true }),
  mssPresent: field('tcp.options.mss.present', 'The non-SYN packet does contain a MSS option', 'none', { analysis: true }),
  wsShiftInvalid: field('tcp.options.wscale.shift.invalid', 'Window scale shift exceeds 14', 'none', { analysis: true }),
  subOptMalformed: field('tcp.suboption_malformed', 'suboption would go past end of option', 'none', { analysis: true }),
  optUserTo: field('tcp.options.user_to', 'TCP Option - User Timeout', 'protocol', { analysis: true }),
  optMd5: field('tcp.options.md5', 'TCP Option - TCP MD5 signature', 'protocol', { analysis: true }),
  optEcho: field('tcp.options.echo', 'TCP Option - Echo', 'protocol', { analysis: true }),
  optCc: field('tcp.options.cc', 'TCP Option - CC', 'protocol', { analysis: true }),
  payload: field('tcp.payload', 'TCP payload', 'bytes', { analysis: true }),
  badHdrLen: field('tcp.bogus_header_length', 'Bogus TCP Header Length', 'none', { analysis: true }),
  shortSegment: field('tcp.short_segment', 'Short segment', 'none', { analysis: true }),
  // generated by the conversation tracker stage
  timeRelative: field('tcp.time_relative', 'Time since first frame in this TCP stream', 'reltime', { analysis: true }),
  timeDelta: field('tcp.time_delta', 'Time since previous frame in this TCP stream', 'reltime', { analysis: true }),
};

// More than once in one header: the two ports (tcp.port); each option's kind and length; NOP and
// EOL padding; SACK blocks; options that can legitimately appear twice (several experimental
// options, e.g. TFO and AccECN; several MPTCP options; unknown kinds). MSS, window scale, SACK
// permitted and timestamps occur once in a valid header: a second one keeps only its first value in
// JSON (every occurrence is in -T fields and the details).
repeating([tcp.port, tcp.optionKind, tcp.optionLen, tcp.optNop, tcp.optEol, tcp.sackLe, tcp.sackRe]);
repeating([tcp.optUnknown, tcp.optUnknownPayload, tcp.optExp, tcp.expExid, tcp.expData, tcp.optMptcp]);

export const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

/** "[SYN, ACK]" contents in Wireshark's order, with "Reserved" last; "<None>" when no flag is set */
const flagListCache: string[] = [];
export function flagList(flags: number): string {
  return (flagListCache[flags & 0xfff] ??= makeFlagList(flags & 0xfff));
}

function makeFlagList(flags: number): string {
  const out: string[] = [];
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  if (flags & 0xe00) out.push('Reserved');
  return out.length ? out.join(', ') : '<None>';
}

/** AccECN connections show the AE/CWR/ECE bits as one counter: "[PSH, ACK, ACE=5]" */
export function flagListAce(flags: number, ace: number): string {
  const out: string[] = [];
  for (let i = 0; i < 6; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  out.push(`ACE=${ace}`);
  if (flags & 0xe00) out.push('Reserved');
  return out.join(', ');
}

/** "···-5-·AP···": the AccECN form of the flags string */
export function flagStrAce(flags: number, ace: number): string {
  const s = flagStr(flags);
  return s.slice(0, 3) + `-${ace}-` + s.slice(6);
}

/** "·······A··S·": letters RRRACEUAPRSF (high bit first), middle dots for clear bits */
export function flagStr(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) s += flags & (1 << (11 - i)) ? letters[i] : '\u00b7';
  return s;
}

function flagBit(ctx: Ctx, L: Layer, parent: FieldNode | null, def: (typeof tcp)['fRes'], o: number, flags: number): FieldNode | null {
  const v = (flags & def.bitmask) !== 0;
  if (!ctx.tree.wants(def)) return null;
  return ctx.add(L, parent, def, o, 2, v, ctx.tree.texts ? `${bitPicture(12, def.bitmask, flags)} = ${def.name}: ${v ? 'Set' : 'Not set'}` : undefined);
}

function optHeader(ctx: Ctx, L: Layer, node: FieldNode | null, o: number, kind: number, len: number | null): void {
  const full = ctx.tree.full;
  ctx.add(L, node, tcp.optionKind, o, 1, kind, ctx.tree.texts ? `Kind: ${OPT_KIND[kind] ?? 'Unknown'} (${kind})` : undefined);
  if (len !== null) ctx.add(L, node, tcp.optionLen, o + 1, 1, len, ctx.tree.texts ? `Length: ${len}` : undefined);
}

/** Short names of the option dissectors Wireshark 4.0 registers (the "Options: (N bytes), ..." list). */
const OPT_NAME: Record<number, string> = {
  2: 'Maximum segment size', 3: 'Window scale', 4: 'SACK permitted', 5: 'SACK', 6: 'Echo', 7: 'Echo reply', 8: 'Timestamps',
  11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 19: 'TCP MD5 signature', 27: 'Quick-Start', 28: 'User Timeout', 29: 'TCP AO',
  30: 'MPTCP', 34: 'TCP Fast Open', 172: 'Accurate ECN', 174: 'Accurate ECN', 253: 'Experimental', 254: 'Experimental',
};

const QS_RATE = ['0 bit/s', '80 kbit/s', '160 kbit/s', '320 kbit/s', '640 kbit/s', '1.28 Mbit/s', '2.56 Mbit/s', '5.12 Mbit/s', '10.24 Mbit/s',
  '20.48 Mbit/s', '40.96 Mbit/s', '81.92 Mbit/s', '163.84 Mbit/s', '327.68 Mbit/s', '655.36 Mbit/s', '1.31072 Gbit/s'];

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** The option being dissected (module state, so that the helpers below need no per-packet closures). */
const OPT = { ctx: null as unknown as Ctx, L: null as unknown as Layer, top: null as FieldNode | null, o: 0, kind: 0, len: 0, ce: 0, re: 0 };

/** a read inside the current option: captured up to OPT.ce, reported up to OPT.re */
function optNeed(at: number, n: number): void {
  OPT.ctx.need(at, n, OPT.ce, OPT.re);
}

/** the option's own item (its captured bytes) */
function optItem(def: FieldDef, text: string): FieldNode | null {
  const c = Math.max(0, OPT.ce - OPT.o);
  return OPT.ctx.addBytes(OPT.L, OPT.top, def, OPT.o, c, text);
}

/** Kind and Length under the option item; returns the Length item */
function optKindLen(n: FieldNode | null): FieldNode | null {
  const ctx = OPT.ctx;
  const full = ctx.tree.full;
  ctx.add(OPT.L, n, tcp.optionKind, OPT.o, 1, OPT.kind, ctx.tree.texts ? `Kind: ${OPT_KIND[OPT.kind] ?? 'Unknown'} (${OPT.kind})` : undefined);
  optNeed(OPT.o + 1, 1);
  return ctx.add(OPT.L, n, tcp.optionLen, OPT.o + 1, 1, OPT.len, ctx.tree.texts ? `Length: ${OPT.len}` : undefined);
}

/** The option's item, Kind and Length, for an option of fixed length `want`: false (after noting
 * "option length should be N", as Wireshark) when the length is another. */
function optFixed(def: FieldDef, title: string, want: number): FieldNode | null | false {
  const n = optItem(def, title);
  const ln = optKindLen(n);
  if (OPT.len === want) return n;
  optLenBad(ln, want);
  return false;
}

/** Options that carry one 32-bit value: Echo, Echo reply, CC, CC.NEW, CC.ECHO (RFC 1072/1644). */
const U32_OPTION: Record<number, { def: FieldDef; value: FieldDef; info: string }> = {
  6: { def: tcp.optEcho, value: tcp.echoValue, info: 'ECHO' },
  7: { def: tcp.optEchoReply, value: tcp.echoValue, info: 'ECHO' },
  11: { def: tcp.optCc, value: tcp.ccValue, info: 'CC' },
  12: { def: tcp.optCcNew, value: tcp.ccValue, info: 'CC' },
  13: { def: tcp.optCcEcho, value: tcp.ccValue, info: 'CC' },
};

/** "option length should be N" */
function optLenBad(n: FieldNode | null, want: number): void {
  OPT.ctx.expert(OPT.L, n, tcp.optBadLen, 'note', 'Sequence', `option length should be ${want}`);
}

/**
 * Parse options like Wireshark 4.0's tcp_dissect_options: one option at a time, each in its own
 * bounds (a read past the captured bytes stops there: "[Packet size limited during capture]"),
 * with its length checks and expert items; records what the tracker and the Info column need.
 */
function dissectOptions(ctx: Ctx, L: Layer, seg: TcpSegment, tcpStart: number, o: number, optEnd: number, capEnd: number, rend: number, flags: number): void {
  const full = ctx.tree.full;
  const T = ctx.tree.keeps(pTcp);
  const total = optEnd - o;
  // the option names of the "Options: (N bytes), ..." title: only the details pane shows them
  const names: string[] = full ? [] : NO_NAMES;
  const optCap = Math.max(0, Math.min(total, capEnd - o));
  const top = ctx.addBytes(L, null, tcp.options, o, optCap, ctx.tree.texts ? `Options: (${total} bytes)` : undefined);
  OPT.ctx = ctx;
  OPT.L = L;
  OPT.top = top;
  let length = total;
  let nop = 0;
  let mssSeen = false;
  let eol = false;
  try {
    while (length > 0) {
      ctx.need(o, 1, capEnd, rend);
      const kind = ctx.u8(o);
      length--;
      if (eol && kind !== 0) {
        // Wireshark: after an EOL only zero bytes (more EOLs); the first other byte ends the options
        const n = full ? ctx.add(L, top, fTextItem, o, Math.min(length + 1, capEnd - o), null, 'Non-zero header padding') : null;
        ctx.expert(L, n ?? top, tcp.nonZeroAfterEol, 'error', 'Protocol', 'Non-zero header padding');
        return ctx.need(o, length + 1, capEnd, rend);
      }
      eol = kind === 0;
      if (kind === 0 || kind === 1) {
        if (kind === 1) {
          if (nop === 0 || (o - tcpStart) % 4) {
            if (++nop === 4) ctx.expert(L, top, tcp.optNopWarn, 'warn', 'Protocol', '4 NOP in a row - a router may have removed some options');
          } else nop = 0;
        }
        if (T) {
          const def = kind === 0 ? tcp.optEol : tcp.optNop;
          const n = ctx.addBytes(L, top, def, o, 1, def.name);
          optHeader(ctx, L, n, o, kind, null);
        }
        if (full) names.push(kind === 0 ? 'End of Option List (EOL)' : 'No-Operation (NOP)');
        o++;
        continue;
      }
      const name = OPT_NAME[kind] ?? `Unknown (0x${kind.toString(16).padStart(2, '0')})`;
      if (length === 0) {
        ctx.expert(L, top, tcp.optBadLen, 'note', 'Sequence', `${name} (length byte past end of options)`, true);
        return;
      }
      ctx.need(o + 1, 1, capEnd, rend);
      const len = ctx.u8(o + 1);
      length--;
      if (len < 2) {
        ctx.expert(L, top, tcp.optBadLen, 'note', 'Sequence', `${name} (with too-short option length = ${len} byte${len === 1 ? '' : 's'})`, true);
        return;
      }
      if (len - 2 > length) {
        ctx.expert(L, top, tcp.optBadLen, 'note', 'Sequence', `${name} (option length = ${len} byte${len === 1 ? '' : 's'} says option goes past end of options)`, true);
        ctx.need(o, length, capEnd, rend); // Wireshark throws after adding the item when its range passes the end
        return;
      }
      if (kind === 2) mssSeen = true;
      // the option's own bounds: captured up to capEnd, reported up to its length
      const oe = o + len;
      const ce = Math.min(capEnd, oe);
      OPT.o = o;
      OPT.kind = kind;
      OPT.len = len;
      OPT.ce = ce;
      OPT.re = Math.min(oe, rend);
      const body = o + 2;
      const need = optNeed;
      const item = optItem;
      const kl = optKindLen;
      const lenBad = optLenBad;
      switch (kind) {
        case 2: {
          const n = item(tcp.optMss, 'TCP Option - Maximum segment size');
          if (!(flags & 0x02)) ctx.expert(L, n, tcp.mssPresent, 'warn', 'Protocol', 'The non-SYN packet does contain a MSS option');
          const ln = kl(n);
          if (len !== 4) {
            lenBad(ln, 4);
            break;
          }
          need(body, 2);
          const mss = ctx.u16(body);
          seg.mss = mss;
          if (n && full) n.text = `TCP Option - Maximum segment size: ${mss} bytes`;
          ctx.add(L, n, tcp.mssVal, body, 2, mss, ctx.tree.texts ? `MSS Value: ${mss}` : undefined);
          if (ctx.tree.cols) infoList(seg).push(` MSS=${mss}`);
          break;
        }
        case 3: {
          const n = optFixed(tcp.optWscale, 'TCP Option - Window scale', 3);
          if (n === false) break;
          need(body, 1);
          const val = ctx.u8(body);
          const sn = ctx.add(L, n, tcp.wsShift, body, 1, val, ctx.tree.texts ? `Shift count: ${val}` : undefined);
          let shift = val;
          if (shift > 14) {
            shift = 14;
            ctx.expert(L, sn, tcp.wsShiftInvalid, 'warn', 'Protocol', 'Window scale shift exceeds 14');
          }
          const mult = 1 << shift;
          seg.wsShift = shift;
          ctx.gen(L, n, tcp.wsMultiplier, mult, ctx.tree.texts ? `Multiplier: ${mult}` : undefined);
          if (n && full) n.text = `TCP Option - Window scale: ${val} (multiply by ${mult})`;
          if (ctx.tree.cols) infoList(seg).push(` WS=${mult}`);
          break;
        }
        case 4: {
          const n = item(tcp.optSackPerm, 'TCP Option - SACK permitted');
          const ln = kl(n);
          seg.sackPerm = true;
          if (ctx.tree.cols) infoList(seg).push(' SACK_PERM');
          if (len !== 2) lenBad(ln, 2);
          break;
        }
        case 5: {
          const n = item(tcp.optSack, 'TCP Option - SACK');
          kl(n);
          let left = len - 2;
          let b = body;
          let count = 0;
          while (left > 0) {
            if (left < 4) {
              ctx.expert(L, n, tcp.subOptMalformed, 'error', 'Malformed', 'suboption would go past end of option');
              break;
            }
            need(b, 4);
            const le = ctx.u32(b);
            const ln = ctx.add(L, n, tcp.sackLe, b, 4, le, ctx.tree.texts ? `left edge = ${le}` : undefined);
            left -= 4;
            if (left < 4) {
              ctx.expert(L, n, tcp.subOptMalformed, 'error', 'Malformed', 'suboption would go past end of option');
              sackNodeList(seg).push(ln);
              sackList(seg).push(le);
              break;
            }
            need(b + 4, 4);
            const re = ctx.u32(b + 4);
            left -= 4;
            // relative edges are filled in by the tracker stage (they depend on the peer's base seq)
            const rn = ctx.add(L, n, tcp.sackRe, b + 4, 4, re, ctx.tree.texts ? `right edge = ${re}` : undefined);
            sackList(seg).push(le, re);
            sackNodeList(seg).push(ln, rn);
            if (ctx.tree.cols) infoList(seg).push({ sle: le, sre: re });
            count++;
            b += 8;
          }
          ctx.gen(L, n, tcp.sackCount, count, ctx.tree.texts ? `TCP SACK Count: ${count}` : undefined);
          break;
        }
        case 6:
        case 7:
        case 11:
        case 12:
        case 13: {
          const u = U32_OPTION[kind]!;
          const n = optFixed(u.def, u.def.name, 6);
          if (n === false) break;
          need(body, 4);
          const v = ctx.u32(body);
          ctx.add(L, n, u.value, body, 4, v, ctx.tree.texts ? `${u.value.name}: ${v}` : undefined);
          if (n && full) n.text += `: ${v}`;
          if (ctx.tree.cols) infoList(seg).push(` ${u.info}=${v}`);
          break;
        }
        case 8: {
          const n = optFixed(tcp.optTime, 'TCP Option - Timestamps', 10);
          if (n === false) break;
          need(body, 8);
          const tsval = ctx.u32(body);
          const tsecr = ctx.u32(body + 4);
          seg.tsval = tsval;
          seg.tsecr = tsecr;
          if (T) {
            ctx.add(L, n, tcp.tsval, body, 4, tsval, ctx.tree.texts ? `Timestamp value: ${tsval}` : undefined);
            ctx.add(L, n, tcp.tsecr, body + 4, 4, tsecr, ctx.tree.texts ? `Timestamp echo reply: ${tsecr}` : undefined);
          }
          if (n && full) n.text = `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`;
          if (ctx.tree.cols) infoList(seg).push(` TSval=${tsval} TSecr=${tsecr}`);
          break;
        }
        case 19: {
          const n = optFixed(tcp.optMd5, 'TCP Option - TCP MD5 signature', 18);
          if (n === false) break;
          need(body, 16);
          ctx.addBytes(L, n, tcp.md5Digest, body, 16, ctx.tree.texts ? `MD5 digest: ${hexOf(ctx.bytes(body, 16))}` : undefined);
          if (ctx.tree.cols) infoList(seg).push(' MD5');
          break;
        }
        case 27: {
          const n = optFixed(tcp.optQs, 'TCP Option - Quick-Start', 8);
          if (n === false) break;
          need(body, 2);
          const rate = ctx.u8(body) & 0x0f;
          ctx.add(L, n, tcp.qsRate, body, 1, rate, ctx.tree.texts ? `${bitPicture(8, 0x0f, rate)} = QS Rate: ${QS_RATE[rate]} (${rate})` : undefined);
          ctx.add(L, n, tcp.qsTtlDiff, body + 1, 1, ctx.u8(body + 1), ctx.tree.texts ? `QS Rate: ${ctx.u8(body + 1)}` : undefined);
          if (ctx.tree.cols) infoList(seg).push(` QSresp=${QS_RATE[rate]}`);
          break;
        }
        case 28: {
          const n = optFixed(tcp.optUserTo, 'TCP Option - User Timeout', 4);
          if (n === false) break;
          need(body, 2);
          const w = ctx.u16(body);
          ctx.add(L, n, tcp.userToGran, body, 2, (w & 0x8000) !== 0, ctx.tree.texts ? `${bitPicture(16, 0x8000, w)} = Granularity: ${w & 0x8000 ? 'Minutes' : 'Seconds'}` : undefined);
          ctx.add(L, n, tcp.userToVal, body, 2, w & 0x7fff, ctx.tree.texts ? `${bitPicture(16, 0x7fff, w)} = User Timeout: ${w & 0x7fff}` : undefined);
          if (ctx.tree.cols) infoList(seg).push(` USER_TO=${w & 0x7fff}`);
          break;
        }
        case 29: {
          // TCP-AO: Wireshark appends "TCP AO" to Info (without a space) and shows the key ids and MAC
          const n = item(tcp.optAo, 'TCP Option - TCP AO');
          kl(n);
          if (ctx.tree.cols) infoList(seg).push('TCP AO');
          need(body, 1);
          ctx.add(L, n, tcp.aoKeyId, body, 1, ctx.u8(body), ctx.tree.texts ? `AO KeyID: ${ctx.u8(body)}` : undefined);
          need(body + 1, 1);
          ctx.add(L, n, tcp.aoRnextKeyId, body + 1, 1, ctx.u8(body + 1), ctx.tree.texts ? `AO RNextKeyID: ${ctx.u8(body + 1)}` : undefined);
          if (len > 4) {
            need(body + 2, len - 4);
            ctx.addBytes(L, n, tcp.aoMac, body + 2, len - 4, ctx.tree.texts ? `AO MAC: ${hexOf(ctx.bytes(body + 2, len - 4))}` : undefined);
          }
          break;
        }
        case 30: {
          // MPTCP is a protocol of its own, not one of ours: its option is handed to "data"
          if (full) names.push(name);
          optSummary(top, total, names);
          dissectDataOption(ctx, o, ce, Math.min(oe, rend));
          o += len;
          length -= len - 2;
          continue;
        }
        case 34: {
          const n = item(tcp.optTfo, 'TCP Option - TCP Fast Open');
          kl(n);
          tfoPayload(ctx, L, seg, n, o, len, ce, oe, rend, flags);
          break;
        }
        case 253:
        case 254: {
          const n = item(tcp.optExp, 'TCP Option - Experimental');
          kl(n);
          if (len - 2 > 0) {
            need(body, 2);
            const magic = ctx.u16(body);
            const label = tcp.expExid.vals?.get(magic);
            ctx.add(L, n, tcp.expExid, body, 2, magic, ctx.tree.texts ? `Experiment Identifier: ${label ?? 'Unknown'} (0x${magic.toString(16).padStart(4, '0')})` : undefined);
            if (magic === 0xf989) {
              if (n && full) n.text += ': Fast Open';
              tfoPayload(ctx, L, seg, n, body, len - 2, ce, oe, rend, flags);
            } else if (magic === 0xacc0 || magic === 0xacc1) {
              if (n && full) n.text += `: ${label}`;
              accEcn(ctx, L, seg, n, body + 2, oe, ce, rend, magic === 0xacc0 ? 0 : 1);
            }
          }
          break;
        }
        case 172:
        case 174: {
          const n = item(tcp.optAccEcn, 'TCP Option - Accurate ECN');
          kl(n);
          accEcn(ctx, L, seg, n, body, oe, ce, rend, kind === 172 ? 0 : 1);
          break;
        }
        default: {
          const n = item(tcp.optUnknown, 'TCP Option - Unknown');
          kl(n);
          if (len > 2) {
            need(body, len - 2);
            ctx.addBytes(L, n, tcp.optUnknownPayload, body, len - 2, ctx.tree.texts ? `Payload: ${hexOf(ctx.bytes(body, len - 2))}` : undefined);
          }
          break;
        }
      }
      if (full) names.push(name);
      o += len;
      length -= len - 2;
    }
    if (flags & 0x02 && !mssSeen) ctx.expert(L, top, tcp.mssAbsent, 'note', 'Protocol', 'The SYN packet does not contain a MSS option');
  } finally {
    optSummary(top, total, names);
  }
}

function optSummary(top: FieldNode | null, total: number, names: string[]): void {
  // Wireshark's item labels hold at most ITEM_LABEL_LENGTH - 1 = 239 characters
  if (top && OPT.ctx.tree.full) top.text = `Options: (${total} bytes)${names.length ? ', ' + names.join(', ') : ''}`.slice(0, 239);
}

/** A TCP Fast Open cookie or cookie request (option 34, or experimental 254 with magic 0xf989). */
function tfoPayload(ctx: Ctx, L: Layer, seg: TcpSegment, n: FieldNode | null, o: number, optlen: number, ce: number, oe: number, rend: number, flags: number): void {
  if (optlen === 2) {
    ctx.add(L, n, tcp.tfoRequest, o, 2, null, 'Fast Open Cookie Request');
    if (ctx.tree.cols) infoList(seg).push(' TFO=R');
  } else if (optlen > 2) {
    ctx.need(o + 2, optlen - 2, ce, Math.min(oe, rend));
    const b = ctx.bytes(o + 2, optlen - 2);
    const c = ctx.add(L, n, tcp.tfoCookie, o + 2, optlen - 2, b, ctx.tree.texts ? `Fast Open Cookie: ${hexOf(b)}` : undefined);
    if (ctx.tree.cols) infoList(seg).push(' TFO=C');
    if ((flags & 0x12) === 0x02) {
      ctx.expert(L, c, tcp.tfoSyn, 'note', 'Sequence', 'TCP SYN with TFO Cookie');
      seg.tfoCookie = true;
    }
  }
}

/** AccECN byte counters: EE0B, ECEB, EE1B (order 0) or EE1B, ECEB, EE0B (order 1), 24 bits each. */
function accEcn(ctx: Ctx, L: Layer, seg: TcpSegment, n: FieldNode | null, o: number, oe: number, ce: number, rend: number, order: 0 | 1): void {
  const defs = order === 0 ? [tcp.accEe0b, tcp.accEceb, tcp.accEe1b] : [tcp.accEe1b, tcp.accEceb, tcp.accEe0b];
  const short = order === 0 ? ['EE0B', 'ECEB', 'EE1B'] : ['EE1B', 'ECEB', 'EE0B'];
  const parts: string[] = [];
  for (let i = 0; i < 3 && o + 3 <= oe; i++, o += 3) {
    ctx.need(o, 3, ce, Math.min(oe, rend));
    const v = ctx.u24(o);
    ctx.add(L, n, defs[i]!, o, 3, v, ctx.tree.texts ? `${defs[i]!.name}: ${v}` : undefined);
    if (ctx.tree.cols) infoList(seg).push(` ${short[i]}=${v}`);
    parts.push(`${short[i]} ${v}`);
  }
  if (n && ctx.tree.full) n.text += `: Accurate ECN (Order ${order}): ${parts.join(', ')}`;
}

/** An option of a protocol minishark does not dissect (MPTCP): "Data (N bytes)" inside the options,
 * as tshark with that protocol disabled (the data protocol counts in frame.protocols). */
function dissectDataOption(ctx: Ctx, o: number, ce: number, _re: number): void {
  const n = ce - o;
  if (n <= 0) return;
  const L = OPT.L;
  const b = ctx.bytes(o, n);
  const full = ctx.tree.full;
  const top = full ? ctx.add(L, OPT.top, pData, o, n, null, `Data (${n} byte${n === 1 ? '' : 's'})`) : null;
  ctx.add(L, top, data.data, o, n, b, ctx.tree.texts ? `Data: ${hexOf(b)}` : undefined);
  ctx.gen(L, top, data.len, n, ctx.tree.texts ? `Length: ${n}` : undefined);
  ctx.pkt.protocols.push('data');
}

// A segment's SACK and Info-option lists start as these shared empty (frozen) arrays and are made
// on the first push: most segments have neither.
const NO_NUMS = Object.freeze([]) as unknown as number[];
const NO_NODES = Object.freeze([]) as unknown as Array<FieldNode | null>;
const NO_INFO = Object.freeze([]) as unknown as TcpSegment['optInfo'];
const NO_NAMES = Object.freeze([]) as unknown as string[];
function infoList(seg: TcpSegment): TcpSegment['optInfo'] {
  return seg.optInfo === NO_INFO ? (seg.optInfo = []) : seg.optInfo;
}
function sackList(seg: TcpSegment): number[] {
  return seg.sack === NO_NUMS ? (seg.sack = []) : seg.sack;
}
function sackNodeList(seg: TcpSegment): Array<FieldNode | null> {
  return seg.sackNodes === NO_NODES ? (seg.sackNodes = []) : seg.sackNodes;
}

/** The segment for the tracker stage and the taps, with the data source its offsets point into
 * (a reassembled IPv4 datagram's, not the frame's, when the segment came in fragments) */
function handOver(ctx: Ctx, seg: TcpSegment): void {
  ctx.pkt.tcp = seg;
  ctx.pkt.tcpSrc = ctx.src;
}

/** TCP right under IPv4 right under ICMPv4 (frame.protocols "...:icmp:ip:tcp") */
function quotedInIcmpv4(protocols: string[]): boolean {
  const n = protocols.length;
  return protocols[n - 2] === 'ip' && protocols[n - 3] === 'icmp';
}

export function dissectTcp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  // Wireshark reads the ports first (the layer and its ports appear even if the rest is cut off),
  // then the whole fixed part up to the window before anything else
  const L = ctx.layer(pTcp, o, 20);
  ctx.need(o, 4, end, rend);
  const sport = ctx.u16(o);
  const dport = ctx.u16(o + 2);
  const full = ctx.tree.full;
  // some tcp.* field is kept: without, every tcp.* item would be dropped (their calls are skipped)
  const T = ctx.tree.keeps(pTcp);
  if (full) L.summary = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
  if (T) {
    ctx.add(L, null, tcp.srcport, o, 2, sport, ctx.tree.texts ? `Source Port: ${sport}` : undefined);
    ctx.add(L, null, tcp.dstport, o + 2, 2, dport, ctx.tree.texts ? `Destination Port: ${dport}` : undefined);
    ctx.tree.hidden(L, tcp.port, o, 2, sport);
    ctx.tree.hidden(L, tcp.port, o + 2, 2, dport);
  }
  // the Info column starts as the ports; the tracker stage (buildInfo) goes on from this text
  const portsInfo = ctx.tree.cols && !ctx.inError ? `${sport} \u2192 ${dport}` : '';
  if (portsInfo) {
    ctx.pkt.colProto = 'TCP';
    ctx.pkt.colInfo = portsInfo;
  }
  // TCP in IPv4 in ICMPv4 (Wireshark looks at the two layers before TCP): the Sequence Number goes
  // in at once, raw, as an ICMP error may quote only 8 bytes of the header (RFC 792); it is not
  // added again below, nor its raw twin
  const icmpQuote = ctx.inError > 0 && quotedInIcmpv4(ctx.pkt.protocols);
  if (icmpQuote) {
    ctx.need(o + 4, 4, end, rend);
    if (T) ctx.add(L, null, tcp.seq, o + 4, 4, ctx.u32(o + 4), ctx.tree.texts ? `Sequence Number: ${ctx.u32(o + 4)}` : undefined);
  }
  ctx.need(o, 16, end, rend);
  const seq = ctx.u32(o + 4);
  const ack = ctx.u32(o + 8);
  const hb = ctx.u8(o + 12);
  const hdrLen = (hb >> 4) * 4;
  const flags = ctx.u16(o + 12) & 0x0fff;
  const reported = rend - o;
  const inError = ctx.inError > 0;
  const seg: TcpSegment = {
    srcKey: '',
    dstKey: '',
    srcPort: sport,
    dstPort: dport,
    portsInfo,
    stream: -1,
    seq,
    ack,
    flags: 0,
    window: ctx.u16(o + 14),
    hdrLen,
    len: -1,
    urgent: 0,
    mss: -1,
    wsShift: -1,
    sackPerm: false,
    tsval: -1,
    tsecr: -1,
    sack: NO_NUMS,
    sackNodes: NO_NODES,
    optInfo: NO_INFO,
    layer: L,
    nodes: { stream: null, completeness: null, seq: null, nxtseq: null, ack: null, ackRaw: null, windowSize: null, windowScale: null },
    checksumBad: false,
    checksumFfff: false,
    payloadOffset: o + hdrLen,
    payloadEnd: end,
    inError,
    hdrCut: false,
    optTruncated: false,
    tfoCookie: false,
  };
  if (ctx.hasNet()) {
    seg.srcKey = ctx.netKey(false);
    seg.dstKey = ctx.netKey(true);
  }
  // the conversation stage needs both addresses (TCP over IPv4/IPv6)
  const tracked = seg.srcKey !== '' || seg.dstKey !== '';
  // slots for the tracker stage: created here so the tree keeps Wireshark's order
  if (tracked && T) {
    seg.nodes.stream = ctx.gen(L, null, tcp.stream, null);
    seg.nodes.completeness = ctx.gen(L, null, tcp.completeness, null);
  }
  // the segment length comes from the IP length; unknown for fragments and quoted headers
  let tcpLen = -1;
  if (!ctx.fragment && !inError) {
    if (reported < hdrLen) {
      const msg = 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)';
      const line = full ? ctx.add(L, null, fTextItem, o, 0, null, msg) : null;
      ctx.expert(L, line, tcp.shortSegment, 'warn', 'Malformed', msg);
    } else tcpLen = reported - hdrLen;
  }
  seg.len = tcpLen;
  if (T) {
    if (tcpLen >= 0) ctx.gen(L, null, tcp.len, tcpLen, ctx.tree.texts ? `TCP Segment Len: ${tcpLen}` : undefined);
    if (!icmpQuote) {
      seg.nodes.seq = ctx.add(L, null, tcp.seq, o + 4, 4, seq);
      ctx.add(L, null, tcp.seqRaw, o + 4, 4, seq, ctx.tree.texts ? `Sequence Number (raw): ${seq}` : undefined);
    }
  }
  if (hdrLen < 20) {
    const hN = ctx.add(L, null, tcp.hdrLen, o + 12, 1, hdrLen, ctx.tree.texts ? `${bitPicture(8, 0xf0, hb)} = Header Length: ${hdrLen} bytes (${hb >> 4})` : undefined);
    ctx.expert(L, hN, tcp.badHdrLen, 'error', 'Protocol', `Bogus TCP header length (${hdrLen}, must be at least 20)`);
    // Wireshark stops here; the conversation is still tracked (stream, Seq, analysis state).
    // flags stay -1 so that later stages (the engine's finishTcp, taps) skip this header.
    seg.flags = -1;
    if (tracked) finishTcpBogus(ctx, seg, flags);
    return null;
  }
  if (T) {
    seg.nodes.nxtseq = tcpLen >= 0 && tracked ? ctx.gen(L, null, tcp.nxtseq, null) : null;
    seg.nodes.ack = ctx.add(L, null, tcp.ack, o + 8, 4, ack);
    seg.nodes.ackRaw = ctx.add(L, null, tcp.ackRaw, o + 8, 4, ack, ctx.tree.texts ? `Acknowledgment number (raw): ${ack}` : undefined);
  }
  if (!(flags & 0x10) && ack !== 0) {
    ctx.expert(L, seg.nodes.ack ?? null, tcp.ackNonzero, 'note', 'Protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set');
  }
  seg.flags = flags;
  let rN: FieldNode | null = null;
  let sN: FieldNode | null = null;
  let fiN: FieldNode | null = null;
  if (T) {
    ctx.add(L, null, tcp.hdrLen, o + 12, 1, hdrLen, ctx.tree.texts ? `${bitPicture(8, 0xf0, hb)} = Header Length: ${hdrLen} bytes (${hb >> 4})` : undefined);
    const fN = ctx.add(L, null, tcp.flags, o + 12, 2, flags, ctx.tree.texts ? `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagList(flags)})` : undefined);
    flagBit(ctx, L, fN, tcp.fRes, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fAe, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fCwr, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fEce, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fUrg, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fAck, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fPush, o + 12, flags);
    rN = flagBit(ctx, L, fN, tcp.fReset, o + 12, flags);
    sN = flagBit(ctx, L, fN, tcp.fSyn, o + 12, flags);
    fiN = flagBit(ctx, L, fN, tcp.fFin, o + 12, flags);
    if (ctx.tree.wants(tcp.fStr)) {
      const fs = flagStr(flags);
      ctx.gen(L, fN, tcp.fStr, fs, ctx.tree.texts ? `TCP Flags: ${fs}` : undefined);
    }
  }
  // expert items in tree order: under the Reset, Syn and Fin bits
  if (flags & 0x04) ctx.expert(L, rN, tcp.connRst, 'warn', 'Sequence', 'Connection reset (RST)');
  if (flags & 0x02) {
    if (flags & 0x10) ctx.expert(L, sN, tcp.connSynack, 'chat', 'Sequence', `Connection establish acknowledge (SYN+ACK): server port ${sport}`);
    else ctx.expert(L, sN, tcp.connSyn, 'chat', 'Sequence', `Connection establish request (SYN): server port ${dport}`);
  }
  if (flags & 0x01) ctx.expert(L, fiN, tcp.connFin, 'chat', 'Sequence', 'Connection finish (FIN)');
  const win = seg.window;
  if (T) {
    ctx.add(L, null, tcp.windowValue, o + 14, 2, win, ctx.tree.texts ? `Window: ${win}` : undefined);
    seg.nodes.windowSize = ctx.gen(L, null, tcp.windowSize, win, ctx.tree.texts ? `Calculated window size: ${win}` : undefined);
    if (tracked) seg.nodes.windowScale = ctx.gen(L, null, tcp.windowScale, null);
  }
  // the fixed header runs out: Wireshark has tracked the segment and written flags/Seq/Ack/Win by then
  if (o + 20 > end && tracked) {
    seg.hdrCut = true;
    if (inError) finishTcpQuoted(ctx, seg);
    else handOver(ctx, seg);
  }
  // a header cut at 18 bytes still has its checksum (Wireshark reads it before the urgent pointer)
  ctx.need(o, 18, end, rend);
  const cks = ctx.u16(o + 16);
  if (ctx.state.prefs['tcp.check_checksum'] && ctx.netSrc && ctx.netDst && tcpLen >= 0 && o + hdrLen + tcpLen <= end && !inError) {
    const len = hdrLen + tcpLen;
    const acc = pseudoSum(ctx.netSrc, ctx.netDst, 6, len) + sum16(ctx.data, o, len);
    const calc = fold(acc);
    const computed = fold(acc - cks);
    if (calc === 0 && cks === 0xffff) {
      // RFC 1624: 0xffff where 0x0000 is computed
      seg.checksumFfff = true;
      ctx.add(L, null, tcp.checksum, o + 16, 2, cks, `Checksum: 0x${cks.toString(16).padStart(4, '0')} [should be 0x0000 (see RFC 1624)]`);
      ctx.gen(L, null, tcp.checksumCalc, 0, 'Calculated Checksum: 0x0000');
      const st = ctx.gen(L, null, tcp.checksumStatus, 0, 'Checksum Status: Bad');
      ctx.expert(L, st, tcp.checksumFfff, 'warn', 'Checksum', 'TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)');
    } else {
      const good = calc === 0;
      seg.checksumBad = !good;
      const n = ctx.add(L, null, tcp.checksum, o + 16, 2, cks, `Checksum: 0x${cks.toString(16).padStart(4, '0')} ${good ? '[correct]' : `incorrect, should be 0x${computed.toString(16).padStart(4, '0')}(maybe caused by "TCP checksum offload"?)`}`);
      ctx.gen(L, null, tcp.checksumCalc, computed, `Calculated Checksum: 0x${computed.toString(16).padStart(4, '0')}`);
      ctx.gen(L, null, tcp.checksumStatus, good ? 1 : 0, `Checksum Status: ${good ? 'Good' : 'Bad'}`);
      if (!good) ctx.expert(L, n, tcp.checksumBad, 'error', 'Checksum', `Bad checksum [should be 0x${computed.toString(16).padStart(4, '0')}]`);
    }
  } else if (T) {
    ctx.add(L, null, tcp.checksum, o + 16, 2, cks, ctx.tree.texts ? `Checksum: 0x${cks.toString(16).padStart(4, '0')} [unverified]` : undefined);
    ctx.gen(L, null, tcp.checksumStatus, 2, 'Checksum Status: Unverified');
  }
  ctx.need(o, 20, end, rend);
  const urg = ctx.u16(o + 18);
  seg.urgent = urg;
  const uN = T ? ctx.add(L, null, tcp.urgent, o + 18, 2, urg, ctx.tree.texts ? `Urgent Pointer: ${urg}` : undefined) : null;
  if (!(flags & 0x20) && urg !== 0) ctx.expert(L, uN, tcp.urgentNonzero, 'note', 'Protocol', 'The urgent pointer field is nonzero while the URG flag is not set');
  L.length = hdrLen;
  if (tcpLen > 0 || (tcpLen < 0 && o + hdrLen < end)) {
    seg.payloadOffset = o + hdrLen;
    seg.payloadEnd = end;
  }
  // hand the segment to the tracker stage before the options: options cut short by the capture
  // throw, but Wireshark has analysed the segment by then
  if (!inError && tracked) handOver(ctx, seg);
  if (hdrLen > 20) {
    seg.optTruncated = true;
    try {
      dissectOptions(ctx, L, seg, o, o + 20, o + hdrLen, end, rend, flags);
    } catch (e) {
      if (inError && tracked) finishTcpQuoted(ctx, seg);
      throw e;
    }
    seg.optTruncated = false;
  }
  // a header quoted in an ICMP error: the conversation is looked up too (stream, timestamps)
  if (inError && tracked) finishTcpQuoted(ctx, seg);
  return null; // the tracker stage finishes TCP (payload hand-off included), see finishTcp
}

register('tcp', dissectTcp);
handoff('ip.proto', 6, 'tcp');
