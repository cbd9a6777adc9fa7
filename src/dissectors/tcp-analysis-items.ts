import type { Layer, Time } from '../core/field.js';
import type { TcpSegment } from '../core/packet.js';
import { TA, TH, type TcpResult, type TcpTracker } from '../analysis/tcp-tracker.js';
import { explainSegment, fieldLabels, mssCheck, parseLang, phaseName, type Lang } from '../analysis/tcp-explain.js';
import type { Ctx } from '../dissect/context.js';
import { lookup, portKey } from '../dissect/registry.js';
import { formatRelTime } from '../output/format.js';
import { dissectData } from './data.js';
import { flagList, flagListAce, fStray, fTextItem, ms, ta, tcp } from './tcp-fields.js';
import { decimal } from '../core/decimal.js';

/**
 * What the TCP dissector adds after the options from the tracker's result, in Wireshark's order
 * (dissect_tcp after tcp_analyze_sequence_number): the Info column with its bracketed prefixes,
 * [Timestamps], [SEQ/ACK analysis] with its expert items, the payload and its hand-off, and
 * minishark's own teaching fields (minishark.tcp.*).
 */

function rel(t: Time): string {
  return `${formatRelTime(t)} seconds`;
}

export function langOf(ctx: Ctx, tracker: TcpTracker): Lang {
  const l = (ctx.state.prefs as unknown as Record<string, unknown>)['minishark.lang'];
  return (typeof l === 'string' && parseLang(l)) || tracker.lang;
}

/** The Info column: ports, flags, numbers, options; prefixes in Wireshark's prepend order. */
export function buildInfo(ctx: Ctx, seg: TcpSegment, r: TcpResult, bogus: boolean): void {
  const pkt = ctx.pkt;
  let info = seg.portsInfo + ' [' + (r.ace >= 0 ? flagListAce(seg.flags, r.ace) : flagList(seg.flags)) + '] Seq=' + decimal(r.seq);
  if (seg.flags & TH.ACK) info += ' Ack=' + decimal(r.ack);
  info += ' Win=' + decimal(r.window);
  if (bogus || seg.hdrCut) {
    if (bogus) info += `, bogus TCP header length (${seg.hdrLen}, must be at least 20)`;
    pkt.colInfo = info;
    return;
  }
  if (seg.checksumFfff) info += ' [TCP CHECKSUM 0xFFFF]';
  else if (seg.checksumBad) info += ' [TCP CHECKSUM INCORRECT]';
  if (seg.flags & TH.URG) info += ` Urg=${seg.urgent}`;
  if (seg.len >= 0) info += ' Len=' + decimal(seg.len);
  const base = r.sackBase;
  for (const o of seg.optInfo) info += typeof o === 'string' ? o : ' SLE=' + decimal((o.sle - base) >>> 0) + ' SRE=' + decimal((o.sre - base) >>> 0);
  pkt.colInfo = info;
  const a = r.analysis;
  if (!a || !a.flags || seg.optTruncated) return; // the prefix is written after the options (tcp_print_sequence_number_analysis)
  const f = a.flags;
  // col_prepend_fence_fstr: the last one written comes first
  let p = '';
  if (f & TA.REUSED_PORTS) p = '[TCP Port numbers reused] ' + p;
  if (f & TA.RETRANSMISSION) p = '[TCP Retransmission] ' + p;
  if (f & TA.FAST_RETRANSMISSION) p = '[TCP Fast Retransmission] ' + p;
  if (f & TA.SPURIOUS_RETRANSMISSION) p = '[TCP Spurious Retransmission] ' + p;
  if (f & TA.OUT_OF_ORDER) p = '[TCP Out-Of-Order] ' + p;
  if (f & TA.LOST_PACKET) p = '[TCP Previous segment not captured] ' + p;
  if (f & TA.ACK_LOST_PACKET) p = '[TCP ACKed unseen segment] ' + p;
  if (f & TA.WINDOW_UPDATE) p = '[TCP Window Update] ' + p;
  if (f & TA.WINDOW_FULL) p = '[TCP Window Full] ' + p;
  if (f & TA.KEEP_ALIVE) p = '[TCP Keep-Alive] ' + p;
  if (f & TA.KEEP_ALIVE_ACK) p = '[TCP Keep-Alive ACK] ' + p;
  if (a.dupAckNum && f & TA.DUPLICATE_ACK) p = `[TCP Dup ACK ${a.dupAckFrame}#${a.dupAckNum}] ` + p;
  if (f & TA.ZERO_WINDOW_PROBE) p = '[TCP ZeroWindowProbe] ' + p;
  if (f & TA.ZERO_WINDOW) p = '[TCP ZeroWindow] ' + p;
  if (f & TA.ZERO_WINDOW_PROBE_ACK) p = '[TCP ZeroWindowProbeAck] ' + p;
  pkt.infoPrefix = p + pkt.infoPrefix;
}

