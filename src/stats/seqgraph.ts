import * as fs from 'node:fs';
import { Chalk, type ChalkInstance } from 'chalk';
import { allFields, lookupField, type FieldDef } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { StreamFallback, tcpStreamOf } from './addrtap.js';
import { ANALYSIS_NAMES, analysisFlags } from './flow.js';
import type { Stat, StatOptions } from './types.js';
import { cFixed, keyAddrText, timeSec } from './util.js';

export type MarkKind = 'retransmission' | 'out_of_order';

/** One TCP segment of the stream, raw numbers (made relative when drawing). */
interface Seg {
  t: number;
  frame: number;
  dir: 0 | 1;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  /** receive window in bytes (scaled), or -1 on SYNs / unknown */
  win: number;
  /** SACK blocks, raw edges: [le, re, le, re, ...] */
  sack: number[];
  mark: MarkKind | null;
}

/** Layers of the drawing, lowest priority first (a terminal cell shows the highest one). */
const Ly = { Window: 1, Ack: 2, Sack: 3, Data: 4, Ooo: 5, Retrans: 6 } as const;

/** The series: layer, legend name, glyph without colour, legend symbol and colour with colour. */
const SERIES: ReadonlyArray<{ ly: number; name: string; glyph: string; symbol: string; colour: (c: ChalkInstance) => ChalkInstance }> = [
  { ly: Ly.Data, name: 'data', glyph: '|', symbol: '┃', colour: (c) => c.white },
  { ly: Ly.Retrans, name: 'retransmission', glyph: 'R', symbol: '┃', colour: (c) => c.red.bold },
  { ly: Ly.Ooo, name: 'out-of-order', glyph: 'O', symbol: '┃', colour: (c) => c.yellow.bold },
  { ly: Ly.Ack, name: 'ACK', glyph: '-', symbol: '─', colour: (c) => c.green },
  { ly: Ly.Window, name: 'window edge', glyph: '~', symbol: '─', colour: (c) => c.blue },
  { ly: Ly.Sack, name: 'SACK', glyph: 'S', symbol: '┃', colour: (c) => c.magenta },
];
/** drawn on the top row where the window edge is above the graph */
const ABOVE = '↑';

const BRAILLE = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

/** A braille canvas: each character cell holds 2×4 dots and one colour layer. */
export class BrailleCanvas {
  readonly pw: number;
  readonly ph: number;
  private readonly bits: Uint8Array;
  private readonly layer: Uint8Array;
  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.pw = cols * 2;
    this.ph = rows * 4;
    this.bits = new Uint8Array(cols * rows);
    this.layer = new Uint8Array(cols * rows);
    this.marks = new Map();
  }
  /** cell index → a character drawn instead of the dots (with the layer that paints it) */
  private readonly marks: Map<number, { ch: string; ly: number }>;
  /** put the character `ch` in the cell holding pixel (x, y) */
  mark(x: number, y: number, ch: string, ly: number): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.pw || y >= this.ph) return;
    this.marks.set((this.rows - 1 - Math.floor(y / 4)) * this.cols + Math.floor(x / 2), { ch, ly });
  }
  /** set pixel (x right, y up from the bottom) */
  set(x: number, y: number, ly: number): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.pw || y >= this.ph) return;
    const row = this.rows - 1 - Math.floor(y / 4);
    const sub = 3 - (y % 4);
    const col = Math.floor(x / 2);
    const i = row * this.cols + col;
    this.bits[i]! |= BRAILLE[sub]![x % 2]!;
    if (ly > this.layer[i]!) this.layer[i] = ly;
  }
  line(x0: number, y0: number, x1: number, y1: number, ly: number): void {
    x0 = Math.round(x0);
    y0 = Math.round(y0);
    x1 = Math.round(x1);
    y1 = Math.round(y1);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (let n = 0; n < 100000; n++) {
      this.set(x0, y0, ly);
      if (x0 === x1 && y0 === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }
  /** rows of text, each cell coloured by `paint(layer, char)` */
  lines(paint: (ly: number, ch: string) => string): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.rows; r++) {
      let s = '';
      for (let c = 0; c < this.cols; c++) {
        const i = r * this.cols + c;
        const b = this.bits[i]!;
        const m = this.marks.get(i);
        s += m ? paint(m.ly, m.ch) : b ? paint(this.layer[i]!, String.fromCharCode(0x2800 + b)) : ' ';
      }
      out.push(s);
    }
    return out;
  }
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The y axis: ticks at the multiples of a 1-2-5 step, at least 1 (sequence numbers are whole
 * bytes), from 0 to `top`, the first multiple ≥ max, with at most `n` steps. Each tick is labelled
 * with its exact value.
 */
