import { fold, pseudoSum, sum16 } from '../core/checksum.js';
import type { FieldNode, Layer } from '../core/field.js';
import type { TcpSegment } from '../core/packet.js';
import { TcpTracker, type TcpResult } from '../analysis/tcp-tracker.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, register } from '../dissect/registry.js';
import { bitPicture } from '../output/format.js';
import { addAnalysis, addPayload, addTeaching, addTimestamps, buildInfo, langOf } from './tcp-analysis-items.js';
import { completenessText, flagList, flagListAce, flagStr, flagStrAce, fTextItem, pTcp, ta, tcp } from './tcp-fields.js';
import { dissectOptions, NO_INFO, NO_NUMS } from './tcp-options.js';
import { decimal } from '../core/decimal.js';

export { FLAG_NAMES, flagList, flagListAce, flagStr, flagStrAce, pTcp, tcp } from './tcp-fields.js';

/**
 * The TCP dissector, in one pass as Wireshark's dissect_tcp: the ports, the fixed header read into
 * the segment, the conversation tracker held by the capture state (tcp_analyze_sequence_number),
 * then every item in its final order with its final value: header, options, [Timestamps],
 * [SEQ/ACK analysis], payload and its hand-off. Quoted headers (inside ICMP errors) and bogus
 * header lengths take the same path with fewer steps.
 */

/** The capture's TCP conversation tracker (made with the first TCP segment of the capture). */
function trackerOf(ctx: Ctx): TcpTracker {
  const s = ctx.state;
  let t = s.protoData.get('tcp') as TcpTracker | undefined;
  if (!t) s.protoData.set('tcp', (t = new TcpTracker(s.prefs, { reuseResult: true })));
  return t;
}

/** relative sequence numbers are on (they need the sequence analysis) */
function relPref(ctx: Ctx): boolean {
  const p = ctx.state.prefs;
  return p['tcp.relative_sequence_numbers'] && p['tcp.analyze_sequence_numbers'];
}

function flagBit(ctx: Ctx, L: Layer, parent: FieldNode | null, def: (typeof tcp)['fRes'], o: number, flags: number): FieldNode | null {
  const v = (flags & def.bitmask) !== 0;
  if (!ctx.tree.wants(def)) return null;
  return ctx.add(L, parent, def, o, 2, v, ctx.tree.texts ? `${bitPicture(12, def.bitmask, flags)} = ${def.name}: ${v ? 'Set' : 'Not set'}` : undefined);
}

/** The segment for the taps (pkt.tcp), with the data source its offsets point into
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


/** The segment as read from the fixed header (ports to window); its length from the IP length,
 * unknown (-1) for fragments and quoted headers */
