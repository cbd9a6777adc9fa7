/**
 * The library's packet: a view over one dissected packet (src/core/packet.ts) that reads fields by
 * their display-filter names and renders the CLI's outputs on demand. Nothing is built when the
 * packet is made: the summary line, the JSON object, the details text and the field index are
 * made when first asked for, by the same code the CLI prints with.
 */
import type { FieldNode } from '../core/field.js';
import { expertField, expertFieldValue, expertGroup, expertMessage, expertSeverity, type Packet as Dissected } from '../core/packet.js';
import { lookupField, type FieldDef } from '../core/field.js';
import { notDissected } from '../filter/not-dissected.js';
import { COLUMN_FIELDS, columnValue, infoText } from '../output/columns.js';
import { DetailsPrinter, TreePrinter } from '../output/details.js';
import { JsonBuilder, jsonValue } from '../output/json.js';
import { invalidFieldsMessage } from '../output/printer.js';
import { summaryText } from '../output/summary.js';
import { relativeTime } from '../output/time-format.js';
import { UnknownFieldError } from './errors.js';
import type { FieldName } from './field-names.js';

/** A field's value, typed as `-T json` types it: integers as numbers (beyond ±2^53 a bigint, where
 * the JSON has a decimal string), booleans, and strings for addresses, byte strings (lower-case
 * hex), times (relative: "0.000043000"; absolute: ISO 8601 UTC) and text. */
export type FieldValue = number | bigint | string | boolean;

/** A timestamp as two integers: seconds and nanoseconds (never a float). */
export interface Timestamp {
  sec: number;
  nsec: number;
}

/** The seven default columns, as the summary line shows them. */
export interface Columns {
  /** No. (the frame number) */
  no: number;
  /** Time (seconds since the first packet, as the summary line prints it) */
  time: string;
  source: string;
  destination: string;
  protocol: string;
  /** Length (the frame's length on the wire) */
  length: number;
  info: string;
}

/** An expert item, as in the `-T json` object's `_ws.expert` list. */
export interface ExpertInfo {
  /** the expert field's name: 'tcp.analysis.retransmission' */
  field: string;
  severity: 'comment' | 'chat' | 'note' | 'warn' | 'error';
  /** Wireshark's expert group: 'Sequence', 'Malformed', 'Checksum', 'Protocol', … */
  group: string;
  message: string;
  /** the protocol that raised it: 'tcp' */
  protocol: string;
}

/** Options of Packet.details. */
export interface DetailsOptions {
  /** 'table' (default): `minishark -V`, a table per layer at its natural width, no colour;
   * 'tree': `minishark -V --details tree`, exactly tshark -V's text */
  style?: 'table' | 'tree';
}

/** The renderers one read shares among its packets (made when first used). */
export class PacketViews {
  private json: JsonBuilder | null = null;
  private table: DetailsPrinter | null = null;
  private tree: TreePrinter | null = null;

  toJSON(pkt: Dissected): Record<string, unknown> {
    return (this.json ??= new JsonBuilder()).packet(pkt) as Record<string, unknown>;
  }

  details(pkt: Dissected, style: 'table' | 'tree'): string {
    if (style === 'tree') return (this.tree ??= new TreePrinter({ only: null, hex: false })).render(pkt);
    return (this.table ??= new DetailsPrinter({ width: null, chalk: null, only: null })).render(pkt);
  }
}

/** What a name given to get/getAll/has stands for. */
type Resolved = { def: FieldDef } | { column: string } | null;

/** The name as a field, a column (_ws.col.Info) or a Wireshark protocol minishark does not dissect
 * (null: never present, as `-e http.host` accepts it); anything else throws -e's message. */
function resolve(name: string): Resolved {
  const def = lookupField(name);
  if (def) return { def };
  if (COLUMN_FIELDS.has(name)) return { column: name };
  if (notDissected(name)) return null;
  throw new UnknownFieldError(name, invalidFieldsMessage([name]));
}