export function yTicks(max: number, n: number): { top: number; ticks: number[] } {
  for (let p = 1; ; p *= 10) {
    for (const m of [1, 2, 5]) {
      const step = m * p;
      const k = Math.max(1, Math.ceil(max / step));
      if (k <= n) return { top: k * step, ticks: Array.from({ length: k + 1 }, (_, i) => i * step) };
    }
  }
}

/**
 * -z seqgraph,tcp,N[,FILE.svg]: stream N as a Stevens / tcptrace time–sequence graph, for the direction
 * that carries more data: each segment a vertical bar from its (relative) seq to seq+len, the
 * other side's ACK line and the receive-window edge (ACK + window) as steps, retransmissions (red)
 * and out-of-order segments (yellow) marked — the frames the TCP tracker flags with
 * tcp.analysis.retransmission (fast/spurious included) and tcp.analysis.out_of_order, and the
 * other side's SACK blocks. Drawn fitted to width×height, with braille dots coloured per series, or
 * without colour one glyph per series (the legend names them); the y ticks are whole 1-2-5 steps
 * labelled with their values; a window edge above the graph is marked along the top and noted.
 * With FILE.svg the same graph is written as SVG.
 */
export class SeqGraphStat implements Stat {
  readonly needsFull = false;
  readonly fields: FieldDef[];
  private readonly fb = new StreamFallback();
  private readonly segs: Seg[] = [];
  private ends: [string, string] = ['', ''];
  private aKey = '';
  private t0: number | null = null;
  private readonly width: number;
  private readonly height: number;
  private readonly c: ChalkInstance;
  /** window scaling learnt from the SYNs (fallback when tcp.window_size is absent) */
  private readonly wsShift: [number, number] = [-1, -1];
  /** fallback analysis state per direction, used only when the tracker did not run */
  private readonly fwd = [
    { nextseq: -1, nextseqtime: 0, lastack: -1, lastacktime: 0, window: -1, dupacks: 0 },
    { nextseq: -1, nextseqtime: 0, lastack: -1, lastacktime: 0, window: -1, dupacks: 0 },
  ];
  /** fallback: the handshake's initial RTT (SYN to the ACK of the SYN/ACK), the out-of-order threshold */
  private synTime = -1;
  private synAckSeq = -1;
  private irtt = -1;
  /** set when the SVG could not be written */
  error: string | null = null;

  constructor(
    readonly arg: string,
    readonly stream: number,
    readonly svgFile: string | null,
    opts: StatOptions = {},
  ) {
    const f = new Set<FieldDef>();
    for (const n of ['tcp.stream', 'tcp.window_size']) {
      const d = lookupField(n);
      if (d) f.add(d);
    }
    for (const d of allFields()) if (ANALYSIS_NAMES[d.abbrev]) f.add(d);
    this.fields = [...f];
    this.width = Math.max(40, opts.width ?? process.stdout.columns ?? 100);
    this.height = Math.max(10, opts.height ?? Math.max(16, (process.stdout.rows ?? 32) - 8));
    this.c = new Chalk({ level: opts.color ? 1 : 0 });
  }

