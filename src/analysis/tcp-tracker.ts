import type { Time } from '../core/field.js';
import { parseLang, type Lang } from './lang.js';
import { timeDelta as nstimeDelta, type Prefs } from '../dissect/state.js';

/**
 * The TCP conversation tracker: the one stateful stage, after dissection. It reproduces Wireshark
 * 4.0's first-pass TCP analysis (epan/dissectors/packet-tcp.c: conversation lookup and port reuse,
 * tcp_analyze_sequence_number, verify_tcp_window_scaling, iRTT, conversation completeness and the
 * per-stream timestamps; see spec/tcp-analysis.md, where tshark 4.0.17 is the judge).
 *
 * Pure and output-free: `analyze(segment, frame, time)` takes what the header dissector read and
 * returns a plain result object; it builds no strings and touches no packet. State is per stream
 * (two direction records and at most TCP_MAX_UNACKED segments per direction), never per packet.
 * All sequence arithmetic is unsigned 32-bit (`>>> 0`) and serial (GT_SEQ/LT_SEQ); no BigInt.
 *
 * On top of Wireshark's analysis it follows minishark's teaching view of a connection (phase and
 * step: three-way handshake, data, four-way teardown, reset, keep-alive, retransmission; who is
 * client and server), which src/analysis/tcp-explain.ts turns into words.
 */

/** Wireshark's TCP_A_* analysis flags */
export const TA = {
  RETRANSMISSION: 0x0001,
  LOST_PACKET: 0x0002,
  ACK_LOST_PACKET: 0x0004,
  KEEP_ALIVE: 0x0008,
  DUPLICATE_ACK: 0x0010,
  ZERO_WINDOW: 0x0020,
  ZERO_WINDOW_PROBE: 0x0040,
  ZERO_WINDOW_PROBE_ACK: 0x0080,
  KEEP_ALIVE_ACK: 0x0100,
  OUT_OF_ORDER: 0x0200,
  FAST_RETRANSMISSION: 0x0400,
  WINDOW_UPDATE: 0x0800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000,
} as const;

/** TCP header flag bits */
export const TH = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;

/** Completeness bits (tcp.completeness) */
export const COMPLETENESS = { SYNSENT: 1, SYNACK: 2, ACK: 4, DATA: 8, FIN: 16, RST: 32 } as const;

/** The most unacked segments kept per direction (Wireshark's TCP_MAX_UNACKED_SEGMENTS). */
export const TCP_MAX_UNACKED = 10000;
/** SACK blocks kept for bytes-in-flight (Wireshark stores blocks while count < MAX_TCP_SACK_RANGES = 4). */
const MAX_SACK_KEPT = 3;

/** What the tracker needs from one TCP header (TcpSegment satisfies it). */
export interface TcpInput {
  /** address bytes as latin1 strings */
  srcKey: string;
  dstKey: string;
  srcPort: number;
  dstPort: number;
  /** raw sequence / acknowledgement numbers */
  seq: number;
  ack: number;
  /** 12 header flag bits */
  flags: number;
  /** raw 16-bit window */
  window: number;
  /** TCP payload length from the IP length; -1 when unknown (fragment, ICMP error, short) */
  len: number;
  /** header length in bytes; below 20 the header is bogus and only the stream is tracked */
  hdrLen?: number;
  /** window scale shift from the WS option, -1 when absent */
  wsShift?: number;
  /** MSS option value, -1 when absent */
  mss?: number;
  /** raw SACK edges [le, re, le, re, ...] */
  sack?: readonly number[];
  /** the segment carries a TCP Fast Open cookie (TFO=C) */
  tfoCookie?: boolean;
  /** the options were cut short by the capture: Wireshark's exception skips what follows them */
  optTruncated?: boolean;
}

export type TcpPhase = 'handshake' | 'data' | 'teardown' | 'reset' | 'keep-alive' | 'retransmission';
export type TcpRole = 'client' | 'server';

/** The [SEQ/ACK analysis] of one frame (Wireshark's struct tcp_acked); present only when Wireshark
 * creates one: a flag, an acked segment, or bytes in flight were recorded. */
export interface TcpAnalysisRecord {
  /** TA.* bits */
  flags: number;
  /** tcp.analysis.acks_frame (0: none) */
  acksFrame: number;
  /** tcp.analysis.ack_rtt (null when zero or no acked frame) */
  ackRtt: Time | null;
  /** tcp.analysis.initial_rtt (null until known) */
  irtt: Time | null;
  /** tcp.analysis.bytes_in_flight (0: not shown; push_bytes_sent is shown with it) */
  bif: number;
  pushBytes: number;
  /** tcp.analysis.duplicate_ack_num / _frame (0: none) */
  dupAckNum: number;
  dupAckFrame: number;
  /** tcp.analysis.rto / rto_frame (on retransmissions, null when zero) */
  rto: Time | null;
  rtoFrame: number;
}

export interface TcpResult {
  stream: number;
  /** tcp.completeness as displayed (the value before this frame is folded in) */
  completeness: number;
  /** the numbers to display: relative when relative sequence numbers are on and the length is known */
  seq: number;
  ack: number;
  relative: boolean;
  /** tcp.nxtseq, -1 when the segment length is unknown */
  nxtseq: number;
  /** tcp.window_size (calculated) */
  window: number;
  /** tcp.window_size_scalefactor, null when not shown (SYN segments) */
  scale: number | null;
  /** why the scale factor is what it is: 'known', 'unknown' (-1), 'pref' (from the preference), 'none' (-2) */
  scaleKind: 'known' | 'unknown' | 'pref' | 'none';
  /** subtract from raw SACK edges for display (the peer's base seq; 0 when not relative) */
  sackBase: number;
  /** tcp.time_relative, tcp.time_delta */
  timeRel: Time;
  timeDelta: Time;
  analysis: TcpAnalysisRecord | null;
  /** FIN: 1 = "This frame initiates the connection closing", 2 = "... undergoes ...", 0 = no FIN */
  closing: 0 | 1 | 2;
  /** SYN+ACK: 1 = accepting TFO data, 2 = ignoring TFO data, 0 = neither */
  tfo: 0 | 1 | 2;
  /** D-SACK test on this segment's own SACK blocks (relative): first block below the ack, or inside the second */
  dsack: boolean;
  /** AccECN: the ACE counter (AE, CWR, ECE as a 3-bit number) shown instead of those flags; -1 when not */
  ace: number;

