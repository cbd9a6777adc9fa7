/**
 * -V: the Wireshark details pane as text. One block per layer: the layer's summary line, then a
 * table of its fields (the details-pane text indented by depth, the filter name, the bytes). Reads
 * only the field tree (FieldNode.text / def / value / offset / length); never the packet bytes.
 */
import { createRequire } from 'node:module';
import type TableCtor from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { FieldNode, Layer, Severity } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { defaultText } from '../core/render.js';
import { layerStyles } from './color.js';
import { hexBlock } from './hexdump.js';

export const SEVERITY_NAME: Record<Severity, string> = { comment: 'Comment', chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };

/** The details-pane line of a field: its own text when the dissector wrote one, else "Name: value"
 * (with the bit picture for a bitmasked field); generated fields in [brackets]; expert items as
 * "[Expert Info (Chat/Sequence): message]". */
export function nodeText(n: FieldNode): string {
  if (n.expert) return `[Expert Info (${SEVERITY_NAME[n.expert.severity]}/${n.expert.group}): ${n.expert.message}]`;
  let s = n.text;
  if (s === undefined || s === '') s = defaultText(n.def, n.value);
  if (n.generated && !s.startsWith('[')) s = `[${s}]`;
  return s;
}

/** Whether a node is shown: hidden fields are not, nor empty slots (a generated field that a later
 * stage was meant to fill but did not: no value and no text). */
export function shown(n: FieldNode): boolean {
  if (n.hidden) return false;
  if (n.value === null && n.text === undefined && !n.expert && n.def.type !== 'none' && n.def.type !== 'protocol') return false;
  return true;
}

/** "34+20" (offset+length) for a field with bytes; "" for generated/zero-length ones. A field in a
 * reassembled buffer is prefixed with the buffer: "R1:0+8" (see -x "Reassembled ..." blocks). */
export function bytesText(n: FieldNode): string {
  if (n.generated || n.length <= 0) return '';
  return (n.src ? `R${n.src}:` : '') + `${n.offset}+${n.length}`;
}

/** Terminal cell width of a string: East Asian wide characters count 2 (for translated labels). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd) ? 2 : 1;
  }
  return w;
}

/** Wrap `s` to `width` cells, breaking at spaces when possible (else anywhere); continuation lines
 * start with `indent` spaces. */
export function wrap(s: string, width: number, indent: number, breakAt = ' '): string[] {
  if (displayWidth(s) <= width) return [s];
  const out: string[] = [];
  let rest = s;
  let first = true;
  width = Math.max(width, indent + 8);
  while (true) {
    const lead = first ? '' : ' '.repeat(indent);
    const room = width - lead.length;
    if (displayWidth(rest) <= room) {
      out.push(lead + rest);
      break;
    }
    // the longest prefix that fits
    let cut = 0;
    let w = 0;
    const chars = [...rest];
    while (cut < chars.length && w + displayWidth(chars[cut]!) <= room) w += displayWidth(chars[cut++]!);
    const prefix = chars.slice(0, cut).join('');
    let at = breakAt === '.' ? prefix.lastIndexOf('.') + 1 : prefix.lastIndexOf(' ');
    if (at < room / 3) at = prefix.length;
    out.push(lead + prefix.slice(0, at).trimEnd());
    rest = rest.slice(at);
    if (breakAt === ' ') rest = rest.trimStart();
    first = false;
    if (!rest) break;
  }
  return out;
}

export interface DetailsOptions {
  /** terminal width the tables must fit (null: each table at its natural width, no cell wrapped) */
  width: number | null;
  /** colours (null: none) */
  chalk: ChalkInstance | null;
  /** -O: only these protocols in detail, the others as their summary line */
  only?: ReadonlySet<string> | null;
}

export interface Row {
  depth: number;
  text: string;
  abbrev: string;
  bytes: string;
  severity?: Severity;
  generated: boolean;
}

export function collectRows(nodes: FieldNode[], depth: number, out: Row[]): void {
  for (const n of nodes) {
    if (!shown(n)) continue;
    out.push({ depth, text: nodeText(n), abbrev: n.def.abbrev === 'text' ? '' : n.def.abbrev, bytes: bytesText(n), severity: n.expert?.severity, generated: !!n.generated });
    if (n.children) collectRows(n.children, depth + 1, out);
  }
}

