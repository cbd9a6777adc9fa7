import { Chalk, type ChalkInstance } from 'chalk';
import { allFields, lookupField, type FieldDef, type FieldNode, type Time } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import type { Lang } from '../analysis/lang.js';
import { phaseStepText } from '../analysis/tcp-explain.js';
import { flagList } from '../dissectors/tcp.js';
import { StreamFallback, tcpStreamOf } from './addrtap.js';
import type { Stat, StatOptions } from './types.js';
import { cFixed, findByAbbrev, keyAddrText, timeSec } from './util.js';

/** Short names for the tcp.analysis flags, as Wireshark's Info column calls them. */
export const ANALYSIS_NAMES: Record<string, string> = {
  'tcp.analysis.retransmission': 'Retransmission',
  'tcp.analysis.fast_retransmission': 'Fast Retransmission',
  'tcp.analysis.spurious_retransmission': 'Spurious Retransmission',
  'tcp.analysis.out_of_order': 'Out-Of-Order',
  'tcp.analysis.lost_segment': 'Previous segment not captured',
  'tcp.analysis.ack_lost_segment': 'ACKed unseen segment',
  'tcp.analysis.duplicate_ack': 'Dup ACK',
  'tcp.analysis.zero_window': 'ZeroWindow',
  'tcp.analysis.zero_window_probe': 'ZeroWindowProbe',
  'tcp.analysis.zero_window_probe_ack': 'ZeroWindowProbeAck',
  'tcp.analysis.window_full': 'Window Full',
  'tcp.analysis.window_update': 'Window Update',
  'tcp.analysis.keep_alive': 'Keep-Alive',
  'tcp.analysis.keep_alive_ack': 'Keep-Alive ACK',
  'tcp.analysis.reused_ports': 'Port numbers reused',
};

/** Flags that are warnings (drawn in red); the rest (window update, keep-alive) are notes. */
const WARNING = new Set([
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.zero_window',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.window_full',
  'tcp.analysis.reused_ports',
]);

/** The tcp.analysis.* flags a packet carries (expert items and flag fields), in a stable order. */
export function analysisFlags(pkt: Packet): string[] {
  const out: string[] = [];
  for (const e of pkt.expert) if (e.abbrev.startsWith('tcp.analysis.') && ANALYSIS_NAMES[e.abbrev] && !out.includes(e.abbrev)) out.push(e.abbrev);
  const L = pkt.tcp?.layer;
  if (L) {
    const visit = (nodes: FieldNode[]) => {
      for (const n of nodes) {
        const a = n.def.abbrev;
        if (ANALYSIS_NAMES[a] && !out.includes(a)) out.push(a);
        if (n.children) visit(n.children);
      }
    };
    visit(L.fields);
  }
  return out;
}

function nodeLabel(n: FieldNode | undefined): string {
  if (!n || n.value === null || n.value === undefined) return '';
  const v = n.value;
  if (typeof v === 'number' && n.def.vals?.has(v)) return n.def.vals.get(v)!;
  if (typeof v === 'boolean') return v ? n.def.name : '';
  return String(v);
}

/** minishark's phase label from minishark.tcp.phase / minishark.tcp.step, when the tracker set them. */
export function phaseLabel(pkt: Packet, lang: Lang = 'en'): string {
  const L = pkt.tcp?.layer;
  if (!L) return '';
  const phase = nodeLabel(findByAbbrev(L, 'minishark.tcp.phase'));
  return phase ? phaseStepText(phase, nodeLabel(findByAbbrev(L, 'minishark.tcp.step')), lang) : '';
}

export interface Row {
  rel: Time;
  frame: number;
  /** 0: from A (the stream's first sender) to B; 1: from B to A */
  dir: 0 | 1;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  win: number;
  phase: string;
  flagsA: string[];
}

interface Flow {
  index: number;
  a: string;
  b: string;
  aKey: string;
  rows: Row[];
  dropped: number;
  /** relative-number bases (spec §3.2), used when the tracker's tcp.seq/tcp.ack are absent */
  base: Map<string, number>;
}

/** rows kept per flow diagram (a drawing of millions of packets is not useful; the rest are counted) */
export const FLOW_ROW_LIMIT = 100_000;