  // ---- minishark's teaching view (never changes a Wireshark field) ----
  phase: TcpPhase;
  /** '1/3' .. '3/3' in the handshake, '1/4' .. '4/4' (or '2+3/4' for a FIN that also acks the peer's FIN) in the teardown, '' otherwise */
  step: string;
  /** who sent this segment */
  role: TcpRole;
  /** roles not seen in a handshake: guessed (the lower port is taken as the server) */
  roleGuessed: boolean;
  /** the client's / server's ISN is known (their SYN was seen): Seq=x / Seq=y can be named */
  isnKnown: boolean;
  /** ACK that newly acknowledges data: how many bytes (FIN/SYN not counted), from which relative number */
  ackedBytes: number;
  ackedFrom: number;
  /** this ACK acknowledges the peer's FIN */
  acksFin: boolean;
  /** RST answering a SYN that was never accepted: "connection refused" */
  refused: boolean;
  /** the peer has already sent its FIN and this side still sends data (half-close) */
  halfClosed: boolean;
  /** both FINs were sent before either was acknowledged */
  simultaneous: boolean;
  /** the MSS the receiver of this segment announced in its SYN (-1: unknown) */
  peerMss: number;
}

class Flow {
  baseSet = false;
  base = 0;
  nextseq = 0;
  nextseqFrame = 0;
  nextseqSec = 0;
  nextseqNsec = 0;
  lastack = 0;
  lastackSec = 0;
  lastackNsec = 0;
  window = 0xffffffff;
  winScale = -1;
  dupacknum = 0;
  lastnondupack = 0;
  maxseqtobeacked = 0;
  validBif = true;
  pushBytes = 0;
  pushSetLast = false;
  isFirstAck = false;
  closingInitiator = false;
  lastSegFlags = 0;
  /** SACK blocks of this side's latest segment (raw edges), for the peer's bytes in flight */
  sackN = 0;
  /** [le, re, ...] of those blocks (empty until the first SACK: most connections never send one) */
  sack: number[] = [];
  /** unacked segments, oldest first (Wireshark keeps them newest first) */
  /** entry i at [5i .. 5i+4]: frame, seq, nextseq, seconds, nanoseconds (made on first use; the
   * array keeps its capacity, `un` says how many entries are in use) */
  u: number[] | null = null;
  /** entries in use (the arrays keep their capacity) */
  un = 0;
  /** cached bytes-in-flight bounds over the list, relative to base (valid unless uDirty) */
  uLo = 0;
  uHi = 0;
  uDirty = true;
  // teaching view
  mss = -1;
  sawSyn = false;
  finSent = false;
  finSeq = 0;
  finAcked = false;
  ackSeen = false;
}

class Conv {
  completeness = 0;
  readonly f1 = new Flow();
  readonly f2 = new Flow();
  prevSec: number;
  prevNsec: number;
  mruSynSec = 0;
  mruSynNsec = 0;
  rttSec = 0;
  rttNsec = 0;
  tfoSynData = false;
  /** a SYN offered AccECN (AE, CWR and ECE set): later segments show the ACE counter */
  accEcn = false;
  // teaching view: 0 unknown, 1 = f1 is the client, 2 = f2 is the client
  client: 0 | 1 | 2 = 0;
  /** 0 nothing, 1 SYN seen, 2 SYN+ACK seen, 3 established */
  hs = 0;
  /** the flow that sent the first FIN (0 none) */
  firstFin: 0 | 1 | 2 = 0;
  /** in the queue of closed conversations */
  queued = false;
  constructor(
    readonly stream: number,
    readonly firstSec: number,
    readonly firstNsec: number,
  ) {
    this.prevSec = firstSec;
    this.prevNsec = firstNsec;
  }
}

/**
 * What is kept of a conversation that closed long ago (more than CLOSED_KEPT closes back): its
 * stream index, times, completeness, and per side the base sequence number and window scale, which
 * is what a new SYN on the same ports needs (port reuse: a new stream) and what a stray late
 * segment needs for its stream, times and relative numbers. About 150 bytes instead of ~1.1 KB.
 */
class Tomb {
  readonly stream: number;
  readonly firstSec: number;
  readonly firstNsec: number;
  readonly prevSec: number;
  readonly prevNsec: number;
  readonly completeness: number;
  readonly b1: number;
  readonly b2: number;
  readonly w1: number;
  readonly w2: number;
  readonly set: number;
  constructor(c: Conv) {
    this.stream = c.stream;
    this.firstSec = c.firstSec;
    this.firstNsec = c.firstNsec;
    this.prevSec = c.prevSec;
    this.prevNsec = c.prevNsec;
    this.completeness = c.completeness;
    this.b1 = c.f1.base;
    this.b2 = c.f2.base;
    this.w1 = c.f1.winScale;
    this.w2 = c.f2.winScale;
    this.set = (c.f1.baseSet ? 1 : 0) | (c.f2.baseSet ? 2 : 0);
  }
  revive(): Conv {
    const c = new Conv(this.stream, this.firstSec, this.firstNsec);
    c.prevSec = this.prevSec;
    c.prevNsec = this.prevNsec;
    c.completeness = this.completeness;
    c.f1.base = this.b1;
    c.f2.base = this.b2;
    c.f1.winScale = this.w1;
    c.f2.winScale = this.w2;
    c.f1.baseSet = (this.set & 1) !== 0;
    c.f2.baseSet = (this.set & 2) !== 0;
    return c;
  }
}

/** Closed conversations (both FINs acknowledged, or a RST) kept whole; older ones become Tombs, so
 * memory follows live connections, not every connection of the capture. */
export const CLOSED_KEPT = 10_000;

export interface TcpTrackerOptions {
  /** explanation language for minishark.tcp.explain (also read from prefs['minishark.lang']) */
  lang?: Lang;
  /** analyze() fills and returns one object, the same each time, valid until the next call: for a
   * caller that reads each result at once (the engine), which then allocates no result per packet */
  reuseResult?: boolean;
}

/** D-SACK (RFC 2883 section 4) on a segment's own SACK blocks [le, re, ...], on the relative numbers
 * Wireshark has at that point (`base` subtracted; `ack` the shown ack): the first block at or
 * below the ack, or inside the second block. */
export function isDsack(sack: readonly number[], base: number, ack: number): boolean {
  if (sack.length < 2) return false;
  const re0 = (sack[1]! - base) >>> 0;
  if (LE(re0, ack)) return true;
  if (sack.length < 4) return false;
  const le1 = (sack[2]! - base) >>> 0;
  const re1 = (sack[3]! - base) >>> 0;
  return LT(le1, re0) && GE(re1, re0);
}