  packet(pkt: Packet): void {
    const s = pkt.tcp;
    if (!s || s.inError || s.flags < 0) return;
    if (tcpStreamOf(pkt, this.fb) !== this.stream) return;
    const key = `${s.srcKey}|${s.srcPort}`;
    if (!this.aKey) {
      this.aKey = key;
      const name = (k: string, p: number) => (k.length === 16 ? `[${keyAddrText(k)}]:${p}` : `${keyAddrText(k)}:${p}`);
      this.ends = [name(s.srcKey, s.srcPort), name(s.dstKey, s.dstPort)];
    }
    const dir: 0 | 1 = key === this.aKey ? 0 : 1;
    const t = timeSec(pkt.rel);
    if (this.t0 === null) this.t0 = t;
    const len = Math.max(0, s.len);
    if (s.flags & 0x02) this.wsShift[dir] = s.wsShift;
    // the receive window this segment advertises, in bytes
    let win = -1;
    const wv = s.nodes.windowSize?.value;
    if (typeof wv === 'number') win = wv;
    else if (!(s.flags & 0x02)) {
      const both = this.wsShift[0] >= 0 && this.wsShift[1] >= 0;
      win = both ? s.window * 2 ** Math.min(14, this.wsShift[dir]) : s.window;
    }
    // the tracker's verdict when it ran (tcp.stream set), else a small fallback of spec §3.4 step 12
    let mark: MarkKind | null = null;
    const flags = analysisFlags(pkt);
    const trackerRan = typeof s.nodes.stream?.value === 'number';
    if (flags.includes('tcp.analysis.out_of_order')) mark = 'out_of_order';
    else if (flags.some((f) => f.endsWith('retransmission'))) mark = 'retransmission';
    else if (!trackerRan) mark = this.fallbackMark(dir, s.seq, s.ack, len, s.flags, t);
    if (!trackerRan) this.fallbackUpdate(dir, s.seq, s.ack, len, s.flags, t, s.window);
    this.segs.push({ t: t - this.t0, frame: pkt.rec.num, dir, flags: s.flags, seq: s.seq, ack: s.ack, len, win, sack: s.sack, mark });
  }

  private fallbackMark(dir: number, seq: number, _ack: number, len: number, flags: number, t: number): MarkKind | null {
    if (!(len > 0 || flags & 0x03)) return null;
    const F = this.fwd[dir]!;
    const R = this.fwd[1 - dir]!;
    if (F.nextseq < 0) return null;
    const lt = (a: number, b: number) => ((a - b) | 0) < 0;
    if ((len === 0 || len === 1) && seq === ((F.nextseq - 1) >>> 0) && !(flags & 0x07)) return null; // keep-alive
    let notAdvanced = lt(seq, F.nextseq);
    if (len > 1 && seq === ((F.nextseq - 1) >>> 0)) notAdvanced = false;
    if (len > 0 && R.lastack >= 0 && !lt(R.lastack, (seq + len) >>> 0)) return 'retransmission'; // spurious
    if (!notAdvanced) return null;
    // fast retransmission (supersedes out-of-order): the peer's third ACK asked for exactly this
    if (R.dupacks >= 2 && R.lastack === seq && t - R.lastacktime < 0.02) return 'retransmission';
    const extra = flags & 0x03 ? 1 : 0;
    const T = this.irtt >= 0 ? this.irtt : 0.003;
    if (t - F.nextseqtime < T && F.nextseq !== ((seq + len + extra) >>> 0)) return 'out_of_order';
    return 'retransmission';
  }

  private fallbackUpdate(dir: number, seq: number, ack: number, len: number, flags: number, t: number, window: number): void {
    const F = this.fwd[dir]!;
    if (len === 0 && window !== 0 && window === F.window && seq === F.nextseq && ack === F.lastack && !(flags & 0x07)) F.dupacks++;
    else if (ack !== F.lastack) F.dupacks = 0;
    F.window = window;
    const next = (seq + len + (flags & 0x03 ? 1 : 0)) >>> 0;
    if (F.nextseq < 0 || ((next - F.nextseq) | 0) > 0) {
      F.nextseq = next;
      F.nextseqtime = t;
    }
    if (flags & 0x10) {
      F.lastack = ack;
      F.lastacktime = t;
    }
    if ((flags & 0x12) === 0x02 && this.synTime < 0) this.synTime = t;
    else if ((flags & 0x12) === 0x12) this.synAckSeq = seq;
    else if (flags & 0x10 && this.irtt < 0 && this.synTime >= 0 && this.synAckSeq >= 0 && ack === ((this.synAckSeq + 1) >>> 0)) this.irtt = t - this.synTime;
  }