function readSegment(ctx: Ctx, L: Layer, o: number, end: number, rend: number, portsInfo: string): TcpSegment {
  const hdrLen = (ctx.u8(o + 12) >> 4) * 4;
  const inError = ctx.inError > 0;
  const reported = rend - o;
  const seg: TcpSegment = {
    srcKey: '',
    dstKey: '',
    srcPort: ctx.u16(o),
    dstPort: ctx.u16(o + 2),
    portsInfo,
    stream: -1,
    seq: ctx.u32(o + 4),
    ack: ctx.u32(o + 8),
    flags: ctx.u16(o + 12) & 0x0fff,
    window: ctx.u16(o + 14),
    hdrLen,
    len: !ctx.fragment && !inError && reported >= hdrLen ? reported - hdrLen : -1,
    urgent: 0,
    mss: -1,
    wsShift: -1,
    sackPerm: false,
    tsval: -1,
    tsecr: -1,
    sack: NO_NUMS,
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
  return seg;
}

/**
 * The conversation tracker on this segment, before its items (tcp_analyze_sequence_number): the
 * result, or null when nothing reads the analysis (the engine's option), when only the stream is
 * numbered. Bogus and quoted headers are always analysed (their stream and timestamps).
 */
function analyzeSegment(ctx: Ctx, seg: TcpSegment): TcpResult | null {
  const tracker = trackerOf(ctx);
  const ts = ctx.pkt.rec.ts;
  if (!ctx.state.analysis && !seg.inError && seg.hdrLen >= 20) {
    seg.stream = tracker.streamOf(seg, ts);
    return null;
  }
  const r = tracker.analyzeSequence(seg, ctx.pkt.rec.num, ts);
  seg.stream = r.stream;
  return r;
}

/** The ports (and the Info column's start, the layer's title) */
function addPorts(ctx: Ctx, L: Layer, o: number, sport: number, dport: number, T: boolean): string {
  if (ctx.tree.full) L.summary = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
  if (T) {
    ctx.add(L, null, tcp.srcport, o, 2, sport, ctx.tree.texts ? `Source Port: ${sport}` : undefined);
    ctx.add(L, null, tcp.dstport, o + 2, 2, dport, ctx.tree.texts ? `Destination Port: ${dport}` : undefined);
    ctx.tree.hidden(L, tcp.port, o, 2, sport);
    ctx.tree.hidden(L, tcp.port, o + 2, 2, dport);
  }
  // the Info column starts as the ports; buildInfo goes on from this text
  const portsInfo = ctx.tree.cols && !ctx.inError ? decimal(sport) + ' \u2192 ' + decimal(dport) : '';
  if (portsInfo) {
    ctx.pkt.colProto = 'TCP';
    ctx.pkt.colInfo = portsInfo;
  }
  return portsInfo;
}

/** tcp_summary_in_tree: ", Seq: 1, Ack: 1, Len: 2" after the ports */
function summarize(L: Layer, seg: TcpSegment, r: TcpResult): void {
  L.summary += `, Seq: ${r.seq}`;
  if (seg.hdrLen < 20) return;
  if (seg.flags & 0x10) L.summary += `, Ack: ${r.ack}`;
  if (seg.len >= 0) L.summary += `, Len: ${seg.len}`;
}

/** [Stream index], [Conversation completeness], the short-segment note, [TCP Segment Len], Seq */
function addStreamAndSeq(ctx: Ctx, seg: TcpSegment, r: TcpResult | null, o: number, rend: number, tracked: boolean, T: boolean, icmpQuote: boolean): void {
  const L = seg.layer;
  const full = ctx.tree.full;
  if (tracked && T) {
    seg.nodes.stream = ctx.gen(L, null, tcp.stream, seg.stream, full ? `Stream index: ${seg.stream}` : undefined);
    seg.nodes.completeness = ctx.gen(L, null, tcp.completeness, r ? r.completeness : null, r && full ? `Conversation completeness: ${completenessText(r.completeness)}` : undefined);
  }
  if (!ctx.fragment && !seg.inError && rend - o < seg.hdrLen) {
    const msg = 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)';
    const line = full ? ctx.add(L, null, fTextItem, o, 0, null, msg) : null;
    ctx.expert(L, line, tcp.shortSegment, 'warn', 'Malformed', msg);
  }
  if (!T) return;
  const len = seg.len;
  if (len >= 0) ctx.gen(L, null, tcp.len, len, ctx.tree.texts ? `TCP Segment Len: ${len}` : undefined);
  if (icmpQuote) return;
  const rel = relPref(ctx);
  const seqText = r && full ? (rel ? `Sequence Number: ${r.seq}    (relative sequence number)` : `Sequence Number: ${r.seq}`) : undefined;
  seg.nodes.seq = ctx.add(L, null, tcp.seq, o + 4, 4, r ? r.seq : seg.seq, seqText);
  const raw = ctx.add(L, null, tcp.seqRaw, o + 4, 4, seg.seq, ctx.tree.texts ? `Sequence Number (raw): ${seg.seq}` : undefined);
  if (raw && r && seg.nodes.seq && !rel) raw.hidden = true;
}