/** A TcpResult with every property present (one shape), to be filled by analyze(). */
function newResult(): TcpResult {
  return {
    stream: 0,
    completeness: 0,
    seq: 0,
    ack: 0,
    relative: false,
    nxtseq: -1,
    window: 0,
    scale: null,
    scaleKind: 'known',
    sackBase: 0,
    timeRel: ZERO_TIME,
    timeDelta: ZERO_TIME,
    analysis: null,
    closing: 0,
    tfo: 0,
    dsack: false,
    ace: -1,
    phase: 'data',
    step: '',
    role: 'client',
    roleGuessed: false,
    isnKnown: false,
    ackedBytes: -1,
    ackedFrom: 0,
    acksFin: false,
    refused: false,
    halfClosed: false,
    simultaneous: false,
    peerMss: -1,
  };
}
const ZERO_TIME: Time = Object.freeze({ sec: 0, nsec: 0 });

/** Drop an empty unacked list's array (it is made again on first use). */
function releaseUnacked(f: Flow): void {
  f.u = null;
}

/** GT_SEQ(x, y): x after y in 32-bit serial arithmetic */
const GT = (x: number, y: number): boolean => ((y - x) | 0) < 0;
const LT = (x: number, y: number): boolean => ((x - y) | 0) < 0;
const LE = (x: number, y: number): boolean => ((x - y) | 0) <= 0;
const GE = (x: number, y: number): boolean => ((y - x) | 0) <= 0;

/** The base (initial) sequence numbers, the first time a side is seen: its ISN from a SYN (else
 * seq - 1), and the peer's from the acknowledgement number. */
function setBases(fwd: Flow, rev: Flow, flags: number, seq: number, ack: number): void {
  if (!fwd.baseSet) {
    fwd.base = flags & TH.SYN ? seq : (seq - 1) >>> 0;
    fwd.baseSet = true;
  }
  if (!rev.baseSet && flags & TH.ACK) {
    rev.base = (ack - 1) >>> 0;
    rev.baseSet = true;
  }
}

/** a - b in nanoseconds as Wireshark's guint64 arithmetic sees it (negative → huge) */
function nsU64(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  const d = (aSec - bSec) * 1e9 + (aNsec - bNsec);
  return d < 0 ? 18446744073709551616 + d : d;
}

/** One segment's analysis in progress (the tracker's single instance, refilled for each segment):
 * what analyzeSequence's steps share and what afterOptions needs. */
interface Work {
  conv: Conv | null;
  fwd: Flow | null;
  rev: Flow | null;
  flowNo: 1 | 2;
  key: string;
  isNew: boolean;
  flags: number;
  seq: number;
  ack: number;
  frame: number;
  nowS: number;
  nowN: number;
  haveLen: boolean;
  seglen: number;
  /** TA.* bits, and whether an analysis record was created */
  taFlags: number;
  hasTa: boolean;
  prevLastack: number;
  prevAckSeen: boolean;
  acksFrame: number;
  ackRttSec: number;
  ackRttNsec: number;
  bif: number;
  pushBytes: number;
  dupNum: number;
  dupFrame: number;
  rto: Time | null;
  rtoFrame: number;
  r: TcpResult | null;
}

function newWork(): Work {
  return {
    conv: null, fwd: null, rev: null, flowNo: 1, key: '', isNew: false, flags: 0, seq: 0, ack: 0, frame: 0, nowS: 0, nowN: 0,
    haveLen: false, seglen: 0, taFlags: 0, hasTa: false, prevLastack: 0, prevAckSeen: false, acksFrame: 0, ackRttSec: 0,
    ackRttNsec: 0, bif: 0, pushBytes: 0, dupNum: 0, dupFrame: 0, rto: null, rtoFrame: 0, r: null,
  };
}

/** an analysis flag (and the analysis record it lives in) */
function flag(w: Work, bit: number): void {
  w.taFlags |= bit;
  w.hasTa = true;
}

/** the result's fields that later steps fill, back to their defaults */
function resetResult(r: TcpResult): void {
  r.analysis = null;
  r.closing = 0;
  r.tfo = 0;
  r.dsack = false;
  r.phase = 'data';
  r.step = '';
  r.role = 'client';
  r.roleGuessed = false;
  r.isnKnown = false;
  r.ackedBytes = -1;
  r.ackedFrom = 0;
  r.acksFin = false;
  r.refused = false;
  r.halfClosed = false;
  r.simultaneous = false;
  r.peerMss = -1;
}

/** conversation completeness after this segment (a new conversation only counts a pure SYN) */
function nextCompleteness(c: number, isNew: boolean, flags: number, seglen: number): number {
  if (isNew) {
    if ((flags & (TH.SYN | TH.ACK)) !== TH.SYN) return 0;
    return COMPLETENESS.SYNSENT | (seglen > 0 ? COMPLETENESS.DATA : 0);
  }
  if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK)) c |= COMPLETENESS.SYNACK;
  if ((flags & (TH.SYN | TH.ACK)) === TH.ACK) c |= seglen > 0 ? COMPLETENESS.DATA : COMPLETENESS.ACK;
  if ((flags & (TH.FIN | TH.ACK)) === (TH.FIN | TH.ACK)) c |= COMPLETENESS.FIN;
  if (flags & TH.RST) c |= COMPLETENESS.RST;
  return c;
}

/** ACKed unseen segment: the ack goes past what the peer was seen to send */
function ackedUnseenSegment(w: Work): void {
  const rev = w.rev!;
  if (rev.maxseqtobeacked === 0 || !GT(w.ack, rev.maxseqtobeacked) || !(w.flags & TH.ACK)) return;
  w.hasTa = true;
  // 4.0.17 (as the spec notes): LT_SEQ(maxseqtobeacked, nextseq); later versions compare the other way
  if (LT(rev.maxseqtobeacked, rev.nextseq)) {
    rev.maxseqtobeacked = rev.nextseq;
    w.taFlags |= TA.ACK_LOST_PACKET;
  } else {
    if (rev.dupacknum === 0) w.taFlags |= TA.ACK_LOST_PACKET;
    rev.dupacknum = -1;
  }
}

