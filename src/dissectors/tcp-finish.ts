import { field, newNode, type ExpertItem, type FieldDef, type FieldNode, type Layer, type Severity, type Time } from '../core/field.js';
import type { TcpSegment } from '../core/packet.js';
import { TA, TH, TcpTracker, trackerFor, type TcpResult } from '../analysis/tcp-tracker.js';
import { explainSegment, fieldLabels, mssCheck, parseLang, phaseName, type Lang } from '../analysis/tcp-explain.js';
import type { Ctx } from '../dissect/context.js';
import { lookup, portKey } from '../dissect/registry.js';
import { bitPicture, formatRelTime } from '../output/format.js';
import { dissectData } from './data.js';
import { flagList, flagListAce, flagStrAce, tcp } from './tcp.js';

/**
 * The TCP stage after dissection (the engine calls finishTcp for the top-level TCP header of a
 * frame): runs the conversation tracker, fills the generated-field slots the header dissector
 * left in tree order, adds [Timestamps] and [SEQ/ACK analysis], the payload and its hand-off,
 * relative SACK edges, the expert items that depend on conversation state, the Info column with
 * Wireshark's bracketed prefixes, and minishark's own teaching fields (minishark.tcp.*).
 */

/** Wireshark's text-only items (proto_tree_add_subtree): "[Timestamps]" */
export const fText = field('text', 'Text item', 'none');

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

function setNode(n: FieldNode | null | undefined, value: number, text: string | undefined): void {
  if (!n) return;
  n.value = value;
  if (text !== undefined) n.text = text;
}

function removeNode(L: Layer, n: FieldNode | null | undefined): void {
  if (!n) return;
  const f = L.fields;
  const i = f.lastIndexOf(n);
  if (i >= 0) f.splice(i, 1);
}

function findNode(nodes: FieldNode[], def: FieldDef): FieldNode | null {
  for (const n of nodes) if (n.def === def) return n;
  return null;
}

/**
 * An expert item that belongs earlier in the tree than this stage runs: recorded at position `at`
 * of the packet's expert list, and as a node under `parent` (full tree) or, in a flat tree, next to
 * the node of `anchor` (after it, or before it with `before`), so that outputs list it in tree order.
 */
function expertAt(ctx: Ctx, L: Layer, parent: FieldNode | null, def: FieldDef, severity: Severity, group: string, message: string, at: number, anchor: FieldDef, before: boolean): void {
  const item: ExpertItem = { abbrev: def.abbrev, severity, group, message, proto: L.proto };
  if (ctx.inError > 0) item.inError = true;
  const list = ctx.pkt.expert;
  if (at < 0 || at > list.length) list.push(item);
  else list.splice(at, 0, item);
  const t = ctx.tree;
  if (!(t.full || t.wantExpert || t.want[def.id] === 1)) return;
  const n = newNode(def, null, 0, 0, L.src || undefined, message);
  n.generated = true;
  n.expert = item;
  if (parent && t.full) {
    (parent.children ??= []).push(n);
    return;
  }
  const f = L.fields;
  let i = -1;
  for (let k = 0; k < f.length; k++) {
    if (f[k]!.def === anchor) {
      i = k;
      break;
    }
  }
  if (i < 0) f.push(n);
  else f.splice(before ? i : i + 1, 0, n);
}

function expertIndex(ctx: Ctx, abbrev: string): number {
  const list = ctx.pkt.expert;
  for (let i = 0; i < list.length; i++) if (list[i]!.abbrev === abbrev) return i;
  return -1;
}

/** relative sequence numbers are on (they need the sequence analysis) */
function relPref(ctx: Ctx): boolean {
  const p = ctx.state.prefs;
  return p['tcp.relative_sequence_numbers'] && p['tcp.analyze_sequence_numbers'];
}

function rel(t: Time): string {
  return `${formatRelTime(t)} seconds`;
}

function langOf(ctx: Ctx, tracker: TcpTracker): Lang {
  const l = (ctx.state.prefs as unknown as Record<string, unknown>)['minishark.lang'];
  return (typeof l === 'string' && parseLang(l)) || tracker.lang;
}