/** Header length < 20: Wireshark notes it and stops; the conversation is still tracked. The flags
 * become -1 so that the taps skip this header. */
function bogusHeader(ctx: Ctx, seg: TcpSegment, r: TcpResult | null, o: number): void {
  const L = seg.layer;
  const hb = ctx.u8(o + 12);
  const hN = ctx.add(L, null, tcp.hdrLen, o + 12, 1, seg.hdrLen, ctx.tree.texts ? `${bitPicture(8, 0xf0, hb)} = Header Length: ${seg.hdrLen} bytes (${hb >> 4})` : undefined);
  ctx.expert(L, hN, tcp.badHdrLen, 'error', 'Protocol', `Bogus TCP header length (${seg.hdrLen}, must be at least 20)`);
  if (r) {
    trackerOf(ctx).afterOptions(seg);
    if (ctx.tree.cols && !seg.inError) buildInfo(ctx, seg, r, true);
  }
  seg.flags = -1;
}

/** [Next Sequence Number], the Acknowledgment number and its notes (nonzero without ACK, TFO) */
function addAck(ctx: Ctx, seg: TcpSegment, r: TcpResult | null, o: number, tracked: boolean, T: boolean): void {
  const L = seg.layer;
  const full = ctx.tree.full;
  const rel = relPref(ctx);
  const hasAck = (seg.flags & 0x10) !== 0;
  if (T) {
    if (seg.len >= 0 && tracked && (!r || r.nxtseq >= 0)) {
      const text = r && full ? (rel ? `Next Sequence Number: ${r.nxtseq}    (relative sequence number)` : `Next Sequence Number: ${r.nxtseq}`) : undefined;
      seg.nodes.nxtseq = ctx.gen(L, null, tcp.nxtseq, r ? r.nxtseq : null, text);
    }
    const text = r && full ? (hasAck && rel ? `Acknowledgment Number: ${r.ack}    (relative ack number)` : `Acknowledgment Number: ${r.ack}`) : undefined;
    seg.nodes.ack = ctx.add(L, null, tcp.ack, o + 8, 4, r ? r.ack : seg.ack, text);
    seg.nodes.ackRaw = ctx.add(L, null, tcp.ackRaw, o + 8, 4, seg.ack, ctx.tree.texts ? `Acknowledgment number (raw): ${seg.ack}` : undefined);
    if (seg.nodes.ackRaw && r && hasAck && !rel) seg.nodes.ackRaw.hidden = true;
  }
  if (!hasAck && seg.ack !== 0) {
    ctx.expert(L, seg.nodes.ack ?? null, tcp.ackNonzero, 'note', 'Protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set');
  }
  if (r?.tfo) {
    const def = r.tfo === 1 ? ta.tfoAck : ta.tfoIgnored;
    ctx.expert(L, seg.nodes.ack ?? null, def, 'note', 'Sequence', def.name);
  }
}

/** Header Length, Flags and its bits (AccECN: AE, CWR and ECE as one ACE counter), the flags
 * string, and the connection notes under the Reset, Syn and Fin bits (and the closing initiator) */