/** A node's value for the library: jsonValue, except a 64-bit integer beyond 2^53 stays a bigint. */
function nodeValue(n: FieldNode): FieldValue | undefined {
  const v = n.value;
  if (typeof v === 'bigint' && (n.def.type === 'uint' || n.def.type === 'int')) {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  const j = jsonValue(n);
  return typeof j === 'object' ? undefined : j;
}


const EXPERT_IDS = new Set([expertField.id, expertMessage.id, expertSeverity.id, expertGroup.id]);

/** Kept in a closure so that the dissected packet is no public property (see rawPacket). */
let unwrap: (p: Packet) => Dissected;

/**
 * One dissected packet. It stays valid after the loop that read it moves on: keep as many as you
 * like. Field access goes by display-filter names (`p.get('tcp.seq')`), with the values `-T json`
 * shows; `summary`, `toJSON()` and `details()` are exactly what the CLI prints.
 */
export class Packet {
  readonly #pkt: Dissected;
  readonly #views: PacketViews;
  /** by field id: the nodes of that field, in packet order (made on the first get/getAll/has) */
  #index: Map<number, FieldNode[]> | null = null;
  #summary: string | null = null;

  static {
    unwrap = (p) => p.#pkt;
  }

  /** @internal made by readPackets */
  constructor(pkt: Dissected, views: PacketViews) {
    this.#pkt = pkt;
    this.#views = views;
  }

  /** The frame number (1-based). */
  get number(): number {
    return this.#pkt.rec.num;
  }

  /** The capture timestamp (frame.time). */
  get time(): Timestamp {
    const t = this.#pkt.rec.ts;
    return { sec: t.sec, nsec: t.nsec };
  }

  /** The time since the first packet (frame.time_relative). */
  get timeRelative(): Timestamp {
    const t = this.#pkt.rel;
    return { sec: t.sec, nsec: t.nsec };
  }

  /** The protocols in the frame, outermost first: frame.protocols split on ':' (['eth', 'ethertype', 'ip', 'tcp']). */
  get protocols(): string[] {
    // the engine's list starts with 'frame', which frame.protocols leaves out
    return this.#pkt.protocols.slice(1);
  }

  /** The captured bytes (a copy: the caller may keep or change it). */
  get bytes(): Uint8Array {
    return this.#pkt.rec.data.slice();
  }

  /** The default columns, as the summary line shows them. */
  get columns(): Columns {
    const p = this.#pkt;
    return {
      no: p.rec.num,
      time: relativeTime(p),
      source: p.colSrc,
      destination: p.colDst,
      protocol: p.colProto,
      length: p.rec.origLen,
      info: infoText(p),
    };
  }

  /** The summary line, as `minishark -r FILE` prints it (no newline, no colour). */
  get summary(): string {
    return (this.#summary ??= summaryText(this.#pkt));
  }

  /** The expert items, in packet order (the `-T json` object's `_ws.expert`). */
  get expert(): ExpertInfo[] {
    return this.#pkt.expert.map((e) => ({ field: e.abbrev, severity: e.severity, group: e.group, message: e.message, protocol: e.proto }));
  }

  /**
   * The value of the first occurrence of a field, or undefined when the packet does not have it.
   * A protocol name gives true when its layer is present. Throws UnknownFieldError for a name
   * minishark does not know (with `-e`'s "did you mean").
   */
  get(name: FieldName): FieldValue | undefined {
    return this.#values(name, true)[0];
  }

  /** The values of every occurrence of a field, in packet order ([] when absent). */
  getAll(name: FieldName): FieldValue[] {
    return this.#values(name, false);
  }

  /** Whether the packet has the field (a value-less flag such as tcp.analysis.retransmission too). */
  has(name: FieldName): boolean {
    const r = resolve(name);
    if (r === null) return false;
    if ('column' in r) return true;
    return (this.#nodes(r.def)?.length ?? 0) > 0 || this.#layers(r.def) > 0;
  }

  /** The packet as the `-T jsonl` object: `JSON.stringify(packet)` is the CLI's line. Made anew on each call. */
  toJSON(): Record<string, unknown> {
    return this.#views.toJSON(this.#pkt);
  }

  /** The details as `minishark -V` prints them for this packet (ending with its blank line). */
  details(opts: DetailsOptions = {}): string {
    return this.#views.details(this.#pkt, opts.style ?? 'table');
  }

  #values(name: string, first: boolean): FieldValue[] {
    const r = resolve(name);
    if (r === null) return [];
    if ('column' in r) return [columnValue(this.#pkt, r.column)];
    const out: FieldValue[] = [];
    // a protocol: its layers (present: true), then protocol-typed items inside headers
    for (let i = this.#layers(r.def); i > 0; i--) out.push(true);
    if (first && out.length) return out;
    const expert = EXPERT_IDS.has(r.def.id);
    for (const n of this.#nodes(r.def) ?? []) {
      // an expert node answers its _ws.expert pseudo-fields (the _ws.expert flag itself: true)
      const v = expert && n.expert ? (expertFieldValue(n.expert, r.def) ?? true) : nodeValue(n);
      if (v === undefined) continue;
      out.push(v);
      if (first) break;
    }
    return out;
  }

  /** How many layers of this protocol the packet has. */
  #layers(def: FieldDef): number {
    let k = 0;
    if (def.type === 'protocol') for (const L of this.#pkt.layers) if (L.def === def) k++;
    return k;
  }

  #nodes(def: FieldDef): FieldNode[] | undefined {
    if (this.#index === null) {
      const index = new Map<number, FieldNode[]>();
      const add = (id: number, n: FieldNode) => {
        const list = index.get(id);
        if (list) list.push(n);
        else index.set(id, [n]);
      };
      const visit = (nodes: FieldNode[]) => {
        for (const n of nodes) {
          add(n.def.id, n);
          // an expert item also answers to the _ws.expert names, as in -T fields and filters
          if (n.expert) for (const id of EXPERT_IDS) if (id !== n.def.id) add(id, n);
          if (n.children) visit(n.children);
        }
      };
      for (const L of this.#pkt.layers) visit(L.fields);
      this.#index = index;
    }
    return this.#index.get(def.id);
  }
}

/** The dissected packet behind a library packet (for compileFilter's predicate). */
export function rawPacket(p: Packet): Dissected {
  return unwrap(p);
}
