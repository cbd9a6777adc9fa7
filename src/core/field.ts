/**
 * The one field model (after Wireshark's hf_register_info): every field is declared once, with its
 * display-filter name, label, type, base and bitmask. Each packet then carries FieldNodes that point
 * at a definition and hold a value plus the byte range it came from. The summary line, the -V tables,
 * the hex highlighting, -T fields, JSON and the display filter all read these nodes.
 */

export type FieldType =
  | 'uint' // unsigned integer (width in `bits`)
  | 'int' // signed integer
  | 'bool' // boolean, usually a bit in a bitmask
  | 'bytes' // byte string (Uint8Array)
  | 'string'
  | 'ipv4' // number (uint32)
  | 'ipv6' // Uint8Array(16)
  | 'ether' // Uint8Array(6)
  | 'abstime' // Time (seconds + nanoseconds since the epoch)
  | 'reltime' // Time (relative)
  | 'framenum' // frame number
  | 'none' // a label or a flag with no value (tshark prints "1" when present)
  | 'protocol'; // a protocol item (a layer, or a protocol-typed option)

export type Base = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct' | 'none';

export interface FieldDef {
  /** numeric id, dense, for fast "is this field wanted" lookups */
  id: number;
  /** Wireshark display-filter name: 'tcp.seq' */
  abbrev: string;
  /** Wireshark label: 'Sequence Number' */
  name: string;
  type: FieldType;
  base: Base;
  /** width of the integer type in bits (8, 16, 24, 32, 64); for bool bit fields, the container width */
  bits: number;
  /** bitmask within the container (0 = none) */
  bitmask: number;
  /** right shift of a masked value: the bitmask's lowest set bit (0 without a mask) */
  shift: number;
  /** read little-endian (Wireshark's ENC_LITTLE_ENDIAN); otherwise network byte order */
  le: boolean;
  /** how a string field's bytes are decoded (default 'ascii': one character per byte) */
  encoding: StringEncoding;
  /** the name of a formatter registered once (core/render.ts registerFormat) that writes the value
   * part of the default details text, for the special cases value names and units do not cover */
  format?: string;
  /** value names: ip.proto 6 → 'TCP' */
  vals?: ReadonlyMap<number, string>;
  /** booleans: texts for true/false ('Set'/'Not set') */
  tf?: readonly [string, string];
  /** unit suffix shown in details (' bytes') */
  unit?: string;
  /** the protocol this field belongs to: 'tcp' */
  proto: string;
  /** what -T fields prints for an empty byte string ('<none>', '<MISSING>'), as tshark does for some fields */
  empty?: string;
  /** the field can occur more than once in one layer (a TCP option kind, an IPv6 extension header
   * field, ip.addr); for a protocol, its layer can occur more than once at one level (IP in IP).
   * JSON makes such a key an array in every packet, even of one value (or one layer). */
  repeats?: boolean;
  /** a protocol's short name, as "[Malformed Packet: X]" and `-G protocols` show it ('IPv4') */
  short?: string;
  /** a protocol whose dissector reads its header before it adds its protocol item (Ethernet, TCP,
   * ICMP, DNS): when that read throws, tshark's tree has no line for the protocol */
  headerFirst?: boolean;
  /** building the field needs the TCP analysis (a value, text or item that the tracker decides, or
   * anything dissected from TCP's payload); unset: as its protocol's definition says, and a field
   * of a protocol that does not say needs it (see analysisNeeded) */
  analysis?: boolean;
}

/** String encodings a field can be read with: ascii/latin1 (a character per byte), utf8. */
export type StringEncoding = 'ascii' | 'latin1' | 'utf8';

export interface FieldOpts {
  base?: Base;
  bits?: number;
  bitmask?: number;
  le?: boolean;
  encoding?: StringEncoding;
  format?: string;
  vals?: Record<number, string>;
  tf?: readonly [string, string];
  unit?: string;
  empty?: string;
  repeats?: boolean;
  short?: string;
  headerFirst?: boolean;
  analysis?: boolean;
}

const byAbbrev = new Map<string, FieldDef>();
const all: FieldDef[] = [];

/** The lowest set bit of a bitmask (0 for none): how far a masked value is shifted right. */
function shiftOf(mask: number): number {
  let s = 0;
  while (mask > 0 && Math.floor(mask / 2 ** s) % 2 === 0) s++;
  return s;
}

/** Declare a field once. Re-declaring an abbrev returns the existing definition (Wireshark allows
 * several hf entries with one abbrev; we keep the first, which is what filters and -e resolve to). */
export function field(abbrev: string, name: string, type: FieldType, opts: FieldOpts = {}): FieldDef {
  const existing = byAbbrev.get(abbrev);
  if (existing) return existing;
  const dot = abbrev.indexOf('.');
  const def: FieldDef = {
    id: all.length,
    abbrev,
    name,
    type,
    base: opts.base ?? (type === 'uint' || type === 'int' ? 'dec' : 'none'),
    bits: opts.bits ?? (type === 'uint' || type === 'int' ? 32 : 0),
    bitmask: opts.bitmask ?? 0,
    shift: shiftOf(opts.bitmask ?? 0),
    le: opts.le ?? false,
    encoding: opts.encoding ?? 'ascii',
    format: opts.format,
    vals: opts.vals ? new Map(Object.entries(opts.vals).map(([k, v]) => [Number(k), v])) : undefined,
    tf: opts.tf,
    unit: opts.unit,
    empty: opts.empty,
    repeats: opts.repeats,
    short: opts.short,
    headerFirst: opts.headerFirst,
    analysis: opts.analysis,
    proto: dot < 0 ? abbrev : abbrev.slice(0, dot),
  };
  byAbbrev.set(abbrev, def);
  all.push(def);
  return def;
}