function addFlags(ctx: Ctx, seg: TcpSegment, r: TcpResult | null, o: number, T: boolean): void {
  const L = seg.layer;
  const flags = seg.flags;
  const ace = r ? r.ace : -1;
  let rN: FieldNode | null = null;
  let sN: FieldNode | null = null;
  let fiN: FieldNode | null = null;
  let strN: FieldNode | null = null;
  if (T) {
    const hb = ctx.u8(o + 12);
    ctx.add(L, null, tcp.hdrLen, o + 12, 1, seg.hdrLen, ctx.tree.texts ? `${bitPicture(8, 0xf0, hb)} = Header Length: ${seg.hdrLen} bytes (${hb >> 4})` : undefined);
    const list = ace >= 0 ? flagListAce(flags, ace) : flagList(flags);
    const fN = ctx.add(L, null, tcp.flags, o + 12, 2, flags, ctx.tree.texts ? `Flags: 0x${flags.toString(16).padStart(3, '0')} (${list})` : undefined);
    flagBit(ctx, L, fN, tcp.fRes, o + 12, flags);
    if (ace < 0) {
      flagBit(ctx, L, fN, tcp.fAe, o + 12, flags);
      flagBit(ctx, L, fN, tcp.fCwr, o + 12, flags);
      flagBit(ctx, L, fN, tcp.fEce, o + 12, flags);
    } else ctx.add(L, fN, tcp.fAce, o + 12, 2, ace, `${bitPicture(12, 0x1c0, flags)} = ACE: ${ace}`);
    flagBit(ctx, L, fN, tcp.fUrg, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fAck, o + 12, flags);
    flagBit(ctx, L, fN, tcp.fPush, o + 12, flags);
    rN = flagBit(ctx, L, fN, tcp.fReset, o + 12, flags);
    sN = flagBit(ctx, L, fN, tcp.fSyn, o + 12, flags);
    fiN = flagBit(ctx, L, fN, tcp.fFin, o + 12, flags);
    if (ctx.tree.wants(tcp.fStr)) {
      const fs = ace >= 0 ? flagStrAce(flags, ace) : flagStr(flags);
      strN = ctx.gen(L, fN, tcp.fStr, fs, ctx.tree.texts ? `TCP Flags: ${fs}` : undefined);
    }
  }
  addConnectionNotes(ctx, seg, r, rN, sN, fiN, strN);
}

/** expert items in tree order: under the Reset, Syn and Fin bits; the closing initiator under the flags string */
function addConnectionNotes(ctx: Ctx, seg: TcpSegment, r: TcpResult | null, rN: FieldNode | null, sN: FieldNode | null, fiN: FieldNode | null, strN: FieldNode | null): void {
  const L = seg.layer;
  const flags = seg.flags;
  if (flags & 0x04) ctx.expert(L, rN, tcp.connRst, 'warn', 'Sequence', 'Connection reset (RST)');
  if (flags & 0x02) {
    if (flags & 0x10) ctx.expert(L, sN, tcp.connSynack, 'chat', 'Sequence', `Connection establish acknowledge (SYN+ACK): server port ${seg.srcPort}`);
    else ctx.expert(L, sN, tcp.connSyn, 'chat', 'Sequence', `Connection establish request (SYN): server port ${seg.dstPort}`);
  }
  if (flags & 0x01) ctx.expert(L, fiN, tcp.connFin, 'chat', 'Sequence', 'Connection finish (FIN)');
  if (r?.closing) {
    const def = r.closing === 1 ? ta.finActive : ta.finPassive;
    ctx.expert(L, strN, def, 'note', 'Sequence', def.name);
  }
}

/** Window, [Calculated window size], [Window size scaling factor] */
function addWindow(ctx: Ctx, seg: TcpSegment, r: TcpResult | null, o: number, tracked: boolean): void {
  const L = seg.layer;
  const win = seg.window;
  const full = ctx.tree.full;
  ctx.add(L, null, tcp.windowValue, o + 14, 2, win, ctx.tree.texts ? `Window: ${win}` : undefined);
  const size = r ? r.window : win;
  seg.nodes.windowSize = ctx.gen(L, null, tcp.windowSize, size, ctx.tree.texts ? `Calculated window size: ${size}` : undefined);
  if (!tracked) return;
  if (!r) seg.nodes.windowScale = ctx.gen(L, null, tcp.windowScale, null);
  else if (r.scale !== null) {
    const why = r.scaleKind === 'unknown' ? ' (unknown)' : r.scaleKind === 'pref' ? ' (missing - taken from preference)' : r.scaleKind === 'none' ? ' (no window scaling used)' : '';
    seg.nodes.windowScale = ctx.gen(L, null, tcp.windowScale, r.scale, full ? `Window size scaling factor: ${r.scale}${why}` : undefined);
  }
}