const SEVERITY_STYLE: Record<Severity, 'greenBright' | 'blueBright' | 'cyanBright' | 'yellowBright' | 'redBright'> = {
  comment: 'greenBright',
  chat: 'blueBright',
  note: 'cyanBright',
  warn: 'yellowBright',
  error: 'redBright',
};

const TABLE_STYLE = { head: [] as string[], border: [] as string[], compact: true, 'padding-left': 1, 'padding-right': 1 };

/** -V output for one packet (ends with the blank line tshark prints after each packet's details). */
export class DetailsPrinter {
  constructor(private readonly o: DetailsOptions) {}

  /** Text of one packet's details; `styles` (per layer) come from layerStyles() so -x can share them. */
  render(pkt: Packet, styles?: Array<((s: string) => string) | null>): string {
    const c = this.o.chalk;
    const st = styles ?? (c ? layerStyles(c, pkt.layers) : null);
    let s = '';
    pkt.layers.forEach((L, i) => {
      const paint = st?.[i] ?? null;
      s += this.layer(L, paint);
    });
    return s + '\n';
  }

  private layer(L: Layer, paint: ((s: string) => string) | null): string {
    const c = this.o.chalk;
    const indent = L.inner ? '    ' : '';
    let title = indent + L.summary;
    if (c) title = paint ? c.bold(paint(title)) : c.bold(title);
    const only = this.o.only;
    if (only && !only.has(L.proto)) return title + '\n';
    const rows: Row[] = [];
    collectRows(L.fields, 0, rows);
    if (!rows.length) return title + '\n';
    return title + '\n' + this.table(rows, indent) + '\n';
  }

  private table(rows: Row[], indent: string): string {
    const c = this.o.chalk;
    const w = this.o.width;
    const t = w === null ? naturalLayout(rows) : layoutTable(rows, Math.max(40, w) - indent.length);
    const [tw, aw, bw] = t.widths;
    const f = frame(t.widths);
    let out = indent + f.top + '\n';
    t.cells.forEach((cell, k) => {
      const r = rows[k]!;
      let ts: ((s: string) => string) | null = null;
      let gray: ((s: string) => string) | null = null;
      if (c) {
        ts = r.severity ? c[SEVERITY_STYLE[r.severity]] : r.generated ? c.dim : null;
        gray = c.gray;
      }
      const n = Math.max(cell.text.length, cell.abbrev.length);
      for (let i = 0; i < n; i++) {
        out += `${indent}\u2502${pad(cell.text[i] ?? '', tw, ts)}\u2502${pad(cell.abbrev[i] ?? '', aw, gray)}\u2502${pad(i ? '' : cell.bytes, bw, gray)}\u2502\n`;
      }
    });
    return out + indent + f.bottom;
  }
}

/** A laid-out table: column widths (content, without padding) and each row's wrapped lines. */
export interface TableLayout {
  widths: [number, number, number];
  cells: Array<{ text: string[]; abbrev: string[]; bytes: string }>;
}

/** Fit the rows into `width` cells: 4 border characters, one space of padding each side of 3 columns. */
export function layoutTable(rows: Row[], width: number): TableLayout {
  const inner = width - 10;
  let bytesW = 1;
  let abbrevW = 1;
  for (const r of rows) {
    bytesW = Math.max(bytesW, r.bytes.length);
    abbrevW = Math.max(abbrevW, r.abbrev.length);
  }
  // the text column keeps at least ~38 cells (more on wide terminals); the filter names get the rest
  const minText = Math.max(38, Math.floor(inner * 0.55));
  abbrevW = Math.min(abbrevW, Math.max(12, inner - bytesW - minText));
  abbrevW = Math.max(1, Math.min(abbrevW, Math.max(6, inner - bytesW - 16))); // text never below 16
  const textW = Math.max(8, inner - bytesW - abbrevW);
  const cells = rows.map((r) => {
    const lead = '  '.repeat(r.depth);
    return { text: wrap(lead + r.text, textW, lead.length + 4), abbrev: r.abbrev ? wrap(r.abbrev, abbrevW, 2, '.') : [''], bytes: r.bytes };
  });
  return { widths: [textW, abbrevW, bytesW], cells };
}