/** [Timestamps]: time since the first frame and since the previous frame of this stream */
export function addTimestamps(ctx: Ctx, L: Layer, r: TcpResult): void {
  if (!ctx.state.prefs['tcp.calculate_timestamps']) return;
  const t = ctx.tree.gen(L, null, fTextItem, null, 'Timestamps');
  ctx.tree.gen(L, t, tcp.timeRelative, r.timeRel, ctx.tree.texts ? `Time since first frame in this TCP stream: ${rel(r.timeRel)}` : undefined);
  ctx.tree.gen(L, t, tcp.timeDelta, r.timeDelta, ctx.tree.texts ? `Time since previous frame in this TCP stream: ${rel(r.timeDelta)}` : undefined);
}

/** [SEQ/ACK analysis] (tcp_print_sequence_number_analysis), its expert items in tree order */
export function addAnalysis(ctx: Ctx, L: Layer, r: TcpResult): void {
  const a = r.analysis;
  if (!a) return;
  const tree = ctx.tree;
  const top = tree.gen(L, null, ta.analysis, null, 'SEQ/ACK analysis');
  if (a.acksFrame) {
    tree.gen(L, top, ta.acksFrame, a.acksFrame, tree.texts ? `This is an ACK to the segment in frame: ${a.acksFrame}` : undefined);
    if (a.ackRtt) tree.gen(L, top, ta.ackRtt, a.ackRtt, tree.texts ? `The RTT to ACK the segment was: ${rel(a.ackRtt)}` : undefined);
  }
  if (a.irtt) tree.gen(L, top, ta.irtt, a.irtt, tree.texts ? `iRTT: ${rel(a.irtt)}` : undefined);
  if (a.bif && ctx.state.prefs['tcp.track_bytes_in_flight']) {
    tree.gen(L, top, ta.bif, a.bif, tree.texts ? `Bytes in flight: ${a.bif}` : undefined);
    tree.gen(L, top, ta.push, a.pushBytes, tree.texts ? `Bytes sent since last PSH flag: ${a.pushBytes}` : undefined);
  }
  const f = a.flags;
  if (!f) return;
  const fl = tree.gen(L, top, ta.flags, null, 'TCP Analysis Flags');
  if (f & TA.REUSED_PORTS) ctx.expert(L, fl, ta.reusedPorts, 'note', 'Sequence', ta.reusedPorts.name);
  if (f & TA.RETRANSMISSION) {
    ctx.expert(L, fl, ta.retransmission, 'note', 'Sequence', ta.retransmission.name);
    if (a.rto) {
      tree.gen(L, fl, ta.rto, a.rto, tree.texts ? `The RTO for this segment was: ${rel(a.rto)}` : undefined);
      tree.gen(L, fl, ta.rtoFrame, a.rtoFrame, tree.texts ? `RTO based on delta from frame: ${a.rtoFrame}` : undefined);
    }
  }
  if (f & TA.FAST_RETRANSMISSION) {
    ctx.expert(L, fl, ta.fastRetransmission, 'note', 'Sequence', ta.fastRetransmission.name);
    ctx.expert(L, fl, ta.retransmission, 'note', 'Sequence', ta.retransmission.name);
  }
  if (f & TA.SPURIOUS_RETRANSMISSION) {
    ctx.expert(L, fl, ta.spuriousRetransmission, 'note', 'Sequence', ta.spuriousRetransmission.name);
    ctx.expert(L, fl, ta.retransmission, 'note', 'Sequence', ta.retransmission.name);
  }
  if (f & TA.OUT_OF_ORDER) ctx.expert(L, fl, ta.outOfOrder, 'warn', 'Sequence', ta.outOfOrder.name);
  if (f & TA.LOST_PACKET) ctx.expert(L, fl, ta.lostSegment, 'warn', 'Sequence', ta.lostSegment.name);
  if (f & TA.ACK_LOST_PACKET) ctx.expert(L, fl, ta.ackLostSegment, 'warn', 'Sequence', ta.ackLostSegment.name);
  if (f & TA.WINDOW_UPDATE) ctx.expert(L, fl, ta.windowUpdate, 'chat', 'Sequence', ta.windowUpdate.name);
  if (f & TA.WINDOW_FULL) ctx.expert(L, fl, ta.windowFull, 'warn', 'Sequence', ta.windowFull.name);
  if (f & TA.KEEP_ALIVE) ctx.expert(L, fl, ta.keepAlive, 'note', 'Sequence', ta.keepAlive.name);
  if (f & TA.KEEP_ALIVE_ACK) ctx.expert(L, fl, ta.keepAliveAck, 'note', 'Sequence', ta.keepAliveAck.name);
  const dup = a.dupAckNum !== 0;
  if (dup && f & TA.DUPLICATE_ACK) tree.gen(L, fl, ta.dup, null, 'This is a TCP duplicate ack');
  // the zero-window items hang under the flags item, before the duplicate-ACK numbers in tree order
  if (f & TA.ZERO_WINDOW_PROBE) ctx.expert(L, fl, ta.zeroWindowProbe, 'note', 'Sequence', ta.zeroWindowProbe.name);
  if (f & TA.ZERO_WINDOW) ctx.expert(L, fl, ta.zeroWindow, 'warn', 'Sequence', ta.zeroWindow.name);
  if (f & TA.ZERO_WINDOW_PROBE_ACK) ctx.expert(L, fl, ta.zeroWindowProbeAck, 'note', 'Sequence', ta.zeroWindowProbeAck.name);
  if (dup) {
    tree.gen(L, top, ta.dupNum, a.dupAckNum, tree.texts ? `Duplicate ACK #: ${a.dupAckNum}` : undefined);
    const df = tree.gen(L, top, ta.dupFrame, a.dupAckFrame, tree.texts ? `Duplicate to the ACK in frame: ${a.dupAckFrame}` : undefined);
    ctx.expert(L, df, ta.dup, 'note', 'Sequence', `Duplicate ACK (#${a.dupAckNum})`);
  }
}