/** spurious retransmission, fast retransmission, out-of-order, retransmission (with its RTO) */
function retransmissionRules(w: Work): void {
  const { conv, fwd, rev, flags, seq, seglen, nowS, nowN } = w;
  const f = fwd!;
  const v = rev!;
  let notAdvanced = f.nextseq !== 0 && LT(seq, f.nextseq);
  if (w.taFlags & TA.KEEP_ALIVE) return;
  if (seglen > 1 && ((f.nextseq - 1) >>> 0) === seq) notAdvanced = false;
  if (seglen > 0 && v.lastack !== 0 && LE((seq + seglen) >>> 0, v.lastack)) return flag(w, TA.SPURIOUS_RETRANSMISSION);
  if (!notAdvanced) return;
  // fastrt_supersedes_ooo = TRUE: fast retransmission first, then out-of-order.
  // dupacknum is unsigned in Wireshark: the -1 left by an "ACKed unseen segment" counts as >= 2.
  if ((v.dupacknum >= 2 || v.dupacknum === -1) && v.lastack === seq && nsU64(nowS, nowN, v.lastackSec, v.lastackNsec) < 20000000) return flag(w, TA.FAST_RETRANSMISSION);
  const thr = conv!.rttSec === 0 && conv!.rttNsec === 0 ? 3000000 : nsU64(conv!.rttSec, conv!.rttNsec, 0, 0);
  const fin = flags & (TH.SYN | TH.FIN) ? 1 : 0;
  if (nsU64(nowS, nowN, f.nextseqSec, f.nextseqNsec) < thr && f.nextseq !== ((seq + seglen + fin) >>> 0)) return flag(w, TA.OUT_OF_ORDER);
  flag(w, TA.RETRANSMISSION);
  if (f.un > 0) {
    const u = f.u!;
    w.rto = nstimeDelta(nowS, nowN, u[3]!, u[4]!);
    w.rtoFrame = u[0]!;
  } else {
    w.rto = nstimeDelta(nowS, nowN, f.nextseqSec, f.nextseqNsec);
    w.rtoFrame = f.nextseqFrame;
  }
}

/** the segment into the unacked list; nextseq, maxseqtobeacked, window and last ack move on */
function recordSegment(w: Work, window: number): void {
  const { fwd, flags, seq, seglen, frame, nowS, nowN } = w;
  const f = fwd!;
  let next = (seq + seglen) >>> 0;
  if ((seglen > 0 || flags & (TH.SYN | TH.FIN)) && f.un < TCP_MAX_UNACKED) {
    if (flags & (TH.SYN | TH.FIN)) next = (next + 1) >>> 0;
    pushUnacked(f, frame, seq, next, nowS, nowN);
  }
  const zwp = (w.taFlags & TA.ZERO_WINDOW_PROBE) !== 0;
  if ((GT(next, f.nextseq) || f.nextseq === 0) && !zwp) {
    f.nextseq = next;
    f.nextseqFrame = frame;
    f.nextseqSec = nowS;
    f.nextseqNsec = nowN;
  }
  if ((seq === f.maxseqtobeacked || f.maxseqtobeacked === 0) && !zwp) f.maxseqtobeacked = f.nextseq;
  f.window = window;
  f.lastack = w.ack;
  f.lastackSec = nowS;
  f.lastackNsec = nowN;
  f.lastSegFlags = w.hasTa ? w.taFlags : 0;
}

/** one unacked segment (5 numbers: frame, seq, next, time), keeping the cached low/high edges */
function pushUnacked(f: Flow, frame: number, seq: number, next: number, nowS: number, nowN: number): void {
  const k = f.un++;
  const u = (f.u ??= []);
  const b = 5 * k;
  u[b] = frame;
  u[b + 1] = seq;
  u[b + 2] = next;
  u[b + 3] = nowS;
  u[b + 4] = nowN;
  if (f.uDirty) return;
  const lo = (seq - f.base) >>> 0;
  const hi = (next - f.base) >>> 0;
  if (k === 0) {
    f.uLo = lo;
    f.uHi = hi;
  } else {
    if (lo < f.uLo) f.uLo = lo;
    if (hi > f.uHi) f.uHi = hi;
  }
}

/** remove what this ACKs from the other direction's unacked list (oldest exact match wins: the
 * acked frame and the RTT) */
function removeAcked(w: Work): void {
  const rev = w.rev!;
  const ack = w.ack;
  const u = rev.u;
  const n = rev.un;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const b = 5 * i;
    const e = u![b + 2]!;
    if (ack === e) {
      if (!w.acksFrame) {
        w.acksFrame = u![b]!;
        const d = nstimeDelta(w.nowS, w.nowN, u![b + 3]!, u![b + 4]!);
        w.ackRttSec = d.sec;
        w.ackRttNsec = d.nsec;
      }
      w.hasTa = true;
      continue;
    }
    let sq = u![b + 1]!;
    if (GT(ack, sq) && LE(ack, e)) {
      sq = ack;
      rev.uDirty = true;
    } else if (!GT(e, ack)) continue; // older than the ack: drop silently
    const c = 5 * k;
    u![c] = u![b]!;
    u![c + 1] = sq;
    u![c + 2] = e;
    u![c + 3] = u![b + 3]!;
    u![c + 4] = u![b + 4]!;
    k++;
  }
  if (k === n) return;
  rev.uDirty = true;
  rev.un = k;
  // a closing connection's emptied list gives its memory back (a capture of many short
  // connections keeps only what live connections hold)
  if (k === 0 && (rev.finSent || w.fwd!.finSent || w.flags & TH.RST)) releaseUnacked(rev);
}

/** bytes in flight (the payload method, less what the peer's SACK blocks delivered) and the bytes
 * sent since the last PSH */
function bytesInFlight(w: Work): void {
  const { fwd, rev, flags, seglen } = w;
  const f = fwd!;
  if (seglen === 0 || f.un === 0 || !f.validBif) return;
  unackedEdges(f);
  let inFlight = (f.uHi - f.uLo) >>> 0;
  if (rev!.sackN > 0) {
    let delivered = 0;
    for (let i = 0; i < rev!.sackN; i++) delivered = (delivered + rev!.sack[2 * i + 1]! - rev!.sack[2 * i]!) >>> 0;
    inFlight = (inFlight - delivered) >>> 0;
  }
  w.hasTa = true;
  if (inFlight > 0 && inFlight < 2000000000) {
    w.bif = inFlight;
    if (flags & (TH.SYN | TH.FIN)) w.bif = (w.bif - 1) >>> 0;
  }
  if (flags & TH.PSH) {
    f.pushBytes = f.pushSetLast ? seglen : (f.pushBytes + seglen) >>> 0;
    f.pushSetLast = true;
  } else if (f.pushSetLast) {
    f.pushBytes = seglen;
    f.pushSetLast = false;
  } else {
    f.pushBytes = (f.pushBytes + seglen) >>> 0;
  }
  w.pushBytes = f.pushBytes;
}

/** the lowest seq and highest nextseq over the unacked list, relative to the base (cached:
 * recomputed only after acks removed or trimmed entries) */