/** Checksum, verified when the preference says so (RFC 1624: 0xffff where 0x0000 is computed) */
function addChecksum(ctx: Ctx, seg: TcpSegment, o: number, end: number, T: boolean): void {
  const L = seg.layer;
  const cks = ctx.u16(o + 16);
  const hdrLen = seg.hdrLen;
  const tcpLen = seg.len;
  if (ctx.state.prefs['tcp.check_checksum'] && ctx.netSrc && ctx.netDst && tcpLen >= 0 && o + hdrLen + tcpLen <= end && !seg.inError) {
    const len = hdrLen + tcpLen;
    const acc = pseudoSum(ctx.netSrc, ctx.netDst, 6, len) + sum16(ctx.data, o, len);
    const calc = fold(acc);
    const computed = fold(acc - cks);
    const hex = (v: number): string => v.toString(16).padStart(4, '0');
    if (calc === 0 && cks === 0xffff) {
      seg.checksumFfff = true;
      ctx.add(L, null, tcp.checksum, o + 16, 2, cks, `Checksum: 0x${hex(cks)} [should be 0x0000 (see RFC 1624)]`);
      ctx.gen(L, null, tcp.checksumCalc, 0, 'Calculated Checksum: 0x0000');
      const st = ctx.gen(L, null, tcp.checksumStatus, 0, 'Checksum Status: Bad');
      ctx.expert(L, st, tcp.checksumFfff, 'warn', 'Checksum', 'TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)');
      return;
    }
    const good = calc === 0;
    seg.checksumBad = !good;
    const n = ctx.add(L, null, tcp.checksum, o + 16, 2, cks, `Checksum: 0x${hex(cks)} ${good ? '[correct]' : `incorrect, should be 0x${hex(computed)}(maybe caused by "TCP checksum offload"?)`}`);
    ctx.gen(L, null, tcp.checksumCalc, computed, `Calculated Checksum: 0x${hex(computed)}`);
    ctx.gen(L, null, tcp.checksumStatus, good ? 1 : 0, `Checksum Status: ${good ? 'Good' : 'Bad'}`);
    if (!good) ctx.expert(L, n, tcp.checksumBad, 'error', 'Checksum', `Bad checksum [should be 0x${hex(computed)}]`);
  } else if (T) {
    ctx.add(L, null, tcp.checksum, o + 16, 2, cks, ctx.tree.texts ? `Checksum: 0x${cks.toString(16).padStart(4, '0')} [unverified]` : undefined);
    ctx.gen(L, null, tcp.checksumStatus, 2, 'Checksum Status: Unverified');
  }
}

/**
 * After the options (or where Wireshark's exception stopped: the fixed header or the options cut
 * short): the options' effect on the conversation, the Info column, [Timestamps], then, when the
 * header was whole, [SEQ/ACK analysis], the payload and minishark's teaching fields.
 */
function finishSegment(ctx: Ctx, seg: TcpSegment, r: TcpResult | null): void {
  if (!r) return; // nothing reads the analysis: the stream index only
  const tracker = trackerOf(ctx);
  tracker.afterOptions(seg);
  if (ctx.tree.cols && !seg.inError) buildInfo(ctx, seg, r, false);
  if (seg.hdrCut) return;
  addTimestamps(ctx, seg.layer, r);
  if (seg.optTruncated) return;
  addAnalysis(ctx, seg.layer, r);
  addPayload(ctx, seg, seg.inError ? null : r);
  if (!seg.inError) addTeaching(ctx, seg, r, langOf(ctx, tracker));
}