/** The payload: "TCP payload (N bytes)" and the hand-off; an RST's payload is its reset cause. */
export function addPayload(ctx: Ctx, seg: TcpSegment, r: TcpResult | null): void {
  const L = seg.layer;
  const n = seg.payloadEnd - seg.payloadOffset;
  if (n <= 0 || seg.len === 0) return;
  if (seg.flags & TH.RST) {
    const b = ctx.bytes(seg.payloadOffset, n);
    // an RST's data is text (RFC 1122 4.2.2.12): an ASCII string up to the first NUL
    let s = '';
    let i = 0;
    for (; i < b.length && b[i] !== 0; i++) {
      const c = b[i]!;
      s += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
    }
    const rc = ctx.add(L, null, ta.resetCause, seg.payloadOffset, n, s, ctx.tree.texts ? `Reset cause: ${s}` : undefined);
    let stray = false;
    for (; i < b.length; i++) if (b[i] !== 0) stray = true;
    if (stray) ctx.expert(L, rc, fStray, 'warn', 'Undecoded', 'Trailing stray characters');
    return;
  }
  const total = seg.len > 0 ? seg.len : n;
  ctx.addBytes(L, null, tcp.payload, seg.payloadOffset, n, ctx.tree.texts ? `TCP payload (${total} byte${total === 1 ? '' : 's'})` : undefined);
  // tcp.no_subdissector_on_error (default on): retransmitted and out-of-order data is not handed on
  const f = r?.analysis?.flags ?? 0;
  if (f & (TA.RETRANSMISSION | TA.OUT_OF_ORDER)) return;
  // decode_tcp_ports: the tcp.port table (the server port seen in the handshake, then the lower
  // port, then the higher), else data; a sub-dissector's own hand-off is not followed (none makes one)
  const server = r && !r.roleGuessed ? (r.role === 'server' ? seg.srcPort : seg.dstPort) : 0;
  const key = portKey('tcp.port', seg.srcPort, seg.dstPort, server);
  (key < 0 ? dissectData : (lookup('tcp.port', key) ?? dissectData))(ctx, seg.payloadOffset, seg.payloadEnd, seg.payloadEnd);
}

/** minishark.tcp.*: phase, step, role, explanation, MSS check (only built when wanted) */
export function addTeaching(ctx: Ctx, seg: TcpSegment, r: TcpResult, lang: Lang): void {
  const tree = ctx.tree;
  const full = tree.full;
  const L = seg.layer;
  const T = fieldLabels(lang);
  if (full || tree.wants(ms.phase)) tree.gen(L, null, ms.phase, r.phase, `${T.phase}: ${lang === 'en' ? r.phase : `${phaseName(r.phase, lang)} (${r.phase})`}`);
  if (r.step && (full || tree.wants(ms.step))) tree.gen(L, null, ms.step, r.step, `${T.step}: ${r.step}`);
  if (full || tree.wants(ms.role)) tree.gen(L, null, ms.role, r.role, `${T.role}: ${r.role === 'client' ? T.client : T.server}${r.roleGuessed ? '?' : ''}`);
  const wantExplain = full || tree.wants(ms.explain);
  const wantMss = full || tree.wants(ms.mssCheck);
  if (!wantExplain && !wantMss) return;
  const es = { flags: seg.flags, len: seg.len, hdrLen: seg.hdrLen, srcPort: seg.srcPort, dstPort: seg.dstPort };
  if (wantExplain) {
    const s = explainSegment(r, es, lang);
    tree.gen(L, null, ms.explain, s, `${T.explain}: ${s}`);
  }
  if (wantMss) {
    const m = mssCheck(r, es, ctx.netKind, lang);
    if (m) tree.gen(L, null, ms.mssCheck, m, `${T.mss}: ${m}`);
  }
}