function unackedEdges(f: Flow): void {
  if (!f.uDirty) return;
  const n = f.un;
  const base = f.base;
  const u = f.u!;
  let first = (u[5 * (n - 1) + 1]! - base) >>> 0;
  let last = (u[5 * (n - 1) + 2]! - base) >>> 0;
  for (let i = 0; i < n; i++) {
    const l = (u[5 * i + 2]! - base) >>> 0;
    const s = (u[5 * i + 1]! - base) >>> 0;
    if (l > last) last = l;
    if (s < first) first = s;
  }
  f.uLo = first;
  f.uHi = last;
  f.uDirty = false;
}

export class TcpTracker {
  private readonly convs = new Map<string, Conv | Tomb>();
  /** closed conversations, oldest first (from qHead), with their keys */
  private qConv: Array<Conv | null> = [];
  private qKey: string[] = [];
  private qHead = 0;
  /** conversations made tombs so far */
  tombs = 0;
  private streamCount = 0;
  private lastConv: Conv | null = null;
  private lastKey = '';
  private lastA = '';
  private lastB = '';
  private lastPa = -1;
  private lastPb = -1;
  readonly lang: Lang;
  private readonly relativeSeq: boolean;
  private readonly analyzeSeq: boolean;
  private readonly trackBif: boolean;
  private readonly defaultWs: number;
  /** the result object analyze() fills each time (reuseResult), else null */
  private readonly scratch: TcpResult | null;

  constructor(
    readonly prefs: Partial<Prefs> = {},
    opts: TcpTrackerOptions = {},
  ) {
    const p = prefs as Partial<Prefs> & Record<string, unknown>;
    this.analyzeSeq = p['tcp.analyze_sequence_numbers'] ?? true;
    this.relativeSeq = (p['tcp.relative_sequence_numbers'] ?? true) && this.analyzeSeq;
    this.trackBif = p['tcp.track_bytes_in_flight'] ?? true;
    this.defaultWs = p['tcp.default_window_scaling'] ?? -1;
    const l = opts.lang ?? p['minishark.lang'];
    this.lang = (typeof l === 'string' && parseLang(l)) || 'en';
    this.scratch = opts.reuseResult ? newResult() : null;
  }

  /** number of conversations (streams) seen so far */
  get streams(): number {
    return this.streamCount;
  }

  /** the conversations currently tracked (a port reuse replaces the older one) */
  get conversations(): number {
    return this.convs.size;
  }

  /** set by find(): the conversation was created by this lookup */
  private isNew = false;

  /**
   * The conversation of a segment, created when new. `pos` is Wireshark's direction:
   * cmp_address(src, dst), then the larger source port is "positive". Sets lastKey and isNew.
   */
  private find(src: string, dst: string, sport: number, dport: number, pos: boolean, nowS: number, nowN: number): Conv {
    const ka = pos ? src : dst;
    const kb = pos ? dst : src;
    const kpa = pos ? sport : dport;
    const kpb = pos ? dport : sport;
    this.isNew = false;
    // consecutive segments of one conversation skip building the key (a one-entry cache)
    if (this.lastConv && kpa === this.lastPa && kpb === this.lastPb && ka === this.lastA && kb === this.lastB) return this.lastConv;
    // addresses (4 or 16 latin1 chars each, the same family on both sides) and the ports as two
    // UTF-16 units: fixed positions, so unique; an IPv4 key is 10 chars, which V8 keeps flat
    const key = ka + kb + String.fromCharCode(kpa, kpb);
    const found = this.convs.get(key);
    let conv: Conv;
    if (!found) {
      conv = new Conv(this.streamCount++, nowS, nowN);
      this.convs.set(key, conv);
      this.isNew = true;
    } else if (found instanceof Tomb) {
      conv = found.revive();
      this.convs.set(key, conv);
    } else conv = found;
    this.lastA = ka;
    this.lastB = kb;
    this.lastPa = kpa;
    this.lastPb = kpb;
    this.lastKey = key;
    this.lastConv = conv;
    return conv;
  }