/** Fill the header slots (stream, completeness, seq, nxtseq, ack, windows) from the tracker's result. */
function fillHeader(ctx: Ctx, seg: TcpSegment, r: TcpResult, bogus: boolean): void {
  const L = seg.layer;
  const N = seg.nodes;
  const full = ctx.tree.full;
  const rel = relPref(ctx);
  // tcp_summary_in_tree: ", Seq: 1, Ack: 1, Len: 2" after the ports
  if (full) {
    L.summary += `, Seq: ${r.seq}`;
    if (!bogus) {
      if (seg.flags & TH.ACK) L.summary += `, Ack: ${r.ack}`;
      if (seg.len >= 0) L.summary += `, Len: ${seg.len}`;
    }
  }
  seg.stream = r.stream;
  setNode(N.stream, r.stream, full ? `Stream index: ${r.stream}` : undefined);
  setNode(N.completeness, r.completeness, full ? `Conversation completeness: ${completenessText(r.completeness)}` : undefined);
  if (N.seq) {
    N.seq.value = r.seq;
    if (full) N.seq.text = rel ? `Sequence Number: ${r.seq}    (relative sequence number)` : `Sequence Number: ${r.seq}`;
    if (!rel) {
      const raw = findNode(L.fields, tcp.seqRaw);
      if (raw) raw.hidden = true;
    }
  }
  if (r.ace >= 0) applyAce(ctx, seg, r.ace);
  if (bogus) return;
  if (r.nxtseq >= 0) setNode(N.nxtseq, r.nxtseq, full ? (rel ? `Next Sequence Number: ${r.nxtseq}    (relative sequence number)` : `Next Sequence Number: ${r.nxtseq}`) : undefined);
  else {
    removeNode(L, N.nxtseq);
    N.nxtseq = null;
  }
  const hasAck = (seg.flags & TH.ACK) !== 0;
  if (N.ack) {
    N.ack.value = r.ack;
    if (full) N.ack.text = hasAck && rel ? `Acknowledgment Number: ${r.ack}    (relative ack number)` : `Acknowledgment Number: ${r.ack}`;
  }
  if (N.ackRaw && hasAck && !rel) N.ackRaw.hidden = true;
  setNode(N.windowSize, r.window, full ? `Calculated window size: ${r.window}` : undefined);
  if (r.scale === null) {
    removeNode(L, N.windowScale);
    N.windowScale = null;
  } else if (N.windowScale) {
    N.windowScale.value = r.scale;
    if (full) {
      const why = r.scaleKind === 'unknown' ? ' (unknown)' : r.scaleKind === 'pref' ? ' (missing - taken from preference)' : r.scaleKind === 'none' ? ' (no window scaling used)' : '';
      N.windowScale.text = `Window size scaling factor: ${r.scale}${why}`;
    }
  }
}

/** AccECN: the AE, CWR and ECE bits become one ACE counter (tcp.flags.ace) in the flags tree. */
function applyAce(ctx: Ctx, seg: TcpSegment, ace: number): void {
  const L = seg.layer;
  const flags = seg.flags;
  const full = ctx.tree.full;
  const fN = findNode(L.fields, tcp.flags);
  const list = full && fN?.children ? fN.children : L.fields;
  let at = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    const d = list[i]!.def;
    if (d === tcp.fAe || d === tcp.fCwr || d === tcp.fEce) {
      list.splice(i, 1);
      at = i;
    }
  }
  if (fN && full) fN.text = `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagListAce(flags, ace)})`;
  const str = full ? findNode(list, tcp.fStr) : findNode(L.fields, tcp.fStr);
  if (str) {
    str.value = flagStrAce(flags, ace);
    if (full) str.text = `TCP Flags: ${str.value}`;
  }
  if (ctx.tree.wants(tcp.fAce)) {
    const n = newNode(tcp.fAce, ace, fN?.offset ?? 0, 2, L.src || undefined, `${bitPicture(12, 0x1c0, flags)} = ACE: ${ace}`);
    list.splice(at >= 0 ? at : list.length, 0, n);
  }
}