/** The rows at their natural width: every cell on one line, each column as wide as its widest cell. */
export function naturalLayout(rows: Row[]): TableLayout {
  const cells = rows.map((r) => ({ text: ['  '.repeat(r.depth) + r.text], abbrev: [r.abbrev], bytes: r.bytes }));
  const widest = (f: (c: (typeof cells)[number]) => string) => cells.reduce((m, c) => Math.max(m, displayWidth(f(c))), 1);
  return { widths: [widest((c) => c.text[0]!), widest((c) => c.abbrev[0]!), widest((c) => c.bytes)], cells };
}

/** One cell line: a space, the content (truncated with "…" if it still does not fit), padding, a space. */
function pad(s: string, w: number, style: ((s: string) => string) | null): string {
  let dw = displayWidth(s);
  if (dw > w) {
    let cut = '';
    let cw = 0;
    for (const ch of s) {
      const x = displayWidth(ch);
      if (cw + x > w - 1) break;
      cut += ch;
      cw += x;
    }
    s = cut + '\u2026';
    dw = cw + 1;
  }
  return ' ' + (style && s ? style(s) : s) + ' '.repeat(w - dw + 1);
}

/**
 * The table's top and bottom borders, drawn by cli-table3 once per set of column widths and reused.
 * Rows are drawn here with cli-table3's characters and padding: cli-table3 measures every cell with
 * regular expressions built on each call (about 0.7 ms a row), far too slow for -V on a long capture,
 * and the result is the same text (test/output-details.test.ts checks it against cli-table3).
 */
const frames = new Map<string, { top: string; bottom: string }>();

/** cli-table3 (a CommonJS package), loaded when a table is first drawn: a run without -V never
 * loads it and the four packages it brings */
let TableClass: typeof TableCtor | null = null;
function Table(): typeof TableCtor {
  return (TableClass ??= createRequire(import.meta.url)('cli-table3') as typeof TableCtor);
}

function frame(widths: number[]): { top: string; bottom: string } {
  const key = widths.join(',');
  let f = frames.get(key);
  if (!f) {
    const t = new (Table())({ style: TABLE_STYLE, colWidths: widths.map((w) => w + 2) });
    t.push(widths.map(() => ''));
    const lines = t.toString().split('\n');
    f = { top: lines[0]!, bottom: lines[lines.length - 1]! };
    frames.set(key, f);
  }
  return f;
}

/** The same table drawn entirely by cli-table3 (for tests: it must equal DetailsPrinter's). */
export function cliTable3(t: TableLayout): string {
  const tab = new (Table())({ style: TABLE_STYLE, colWidths: t.widths.map((w) => w + 2), wordWrap: false, truncate: '\u2026' });
  for (const c of t.cells) tab.push([c.text.join('\n'), c.abbrev.join('\n'), c.bytes]);
  return tab.toString();
}

/** An expert item as tshark -V shows it: the "[Expert Info (…)]" line, then the message, the
 * severity and the group one level deeper. */
function expertLines(n: FieldNode, lead: string): string {
  const e = n.expert!;
  const sub = lead + '    ';
  return `${lead}${nodeText(n)}\n${sub}[${e.message}]\n${sub}[Severity level: ${SEVERITY_NAME[e.severity]}]\n${sub}[Group: ${e.group}]\n`;
}

/** Wireshark's label buffer (ITEM_LABEL_LENGTH): a label of 240 bytes or more gets " [truncated]"
 * after the field name and is cut before the UTF-8 character that holds byte 238 (label_mark_truncated
 * ends the string at the character before &label[239]). */
const LABEL_MAX = 240;
const TRUNCATED = ' [truncated]';

function truncLabel(text: string, n: FieldNode): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length < LABEL_MAX) return text;
  const name = n.def.name;
  const at = text.startsWith(name + ':') ? Buffer.byteLength(name) : 0;
  const marked = Buffer.concat([bytes.subarray(0, at), Buffer.from(TRUNCATED), bytes.subarray(at)]);
  let end = LABEL_MAX - 2;
  while (end > 0 && (marked[end]! & 0xc0) === 0x80) end--; // cut before a whole UTF-8 character
  return marked.subarray(0, end).toString('utf8');
}