  /** The frames drawn as retransmissions / out-of-order segments. */
  marks(): Array<{ frame: number; kind: MarkKind }> {
    return this.segs.filter((s) => s.mark).map((s) => ({ frame: s.frame, kind: s.mark! }));
  }

  /** The plotted direction (0: from the stream's first sender) and the geometry in relative numbers. */
  private model() {
    const segs = this.segs;
    const bytes = [0, 0];
    for (const s of segs) bytes[s.dir] += s.len;
    const d: 0 | 1 = bytes[1]! > bytes[0]! ? 1 : 0;
    // the data direction's base: its SYN's seq, else its first seq − 1, else the other side's first ack − 1
    let base: number | null = null;
    for (const s of segs) {
      if (s.dir === d) {
        base = s.flags & 0x02 ? s.seq : (s.seq - 1) >>> 0;
        break;
      }
      if (base === null && s.flags & 0x10) {
        base = (s.ack - 1) >>> 0;
        break;
      }
    }
    const b = base ?? 0;
    const rel = (v: number) => (v - b) >>> 0;
    const data: Array<{ t: number; lo: number; hi: number; mark: MarkKind | null; frame: number }> = [];
    const acks: Array<{ t: number; ack: number; edge: number }> = [];
    const sacks: Array<{ t: number; lo: number; hi: number }> = [];
    let tMax = 0;
    let yMax = 1;
    let winMax = 0;
    for (const s of segs) {
      tMax = Math.max(tMax, s.t);
      if (s.dir === d) {
        if (s.len > 0 || s.flags & 0x03) {
          const lo = rel(s.seq);
          const hi = lo + Math.max(s.len, 1);
          data.push({ t: s.t, lo, hi, mark: s.mark, frame: s.frame });
          yMax = Math.max(yMax, hi);
        }
      } else if (s.flags & 0x10) {
        const a = rel(s.ack);
        if (a > 0x7fffffff) continue;
        const edge = s.win >= 0 ? a + s.win : -1;
        acks.push({ t: s.t, ack: a, edge });
        yMax = Math.max(yMax, a);
        winMax = Math.max(winMax, edge);
        for (let i = 0; i + 1 < s.sack.length; i += 2) {
          const lo = rel(s.sack[i]!);
          const hi = rel(s.sack[i + 1]!);
          if (lo > 0x7fffffff || hi > 0x7fffffff || hi < lo) continue;
          sacks.push({ t: s.t, lo, hi });
          yMax = Math.max(yMax, hi);
        }
      }
    }
    // a window edge far above the data would squash the data into the bottom rows: it is then left
    // above the graph, and the drawings say so (↑ on the top row, a note)
    if (winMax <= 2 * yMax) yMax = Math.max(yMax, winMax);
    yMax += Math.max(1, Math.ceil(yMax * 0.05));
    if (tMax <= 0) tMax = 1e-6;
    return { d, data, acks, sacks, tMax, yMax, bytes: bytes[d]! };
  }

  /** The note when the window edge goes above `top`, the graph's top value ('' when it does not). */
  private static aboveNote(acks: ReadonlyArray<{ edge: number }>, top: number, mark: string): string {
    const max = acks.reduce((m, a) => Math.max(m, a.edge), -1);
    return max > top ? `${mark} window edge above the graph, up to ${max}: clipped` : '';
  }