/**
 * -z flow,tcp[,N] (beyond tshark): each TCP stream drawn as a sequence diagram, like the seed article's
 * handshake figure. One lifeline per endpoint (ip:port, so a loopback connection still gets two),
 * time down the left, one arrow per packet labelled with its flags, relative Seq/Ack and Len, and on
 * the right minishark's phase (minishark.tcp.phase/step, when the tracker provides them) and the
 * tcp.analysis flags (⚠ warnings in red). Fits `width` columns; coloured when `color` is set.
 */
export class FlowStat implements Stat {
  readonly needsFull = false;
  readonly fields: FieldDef[];
  private readonly fb = new StreamFallback();
  private readonly flows = new Map<number, Flow>();
  private readonly width: number;
  private readonly c: ChalkInstance;
  private readonly lang: Lang;

  constructor(
    readonly arg: string,
    /** the stream to draw, or -1 for all */
    readonly stream: number,
    opts: StatOptions = {},
  ) {
    const f = new Set<FieldDef>();
    for (const n of ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.window_size', 'minishark.tcp.phase', 'minishark.tcp.step']) {
      const d = lookupField(n);
      if (d) f.add(d);
    }
    for (const d of allFields()) if (ANALYSIS_NAMES[d.abbrev]) f.add(d);
    this.fields = [...f];
    this.width = Math.max(60, opts.width ?? process.stdout.columns ?? 100);
    this.c = new Chalk({ level: opts.color ? 1 : 0 });
    this.lang = opts.lang ?? 'en';
  }

  packet(pkt: Packet): void {
    const s = pkt.tcp;
    if (!s || s.inError || s.flags < 0) return;
    const idx = tcpStreamOf(pkt, this.fb);
    if (this.stream >= 0 && idx !== this.stream) return;
    const src = `${s.srcKey}|${s.srcPort}`;
    let fl = this.flows.get(idx);
    if (!fl) {
      const name = (k: string, p: number) => (k.length === 16 ? `[${keyAddrText(k)}]:${p}` : `${keyAddrText(k)}:${p}`);
      fl = { index: idx, a: name(s.srcKey, s.srcPort), b: name(s.dstKey, s.dstPort), aKey: src, rows: [], dropped: 0, base: new Map() };
      this.flows.set(idx, fl);
    }
    const dst = `${s.dstKey}|${s.dstPort}`;
    // relative numbers: the tracker's when present, else the same rule computed here
    let b = fl.base.get(src);
    if (b === undefined) fl.base.set(src, (b = s.flags & 0x02 ? s.seq : (s.seq - 1) >>> 0));
    if (s.flags & 0x10 && !fl.base.has(dst)) fl.base.set(dst, (s.ack - 1) >>> 0);
    const seqV = s.nodes.seq?.value;
    const ackV = s.nodes.ack?.value;
    const winV = s.nodes.windowSize?.value;
    const seq = typeof seqV === 'number' ? seqV : (s.seq - b) >>> 0;
    const ack = typeof ackV === 'number' ? ackV : (s.ack - (fl.base.get(dst) ?? 0)) >>> 0;
    if (fl.rows.length >= FLOW_ROW_LIMIT) {
      fl.dropped++;
      return;
    }
    fl.rows.push({
      rel: pkt.rel,
      frame: pkt.rec.num,
      dir: src === fl.aKey ? 0 : 1,
      flags: s.flags,
      seq,
      ack,
      len: Math.max(0, s.len),
      win: typeof winV === 'number' ? winV : s.window,
      phase: phaseLabel(pkt, this.lang),
      flagsA: analysisFlags(pkt),
    });
  }

  /** What is drawn, per stream (for tests and other front ends). */
  streams(): Array<{ index: number; a: string; b: string; dropped: number; rows: Array<Readonly<Row>> }> {
    return [...this.flows.values()].sort((x, y) => x.index - y.index).map((f) => ({ index: f.index, a: f.a, b: f.b, dropped: f.dropped, rows: f.rows }));
  }

  finish(out: (s: string) => void): void {
    const parts: string[] = [];
    const flows = [...this.flows.values()].sort((x, y) => x.index - y.index);
    if (!flows.length) {
      parts.push(this.stream >= 0 ? `TCP stream ${this.stream}: no packets\n` : 'No TCP streams\n');
    }
    for (const fl of flows) parts.push(this.draw(fl));
    out(parts.join('\n'));
  }