/** Declare a protocol (itself a field, like Wireshark: `-Y tcp`, `-e tcp`); `repeats` when its
 * layer can follow itself (IP in IP) or a protocol-typed option can occur twice in one header;
 * `short`: its short name (Wireshark's proto_register_protocol short_name); `analysis`: whether its
 * fields need the TCP analysis (see FieldDef.analysis). */
export function protocol(abbrev: string, name: string, opts: { repeats?: boolean; short?: string; headerFirst?: boolean; analysis?: boolean } = {}): FieldDef {
  return field(abbrev, name, 'protocol', opts);
}

/** Declare that these fields can occur more than once in one layer (FieldDef.repeats): for families
 * of fields declared together, such as every field of an option that may appear several times. */
export function repeating(defs: Iterable<FieldDef>): void {
  for (const d of defs) d.repeats = true;
}

/** Declare that these fields need the TCP analysis (FieldDef.analysis), as repeating() does for repeats. */
export function needsAnalysis(defs: Iterable<FieldDef>): void {
  for (const d of defs) d.analysis = true;
}

/** Whether building these fields (and no tree, no columns) needs the TCP analysis: a field's own
 * flag, else its protocol's, else yes (a protocol that does not say may be carried by TCP). */
export function analysisNeeded(fields: Iterable<FieldDef>): boolean {
  for (const d of fields) if (d.analysis ?? byAbbrev.get(d.proto)?.analysis ?? true) return true;
  return false;
}

export function lookupField(abbrev: string): FieldDef | undefined {
  return byAbbrev.get(abbrev);
}

export function allFields(): readonly FieldDef[] {
  return all;
}

/** Time as two integers, never a float: seconds and nanoseconds (0..999 999 999). Negative
 * relative times keep the sign on both parts (sec <= 0 and nsec <= 0). */
export interface Time {
  sec: number;
  nsec: number;
}

export type FieldValue = number | bigint | string | boolean | Uint8Array | Time | null;

export interface FieldNode {
  def: FieldDef;
  value: FieldValue;
  /** absolute offset in the data source (frame bytes, or a reassembled buffer) */
  offset: number;
  /** byte length; 0 for generated fields */
  length: number;
  /** which data source `offset` refers to: 0 = the frame, 1.. = reassembled buffers (Packet.sources) */
  src?: number;
  generated?: boolean;
  hidden?: boolean;
  /** details-pane text, overriding the default "Name: value" */
  text?: string;
  children?: FieldNode[];
  /** set on nodes that stand for an expert item */
  expert?: ExpertItem;
}

/**
 * A new field node. Every node is made here with all its properties present (unset ones as
 * undefined), so that all nodes share one shape in V8: setting `generated` or `text` later does not
 * change the object's layout, and the code that reads nodes sees one kind of object.
 */
export function newNode(def: FieldDef, value: FieldValue, offset: number, length: number, src: number | undefined, text: string | undefined): FieldNode {
  return { def, value, offset, length, src, generated: undefined, hidden: undefined, text, children: undefined, expert: undefined };
}

/** Mark a node (if it was kept) hidden and generated: Wireshark's PROTO_ITEM_SET_HIDDEN +
 * PROTO_ITEM_SET_GENERATED items such as eth.src_resolved and ip.src_host. */
export function hiddenGen(n: FieldNode | null): void {
  if (n) {
    n.hidden = true;
    n.generated = true;
  }
}

/** Empty an array that is reused (a pooled packet's or layer's): popping a few items is cheaper in
 * V8 than setting `length`, which goes through a runtime call. */
export function clear(a: unknown[]): void {
  for (let i = a.length; i > 0; i--) a.pop();
}

/** A new layer, like newNode: every property present from the start, one shape for all layers. */
export function newLayer(proto: string, def: FieldDef, summary: string, offset: number, length: number, src: number | undefined, inner: boolean | undefined): Layer {
  return { proto, def, summary, offset, length, src, fields: [], malformed: undefined, inner };
}

export type Severity = 'comment' | 'chat' | 'note' | 'warn' | 'error';

export interface ExpertItem {
  /** expert field name: 'tcp.analysis.retransmission' */
  abbrev: string;
  severity: Severity;
  /** Wireshark expert group: 'Sequence', 'Malformed', 'Checksum', 'Protocol', ... */
  group: string;
  message: string;
  proto: string;
  /** raised inside an ICMP error's quoted packet: Wireshark's taps (-z expert) do not see it */
  inError?: true;
  /** Wireshark's proto_tree_add_expert: the message is a tree item of its own, with the expert
   * info under it (tshark -V prints both lines); otherwise the expert info hangs under `parent` */
  ownItem?: boolean;
}

export interface Layer {
  proto: string;
  def: FieldDef;
  /** the details-pane header: 'Transmission Control Protocol, Src Port: …' */
  summary: string;
  offset: number;
  length: number;
  src?: number;
  fields: FieldNode[];
  /** etherparse-style stop error: what decoded stays, this says where and why decoding stopped */
  malformed?: { error: string; offset: number };
  /** an ICMP error's inner IP/TCP/UDP layers are nested like Wireshark's tree */
  inner?: boolean;
}