export function dissectTcp(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  // Wireshark reads the ports first (the layer and its ports appear even if the rest is cut off),
  // then the whole fixed part up to the window before anything else
  const L = ctx.layer(pTcp, o, 20);
  ctx.need(o, 4, end, rend);
  // some tcp.* field is kept: without, every tcp.* item would be dropped (their calls are skipped)
  const T = ctx.tree.keeps(pTcp);
  const portsInfo = addPorts(ctx, L, o, ctx.u16(o), ctx.u16(o + 2), T);
  // TCP in IPv4 in ICMPv4: the Sequence Number goes in at once, raw, as an ICMP error may quote
  // only 8 bytes of the header (RFC 792); it is not added again below, nor its raw twin
  const icmpQuote = ctx.inError > 0 && quotedInIcmpv4(ctx.pkt.protocols);
  if (icmpQuote) {
    ctx.need(o + 4, 4, end, rend);
    if (T) ctx.add(L, null, tcp.seq, o + 4, 4, ctx.u32(o + 4), ctx.tree.texts ? `Sequence Number: ${ctx.u32(o + 4)}` : undefined);
  }
  ctx.need(o, 16, end, rend);
  const seg = readSegment(ctx, L, o, end, rend, portsInfo);
  // the conversation needs both addresses (TCP over IPv4/IPv6)
  const tracked = seg.srcKey !== '' || seg.dstKey !== '';
  const r = tracked ? analyzeSegment(ctx, seg) : null;
  if (r && ctx.tree.full) summarize(L, seg, r);
  addStreamAndSeq(ctx, seg, r, o, rend, tracked, T, icmpQuote);
  if (seg.hdrLen < 20) {
    bogusHeader(ctx, seg, r, o);
    return null;
  }
  addAck(ctx, seg, r, o, tracked, T);
  addFlags(ctx, seg, r, o, T);
  if (T) addWindow(ctx, seg, r, o, tracked);
  dissectRest(ctx, seg, r, o, end, rend, tracked, T);
  return null;
}

/** From the checksum on: the fixed header may run out here (Wireshark has tracked the segment and
 * written flags, Seq, Ack and Win by then), then the options and what follows them. */
function dissectRest(ctx: Ctx, seg: TcpSegment, r: TcpResult | null, o: number, end: number, rend: number, tracked: boolean, T: boolean): void {
  const L = seg.layer;
  if (o + 20 > end && tracked) {
    seg.hdrCut = true;
    if (!seg.inError) handOver(ctx, seg);
    finishSegment(ctx, seg, r);
  }
  // a header cut at 18 bytes still has its checksum (Wireshark reads it before the urgent pointer)
  ctx.need(o, 18, end, rend);
  addChecksum(ctx, seg, o, end, T);
  ctx.need(o, 20, end, rend);
  const urg = ctx.u16(o + 18);
  seg.urgent = urg;
  const uN = T ? ctx.add(L, null, tcp.urgent, o + 18, 2, urg, ctx.tree.texts ? `Urgent Pointer: ${urg}` : undefined) : null;
  if (!(seg.flags & 0x20) && urg !== 0) ctx.expert(L, uN, tcp.urgentNonzero, 'note', 'Protocol', 'The urgent pointer field is nonzero while the URG flag is not set');
  const hdrLen = seg.hdrLen;
  L.length = hdrLen;
  if (seg.len > 0 || (seg.len < 0 && o + hdrLen < end)) {
    seg.payloadOffset = o + hdrLen;
    seg.payloadEnd = end;
  }
  // the segment for the taps (before the options: options cut short throw)
  if (!seg.inError && tracked) handOver(ctx, seg);
  if (hdrLen > 20) {
    seg.optTruncated = true;
    try {
      dissectOptions(ctx, L, seg, r, o, o + 20, o + hdrLen, end, rend);
    } catch (e) {
      if (tracked) finishSegment(ctx, seg, r);
      throw e;
    }
    seg.optTruncated = false;
  }
  if (tracked) finishSegment(ctx, seg, r);
}

register('tcp', dissectTcp);
handoff('ip.proto', 6, 'tcp');