  /** The terminal drawing: braille dots coloured per series, or one glyph per series without colour. */
  render(): string {
    const c = this.c;
    if (!this.segs.length) return `TCP stream ${this.stream}: no packets\n`;
    const m = this.model();
    const colour = c.level > 0;
    const W = this.width;
    const fit = (t: string) => (t.length <= W ? t : t.slice(0, W - 1) + '…');
    const nRet = m.data.filter((s) => s.mark === 'retransmission').length;
    const nOoo = m.data.filter((s) => s.mark === 'out_of_order').length;
    const counts: Record<string, string> = { retransmission: ` (${nRet})`, 'out-of-order': ` (${nOoo})`, SACK: ` (${m.sacks.length} block${m.sacks.length === 1 ? '' : 's'})` };
    const items = SERIES.map((s) => ({ plain: `${colour ? s.symbol : s.glyph} ${s.name}${counts[s.name] ?? ''}`, paint: s.colour(c) }));
    const withNote = (note: string) => (note ? [...items, { plain: note, paint: c.blue }] : items);
    // the rows left for the plot once the title, legend (with the note when the window edge may be
    // above the top: the top is at least m.yMax) and the time axis are placed; with one step the
    // top is the highest it can be: the widest label
    const labelW = Math.max(String(yTicks(m.yMax, 1).top).length, 5) + 1;
    const reserved = this.legendLines(withNote(SeqGraphStat.aboveNote(m.acks, m.yMax, ABOVE)), labelW + 1).length;
    const rows = Math.max(4, this.height - 4 - reserved);
    const { top, ticks } = yTicks(m.yMax, Math.max(1, Math.min(8, Math.floor((rows - 1) / 2))));
    const legend = this.legendLines(withNote(SeqGraphStat.aboveNote(m.acks, top, ABOVE)), labelW + 1);
    const cols = Math.max(20, W - labelW - 2);
    const cv = new BrailleCanvas(cols, rows);
    const X = (t: number) => (t / m.tMax) * (cv.pw - 1);
    const Y = (v: number) => (v / top) * (cv.ph - 1);
    this.drawSteps(cv, m.acks.map((a) => ({ t: a.t, v: a.edge })), m.tMax, top, X, Y, Ly.Window);
    this.drawSteps(cv, m.acks.map((a) => ({ t: a.t, v: a.ack })), m.tMax, top, X, Y, Ly.Ack);
    for (const s of m.sacks) cv.line(X(s.t), Y(s.lo), X(s.t), Y(s.hi), Ly.Sack);
    for (const s of m.data) {
      const ly = s.mark === 'retransmission' ? Ly.Retrans : s.mark === 'out_of_order' ? Ly.Ooo : Ly.Data;
      cv.line(X(s.t), Y(s.lo), X(s.t), Y(s.hi), ly);
    }
    const series = (ly: number) => SERIES.find((s) => s.ly === ly)!;
    const paint = (ly: number, ch: string) => {
      const glyph = colour || ch === ABOVE ? ch : series(ly).glyph;
      return series(ly).colour(c)(glyph);
    };
    const body = cv.lines(paint);
    const out: string[] = [];
    const title = `TCP stream ${this.stream}: ${this.ends[m.d]} → ${this.ends[1 - m.d]}`;
    const info = `  time/sequence graph, ${m.data.length} segments, ${m.bytes} bytes`;
    out.push(title.length + info.length <= W ? c.bold(title) + c.dim(info) : c.bold(fit(title)));
    out.push(...legend);
    // each tick's label on the row where its value is drawn
    const labels = new Map<number, string>();
    for (const v of ticks) labels.set(rows - 1 - Math.floor(Math.round(Y(v)) / 4), String(v));
    body.forEach((line, i) => out.push(`${(labels.get(i) ?? '').padStart(labelW)} ┤${line}`));
    out.push(`${' '.repeat(labelW)} └${'─'.repeat(cols)}`);
    out.push(`${' '.repeat(labelW + 2)}${this.timeAxis(cols, m.tMax)}`);
    out.push(c.dim(fit(`${' '.repeat(labelW + 2)}relative sequence number (bytes) against time since the stream's first packet`)));
    return out.join('\n') + '\n';
  }

  /** The legend, every entry, wrapped to the width; the first character of each is painted. */
  private legendLines(items: ReadonlyArray<{ plain: string; paint: (s: string) => string }>, indent: number): string[] {
    const lines: string[] = [];
    let text = ' '.repeat(indent);
    let len = indent;
    for (const it of items) {
      if (len > indent && len + 2 + it.plain.length > this.width) {
        lines.push(text);
        text = ' '.repeat(indent);
        len = indent;
      }
      text += '  ' + it.paint(it.plain.slice(0, 1)) + it.plain.slice(1);
      len += 2 + it.plain.length;
    }
    lines.push(text);
    return lines;
  }

