import { field, protocol, repeating } from '../core/field.js';

/**
 * The TCP dissector's declarations: its protocol, its fields (those that the sequence analysis
 * decides carry `analysis: true`), the analysis and teaching fields, and the flag texts. Shared by
 * tcp.ts (the header), tcp-options.ts and tcp-analysis-items.ts.
 */
export const pTcp = protocol('tcp', 'Transmission Control Protocol', { short: 'TCP', headerFirst: true, analysis: false });
/** Wireshark's text-only items (an expert item's own line) */
export const fTextItem = field('text', 'Text item', 'none');

export const OPT_KIND: Record<number, string> = {
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
  // generated from the conversation tracker's result
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
export function flagList(flags: number): string {
  return FLAG_LISTS[flags & 0xfff]!;
}

function makeFlagList(flags: number): string {
  const out: string[] = [];
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  if (flags & 0xe00) out.push('Reserved');
  return out.length ? out.join(', ') : '<None>';
}

/** every 12-bit combination, made once when the module loads */
const FLAG_LISTS: readonly string[] = Object.freeze(Array.from({ length: 0x1000 }, (_, f) => makeFlagList(f)));

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


/** proto.c's expert for a string with bytes after its terminating NUL */
export const fStray = field('_ws.string.trailing_stray_characters', 'Trailing stray characters', 'none');

export const ta = {
  analysis: field('tcp.analysis', 'SEQ/ACK analysis', 'none', { analysis: true }),
  flags: field('tcp.analysis.flags', 'TCP Analysis Flags', 'none', { analysis: true }),
  acksFrame: field('tcp.analysis.acks_frame', 'This is an ACK to the segment in frame', 'framenum', { analysis: true }),
  ackRtt: field('tcp.analysis.ack_rtt', 'The RTT to ACK the segment was', 'reltime', { analysis: true }),
  irtt: field('tcp.analysis.initial_rtt', 'iRTT', 'reltime', { analysis: true }),
  bif: field('tcp.analysis.bytes_in_flight', 'Bytes in flight', 'uint', { analysis: true }),
  push: field('tcp.analysis.push_bytes_sent', 'Bytes sent since last PSH flag', 'uint', { analysis: true }),
  rto: field('tcp.analysis.rto', 'The RTO for this segment was', 'reltime', { analysis: true }),
  rtoFrame: field('tcp.analysis.rto_frame', 'RTO based on delta from frame', 'framenum', { analysis: true }),
  dup: field('tcp.analysis.duplicate_ack', 'Duplicate ACK', 'none', { analysis: true }),
  dupNum: field('tcp.analysis.duplicate_ack_num', 'Duplicate ACK #', 'uint', { analysis: true }),
  dupFrame: field('tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame', 'framenum', { analysis: true }),
  retransmission: field('tcp.analysis.retransmission', 'This frame is a (suspected) retransmission', 'none', { analysis: true }),
  fastRetransmission: field('tcp.analysis.fast_retransmission', 'This frame is a (suspected) fast retransmission', 'none', { analysis: true }),
  spuriousRetransmission: field('tcp.analysis.spurious_retransmission', 'This frame is a (suspected) spurious retransmission', 'none', { analysis: true }),
  outOfOrder: field('tcp.analysis.out_of_order', 'This frame is a (suspected) out-of-order segment', 'none', { analysis: true }),
  reusedPorts: field('tcp.analysis.reused_ports', 'A new tcp session is started with the same ports as an earlier session in this trace', 'none', { analysis: true }),
  lostSegment: field('tcp.analysis.lost_segment', 'Previous segment(s) not captured (common at capture start)', 'none', { analysis: true }),
  ackLostSegment: field('tcp.analysis.ack_lost_segment', "ACKed segment that wasn't captured (common at capture start)", 'none', { analysis: true }),
  windowUpdate: field('tcp.analysis.window_update', 'TCP window update', 'none', { analysis: true }),
  windowFull: field('tcp.analysis.window_full', 'TCP window specified by the receiver is now completely full', 'none', { analysis: true }),
  keepAlive: field('tcp.analysis.keep_alive', 'TCP keep-alive segment', 'none', { analysis: true }),
  keepAliveAck: field('tcp.analysis.keep_alive_ack', 'ACK to a TCP keep-alive segment', 'none', { analysis: true }),
  zeroWindowProbe: field('tcp.analysis.zero_window_probe', 'TCP Zero Window Probe', 'none', { analysis: true }),
  zeroWindow: field('tcp.analysis.zero_window', 'TCP Zero Window segment', 'none', { analysis: true }),
  zeroWindowProbeAck: field('tcp.analysis.zero_window_probe_ack', 'ACK to a TCP Zero Window Probe', 'none', { analysis: true }),
  tfoAck: field('tcp.analysis.tfo_ack', 'TCP SYN-ACK accepting TFO data', 'none', { analysis: true }),
  tfoIgnored: field('tcp.analysis.tfo_ignored', 'TCP SYN-ACK ignoring TFO data', 'none', { analysis: true }),
  finActive: field('tcp.connection.fin_active', 'This frame initiates the connection closing', 'none', { analysis: true }),
  finPassive: field('tcp.connection.fin_passive', 'This frame undergoes the connection closing', 'none', { analysis: true }),
  dsackLe: field('tcp.options.sack.dsack_le', 'TCP D-SACK Left Edge', 'uint', { analysis: true }),
  dsackRe: field('tcp.options.sack.dsack_re', 'TCP D-SACK Right Edge', 'uint', { analysis: true }),
  dsack: field('tcp.options.sack.dsack', 'D-SACK Sequence', 'none', { analysis: true }),
  resetCause: field('tcp.reset_cause', 'Reset cause', 'string', { analysis: true }),
};

/** minishark's own fields (not Wireshark's): the teaching view of each segment */
export const ms = {
  phase: field('minishark.tcp.phase', 'Connection phase', 'string'),
  step: field('minishark.tcp.step', 'Step', 'string'),
  role: field('minishark.tcp.role', 'Sender role', 'string'),
  explain: field('minishark.tcp.explain', 'Explanation', 'string'),
  mssCheck: field('minishark.tcp.mss_check', 'MSS check', 'string'),
};

/** "Incomplete, DATA (15)" (conversation_completeness_fill) */
export function completenessText(v: number): string {
  switch (v) {
    case 1:
      return `Incomplete, SYN_SENT (${v})`;
    case 3:
      return `Incomplete, CLIENT_ESTABLISHED (${v})`;
    case 7:
      return `Incomplete, ESTABLISHED (${v})`;
    case 15:
      return `Incomplete, DATA (${v})`;
    case 31:
    case 47:
    case 63:
      return `Complete, WITH_DATA (${v})`;
    case 23:
    case 39:
    case 55:
      return `Complete, NO_DATA (${v})`;
    default:
      return `Incomplete (${v})`;
  }
}