  private draw(fl: Flow): string {
    const c = this.c;
    const W = this.width;
    const timeW = 11;
    // the arrows get at most 72 columns; the notes get the rest (at least 14)
    const lane = Math.max(24, Math.min(72, W - timeW - 1 - Math.max(14, Math.floor(W * 0.3))));
    const notesW = Math.max(1, W - timeW - lane - 1);
    const inner = lane - 2;
    const rows = fl.rows;
    const first = rows[0];
    const lastR = rows[rows.length - 1];
    const dur = first && lastR ? timeSec(lastR.rel) - timeSec(first.rel) : 0;
    const lines: string[] = [];
    const title = `TCP stream ${fl.index}: ${fl.a} ⇄ ${fl.b}`;
    const info = `  (${rows.length + fl.dropped} packets, ${cFixed(dur, 6)} s)`;
    lines.push(title.length + info.length <= W ? c.bold(title) + c.dim(info) : c.bold(title.length <= W ? title : title.slice(0, W - 1) + '…'));
    // endpoint names over their lifelines
    const pad = ' '.repeat(timeW);
    if (fl.a.length + fl.b.length + 1 <= lane) lines.push(pad + c.cyan(fl.a) + ' '.repeat(lane - fl.a.length - fl.b.length) + c.magenta(fl.b));
    else {
      lines.push(pad + c.cyan(fl.a));
      lines.push(pad + ' '.repeat(Math.max(0, lane - fl.b.length)) + c.magenta(fl.b));
    }
    lines.push(pad + '│' + ' '.repeat(inner) + '│');
    for (const r of rows) {
      let warn = r.flagsA.filter((a) => WARNING.has(a));
      // "fast" / "spurious" retransmissions also carry the plain flag: name them once
      if (warn.some((a) => a !== 'tcp.analysis.retransmission' && a.endsWith('retransmission'))) warn = warn.filter((a) => a !== 'tcp.analysis.retransmission');
      const note = r.flagsA.filter((a) => !WARNING.has(a));
      let label = flagList(r.flags);
      label += ` Seq=${r.seq}`;
      if (r.flags & 0x10) label += ` Ack=${r.ack}`;
      label += ` Len=${r.len}`;
      if (r.flagsA.includes('tcp.analysis.zero_window') || r.win === 0) label += ` Win=${r.win}`;
      const body = arrowBody(inner, label, r.dir === 0);
      const color = warn.length ? c.red.bold : r.flags & 0x04 ? c.red : r.flags & 0x02 ? c.green : r.flags & 0x01 ? c.yellow : r.len > 0 ? c.white : c.gray;
      const time = cFixed(timeSec(r.rel), 6).padStart(timeW - 1) + ' ';
      const notesList = [...warn.map((a) => `⚠ ${ANALYSIS_NAMES[a]}`), ...note.map((a) => ANALYSIS_NAMES[a]!), r.phase].filter(Boolean);
      let notes = notesList.join(', ');
      if (notes.length > notesW) notes = notes.slice(0, notesW - 1) + '…';
      const notesC = warn.length ? c.red(notes) : c.dim(notes);
      lines.push(c.dim(time) + '│' + color(body) + '│' + (notes ? ' ' + notesC : ''));
    }
    if (fl.dropped) lines.push(pad + c.dim(`… ${fl.dropped} more packets not drawn (limit ${FLOW_ROW_LIMIT})`));
    return lines.join('\n') + '\n';
  }
}

/** The arrow between two lifelines: "── label ─────▶" or "◀───── label ──" in `inner` columns. */
export function arrowBody(inner: number, label: string, toRight: boolean): string {
  const maxLabel = Math.max(1, inner - 6);
  if (label.length > maxLabel) label = label.slice(0, maxLabel - 1) + '…';
  const text = ` ${label} `;
  const dashes = Math.max(0, inner - 1 - text.length);
  const near = Math.min(2, dashes);
  if (toRight) return '─'.repeat(near) + text + '─'.repeat(dashes - near) + '▶';
  return '◀' + '─'.repeat(dashes - near) + text + '─'.repeat(near);
}