  /** A step line (the ACK line, the window edge); values above `top` are marked ↑ on the top row. */
  private drawSteps(cv: BrailleCanvas, pts: Array<{ t: number; v: number }>, tMax: number, top: number, X: (t: number) => number, Y: (v: number) => number, ly: number): void {
    const inRange = (v: number) => v >= 0 && v <= top;
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i]!;
      const nx = i + 1 < pts.length ? pts[i + 1]!.t : tMax;
      if (p.v > top) {
        for (let x = Math.round(X(p.t)); x <= Math.round(X(nx)); x += 2) cv.mark(x, cv.ph - 1, ABOVE, ly);
        continue;
      }
      if (!inRange(p.v)) continue;
      cv.line(X(p.t), Y(p.v), X(nx), Y(p.v), ly);
      const q = pts[i + 1];
      if (q && inRange(q.v)) cv.line(X(nx), Y(p.v), X(nx), Y(q.v), ly);
    }
  }

  /** The time axis: 0 s, the middle and the end. */
  private timeAxis(cols: number, tMax: number): string {
    const mid = `${cFixed(tMax / 2, 3)} s`;
    const r = `${cFixed(tMax, 3)} s`;
    const axis = Array<string>(cols).fill(' ');
    const put = (pos: number, s: string) => {
      for (let i = 0; i < s.length && pos + i < cols; i++) if (pos + i >= 0) axis[pos + i] = s[i]!;
    };
    put(0, '0 s');
    put(Math.floor(cols / 2 - mid.length / 2), mid);
    put(cols - r.length, r);
    return axis.join('');
  }

  /** The same graph as an SVG document. */
  svg(): string {
    const W = 960;
    const H = 540;
    const L = 80;
    const R = 20;
    const T = 50;
    const B = 50;
    const pw = W - L - R;
    const ph = H - T - B;
    const parts: string[] = [];
    parts.push(`<?xml version="1.0" encoding="UTF-8"?>`);
    parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="monospace" font-size="12">`);
    parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`);
    if (!this.segs.length) {
      parts.push(`<text x="${L}" y="${T}">${esc(`TCP stream ${this.stream}: no packets`)}</text>`, '</svg>');
      return parts.join('\n') + '\n';
    }
    const m = this.model();
    const { top, ticks: yt } = yTicks(m.yMax, 10);
    const X = (t: number) => +(L + (t / m.tMax) * pw).toFixed(2);
    const Y = (v: number) => +(T + ph - (Math.min(v, top) / top) * ph).toFixed(2);
    parts.push(`<title>${esc(`TCP stream ${this.stream}: ${this.ends[m.d]} → ${this.ends[1 - m.d]}`)}</title>`);
    parts.push(`<text x="${L}" y="20" font-size="14">${esc(`TCP stream ${this.stream}: ${this.ends[m.d]} → ${this.ends[1 - m.d]} — time/sequence graph`)}</text>`);
    // axes and ticks
    parts.push(`<g stroke="black" fill="none"><line x1="${L}" y1="${T + ph}" x2="${L + pw}" y2="${T + ph}"/><line x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}"/></g>`);
    const ticks: string[] = [];
    for (const v of yt) ticks.push(`<text class="ytick" x="${L - 6}" y="${Y(v) + 4}" text-anchor="end">${v}</text><line x1="${L - 4}" y1="${Y(v)}" x2="${L}" y2="${Y(v)}" stroke="black"/>`);
    for (let i = 0; i <= 4; i++) ticks.push(`<text x="${X((m.tMax * i) / 4)}" y="${T + ph + 18}" text-anchor="middle">${cFixed((m.tMax * i) / 4, 3)}</text>`);
    parts.push(`<g fill="black">${ticks.join('')}</g>`);
    parts.push(`<text x="${L + pw / 2}" y="${H - 8}" text-anchor="middle">time (s)</text>`);
    parts.push(`<text x="14" y="${T + ph / 2}" transform="rotate(-90 14 ${T + ph / 2})" text-anchor="middle">relative sequence number</text>`);
    // the steps of a line within the graph; the parts above its top are dashed along the top edge
    const steps = (pts: Array<{ t: number; v: number }>, over: boolean) => {
      const p: string[] = [];
      for (let i = 0; i < pts.length; i++) {
        const a = pts[i]!;
        if (a.v < 0 || a.v > top !== over) continue;
        const nx = i + 1 < pts.length ? pts[i + 1]!.t : m.tMax;
        p.push(over ? `M${X(a.t)},${T}H${X(nx)}` : `${X(a.t)},${Y(a.v)} ${X(nx)},${Y(a.v)}`);
      }
      return p.join(' ');
    };
    const win = steps(m.acks.map((a) => ({ t: a.t, v: a.edge })), false);
    const winOver = steps(m.acks.map((a) => ({ t: a.t, v: a.edge })), true);
    const ack = steps(m.acks.map((a) => ({ t: a.t, v: a.ack })), false);
    if (win) parts.push(`<polyline class="window" points="${win}" fill="none" stroke="#1f5fd6" stroke-width="1"/>`);
    if (winOver) parts.push(`<path class="window-clipped" d="${winOver}" fill="none" stroke="#1f5fd6" stroke-width="2" stroke-dasharray="4 3"/>`);
    const note = SeqGraphStat.aboveNote(m.acks, top, '- - -');
    if (note) parts.push(`<text class="note" x="${L + 6}" y="${T + 14}" font-size="11" fill="#1f5fd6">${esc(note)}</text>`);
    if (ack) parts.push(`<polyline class="ack" points="${ack}" fill="none" stroke="#1a9a2a" stroke-width="1.2"/>`);
    const sack = m.sacks.map((s) => `M${X(s.t)},${Y(s.lo)}V${Y(s.hi)}`).join('');
    if (sack) parts.push(`<path class="sack" d="${sack}" fill="none" stroke="#b03ab0" stroke-width="1.5"/>`);
    const segs: string[] = [];
    for (const s of m.data) {
      const color = s.mark === 'retransmission' ? '#d01c1c' : s.mark === 'out_of_order' ? '#d89a00' : '#222222';
      const cls = s.mark ?? 'data';
      const x = X(s.t);
      let g = `<g class="${cls}"><title>frame ${s.frame}: ${s.lo}–${s.hi}${s.mark ? ` (${s.mark.replace('_', '-')})` : ''}</title>`;
      g += `<line x1="${x}" y1="${Y(s.lo)}" x2="${x}" y2="${Y(s.hi)}" stroke="${color}" stroke-width="${s.mark ? 2.5 : 1.5}"/>`;
      if (s.mark) g += `<circle cx="${x}" cy="${Y(s.hi)}" r="3" fill="${color}"/>`;
      g += '</g>';
      segs.push(g);
    }
    parts.push(`<g id="segments">${segs.join('')}</g>`);
    const lx = L + pw - 380;
    parts.push(
      `<g font-size="11"><text x="${lx}" y="${T - 12}" fill="#222222">■ data</text><text x="${lx + 60}" y="${T - 12}" fill="#d01c1c">■ retrans.</text>` +
        `<text x="${lx + 140}" y="${T - 12}" fill="#d89a00">■ out-of-order</text><text x="${lx + 245}" y="${T - 12}" fill="#1a9a2a">— ACK</text>` +
        `<text x="${lx + 290}" y="${T - 12}" fill="#1f5fd6">— win</text><text x="${lx + 335}" y="${T - 12}" fill="#b03ab0">┃ SACK</text></g>`,
    );
    parts.push('</svg>');
    return parts.join('\n') + '\n';
  }

  finish(out: (s: string) => void): void {
    if (this.svgFile) {
      try {
        fs.writeFileSync(this.svgFile, this.svg());
        out(`seqgraph: wrote ${this.svgFile} (TCP stream ${this.stream}, ${this.segs.length} packets)\n`);
      } catch (e) {
        // the caller reports it (one line on stderr, exit 2: see src/cli/main.ts)
        this.error = `can't write ${this.svgFile}: ${(e as Error).message}`;
      }
      return;
    }
    out(this.render());
  }
}