  /**
   * Only the stream index of a segment, for runs that read no analysis field (e.g. `-q -z conv,tcp`):
   * the same conversations as analyze() (port reuse by a new ISN included) without the sequence
   * analysis. A run uses one or the other for its top-level segments.
   */
  streamOf(seg: TcpInput, ts: Time): number {
    const flags = seg.flags;
    const seq = seg.seq >>> 0;
    const pos = seg.srcKey > seg.dstKey || (seg.srcKey === seg.dstKey && seg.srcPort > seg.dstPort);
    let conv = this.find(seg.srcKey, seg.dstKey, seg.srcPort, seg.dstPort, pos, ts.sec, ts.nsec);
    let fwd = pos ? conv.f1 : conv.f2;
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN && fwd.baseSet && seq !== fwd.base) {
      conv = new Conv(this.streamCount++, ts.sec, ts.nsec);
      this.convs.set(this.lastKey, conv);
      this.lastConv = conv;
      fwd = pos ? conv.f1 : conv.f2;
    }
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK) && fwd.baseSet && seq !== fwd.base) fwd.base = seq;
    if (seg.len >= 0) setBases(fwd, pos ? conv.f2 : conv.f1, flags, seq, seg.ack >>> 0);
    // closed (without the analysis, a FIN from each side is enough): queued for the tombs too
    if (flags & TH.FIN) fwd.finSent = true;
    if (!conv.queued && ((conv.f1.finSent && conv.f2.finSent) || flags & TH.RST)) this.closed(conv, this.lastKey);
    return conv.stream;
  }

  /**
   * Analyze one TCP segment (the top-level TCP header of frame `frame`, captured at `ts`), in
   * capture order. Returns what Wireshark shows for it.
   */
  analyze(seg: TcpInput, frame: number, ts: Time): TcpResult {
    const r = this.analyzeSequence(seg, frame, ts);
    this.afterOptions(seg);
    return r;
  }

  /** the segment being analysed (one object per tracker, refilled for each segment) */
  private readonly w: Work = newWork();

  /**
   * The segment's options as the TCP dissector found them (they come after the analysis in the
   * header, as in packet-tcp.c, where dissecting the options updates the conversation): window
   * scale, SACK blocks, TFO cookie, then verify_tcp_window_scaling, the teaching view and the
   * closing of the conversation. Completes the result analyzeSequence returned.
   */
  afterOptions(seg: TcpInput): void {
    const P = this.w;
    const conv = P.conv!;
    const fwd = P.fwd!;
    const rev = P.rev!;
    const r = P.r!;
    const flags = seg.flags;
    const bogus = seg.hdrLen !== undefined && seg.hdrLen < 20;
    if (!bogus) {
      this.takeOptions(conv, fwd, rev, seg, r);
      this.teach(conv, fwd, rev, P.flowNo, seg, seg.seq >>> 0, seg.ack >>> 0, seg.len >= 0 ? seg.len : 0, P.taFlags, P.prevLastack, P.prevAckSeen, r);
    } else {
      const c = this.roleOf(conv, P.flowNo, seg.srcPort, seg.dstPort);
      r.role = c & 1 ? 'client' : 'server';
      r.roleGuessed = c > 2;
    }
    if (!conv.queued && ((conv.f1.finAcked && conv.f2.finAcked) || flags & TH.RST)) this.closed(conv, P.key);
    P.conv = P.fwd = P.rev = null;
    P.r = null;
  }

  /** options, after the analysis: window scale (any segment), SACK blocks, TFO cookie; then
   * verify_tcp_window_scaling on SYNs (not reached when the options were cut short) */
  private takeOptions(conv: Conv, fwd: Flow, rev: Flow, seg: TcpInput, r: TcpResult): void {
    const flags = seg.flags;
    const ws = seg.wsShift ?? -1;
    if (ws >= 0) fwd.winScale = ws > 14 ? 14 : ws;
    const sack = seg.sack;
    if (sack && sack.length >= 2) {
      const nb = sack.length >> 1;
      const keep = this.analyzeSeq && this.trackBif;
      for (let i = 0; i < nb && keep && i < MAX_SACK_KEPT; i++) {
        fwd.sack[2 * i] = sack[2 * i]!;
        fwd.sack[2 * i + 1] = sack[2 * i + 1]!;
        fwd.sackN = i + 1;
      }
      r.dsack = isDsack(sack, r.sackBase, r.ack);
    }
    const synOnly = (flags & (TH.SYN | TH.ACK)) === TH.SYN;
    if (seg.tfoCookie && synOnly && seg.len > 0) conv.tfoSynData = true;
    if (flags & TH.SYN && !seg.optTruncated) {
      if (fwd.winScale === -1) {
        fwd.winScale = -2;
        rev.winScale = -2;
      } else if (flags & TH.ACK && rev.winScale === -2) fwd.winScale = -2;
    }
  }

  /**
   * The sequence analysis of one TCP segment (the top-level TCP header of frame `frame`, captured
   * at `ts`), in capture order, before its options: what Wireshark shows in the header. The caller
   * then calls afterOptions (analyze does both).
   */
  analyzeSequence(seg: TcpInput, frame: number, ts: Time): TcpResult {
    // a fresh result, or the one this tracker hands out each time (see TcpTrackerOptions.reuseResult)
    const w = this.begin(seg, frame, ts, this.scratch ?? newResult());
    const r = w.r!;
    if (w.haveLen) {
      // 4.0.17 records the base sequence numbers even without the sequence analysis (a new ISN on a
      // pure SYN splits the stream)
      setBases(w.fwd!, w.rev!, w.flags, w.seq, w.ack);
      if (this.analyzeSeq) this.tcpAnalyzeSequenceNumber(w, seg.window);
      this.shownNumbers(w, seg.window);
    } else {
      r.seq = w.seq;
      r.ack = w.ack;
      r.window = seg.window;
      r.nxtseq = -1;
    }
    r.sackBase = this.relativeSeq ? w.rev!.base : 0;
    this.shownScale(w);
    if (!(seg.hdrLen !== undefined && seg.hdrLen < 20)) this.conversationState(w);
    r.analysis = this.analysisRecord(w);
    return r;
  }

  /** The conversation (a new one on port reuse), the stream's timestamps; the result's start */
  private begin(seg: TcpInput, frame: number, ts: Time, r: TcpResult): Work {
    const w = this.w;
    const flags = seg.flags;
    w.flags = flags;
    w.seq = seg.seq >>> 0;
    w.ack = seg.ack >>> 0;
    w.frame = frame;
    w.nowS = ts.sec;
    w.nowN = ts.nsec;
    w.haveLen = seg.len >= 0;
    w.seglen = w.haveLen ? seg.len : 0;
    w.taFlags = 0;
    w.hasTa = false;
    w.acksFrame = w.ackRttSec = w.ackRttNsec = w.bif = w.pushBytes = w.dupNum = w.dupFrame = w.rtoFrame = 0;
    w.rto = null;
    w.r = r;
    this.lookupConversation(w, seg);
    const { conv, fwd } = w;
    fwd!.sackN = 0;
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN && (flags & 0x1c0) === 0x1c0) conv!.accEcn = true;
    w.prevLastack = fwd!.lastack;
    w.prevAckSeen = fwd!.ackSeen;
    resetResult(r);
    r.stream = conv!.stream;
    r.completeness = conv!.completeness;
    r.relative = this.relativeSeq && w.haveLen;
    // per-stream timestamps
    r.timeRel = nstimeDelta(w.nowS, w.nowN, conv!.firstSec, conv!.firstNsec);
    r.timeDelta = nstimeDelta(w.nowS, w.nowN, conv!.prevSec, conv!.prevNsec);
    conv!.prevSec = w.nowS;
    conv!.prevNsec = w.nowN;
    r.ace = conv!.accEcn && !(flags & TH.SYN) ? (flags >> 6) & 7 : -1;
    return w;
  }

  /** find the conversation; port reuse: a pure SYN with a new ISN starts a new one, a SYN+ACK with
   * a new ISN moves the base (Wireshark issue 16944) */
  private lookupConversation(w: Work, seg: TcpInput): void {
    const { flags, seq, nowS, nowN } = w;
    const pos = seg.srcKey > seg.dstKey || (seg.srcKey === seg.dstKey && seg.srcPort > seg.dstPort);
    let conv = this.find(seg.srcKey, seg.dstKey, seg.srcPort, seg.dstPort, pos, nowS, nowN);
    w.key = this.lastKey;
    w.isNew = this.isNew;
    let fwd = pos ? conv.f1 : conv.f2;
    w.flowNo = pos ? 1 : 2;
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN && fwd.baseSet) {
      if (seq !== fwd.base) {
        conv = new Conv(this.streamCount++, nowS, nowN);
        this.convs.set(w.key, conv);
        this.lastConv = conv;
        fwd = pos ? conv.f1 : conv.f2;
        flag(w, TA.REUSED_PORTS);
        conv.completeness = COMPLETENESS.SYNSENT;
      } else if (this.analyzeSeq) {
        // a SYN retransmission: restore nextseq (Wireshark issue 17616). 4.0.17 creates the analysis
        // record here (an empty [SEQ/ACK analysis] may show) but no longer flags "reused ports".
        fwd.nextseq = fwd.maxseqtobeacked;
        w.hasTa = true;
      }
    }
    const rev = pos ? conv.f2 : conv.f1;
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK) && fwd.baseSet && seq !== fwd.base) {
      fwd.base = seq;
      fwd.uDirty = true;
      flag(w, TA.REUSED_PORTS);
    }
    w.conv = conv;
    w.fwd = fwd;
    w.rev = rev;
  }

  /** tcp_analyze_sequence_number: the rules in Wireshark's order, then the bookkeeping */
  private tcpAnalyzeSequenceNumber(w: Work, window: number): void {
    const { fwd, rev, flags, ack } = w;
    if (flags & TH.ACK) rev!.validBif = true;
    this.forwardRules(w, window);
    // finished_fwd:
    if (ack !== fwd!.lastack) {
      fwd!.lastnondupack = w.frame;
      fwd!.dupacknum = 0;
    }
    ackedUnseenSegment(w);
    if (w.seglen > 0 || flags & (TH.SYN | TH.FIN)) retransmissionRules(w);
    recordSegment(w, window);
    removeAcked(w);
    if (this.trackBif) bytesInFlight(w);
  }

  /** zero window probe, zero window, lost segment, keep-alive, window update, window full, and
   * keep-alive ACK / zero window probe ACK / duplicate ACK */
  private forwardRules(w: Work, window: number): void {
    const { fwd, rev, flags, seq, ack, seglen } = w;
    const f = fwd!;
    const v = rev!;
    const noSFR = (flags & (TH.SYN | TH.FIN | TH.RST)) === 0;
    if (seglen === 1 && seq === f.nextseq && v.window === 0) return flag(w, TA.ZERO_WINDOW_PROBE);
    if (window === 0 && noSFR) flag(w, TA.ZERO_WINDOW);
    if (f.nextseq !== 0 && GT(seq, f.nextseq) && (flags & TH.RST) === 0) {
      flag(w, TA.LOST_PACKET);
      f.validBif = false;
    }
    if ((seglen === 0 || seglen === 1) && seq === ((f.nextseq - 1) >>> 0) && noSFR) flag(w, TA.KEEP_ALIVE);
    if (seglen === 0 && window !== 0 && window !== f.window && seq === f.nextseq && ack === f.lastack && noSFR) flag(w, TA.WINDOW_UPDATE);
    if (seglen > 0 && v.winScale !== -1 && noSFR) {
      const s = v.isFirstAck || v.winScale === -2 ? 0 : v.winScale;
      if (((seq + seglen) >>> 0) === ((v.lastack + ((v.window << s) >>> 0)) >>> 0)) flag(w, TA.WINDOW_FULL);
    }
    const sameAck = seglen === 0 && seq === f.nextseq && ack === f.lastack && noSFR;
    if (!sameAck || window !== f.window) return;
    if (window !== 0 && v.lastSegFlags & TA.KEEP_ALIVE) flag(w, TA.KEEP_ALIVE_ACK);
    else if (window === 0 && v.lastSegFlags & TA.ZERO_WINDOW_PROBE) flag(w, TA.ZERO_WINDOW_PROBE_ACK);
    else if (window !== 0) {
      f.dupacknum = f.dupacknum === -1 ? 1 : f.dupacknum + 1;
      flag(w, TA.DUPLICATE_ACK);
      w.dupNum = f.dupacknum;
      w.dupFrame = f.lastnondupack;
    }
  }

  /** the numbers shown: relative, the window scaled, the next sequence number */
  private shownNumbers(w: Work, window: number): void {
    const { fwd, rev, flags, seq, ack } = w;
    const r = w.r!;
    let dispSeq = seq;
    let dispAck = ack;
    let win = window;
    if (this.relativeSeq) {
      dispSeq = (seq - fwd!.base) >>> 0;
      if (flags & TH.ACK) dispAck = (ack - rev!.base) >>> 0;
    }
    if (!(flags & TH.SYN)) {
      if (fwd!.winScale >= 0) win = (win << fwd!.winScale) >>> 0;
      else if (fwd!.winScale === -1 && this.defaultWs >= 0) win = (win << this.defaultWs) >>> 0;
    }
    r.seq = dispSeq;
    r.ack = dispAck;
    r.window = win;
    r.nxtseq = (dispSeq + w.seglen + (flags & (TH.SYN | TH.FIN) ? 1 : 0)) >>> 0;
  }

  /** [Window size scaling factor] (not on SYNs): known, unknown (-1), from the preference, none (-2) */
  private shownScale(w: Work): void {
    const r = w.r!;
    const ws = w.fwd!.winScale;
    r.scale = null;
    r.scaleKind = 'known';
    if (w.flags & TH.SYN) return;
    if (ws === -1) {
      r.scale = this.defaultWs >= 0 ? 1 << this.defaultWs : -1;
      r.scaleKind = this.defaultWs >= 0 ? 'pref' : 'unknown';
    } else if (ws === -2) {
      r.scale = -2;
      r.scaleKind = 'none';
    } else r.scale = 1 << ws;
  }

  /** completeness (a new conversation only counts a pure SYN), TFO on the SYN+ACK, the closing
   * initiator, the handshake's round-trip time */
  private conversationState(w: Work): void {
    const { conv, fwd, rev, flags, ack, nowS, nowN } = w;
    const c = conv!;
    const r = w.r!;
    c.completeness = nextCompleteness(c.completeness, w.isNew, flags, w.seglen);
    if (flags & TH.ACK && flags & TH.SYN && this.analyzeSeq) {
      if (((ack - rev!.base) >>> 0) > 1) r.tfo = 1;
      else if (c.tfoSynData) r.tfo = 2;
    }
    if (flags & TH.SYN) {
      if (!(flags & TH.ACK)) {
        c.mruSynSec = nowS;
        c.mruSynNsec = nowN;
      }
      fwd!.isFirstAck = true;
    }
    if (flags & TH.FIN) {
      if (!rev!.closingInitiator) {
        fwd!.closingInitiator = true;
        r.closing = 1;
      } else r.closing = 2;
    }
    if (this.analyzeSeq && (flags & (TH.SYN | TH.ACK)) === TH.ACK) {
      if (!(c.mruSynSec === 0 && c.mruSynNsec === 0) && c.rttSec === 0 && c.rttNsec === 0) {
        const d = nstimeDelta(nowS, nowN, c.mruSynSec, c.mruSynNsec);
        c.rttSec = d.sec;
        c.rttNsec = d.nsec;
      }
      fwd!.isFirstAck = false;
    }
  }

  /** [SEQ/ACK analysis] (Wireshark's tcp_acked), when one was created */
  private analysisRecord(w: Work): TcpAnalysisRecord | null {
    if (!w.hasTa || !this.analyzeSeq) return null;
    const c = w.conv!;
    return {
      flags: w.taFlags,
      acksFrame: w.acksFrame,
      ackRtt: w.acksFrame && (w.ackRttSec || w.ackRttNsec) ? { sec: w.ackRttSec, nsec: w.ackRttNsec } : null,
      irtt: c.rttSec === 0 && c.rttNsec === 0 ? null : { sec: c.rttSec, nsec: c.rttNsec },
      bif: w.bif,
      pushBytes: w.pushBytes,
      dupAckNum: w.dupNum,
      dupAckFrame: w.dupFrame,
      rto: w.rto && (w.rto.sec || w.rto.nsec) ? w.rto : null,
      rtoFrame: w.rtoFrame,
    };
  }

  /** A conversation closed: queue it; the oldest beyond CLOSED_KEPT become tombs. */
  private closed(conv: Conv, key: string): void {
    conv.queued = true;
    this.qConv.push(conv);
    this.qKey.push(key);
    while (this.qConv.length - this.qHead > CLOSED_KEPT) {
      const old = this.qConv[this.qHead]!;
      const k = this.qKey[this.qHead]!;
      // the slot lets go of the conversation at once (the arrays are trimmed now and then)
      this.qConv[this.qHead] = null;
      this.qHead++;
      // only if it is still the conversation of its ports (a reuse may have replaced it)
      if (this.convs.get(k) === old) {
        this.convs.set(k, new Tomb(old));
        this.tombs++;
      }
      if (this.lastConv === old) this.lastConv = null;
    }
    if (this.qHead > 4096 && this.qHead * 2 > this.qConv.length) {
      this.qConv = this.qConv.slice(this.qHead);
      this.qKey = this.qKey.slice(this.qHead);
      this.qHead = 0;
    }
  }

  /** 1: the sender is the client, 2: the server; +2 when guessed (no handshake seen: the lower,
   * well-known port is taken as the server's) */
  private roleOf(conv: Conv, flowNo: 1 | 2, sport: number, dport: number): number {
    if (conv.client) return conv.client === flowNo ? 1 : 2;
    return sport > dport || (sport === dport && flowNo === 1) ? 3 : 4;
  }

  /** The teardown step of this segment's FIN: '1/4' for the first FIN of the conversation, else
   * '3/4' (or '2+3/4' when it also acks the peer's FIN); '' for a FIN sent again */
  private finStep(conv: Conv, fwd: Flow, rev: Flow, flowNo: 1 | 2, finSeq: number, acksFin: boolean, r: TcpResult): string {
    if (fwd.finSent) return '';
    fwd.finSent = true;
    fwd.finSeq = finSeq;
    if (!conv.firstFin) {
      conv.firstFin = flowNo;
      return '1/4';
    }
    if (!rev.finAcked) r.simultaneous = true;
    return acksFin ? '2+3/4' : '3/4';
  }

  /** phase, step, roles and the numbers the explanation needs; updates the per-stream view state */
  private teach(
    conv: Conv,
    fwd: Flow,
    rev: Flow,
    flowNo: 1 | 2,
    seg: TcpInput,
    seq: number,
    ack: number,
    seglen: number,
    taFlags: number,
    prevLastack: number,
    prevAckSeen: boolean,
    r: TcpResult,
  ): void {
    const flags = seg.flags;
    const other: 1 | 2 = flowNo === 1 ? 2 : 1;
    const retrans = (taFlags & (TA.RETRANSMISSION | TA.FAST_RETRANSMISSION | TA.SPURIOUS_RETRANSMISSION)) !== 0;
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN) {
      if (!retrans || !conv.client) conv.client = flowNo;
      if (conv.hs < 1) conv.hs = 1;
      fwd.sawSyn = true;
      if ((seg.mss ?? -1) >= 0) fwd.mss = seg.mss!;
    } else if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK)) {
      if (!conv.client) conv.client = other;
      if (conv.hs < 2) conv.hs = 2;
      fwd.sawSyn = true;
      if ((seg.mss ?? -1) >= 0) fwd.mss = seg.mss!;
    }
    const c = this.roleOf(conv, flowNo, seg.srcPort, seg.dstPort);
    r.role = c & 1 ? 'client' : 'server';
    r.roleGuessed = c > 2;
    r.isnKnown = fwd.sawSyn;
    r.peerMss = rev.mss;
    const hasAck = (flags & TH.ACK) !== 0;
    // what this ACK newly acknowledges
    let acksFin = false;
    if (hasAck) {
      if (rev.finSent && !rev.finAcked && GE(ack, (rev.finSeq + 1) >>> 0)) {
        rev.finAcked = true;
        acksFin = true;
      }
      if (prevAckSeen && GT(ack, prevLastack)) {
        let n = (ack - prevLastack) >>> 0;
        if (acksFin) n = n > 0 ? n - 1 : 0;
        r.ackedBytes = n;
        r.ackedFrom = this.relativeSeq ? (prevLastack - rev.base) >>> 0 : prevLastack;
      }
      fwd.ackSeen = true;
    }
    r.acksFin = acksFin;
    const finStep = flags & TH.FIN ? this.finStep(conv, fwd, rev, flowNo, (seq + seglen) >>> 0, acksFin, r) : '';
    // phase and step
    if (flags & TH.RST) {
      r.phase = 'reset';
      r.refused = conv.hs === 1 && !fwd.sawSyn && r.role === 'server';
    } else if (retrans) {
      r.phase = 'retransmission';
    } else if (taFlags & (TA.KEEP_ALIVE | TA.KEEP_ALIVE_ACK)) {
      r.phase = 'keep-alive';
    } else if ((flags & (TH.SYN | TH.ACK)) === TH.SYN) {
      r.phase = 'handshake';
      r.step = '1/3';
    } else if (flags & TH.SYN) {
      r.phase = 'handshake';
      r.step = '2/3';
    } else if (finStep) {
      r.phase = 'teardown';
      r.step = finStep;
    } else if (acksFin) {
      r.phase = 'teardown';
      r.step = conv.firstFin === other ? '2/4' : '4/4';
    } else if (conv.hs === 2 && hasAck && r.role === 'client' && ack === ((rev.base + 1) >>> 0)) {
      r.phase = 'handshake';
      r.step = '3/3';
      conv.hs = 3;
    }
    if (conv.hs === 2 && hasAck && !(flags & TH.SYN) && r.role === 'client') conv.hs = 3;
    if (r.phase === 'data' && rev.finSent && rev.finAcked && seglen > 0) r.halfClosed = true;
    if (r.phase === 'teardown' && r.step !== '1/4' && conv.firstFin === flowNo && rev.finSent && !rev.finAcked) r.simultaneous = true;
  }
}
