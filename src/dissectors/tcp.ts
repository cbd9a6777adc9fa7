import { fold, pseudoSum, sum16 } from '../core/checksum.js';
import { field, protocol, type FieldNode, type Layer } from '../core/field.js';
import type { TcpSegment } from '../core/packet.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { bitPicture } from '../output/format.js';
import { bitText } from './ipv4.js';

export const pTcp = protocol('tcp', 'Transmission Control Protocol');

const OPT_KIND: Record<number, string> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted', 5: 'SACK',
  6: 'Echo', 7: 'Echo Reply', 8: 'Time Stamp Option', 9: 'Partial Order Connection Permitted', 10: 'Partial Order Service Profile',
  11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request', 15: 'TCP Alternate Checksum Data',
  16: 'Skeeter', 17: 'Bubba', 18: 'Trailer Checksum Option', 19: 'MD5 Signature Option', 20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements', 22: 'Record Boundaries', 23: 'Corruption experienced', 24: 'SNAP',
  25: 'Unassigned', 26: 'TCP Compression Filter', 27: 'Quick-Start Response', 28: 'User Timeout Option',
  29: 'TCP Authentication Option', 30: 'Multipath TCP', 34: 'TCP Fast Open Cookie', 69: 'Encryption Negotiation',
  172: 'Accurate ECN Order 0 (AccECN0)', 174: 'Accurate ECN Order 1 (AccECN1)', 253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

const TF_SET: readonly [string, string] = ['Set', 'Not set'];

