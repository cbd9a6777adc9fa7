/**
 * Colour for the terminal: when to use it, Wireshark's default colouring rules for summary lines,
 * and the per-layer palette that -V and -V -x share. Everything reads the dissected packet (its
 * protocols, expert items and a few field values); nothing here looks at raw bytes except the
 * "Broadcast" rule's eth[0] & 1, exactly as Wireshark's rule does.
 */
import { Chalk, supportsColor, type ChalkInstance } from 'chalk';
import type { FieldDef, FieldNode, Layer } from '../core/field.js';
import { lookupField } from '../core/field.js';
import type { Packet } from '../core/packet.js';

export type ColorMode = 'auto' | 'always' | 'never';
export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * The colour level for an output stream:
 * - `never` → 0;
 * - `always` → chalk's detected level for the stream, at least 1 (16 colours) even into a pipe;
 * - `auto` → 0 when NO_COLOR is set to a non-empty value (https://no-color.org), else chalk's
 *   detection (a TTY that supports colour, or FORCE_COLOR); a pipe or file gets no escape codes.
 */
export function colorLevel(mode: ColorMode, stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): ColorLevel {
  if (mode === 'never') return 0;
  let detected: ColorLevel = 0;
  if (stream === process.stdout) detected = supportsColor ? (supportsColor.level as ColorLevel) : 0;
  else if ((stream as { isTTY?: boolean }).isTTY) detected = 1;
  if (mode === 'always') return detected >= 1 ? detected : 1;
  if (env.NO_COLOR) return 0;
  return detected;
}

export function makeChalk(level: ColorLevel): ChalkInstance {
  return new Chalk({ level });
}

/** One of Wireshark's default colouring rules (the `colorfilters` file shipped with 4.0). */
export interface ColorRule {
  name: string;
  /** the Wireshark filter, for reference */
  filter: string;
  /** background and foreground as Wireshark has them (16-bit RGB in the file, here as hex) */
  bg: string;
  fg: string;
  /** 16-colour approximation: chalk style names, background first */
  ansi16: [BgName, FgName];
  match: (p: Packet, c: RuleContext) => boolean;
}

type BgName = 'bgBlack' | 'bgRed' | 'bgGreen' | 'bgYellow' | 'bgBlue' | 'bgMagenta' | 'bgCyan' | 'bgWhite' | 'bgBlueBright' | 'bgCyanBright' | 'bgWhiteBright' | 'bgYellowBright' | 'bgGreenBright' | 'bgMagentaBright';
type FgName = 'black' | 'red' | 'redBright' | 'yellowBright' | 'greenBright' | 'whiteBright' | 'gray';

/** Field definitions the rules read, resolved once (a dissector that is not there yet → undefined). */
export interface RuleContext {
  icmpType?: FieldDef;
  icmpv6Type?: FieldDef;
  ipTtl?: FieldDef;
  ipDst?: FieldDef;
  analysisFlags?: FieldDef;
  /** tcp.analysis.window_update, keep_alive, keep_alive_ack (as fields, besides their expert items) */
  notBad: FieldDef[];
}

const NOT_BAD = new Set(['tcp.analysis.window_update', 'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack']);

function has(p: Packet, proto: string): boolean {
  return p.protocols.includes(proto);
}

/** Values of a field in the packet, in tree order (works for the flat non-full tree too). */
export function fieldValues(p: Packet, def: FieldDef | undefined): unknown[] {
  const out: unknown[] = [];
  if (!def) return out;
  const visit = (ns: FieldNode[]) => {
    for (const n of ns) {
      if (n.def === def) out.push(n.value);
      if (n.children) visit(n.children);
    }
  };
  for (const L of p.layers) if (L.proto === def.proto) visit(L.fields);
  return out;
}

function badTcp(p: Packet, c: RuleContext): boolean {
  let flagged = false;
  for (const e of p.expert) {
    if (NOT_BAD.has(e.abbrev)) return false;
    if (e.abbrev.startsWith('tcp.analysis.')) flagged = true;
  }
  if (!flagged && c.analysisFlags) flagged = fieldValues(p, c.analysisFlags).length > 0;
  if (!flagged) return false;
  for (const d of c.notBad) if (fieldValues(p, d).length) return false;
  return true;
}

function ttlLow(p: Packet, c: RuleContext): boolean {
  const dsts = fieldValues(p, c.ipDst);
  const ttls = fieldValues(p, c.ipTtl);
  if (!dsts.length || !ttls.length) return false;
  const dst = Number(dsts[0]) >>> 0;
  const ttl = Number(ttls[0]);
  const multicast = dst >>> 28 === 0xe; // 224.0.0.0/4
  if (!multicast && ttl < 5) return true;
  // 224.0.0.0/24 (local network control block), not mDNS, TTL must be 1 (vrrp/carp are not dissected here)
  return dst >>> 8 === 0xe00000 && dst !== 0xe00000fb && ttl !== 1;
}

function tcpFlags(p: Packet): number {
  return p.tcp && p.tcp.flags >= 0 ? p.tcp.flags : -1;
}

/** Wireshark 4.0's default colouring rules, in order; the first that matches colours the line. */
export const COLOR_RULES: ColorRule[] = [
  {
    name: 'Bad TCP',
    filter: 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack',
    bg: '#12272e',
    fg: '#f78787',
    ansi16: ['bgBlack', 'redBright'],
    match: badTcp,
  },
  {
    name: 'ICMP errors',
    filter: 'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }',
    bg: '#12272e',
    fg: '#b7f774',
    ansi16: ['bgBlack', 'greenBright'],
    match: (p, c) =>
      fieldValues(p, c.icmpType).some((v) => v === 3 || v === 4 || v === 5 || v === 11) ||
      fieldValues(p, c.icmpv6Type).some((v) => typeof v === 'number' && v >= 1 && v <= 4),
  },
  { name: 'ARP', filter: 'arp', bg: '#faf0d7', fg: '#12272e', ansi16: ['bgYellow', 'black'], match: (p) => has(p, 'arp') },
  { name: 'ICMP', filter: 'icmp || icmpv6', bg: '#fce0ff', fg: '#12272e', ansi16: ['bgMagenta', 'black'], match: (p) => has(p, 'icmp') || has(p, 'icmpv6') },
  {
    name: 'TCP RST',
    filter: 'tcp.flags.reset eq 1',
    bg: '#a40000',
    fg: '#fffc9c',
    ansi16: ['bgRed', 'yellowBright'],
    match: (p) => {
      const f = tcpFlags(p);
      return f >= 0 && (f & 0x04) !== 0;
    },
  },
  { name: 'TTL low or unexpected', filter: '(ip.dst != 224.0.0.0/4 && ip.ttl < 5 …) || (ip.dst == 224.0.0.0/24 …)', bg: '#a40000', fg: '#ecf0eb', ansi16: ['bgRed', 'whiteBright'], match: ttlLow },
  {
    name: 'Checksum Errors',
    filter: 'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" …',
    bg: '#12272e',
    fg: '#f78787',
    ansi16: ['bgBlack', 'redBright'],
    match: (p) => p.expert.some((e) => e.group === 'Checksum' && e.severity === 'error'),
  },
  {
    name: 'HTTP',
    filter: 'http || tcp.port == 80 || http2',
    bg: '#e4ffc7',
    fg: '#12272e',
    ansi16: ['bgGreen', 'black'],
    match: (p) => has(p, 'http') || (p.tcp !== null && (p.tcp.srcPort === 80 || p.tcp.dstPort === 80)),
  },
  {
    name: 'TCP SYN/FIN',
    filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1',
    bg: '#a0a0a0',
    fg: '#12272e',
    ansi16: ['bgWhite', 'black'],
    match: (p) => {
      const f = tcpFlags(p);
      return f >= 0 && (f & 0x03) !== 0;
    },
  },
  { name: 'TCP', filter: 'tcp', bg: '#e7e6ff', fg: '#12272e', ansi16: ['bgBlueBright', 'black'], match: (p) => has(p, 'tcp') },
  { name: 'UDP', filter: 'udp', bg: '#daeeff', fg: '#12272e', ansi16: ['bgCyanBright', 'black'], match: (p) => has(p, 'udp') },
  {
    name: 'Broadcast',
    filter: 'eth[0] & 1',
    bg: '#ffffff',
    fg: '#babdb6',
    ansi16: ['bgWhiteBright', 'gray'],
    match: (p) => {
      for (const L of p.layers) if (L.proto === 'eth') return !L.src && (p.rec.data[L.offset]! & 1) === 1;
      return false;
    },
  },
];

/**
 * Colours summary lines after Wireshark's default rules. `fields()` lists the field definitions the
 * rules need, so the non-full engine keeps them (the summary never builds the whole tree for colour).
 */
export class LineColorizer {
  private readonly ctx: RuleContext;
  private readonly styles: Array<(s: string) => string>;

  constructor(readonly chalk: ChalkInstance) {
    this.ctx = {
      icmpType: lookupField('icmp.type'),
      icmpv6Type: lookupField('icmpv6.type'),
      ipTtl: lookupField('ip.ttl'),
      ipDst: lookupField('ip.dst'),
      analysisFlags: lookupField('tcp.analysis.flags'),
      notBad: [...NOT_BAD].map((n) => lookupField(n)).filter((d): d is FieldDef => d !== undefined),
    };
    this.styles = COLOR_RULES.map((r) => {
      if (chalk.level >= 2) return chalk.bgHex(r.bg).hex(r.fg);
      return chalk[r.ansi16[0]][r.ansi16[1]];
    });
  }

  fields(): FieldDef[] {
    const c = this.ctx;
    const out: FieldDef[] = [...c.notBad];
    for (const d of [c.icmpType, c.icmpv6Type, c.ipTtl, c.ipDst, c.analysisFlags]) if (d) out.push(d);
    return out;
  }

  /** index of the first matching rule, or -1 */
  ruleIndex(p: Packet): number {
    for (let i = 0; i < COLOR_RULES.length; i++) if (COLOR_RULES[i]!.match(p, this.ctx)) return i;
    return -1;
  }

  paint(p: Packet, line: string): string {
    const i = this.ruleIndex(p);
    return i < 0 ? line : this.styles[i]!(line);
  }
}

/** Foreground colours for layers in -V and -V -x, cycled so adjacent layers always differ. */
const LAYER_COLORS = ['cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright'] as const;

/** The colour of each layer (index into pkt.layers): the frame has none; malformed/short are red. */
export function layerStyles(chalk: ChalkInstance, layers: Layer[]): Array<((s: string) => string) | null> {
  const out: Array<((s: string) => string) | null> = [];
  let k = 0;
  for (const L of layers) {
    if (L.proto === 'frame') out.push(null);
    else if (L.proto === '_ws.malformed' || L.proto === '_ws.short') out.push(chalk.redBright);
    else out.push(chalk[LAYER_COLORS[k++ % LAYER_COLORS.length]!]);
  }
  return out;
}

/** Make escape codes visible (for golden files and tests): ESC → "␛". */
export function visibleEscapes(s: string): string {
  return s.replaceAll('\x1b', '\u241b');
}