/** A node's line in tshark -V: its label (cut as Wireshark cuts it), in brackets when generated. */
function treeLabel(n: FieldNode): string {
  const text = nodeText(n);
  if (Buffer.byteLength(text) < LABEL_MAX) return text;
  const bracketed = !!n.generated && text.startsWith('[') && !(n.text ?? '').startsWith('[');
  return bracketed ? `[${truncLabel(text.slice(1, -1), n)}]` : truncLabel(text, n);
}

/** A layer whose dissector threw before it added its item (no field, the exception's layer next, a
 * protocol declared `headerFirst`: Ethernet, TCP, ICMP, DNS; seen on the corpus in bigtcp-ipv6,
 * ip_ts_opts_asan, trunc-hdr): tshark lists the protocol in frame.protocols, but its tree has no
 * line for it. */
function noItem(L: Layer, next: Layer | undefined): boolean {
  return !L.fields.length && L.def.headerFirst === true && !!next?.proto.startsWith('_ws.');
}

/** The depth of a layer's title in tshark's tree: an ICMP error's quoted datagram (inner layers)
 * hangs under the ICMP layer, and so does the Data of an ICMP or ICMPv6 message (ICMP hands its
 * payload to the data dissector with its own subtree). */
function treeDepth(L: Layer, prev: Layer | undefined): number {
  if (L.inner) return 1;
  return L.proto === 'data' && (prev?.proto === 'icmp' || prev?.proto === 'icmpv6') && !prev.inner ? 1 : 0;
}

/**
 * --details tree: the details as `tshark -V` prints them. Each layer's title, then its field nodes,
 * each node's text indented 4 spaces per depth (a label of 240 bytes or more cut as Wireshark cuts
 * it); an expert item with its three sub-items; hidden nodes and minishark's own fields left out.
 * Layers nest as in Wireshark's tree (treeDepth). Like tshark, a Data item shows its bytes in hex (a
 * blank line first) unless the whole packet is dumped after the tree (-x). No colour: tshark's text.
 */
export class TreePrinter {
  constructor(private readonly o: { only?: ReadonlySet<string> | null; hex: boolean }) {}

  render(pkt: Packet): string {
    let s = '';
    // -O: a top-level protocol not listed is its title only, with nothing under it; one listed is
    // shown whole, the layers nested under it too
    let open = true;
    pkt.layers.forEach((L, i) => {
      const depth = treeDepth(L, pkt.layers[i - 1]);
      if (depth === 0) open = !this.o.only || this.o.only.has(L.proto);
      else if (!open) return;
      s += this.layer(pkt, L, depth, pkt.layers[i + 1], open);
    });
    return s + '\n';
  }

  private layer(pkt: Packet, L: Layer, depth: number, next: Layer | undefined, open: boolean): string {
    if (noItem(L, next)) return '';
    let s = '    '.repeat(depth) + L.summary + '\n';
    if (!open) return s;
    if (L.proto === 'data') s += this.dataHex(pkt, L.src, L.offset, L.length);
    return s + this.nodes(pkt, L.fields, depth + 1);
  }

  /** tshark prints a Data item's bytes in hex under its line, unless the packet is dumped (-x). */
  private dataHex(pkt: Packet, src: number | undefined, offset: number, length: number): string {
    if (this.o.hex) return '';
    const data = src ? pkt.sources[src - 1] : pkt.rec.data;
    return data ? '\n' + hexBlock(data.subarray(offset, offset + length)) : '';
  }

  private nodes(pkt: Packet, nodes: FieldNode[], depth: number): string {
    let s = '';
    const lead = '    '.repeat(depth);
    for (const n of nodes) {
      // minishark's own fields (the TCP explanations) are not in tshark's tree
      if (!shown(n) || n.def.proto === 'minishark') continue;
      if (n.expert?.ownItem) s += lead + n.expert.message + '\n' + expertLines(n, lead + '    ');
      else if (n.expert) s += expertLines(n, lead);
      else s += lead + treeLabel(n) + '\n';
      if (n.def.abbrev === 'data' && n.def.type === 'protocol') s += this.dataHex(pkt, n.src, n.offset, n.length);
      if (n.children) s += this.nodes(pkt, n.children, depth + 1);
    }
    return s;
  }
}