/** The Info column: ports, flags, numbers, options; prefixes in Wireshark's prepend order. */
function buildInfo(ctx: Ctx, seg: TcpSegment, r: TcpResult, bogus: boolean): void {
  const pkt = ctx.pkt;
  let info = `${seg.portsInfo} [${r.ace >= 0 ? flagListAce(seg.flags, r.ace) : flagList(seg.flags)}] Seq=${r.seq}`;
  if (seg.flags & TH.ACK) info += ` Ack=${r.ack}`;
  info += ` Win=${r.window}`;
  if (bogus || seg.hdrCut) {
    if (bogus) info += `, bogus TCP header length (${seg.hdrLen}, must be at least 20)`;
    pkt.colInfo = info;
    return;
  }
  if (seg.checksumFfff) info += ' [TCP CHECKSUM 0xFFFF]';
  else if (seg.checksumBad) info += ' [TCP CHECKSUM INCORRECT]';
  if (seg.flags & TH.URG) info += ` Urg=${seg.urgent}`;
  if (seg.len >= 0) info += ` Len=${seg.len}`;
  const base = r.sackBase;
  for (const o of seg.optInfo) info += typeof o === 'string' ? o : ` SLE=${(o.sle - base) >>> 0} SRE=${(o.sre - base) >>> 0}`;
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
function addTimestamps(ctx: Ctx, L: Layer, r: TcpResult): void {
  if (!ctx.state.prefs['tcp.calculate_timestamps']) return;
  const full = ctx.tree.full;
  const t = ctx.tree.gen(L, null, fText, null, 'Timestamps');
  ctx.tree.gen(L, t, tcp.timeRelative, r.timeRel, ctx.tree.texts ? `Time since first frame in this TCP stream: ${rel(r.timeRel)}` : undefined);
  ctx.tree.gen(L, t, tcp.timeDelta, r.timeDelta, ctx.tree.texts ? `Time since previous frame in this TCP stream: ${rel(r.timeDelta)}` : undefined);
}

/** [SEQ/ACK analysis] (tcp_print_sequence_number_analysis), its expert items in tree order */
function addAnalysis(ctx: Ctx, L: Layer, r: TcpResult): void {
  const a = r.analysis;
  if (!a) return;
  const tree = ctx.tree;
  const full = tree.full;
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

/** Expert items that depend on conversation state but sit early in the tree: TFO on the ack,
 * the closing initiator under [TCP Flags], D-SACK in the SACK option. */
function addStateExperts(ctx: Ctx, seg: TcpSegment, r: TcpResult): void {
  const L = seg.layer;
  if (r.tfo) {
    const def = r.tfo === 1 ? ta.tfoAck : ta.tfoIgnored;
    expertAt(ctx, L, seg.nodes.ack ?? null, def, 'note', 'Sequence', def.name, expertIndex(ctx, 'tcp.connection.synack'), tcp.connSynack, true);
  }
  if (r.closing) {
    const def = r.closing === 1 ? ta.finActive : ta.finPassive;
    let parent: FieldNode | null = null;
    if (ctx.tree.full) {
      const fN = findNode(L.fields, tcp.flags);
      if (fN?.children) parent = findNode(fN.children, tcp.fStr);
    }
    const i = expertIndex(ctx, 'tcp.connection.fin');
    expertAt(ctx, L, parent, def, 'note', 'Sequence', def.name, i < 0 ? -1 : i + 1, tcp.connFin, false);
  }
  // SACK edges relative to the peer's base sequence number
  const sn = seg.sackNodes;
  if (sn.length) {
    const base = r.sackBase;
    const suffix = relPref(ctx) ? ' (relative)' : '';
    for (let i = 0; i < sn.length; i++) {
      const n = sn[i];
      if (!n) continue;
      const v = ((seg.sack[i] ?? 0) - base) >>> 0;
      n.value = v;
      n.text = `${i % 2 ? 'right' : 'left'} edge = ${v}${suffix}`;
    }
    if (ctx.tree.full) {
      // "TCP Option - SACK 56473-57921": the blocks, relative
      const opt = findSackOption(L);
      if (opt) {
        let t = 'TCP Option - SACK';
        for (let i = 0; i + 1 < seg.sack.length; i += 2) t += ` ${((seg.sack[i]! - base) >>> 0)}-${((seg.sack[i + 1]! - base) >>> 0)}`;
        opt.text = t;
      }
    }
  }
  if (r.dsack && seg.sack.length >= 2) {
    const base = r.sackBase;
    const suffix = relPref(ctx) ? ' (relative)' : '';
    const le = (seg.sack[0]! - base) >>> 0;
    const re = (seg.sack[1]! - base) >>> 0;
    const parent = ctx.tree.full ? findSackOption(L) : null;
    ctx.tree.gen(L, parent, ta.dsackLe, le, `D-SACK Left Edge = ${le}${suffix}`);
    ctx.tree.gen(L, parent, ta.dsackRe, re, `D-SACK Right Edge = ${re}${suffix}`);
    // proto_tree_add_expert: a line of its own with the expert item under it
    const line = ctx.tree.full ? ctx.tree.add(L, parent, fText, sackOff(seg), 8, null, ta.dsack.name) : null;
    ctx.expert(L, line, ta.dsack, 'warn', 'Sequence', ta.dsack.name);
  }
}

/** where the first SACK block starts (the first left-edge item) */
function sackOff(seg: TcpSegment): number {
  return seg.sackNodes[0]?.offset ?? 0;
}

function findSackOption(L: Layer): FieldNode | null {
  const opts = findNode(L.fields, tcp.options);
  return opts?.children ? findNode(opts.children, tcp.optSack) : null;
}

/** The payload: "TCP payload (N bytes)" and the hand-off; an RST's payload is its reset cause. */
function addPayload(ctx: Ctx, seg: TcpSegment, r: TcpResult | null): void {
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
function addTeaching(ctx: Ctx, seg: TcpSegment, r: TcpResult, lang: Lang): void {
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

/** Finish a TCP segment after dissection: tracker, generated fields, Info, payload hand-off. */
export function finishTcp(ctx: Ctx, s: TcpSegment, tracker: TcpTracker): void {
  const L = s.layer;
  const r = tracker.analyze(s, ctx.pkt.rec.num, ctx.pkt.rec.ts);
  fillHeader(ctx, s, r, false);
  if (ctx.tree.cols) buildInfo(ctx, s, r, false);
  addStateExperts(ctx, s, r);
  if (s.hdrCut) return; // the fixed header ran out: Wireshark stopped before the timestamps
  addTimestamps(ctx, L, r);
  // options cut short by the capture: Wireshark's exception stops before the analysis and payload
  if (s.optTruncated) return;
  addAnalysis(ctx, L, r);
  addPayload(ctx, s, r);
  addTeaching(ctx, s, r, langOf(ctx, tracker));
}

/**
 * A TCP header with a bogus header length (< 20): Wireshark still tracks the conversation
 * (stream, timestamps, sequence analysis) but shows only the stream, completeness and Seq, and
 * stops there. Called by tcp.ts (the engine skips finishTcp for such headers).
 */
export function finishTcpBogus(ctx: Ctx, s: TcpSegment, flags: number): void {
  const tracker = trackerFor(ctx.state.prefs);
  if (!tracker) return;
  const s2 = { ...s, flags };
  const r = tracker.analyze(s2, ctx.pkt.rec.num, ctx.pkt.rec.ts);
  fillHeader(ctx, s2, r, true);
  if (ctx.tree.cols && !s.inError) buildInfo(ctx, s2, r, true);
}

/**
 * A TCP header quoted in an ICMP error: Wireshark 4.0 looks up (or creates) its conversation too,
 * so it gets a stream index and timestamps (and moves the stream's "previous frame"), but its
 * length is unknown, so there is no sequence analysis and the numbers stay raw.
 */
export function finishTcpQuoted(ctx: Ctx, s: TcpSegment): void {
  const tracker = trackerFor(ctx.state.prefs);
  if (!tracker) return;
  const r = tracker.analyze({ ...s, len: -1 }, ctx.pkt.rec.num, ctx.pkt.rec.ts);
  fillHeader(ctx, s, r, false);
  addStateExperts(ctx, s, r);
  if (s.hdrCut) return; // the quote ends inside the fixed header: Wireshark stopped before the timestamps
  addTimestamps(ctx, s.layer, r);
  if (s.optTruncated) return;
  // no sequence analysis without a length, but a record the lookup made (a SYN with the stream's
  // ISN) still shows as an empty [SEQ/ACK analysis]
  addAnalysis(ctx, s.layer, r);
  addPayload(ctx, s, null);
}