export const tcp = {
  srcport: field('tcp.srcport', 'Source Port', 'uint', { bits: 16 }),
  dstport: field('tcp.dstport', 'Destination Port', 'uint', { bits: 16 }),
  port: field('tcp.port', 'Source or Destination Port', 'uint', { bits: 16 }),
  stream: field('tcp.stream', 'Stream index', 'uint'),
  completeness: field('tcp.completeness', 'Conversation completeness', 'uint', { bits: 8 }),
  len: field('tcp.len', 'TCP Segment Len', 'uint'),
  seq: field('tcp.seq', 'Sequence Number', 'uint'),
  seqRaw: field('tcp.seq_raw', 'Sequence Number (raw)', 'uint'),
  nxtseq: field('tcp.nxtseq', 'Next Sequence Number', 'uint'),
  ack: field('tcp.ack', 'Acknowledgment Number', 'uint'),
  ackRaw: field('tcp.ack_raw', 'Acknowledgment number (raw)', 'uint'),
  ackNonzero: field('tcp.ack.nonzero', 'The acknowledgment number field is nonzero while the ACK flag is not set', 'none'),
  hdrLen: field('tcp.hdr_len', 'Header Length', 'uint', { bits: 8, bitmask: 0xf0 }),
  flags: field('tcp.flags', 'Flags', 'uint', { base: 'hex', bits: 16, bitmask: 0x0fff }),
  fRes: field('tcp.flags.res', 'Reserved', 'bool', { bits: 12, bitmask: 0xe00, tf: TF_SET }),
  fAe: field('tcp.flags.ae', 'Accurate ECN', 'bool', { bits: 12, bitmask: 0x100, tf: TF_SET }),
  fCwr: field('tcp.flags.cwr', 'Congestion Window Reduced', 'bool', { bits: 12, bitmask: 0x80, tf: TF_SET }),
  fEce: field('tcp.flags.ece', 'ECN-Echo', 'bool', { bits: 12, bitmask: 0x40, tf: TF_SET }),
  fUrg: field('tcp.flags.urg', 'Urgent', 'bool', { bits: 12, bitmask: 0x20, tf: TF_SET }),
  fAck: field('tcp.flags.ack', 'Acknowledgment', 'bool', { bits: 12, bitmask: 0x10, tf: TF_SET }),
  fPush: field('tcp.flags.push', 'Push', 'bool', { bits: 12, bitmask: 0x08, tf: TF_SET }),
  fReset: field('tcp.flags.reset', 'Reset', 'bool', { bits: 12, bitmask: 0x04, tf: TF_SET }),
  fSyn: field('tcp.flags.syn', 'Syn', 'bool', { bits: 12, bitmask: 0x02, tf: TF_SET }),
  fFin: field('tcp.flags.fin', 'Fin', 'bool', { bits: 12, bitmask: 0x01, tf: TF_SET }),
  fStr: field('tcp.flags.str', 'TCP Flags', 'string'),
  connSyn: field('tcp.connection.syn', 'Connection establish request (SYN)', 'none'),
  connSynack: field('tcp.connection.synack', 'Connection establish acknowledge (SYN+ACK)', 'none'),
  connFin: field('tcp.connection.fin', 'Connection finish (FIN)', 'none'),
  connRst: field('tcp.connection.rst', 'Connection reset (RST)', 'none'),
  windowValue: field('tcp.window_size_value', 'Window', 'uint', { bits: 16 }),
  windowSize: field('tcp.window_size', 'Calculated window size', 'uint'),
  windowScale: field('tcp.window_size_scalefactor', 'Window size scaling factor', 'int'),
  checksum: field('tcp.checksum', 'Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumCalc: field('tcp.checksum_calculated', 'Calculated Checksum', 'uint', { base: 'hex', bits: 16 }),
  checksumStatus: field('tcp.checksum.status', 'Checksum Status', 'uint', { bits: 8, vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  checksumBad: field('tcp.checksum_bad.expert', 'Bad checksum', 'none'),
  urgent: field('tcp.urgent_pointer', 'Urgent Pointer', 'uint', { bits: 16 }),
  urgentNonzero: field('tcp.urgent_pointer.non_zero', 'The urgent pointer field is nonzero while the URG flag is not set', 'none'),
  options: field('tcp.options', 'TCP Options', 'bytes'),
  optionKind: field('tcp.option_kind', 'Kind', 'uint', { bits: 8, vals: OPT_KIND }),
  optionLen: field('tcp.option_len', 'Length', 'uint', { bits: 8 }),
  optEol: field('tcp.options.eol', 'TCP Option - End of Option List (EOL)', 'protocol'),
  optNop: field('tcp.options.nop', 'TCP Option - No-Operation (NOP)', 'protocol'),
  optMss: field('tcp.options.mss', 'TCP Option - Maximum segment size', 'protocol'),
  mssVal: field('tcp.options.mss_val', 'MSS Value', 'uint', { bits: 16 }),
  optWscale: field('tcp.options.wscale', 'TCP Option - Window scale', 'protocol'),
  wsShift: field('tcp.options.wscale.shift', 'Shift count', 'uint', { bits: 8 }),
  wsMultiplier: field('tcp.options.wscale.multiplier', 'Multiplier', 'uint', { bits: 16 }),
  optSackPerm: field('tcp.options.sack_perm', 'TCP Option - SACK permitted', 'protocol'),
  optSack: field('tcp.options.sack', 'TCP Option - SACK', 'protocol'),
  sackLe: field('tcp.options.sack_le', 'TCP SACK Left Edge', 'uint'),
  sackRe: field('tcp.options.sack_re', 'TCP SACK Right Edge', 'uint'),
  sackCount: field('tcp.options.sack.count', 'TCP SACK Count', 'uint', { bits: 8 }),
  optTime: field('tcp.options.time_stamp', 'TCP Option - Timestamps', 'protocol'),
  tsval: field('tcp.options.timestamp.tsval', 'Timestamp value', 'uint'),
  tsecr: field('tcp.options.timestamp.tsecr', 'Timestamp echo reply', 'uint'),
  optUnknown: field('tcp.options.unknown', 'TCP Option - Unknown', 'protocol'),
  optUnknownPayload: field('tcp.options.unknown.payload', 'Payload', 'bytes'),
  optBadLen: field('tcp.option.len.invalid', 'Invalid length for option', 'none'),
  optMptcp: field('tcp.options.mptcp', 'TCP Option - Multipath TCP', 'protocol'),
  optTfo: field('tcp.options.tfo', 'TCP Option - TFO', 'protocol'),
  optUserTo: field('tcp.options.user_to', 'TCP Option - User Timeout', 'protocol'),
  optMd5: field('tcp.options.md5', 'TCP Option - TCP MD5 signature', 'protocol'),
  optEcho: field('tcp.options.echo', 'TCP Option - Echo', 'protocol'),
  optCc: field('tcp.options.cc', 'TCP Option - CC', 'protocol'),
  payload: field('tcp.payload', 'TCP payload', 'bytes'),
  badHdrLen: field('tcp.bogus_header_length', 'Bogus TCP Header Length', 'none'),
  shortSegment: field('tcp.short_segment', 'Short segment', 'none'),
  // generated by the conversation tracker stage
  timeRelative: field('tcp.time_relative', 'Time since first frame in this TCP stream', 'reltime'),
  timeDelta: field('tcp.time_delta', 'Time since previous frame in this TCP stream', 'reltime'),
};

export const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

/** "[SYN, ACK]" contents in Wireshark's order, with "Reserved" last; "<None>" when no flag is set */
export function flagList(flags: number): string {
  const out: string[] = [];
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  if (flags & 0xe00) out.push('Reserved');
  return out.length ? out.join(', ') : '<None>';
}

/** "·······A··S·": letters RRRACEUAPRSF (high bit first), middle dots for clear bits */
export function flagStr(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) s += flags & (1 << (11 - i)) ? letters[i] : '\u00b7';
  return s;
}

function flagBit(ctx: Ctx, L: Layer, parent: FieldNode | null, def: (typeof tcp)['fRes'], o: number, flags: number): void {
  const v = (flags & def.bitmask) !== 0;
  ctx.add(L, parent, def, o, 2, v, `${bitPicture(12, def.bitmask, flags)} = ${def.name}: ${v ? 'Set' : 'Not set'}`);
}

function optHeader(ctx: Ctx, L: Layer, node: FieldNode | null, o: number, kind: number, len: number | null): void {
  ctx.add(L, node, tcp.optionKind, o, 1, kind, `Kind: ${OPT_KIND[kind] ?? 'Unknown'} (${kind})`);
  if (len !== null) ctx.add(L, node, tcp.optionLen, o + 1, 1, len, `Length: ${len}`);
}

/** Parse options: fields, and what the tracker and the Info column need. */
function dissectOptions(ctx: Ctx, L: Layer, seg: TcpSegment, o: number, end: number): void {
  const total = end - o;
  const names: string[] = [];
  const top = ctx.add(L, null, tcp.options, o, total, ctx.bytes(o, total), '');
  while (o < end) {
    const kind = ctx.u8(o);
    if (kind === 0) {
      const n = ctx.add(L, top, tcp.optEol, o, 1, ctx.bytes(o, 1), 'TCP Option - End of Option List (EOL)');
      optHeader(ctx, L, n, o, 0, null);
      names.push('End of Option List (EOL)');
      o++;
      // the rest is padding, each byte shown as EOL by Wireshark
      while (o < end) {
        const m = ctx.add(L, top, tcp.optEol, o, 1, ctx.bytes(o, 1), 'TCP Option - End of Option List (EOL)');
        optHeader(ctx, L, m, o, ctx.u8(o), null);
        names.push('End of Option List (EOL)');
        o++;
      }
      break;
    }
    if (kind === 1) {
      const n = ctx.add(L, top, tcp.optNop, o, 1, ctx.bytes(o, 1), 'TCP Option - No-Operation (NOP)');
      optHeader(ctx, L, n, o, 1, null);
      names.push('No-Operation (NOP)');
      o++;
      continue;
    }
    if (o + 1 >= end) {
      ctx.add(L, top, tcp.optBadLen, o, 1, null, `${OPT_KIND[kind] ?? 'Unknown'}: option goes past end of options`);
      ctx.expert(L, top, tcp.optBadLen, 'error', 'Malformed', 'Option goes past end of options');
      break;
    }
    const len = ctx.u8(o + 1);
    if (len < 2 || o + len > end) {
      ctx.expert(L, top, tcp.optBadLen, 'error', 'Malformed', len < 2 ? `Option length ${len} is less than 2` : 'Option goes past end of options');
      break;
    }
    const body = o + 2;
    switch (kind) {
      case 2: {
        if (len !== 4) break;
        const mss = ctx.u16(body);
        seg.mss = mss;
        const n = ctx.add(L, top, tcp.optMss, o, len, ctx.bytes(o, len), `TCP Option - Maximum segment size: ${mss} bytes`);
        optHeader(ctx, L, n, o, kind, len);
        ctx.add(L, n, tcp.mssVal, body, 2, mss, `MSS Value: ${mss}`);
        names.push('Maximum segment size');
        seg.optInfo.push(` MSS=${mss}`);
        break;
      }
      case 3: {
        if (len !== 3) break;
        const shift = ctx.u8(body);
        seg.wsShift = shift;
        const mult = 2 ** Math.min(shift, 14);
        const n = ctx.add(L, top, tcp.optWscale, o, len, ctx.bytes(o, len), `TCP Option - Window scale: ${shift} (multiply by ${mult})`);
        optHeader(ctx, L, n, o, kind, len);
        ctx.add(L, n, tcp.wsShift, body, 1, shift, `Shift count: ${shift}`);
        ctx.gen(L, n, tcp.wsMultiplier, mult, `Multiplier: ${mult}`);
        names.push('Window scale');
        seg.optInfo.push(` WS=${mult}`);
        break;
      }
      case 4: {
        seg.sackPerm = true;
        const n = ctx.add(L, top, tcp.optSackPerm, o, len, ctx.bytes(o, len), 'TCP Option - SACK permitted');
        optHeader(ctx, L, n, o, kind, len);
        names.push('SACK permitted');
        seg.optInfo.push(' SACK_PERM');
        break;
      }
      case 5: {
        const n = ctx.add(L, top, tcp.optSack, o, len, ctx.bytes(o, len), 'TCP Option - SACK');
        optHeader(ctx, L, n, o, kind, len);
        let count = 0;
        for (let b = body; b + 8 <= o + len; b += 8) {
          const le = ctx.u32(b);
          const re = ctx.u32(b + 4);
          seg.sack.push(le, re);
          // relative edges are filled in by the tracker stage (they depend on the peer's base seq)
          const ln = ctx.add(L, n, tcp.sackLe, b, 4, le, `left edge = ${le}`);
          const rn = ctx.add(L, n, tcp.sackRe, b + 4, 4, re, `right edge = ${re}`);
          seg.sackNodes.push(ln, rn);
          seg.optInfo.push({ sle: le, sre: re });
          count++;
        }
        ctx.gen(L, n, tcp.sackCount, count, `[TCP SACK Count: ${count}]`);
        names.push('SACK');
        break;
      }
      case 8: {
        if (len !== 10) break;
        const tsval = ctx.u32(body);
        const tsecr = ctx.u32(body + 4);
        seg.tsval = tsval;
        seg.tsecr = tsecr;
        const n = ctx.add(L, top, tcp.optTime, o, len, ctx.bytes(o, len), `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`);
        optHeader(ctx, L, n, o, kind, len);
        ctx.add(L, n, tcp.tsval, body, 4, tsval, `Timestamp value: ${tsval}`);
        ctx.add(L, n, tcp.tsecr, body + 4, 4, tsecr, `Timestamp echo reply: ${tsecr}`);
        names.push('Timestamps');
        seg.optInfo.push(` TSval=${tsval} TSecr=${tsecr}`);
        break;
      }
      default: {
        const name = OPT_KIND[kind];
        const def = kind === 30 ? tcp.optMptcp : kind === 34 ? tcp.optTfo : kind === 28 ? tcp.optUserTo : kind === 19 ? tcp.optMd5 : tcp.optUnknown;
        const n = ctx.add(L, top, def, o, len, ctx.bytes(o, len), name ? `TCP Option - ${name}` : `TCP Option - Unknown (${kind})`);
        optHeader(ctx, L, n, o, kind, len);
        if (len > 2 && def === tcp.optUnknown) ctx.add(L, n, tcp.optUnknownPayload, body, len - 2, ctx.bytes(body, len - 2), `Payload: ${Buffer.from(ctx.bytes(body, len - 2)).toString('hex')}`);
        names.push(name ?? 'Unknown');
        if (kind === 28 && len === 4) seg.optInfo.push(` USER_TO=${ctx.u16(body) & 0x7fff}`);
        if (kind === 19) seg.optInfo.push(' MD5');
        if (kind === 34) seg.optInfo.push(len > 2 ? ' TFO=C' : ' TFO=R');
        break;
      }
    }
    o += len;
  }
  if (top) top.text = `Options: (${total} bytes)${names.length ? ', ' + names.join(', ') : ''}`;
}

export function dissectTcp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  ctx.need(o, 13, end, rend);
  const L = ctx.layer(pTcp, o, 20);
  const sport = ctx.u16(o);
  const dport = ctx.u16(o + 2);
  ctx.add(L, null, tcp.srcport, o, 2, sport, `Source Port: ${sport}`);
  ctx.add(L, null, tcp.dstport, o + 2, 2, dport, `Destination Port: ${dport}`);
  ctx.tree.hidden(L, tcp.port, o, 2, sport);
  ctx.tree.hidden(L, tcp.port, o + 2, 2, dport);
  if (ctx.tree.cols && !ctx.inError) {
    ctx.pkt.colProto = 'TCP';
    ctx.pkt.colInfo = `${sport} \u2192 ${dport}`;
  }
  const seq = ctx.u32(o + 4);
  const ack = ctx.u32(o + 8);
  const hb = ctx.u8(o + 12);
  const hdrLen = (hb >> 4) * 4;
  const reported = rend - o;
  const seg: TcpSegment = {
    srcKey: '',
    dstKey: '',
    srcPort: sport,
    dstPort: dport,
    seq,
    ack,
    flags: 0,
    window: 0,
    hdrLen,
    len: -1,
    urgent: 0,
    mss: -1,
    wsShift: -1,
    sackPerm: false,
    tsval: -1,
    tsecr: -1,
    sack: [],
    sackNodes: [],
    optInfo: [],
    layer: L,
    nodes: {},
    checksumBad: false,
    checksumFfff: false,
    payloadOffset: o + hdrLen,
    payloadEnd: end,
    inError: ctx.inError > 0,
  };
  // slots for the tracker stage: created here so the tree keeps Wireshark's order
  seg.nodes.stream = ctx.gen(L, null, tcp.stream, null);
  seg.nodes.completeness = ctx.gen(L, null, tcp.completeness, null);
  const tcpLen = hdrLen >= 20 && !ctx.fragment && reported >= hdrLen ? reported - hdrLen : -1;
  seg.len = tcpLen;
  if (tcpLen >= 0) ctx.gen(L, null, tcp.len, tcpLen, `TCP Segment Len: ${tcpLen}`);
  seg.nodes.seq = ctx.add(L, null, tcp.seq, o + 4, 4, seq);
  ctx.add(L, null, tcp.seqRaw, o + 4, 4, seq, `Sequence Number (raw): ${seq}`);
  seg.nodes.nxtseq = ctx.gen(L, null, tcp.nxtseq, null);
  seg.nodes.ack = ctx.add(L, null, tcp.ack, o + 8, 4, ack);
  seg.nodes.ackRaw = ctx.add(L, null, tcp.ackRaw, o + 8, 4, ack, `Acknowledgment number (raw): ${ack}`);
  if (hdrLen < 20) {
    ctx.add(L, null, tcp.hdrLen, o + 12, 1, hdrLen, `${bitPicture(8, 0xf0, hb)} = Header Length: ${hdrLen} bytes (${hb >> 4})`);
    ctx.expert(L, null, tcp.badHdrLen, 'error', 'Malformed', `Bogus TCP header length (${hdrLen}, must be at least 20)`);
    if (ctx.tree.cols && !ctx.inError) ctx.pkt.colInfo += ` [BOGUS TCP HEADER LENGTH]`;
    // Wireshark stops here without TCP analysis
    seg.flags = -1;
    removeSlots(seg);
    return null;
  }
  ctx.add(L, null, tcp.hdrLen, o + 12, 1, hdrLen, `${bitPicture(8, 0xf0, hb)} = Header Length: ${hdrLen} bytes (${hb >> 4})`);
  ctx.need(o, 20, end, rend);
  const flags = ctx.u16(o + 12) & 0x0fff;
  seg.flags = flags;
  const fl = flagList(flags);
  const fN = ctx.add(L, null, tcp.flags, o + 12, 2, flags, `Flags: 0x${flags.toString(16).padStart(3, '0')} (${fl === '<None>' ? '<None>' : fl})`);
  flagBit(ctx, L, fN, tcp.fRes, o + 12, flags);
  flagBit(ctx, L, fN, tcp.fAe, o + 12, flags);
  flagBit(ctx, L, fN, tcp.fCwr, o + 12, flags);
  flagBit(ctx, L, fN, tcp.fEce, o + 12, flags);
  flagBit(ctx, L, fN, tcp.fUrg, o + 12, flags);
  flagBit(ctx, L, fN, tcp.fAck, o + 12, flags);
  flagBit(ctx, L, fN, tcp.fPush, o + 12, flags);
  flagBit(ctx, L, fN, tcp.fReset, o + 12, flags);
  if (flags & 0x04) ctx.expert(L, fN, tcp.connRst, 'warn', 'Sequence', 'Connection reset (RST)');
  flagBit(ctx, L, fN, tcp.fSyn, o + 12, flags);
  if (flags & 0x02) {
    if (flags & 0x10) ctx.expert(L, fN, tcp.connSynack, 'chat', 'Sequence', `Connection establish acknowledge (SYN+ACK): server port ${sport}`);
    else ctx.expert(L, fN, tcp.connSyn, 'chat', 'Sequence', `Connection establish request (SYN): server port ${dport}`);
  }
  flagBit(ctx, L, fN, tcp.fFin, o + 12, flags);
  if (flags & 0x01) ctx.expert(L, fN, tcp.connFin, 'chat', 'Sequence', 'Connection finish (FIN)');
  ctx.gen(L, fN, tcp.fStr, flagStr(flags), `TCP Flags: ${flagStr(flags)}`);
  if (!(flags & 0x10) && ack !== 0 && seg.nodes.ackRaw) {
    ctx.expert(L, seg.nodes.ackRaw, tcp.ackNonzero, 'note', 'Protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set');
  }
  const win = ctx.u16(o + 14);
  seg.window = win;
  ctx.add(L, null, tcp.windowValue, o + 14, 2, win, `Window: ${win}`);
  seg.nodes.windowSize = ctx.gen(L, null, tcp.windowSize, null);
  seg.nodes.windowScale = ctx.gen(L, null, tcp.windowScale, null);
  const cks = ctx.u16(o + 16);
  const urg = ctx.u16(o + 18);
  seg.urgent = urg;
  if (ctx.state.prefs['tcp.check_checksum'] && ctx.netSrc && ctx.netDst && tcpLen >= 0 && o + hdrLen + tcpLen <= end && !ctx.inError) {
    const len = hdrLen + tcpLen;
    const acc = pseudoSum(ctx.netSrc, ctx.netDst, 6, len) + sum16(ctx.data, o, len);
    const calc = fold(acc);
    const good = calc === 0;
    const computed = fold(acc - cks);
    seg.checksumBad = !good;
    const n = ctx.add(L, null, tcp.checksum, o + 16, 2, cks, `Checksum: 0x${cks.toString(16).padStart(4, '0')} ${good ? '[correct]' : `incorrect, should be 0x${computed.toString(16).padStart(4, '0')}(maybe caused by "TCP checksum offload"?)`}`);
    ctx.gen(L, null, tcp.checksumCalc, computed, `Calculated Checksum: 0x${computed.toString(16).padStart(4, '0')}`);
    ctx.gen(L, null, tcp.checksumStatus, good ? 1 : 0, `Checksum Status: ${good ? 'Good' : 'Bad'}`);
    if (!good) ctx.expert(L, n, tcp.checksumBad, 'error', 'Checksum', 'Bad checksum');
  } else {
    ctx.add(L, null, tcp.checksum, o + 16, 2, cks, `Checksum: 0x${cks.toString(16).padStart(4, '0')} [unverified]`);
    ctx.gen(L, null, tcp.checksumStatus, 2, 'Checksum Status: Unverified');
  }
  ctx.add(L, null, tcp.urgent, o + 18, 2, urg, `Urgent Pointer: ${urg}`);
  if (!(flags & 0x20) && urg !== 0) ctx.expert(L, null, tcp.urgentNonzero, 'note', 'Protocol', 'The urgent pointer field is nonzero while the URG flag is not set');
  if (hdrLen > 20) {
    ctx.need(o, hdrLen, end, rend);
    dissectOptions(ctx, L, seg, o + 20, o + hdrLen);
  }
  L.length = hdrLen;
  if (ctx.netSrc && ctx.netDst) {
    seg.srcKey = addrKey(ctx.netSrc);
    seg.dstKey = addrKey(ctx.netDst);
  }
  if (tcpLen > 0 || (tcpLen < 0 && o + hdrLen < end)) {
    seg.payloadOffset = o + hdrLen;
    seg.payloadEnd = end;
  }
  ctx.pkt.tcp = ctx.inError ? ctx.pkt.tcp : seg;
  if (ctx.inError) {
    // inside an ICMP error: no conversation tracking, as Wireshark
    removeSlots(seg);
    seg.nodes = {};
  }
  return null; // the tracker stage finishes TCP (payload hand-off included), see finishTcp
}

function removeSlots(seg: TcpSegment): void {
  const f = seg.layer.fields;
  for (const k of ['stream', 'completeness', 'nxtseq', 'windowSize', 'windowScale'] as const) {
    const n = seg.nodes[k];
    if (n) {
      const i = f.indexOf(n);
      if (i >= 0) f.splice(i, 1);
      seg.nodes[k] = null;
    }
  }
}

/** a conversation key part for an address (bytes as latin1 chars: cheap, unique) */
export function addrKey(b: Uint8Array): string {
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

register('tcp', dissectTcp);
handoff('ip.proto', 6, 'tcp');
