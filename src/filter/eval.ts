/**
 * Semantic check and evaluation of a parsed display filter, after Wireshark 4.0's semcheck.c and dfvm.c.
 *
 * Compilation turns literals into typed constants once (by the type of the field they are compared
 * with, as Wireshark does), resolves field names to FieldDefs and assigns each field a slot. Per packet,
 * one walk over the layers and field nodes drops every wanted occurrence into its slot; the compiled
 * test tree then reads the slots. Nothing is looked up by name and almost nothing is allocated per packet.
 *
 * Semantics (Wireshark 4.0):
 *  - a bare field or protocol is true when present;
 *  - `==`/`eq`/`any_eq`: some occurrence equals; `!=`/`ne`/`all_ne`: every occurrence differs;
 *    `===`/`all_eq`: every occurrence equals; `!==`/`~=`/`any_ne`: some occurrence differs;
 *    `> >= < <=`, contains, matches, in: some occurrence (or every one with the `all` modifier);
 *  - every comparison implies the field exists;
 *  - `matches` is case-insensitive unless the pattern says (?-i);
 *  - integer arithmetic may go below zero but not above the type's 32 (or 64) bits, and an unsigned
 *    field never equals, exceeds or undercuts a negative constant (`tcp.port > -1` is false);
 *  - a protocol's value is the bytes its dissector was handed (to the end of its datagram), its len()
 *    the length of its own header;
 *  - ${field} references (the GUI's selected packet) have no value;
 *  - a Wireshark protocol minishark does not dissect (`http`) is never present, and a relation that
 *    reads one of its fields (`http.host == "x"`, whose type minishark does not know) is false.
 */
import type { ExpertItem, FieldDef, FieldNode, FieldType, Layer, Time } from '../core/field.js';
import { allFields, lookupField } from '../core/field.js';
import { expertField, expertFieldValue, expertGroup, expertMessage, expertSeverity, type Packet } from '../core/packet.js';
import { etherStr, ipv4Str, ipv6Str } from '../core/addr.js';
import { type CmpOp, FilterSyntaxError, parseIPv4, parseIPv6 } from './lexer.js';
import { notDissected, type NotDissected } from './not-dissected.js';
import { type Expr, parseFilter, type RangeNode, type SetElem, type Span, type Test } from './parser.js';

/** An unknown field or protocol name. */
export class FilterFieldError extends FilterSyntaxError {
  constructor(
    message: string,
    readonly field: string,
    position: number,
    length: number,
  ) {
    super(message, position, length);
    this.name = 'FilterFieldError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Values

interface Cidr4 {
  net: number;
  mask: number;
}
interface Cidr6 {
  addr: Uint8Array;
  prefix: number;
}
/** A runtime value: numbers for integers, booleans (0/1) and IPv4; bytes for ether/bytes/protocols/IPv6;
 * strings; times. Constants of IPv4/IPv6 type may carry a prefix. null: a label (present, no value). */
type V = number | string | Uint8Array | Time | Cidr4 | Cidr6 | null;

type Occ = FieldNode | Layer | ExpertItem;

const EMPTY = new Uint8Array(0);
const ONES = 0xffffffff;

// ---------------------------------------------------------------------------------------------------
// Per-packet collection

/** Gathers the occurrences of the filter's fields from one packet, one walk, into reused arrays. */
class Collector {
  pkt!: Packet;
  readonly occ: Occ[][] = [];
  /** per slot, per occurrence: the layer number of its protocol (1 = first), for the # operator */
  readonly ord: number[][] = [];
  /** per slot, per occurrence: the index of its layer in pkt.layers */
  readonly li: number[][] = [];
  private slotOf: Int32Array = new Int32Array(0);
  private readonly layerOrd: number[] = [];
  private readonly expertSlots: number[] = [];
  needOrd = false;
  /** first name components of the filter's fields ('tcp' for tcp.analysis.flags): only layers of these
   * protocols are walked (a full tree has a hundred nodes a packet; most filters need one layer) */
  private readonly protos = new Set<string>();
  /** a field whose first component is no protocol: walk every layer */
  walkAll = false;
  /** per layer def id: 1 = walk, 2 = skip, 0 = not decided yet */
  private layerWalk: Int8Array = new Int8Array(0);

  slot(def: FieldDef): number {
    if (def.id >= this.slotOf.length) {
      const n = new Int32Array(Math.max(def.id + 1, this.slotOf.length * 2));
      n.set(this.slotOf);
      this.slotOf = n;
    }
    let s = this.slotOf[def.id]!;
    if (s === 0) {
      this.occ.push([]);
      this.ord.push([]);
      this.li.push([]);
      s = this.occ.length;
      this.slotOf[def.id] = s;
      if (def === expertField || def === expertMessage || def === expertSeverity || def === expertGroup) this.expertSlots.push(s - 1);
      this.protos.add(def.proto);
      if (!protoFamilies().has(def.proto)) this.walkAll = true;
    }
    return s - 1;
  }

  private walks(L: Layer): boolean {
    if (this.walkAll) return true;
    const id = L.def.id;
    if (id >= this.layerWalk.length) {
      const n = new Int8Array(Math.max(id + 1, this.layerWalk.length * 2, 64));
      n.set(this.layerWalk);
      this.layerWalk = n;
    }
    let w = this.layerWalk[id]!;
    if (w === 0) {
      w = this.protos.has(L.def.proto) ? 1 : 2;
      this.layerWalk[id] = w;
    }
    return w === 1;
  }

  collect(pkt: Packet): void {
    this.pkt = pkt;
    const occ = this.occ;
    for (let s = 0; s < occ.length; s++) {
      occ[s]!.length = 0;
      this.ord[s]!.length = 0;
      this.li[s]!.length = 0;
    }
    const layers = pkt.layers;
    if (this.needOrd) {
      const lo = this.layerOrd;
      lo.length = layers.length;
      for (let i = 0; i < layers.length; i++) {
        let k = 1;
        const p = layers[i]!.proto;
        for (let j = 0; j < i; j++) if (layers[j]!.proto === p) k++;
        lo[i] = k;
      }
    }
    const slotOf = this.slotOf;
    for (let i = 0; i < layers.length; i++) {
      const L = layers[i]!;
      const id = L.def.id;
      if (id < slotOf.length && slotOf[id]! > 0) this.push(slotOf[id]! - 1, L, i);
      if (this.walks(L)) this.walk(L.fields, i);
    }
    // _ws.expert and its message, severity and group come from the packet's expert items
    const ex = this.expertSlots;
    const items = pkt.expert;
    for (let k = 0; k < ex.length && items.length; k++) {
      const s = ex[k]!;
      if (occ[s]!.length) continue;
      for (let j = 0; j < items.length; j++) this.push(s, items[j]!, layers.length - 1);
    }
  }

  private push(s: number, o: Occ, li: number): void {
    this.occ[s]!.push(o);
    this.li[s]!.push(li);
    if (this.needOrd) this.ord[s]!.push(this.layerOrd[li]!);
  }

  private walk(nodes: FieldNode[], li: number): void {
    const slotOf = this.slotOf;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const id = n.def.id;
      if (id < slotOf.length && slotOf[id]! > 0) this.push(slotOf[id]! - 1, n, li);
      if (n.children) this.walk(n.children, li);
    }
  }

  /** The bytes a protocol item stands for: from its start to the end of what its dissector was given. */
  layerBytes(L: Layer, li: number): Uint8Array {
    const pkt = this.pkt;
    const src = L.src ?? 0;
    const data = src ? pkt.sources[src - 1] : pkt.rec.data;
    if (!data) return EMPTY;
    let end = L.offset + L.length;
    if (li <= 1) end = data.length;
    else {
      const layers = pkt.layers;
      for (let j = li + 1; j < layers.length; j++) {
        const M = layers[j]!;
        if ((M.src ?? 0) === src && M.offset + M.length > end) end = M.offset + M.length;
      }
    }
    return data.subarray(L.offset, Math.min(end, data.length));
  }

  nodeBytes(n: FieldNode): Uint8Array {
    const src = n.src ?? 0;
    const data = src ? this.pkt.sources[src - 1] : this.pkt.rec.data;
    return data ? data.subarray(n.offset, n.offset + n.length) : EMPTY;
  }
}

/** first name components of every registered protocol ('_ws' for _ws.malformed) */
function protoFamilies(): Set<string> {
  const all = allFields();
  if (all.length !== familiesAt) {
    families = new Set(all.filter((d) => d.type === 'protocol').map((d) => d.proto));
    familiesAt = all.length;
  }
  return families;
}
let families = new Set<string>();
let familiesAt = -1;

function isLayer(o: Occ): o is Layer {
  return (o as Layer).fields !== undefined;
}
function isNode(o: Occ): o is FieldNode {
  return (o as FieldNode).def !== undefined && (o as Layer).fields === undefined;
}

/** The value of one occurrence as the filter sees it; undefined when it has none (not filled in). */
function occValue(c: Collector, o: Occ, def: FieldDef, li: number): V | undefined {
  if (isLayer(o)) return c.layerBytes(o, li);
  if (!isNode(o)) {
    return expertFieldValue(o as ExpertItem, def) ?? null;
  }
  const v = o.value;
  switch (def.type) {
    case 'none':
      return null;
    case 'protocol':
      return v instanceof Uint8Array ? v : c.nodeBytes(o);
    case 'bool':
      if (v === null || v === undefined) return undefined;
      return v ? 1 : 0;
    case 'uint':
    case 'int':
    case 'framenum':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      return undefined;
    case 'ipv4':
      if (typeof v === 'number') return v;
      if (v instanceof Uint8Array && v.length === 4) return ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
      return undefined;
    case 'ipv6':
    case 'ether':
    case 'bytes':
      return v instanceof Uint8Array ? v : undefined;
    case 'string':
      return typeof v === 'string' ? v : v === null || v === undefined ? undefined : String(v);
    case 'reltime':
    case 'abstime':
      return v !== null && typeof v === 'object' && 'sec' in v ? v : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Type names, as Wireshark words them

function intBytes(bits: number): number {
  return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 24 ? 3 : bits <= 32 ? 4 : bits <= 40 ? 5 : bits <= 48 ? 6 : bits <= 56 ? 7 : 8;
}

function prettyType(ft: FieldType, bits: number): string {
  switch (ft) {
    case 'uint': {
      const n = intBytes(bits);
      return `Unsigned integer (${n} byte${n > 1 ? 's' : ''})`;
    }
    case 'int': {
      const n = intBytes(bits);
      return `Signed integer (${n} byte${n > 1 ? 's' : ''})`;
    }
    case 'bool':
      return 'Boolean';
    case 'bytes':
      return 'Byte sequence';
    case 'string':
      return 'Character string';
    case 'ipv4':
      return 'IPv4 address';
    case 'ipv6':
      return 'IPv6 address';
    case 'ether':
      return 'Ethernet or other MAC address';
    case 'abstime':
      return 'Date and time';
    case 'reltime':
      return 'Time offset';
    case 'framenum':
      return 'Frame number';
    case 'none':
      return 'Label';
    case 'protocol':
      return 'Protocol';
  }
}

function ftName(ft: FieldType, bits: number): string {
  switch (ft) {
    case 'uint':
      return `FT_UINT${intBytes(bits) * 8}`;
    case 'int':
      return `FT_INT${intBytes(bits) * 8}`;
    case 'bool':
      return 'FT_BOOLEAN';
    case 'bytes':
      return 'FT_BYTES';
    case 'string':
      return 'FT_STRING';
    case 'ipv4':
      return 'FT_IPv4';
    case 'ipv6':
      return 'FT_IPv6';
    case 'ether':
      return 'FT_ETHER';
    case 'abstime':
      return 'FT_ABSOLUTE_TIME';
    case 'reltime':
      return 'FT_RELATIVE_TIME';
    case 'framenum':
      return 'FT_FRAMENUM';
    case 'none':
      return 'FT_NONE';
    case 'protocol':
      return 'FT_PROTOCOL';
  }
}

function isNumeric(ft: FieldType): boolean {
  return ft === 'uint' || ft === 'int' || ft === 'framenum';
}
function isBytesLike(ft: FieldType): boolean {
  return ft === 'bytes' || ft === 'ether' || ft === 'protocol';
}

/** Wireshark's compatible_ftypes, on our types. */
function compatible(a: FieldType, b: FieldType): boolean {
  const g = (t: FieldType): string => (t === 'uint' || t === 'framenum' || t === 'int' ? 'n' : t === 'ether' || t === 'bytes' ? 'b' : t);
  return g(a) === g(b);
}

// ---------------------------------------------------------------------------------------------------
// Comparing values

function bytesCmp(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function bytesContain(h: Uint8Array, n: Uint8Array): boolean {
  const m = n.length;
  if (m === 0) return true;
  const first = n[0]!;
  outer: for (let i = 0; i + m <= h.length; i++) {
    if (h[i] !== first) continue;
    for (let j = 1; j < m; j++) if (h[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

function v4net(v: V): number {
  return typeof v === 'number' ? v : (v as Cidr4).net;
}
function v4mask(v: V): number {
  return typeof v === 'number' ? ONES : (v as Cidr4).mask;
}
function v6addr(v: V): Uint8Array {
  return v instanceof Uint8Array ? v : (v as Cidr6).addr;
}
function v6prefix(v: V): number {
  return v instanceof Uint8Array ? 128 : (v as Cidr6).prefix;
}

function v6cmp(a: V, b: V): number {
  const pa = v6prefix(a);
  const pb = v6prefix(b);
  const bits = Math.min(pa, pb);
  const A = v6addr(a);
  const B = v6addr(b);
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (A[i] !== B[i]) return A[i]! - B[i]!;
  const rem = bits & 7;
  if (rem) {
    const m = (0xff << (8 - rem)) & 0xff;
    const x = A[full]! & m;
    const y = B[full]! & m;
    if (x !== y) return x - y;
  }
  return 0;
}

function timeCmp(a: Time, b: Time): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

interface TypeOps {
  eq(a: V, b: V): boolean;
  cmp(a: V, b: V): number;
}

const NUM_OPS: TypeOps = {
  eq: (a, b) => a === b,
  cmp: (a, b) => (a as number) - (b as number),
};
const IPV4_OPS: TypeOps = {
  eq: (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a === b;
    const m = (v4mask(a) & v4mask(b)) >>> 0;
    return ((v4net(a) & m) >>> 0) === ((v4net(b) & m) >>> 0);
  },
  cmp: (a, b) => {
    const m = (v4mask(a) & v4mask(b)) >>> 0;
    return ((v4net(a) & m) >>> 0) - ((v4net(b) & m) >>> 0);
  },
};
const IPV6_OPS: TypeOps = { eq: (a, b) => v6cmp(a, b) === 0, cmp: v6cmp };
const BYTES_OPS: TypeOps = {
  eq: (a, b) => {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  },
  cmp: (a, b) => bytesCmp(a as Uint8Array, b as Uint8Array),
};
const STRING_OPS: TypeOps = {
  eq: (a, b) => a === b,
  cmp: (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0),
};
const TIME_OPS: TypeOps = {
  eq: (a, b) => timeCmp(a as Time, b as Time) === 0,
  cmp: (a, b) => timeCmp(a as Time, b as Time),
};

function opsFor(ft: FieldType): TypeOps {
  switch (ft) {
    case 'ipv4':
      return IPV4_OPS;
    case 'ipv6':
      return IPV6_OPS;
    case 'ether':
    case 'bytes':
    case 'protocol':
      return BYTES_OPS;
    case 'string':
      return STRING_OPS;
    case 'reltime':
    case 'abstime':
      return TIME_OPS;
    default:
      return NUM_OPS;
  }
}

// ---------------------------------------------------------------------------------------------------
// Literal conversion (fvalue_from_literal / fvalue_from_string / fvalue_from_charconst)

/** Integer literal as Wireshark's strtoull(…, 0) plus 0b binary: null when not a number. */
function parseIntLit(s: string): number | null {
  if (/^0[xX][0-9A-Fa-f]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[bB][01]+$/.test(s)) return parseInt(s.slice(2), 2);
  if (/^0[0-7]*$/.test(s)) return s.length > 1 ? parseInt(s.slice(1), 8) : 0;
  if (/^[1-9][0-9]*$/.test(s)) return Number(s);
  return null;
}

/** Byte-string literal: hex pairs separated by ':', '.' or '-', or run together. */
function parseBytesLit(s0: string): Uint8Array | null {
  const s = s0.startsWith(':') ? s0.slice(1) : s0;
  if (s === '') return null;
  if (/^[0-9A-Fa-f]+$/.test(s)) {
    const h = s.length % 2 ? '0' + s : s;
    return Uint8Array.from(Buffer.from(h, 'hex'));
  }
  const parts = s.split(/[:.-]/);
  const out: number[] = [];
  for (const p of parts) {
    if (/^[0-9A-Fa-f]{1,2}$/.test(p)) out.push(parseInt(p, 16));
    else if (/^[0-9A-Fa-f]{4}$/.test(p)) out.push(parseInt(p.slice(0, 2), 16), parseInt(p.slice(2), 16));
    else return null;
  }
  return Uint8Array.from(out);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function fracNs(f: string | undefined): number {
  return f ? Number(f.slice(0, 9).padEnd(9, '0')) : 0;
}

/** Absolute time: ISO 8601 ("2020-07-04T12:34:56.5Z"), legacy ("Sep 26, 2004 23:18:04.954975 UTC") or
 * epoch seconds. Without a zone, local time (tshark-ref runs with TZ=UTC). */
function parseAbsTime(s: string): Time | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (m) {
    const [, y, mo, d, h, mi, se, fr, tz] = m;
    return mkTime(+y!, +mo! - 1, +d!, +(h ?? 0), +(mi ?? 0), +(se ?? 0), fracNs(fr), tz);
  }
  m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:\s+(UTC))?$/.exec(s.trim());
  if (m) {
    const mo = MONTHS.indexOf(m[1]!.toLowerCase());
    if (mo < 0) return null;
    return mkTime(+m[3]!, mo, +m[2]!, +m[4]!, +m[5]!, +m[6]!, fracNs(m[7]), m[8]);
  }
  m = /^(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (m) return { sec: Number(m[1]), nsec: fracNs(m[2]) };
  return null;
}

function mkTime(y: number, mo: number, d: number, h: number, mi: number, s: number, ns: number, tz: string | undefined): Time | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  let ms: number;
  if (tz === undefined) ms = new Date(y, mo, d, h, mi, s).getTime();
  else {
    ms = Date.UTC(y, mo, d, h, mi, s);
    if (tz !== 'Z' && tz !== 'UTC') {
      const sign = tz[0] === '-' ? -1 : 1;
      const hh = Number(tz.slice(1, 3));
      const mm = Number(tz.slice(-2));
      ms -= sign * (hh * 60 + mm) * 60000;
    }
  }
  if (!Number.isFinite(ms)) return null;
  return { sec: Math.floor(ms / 1000), nsec: ns };
}

function latin1ToUtf8(s: string): string {
  // string literals keep one char per byte; field strings are JS strings
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'latin1').toString('utf8');
  return s;
}

function bytesToLatin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

function valsLookup(def: FieldDef | null, s: string): number[] {
  const out: number[] = [];
  if (!def?.vals) return out;
  const l = s.toLowerCase();
  for (const [k, v] of def.vals) if (v.toLowerCase() === l) out.push(k);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Compiled expressions

/** A compiled value expression: fills `buf` with its values for the current packet and returns how many. */
interface CVal {
  ft: FieldType;
  bits: number;
  /** the field, when the expression is a plain field reference (value strings, count(), len()) */
  def: FieldDef | null;
  /** a plain field reference: its slot and layer restriction */
  slot: number;
  layers: RangeNode[] | null;
  src: string;
  pos: number;
  len: number;
  konst: boolean;
  /** an arithmetic result: may be negative even when its type is unsigned */
  arith: boolean;
  /** never has a value: a ${field} reference (tshark has no selected packet), or a Wireshark protocol
   * minishark does not dissect */
  ref?: boolean;
  buf: V[];
  /** number of constant values (konst) */
  n: number;
  run(c: Collector): number;
}

type TestFn = (c: Collector) => boolean;

export interface Compiled {
  test: TestFn | null;
  fields: FieldDef[];
  collector: Collector;
  /** the names the filter reads that belong to Wireshark protocols minishark does not dissect */
  notDissected: NotDissected[];
}

const SLICEABLE: ReadonlySet<FieldType> = new Set<FieldType>(['bytes', 'ether', 'ipv4', 'ipv6', 'string', 'protocol']);

function inLayers(ranges: RangeNode[], n: number): boolean {
  for (const r of ranges) {
    if (r.kind === 'len') {
      if (n >= r.start && n < r.start + r.n) return true;
    } else if (r.kind === 'end') {
      if (n >= r.start && n <= r.n) return true;
    } else if (n >= r.start) return true;
  }
  return false;
}

// slice scratch, so resolving a range allocates nothing
let sliceOff = 0;
let sliceLen = 0;
function resolveSlice(r: RangeNode, total: number): boolean {
  const s = r.start < 0 ? total + r.start : r.start;
  if (s < 0 || s > total) return false;
  let e: number;
  if (r.kind === 'len') e = s + r.n;
  else if (r.kind === 'end') e = (r.n < 0 ? total + r.n : r.n) + 1;
  else e = total;
  if (e > total || e <= s) return false;
  sliceOff = s;
  sliceLen = e - s;
  return true;
}

function toBytes(v: V, ft: FieldType): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (ft === 'ipv4' && typeof v === 'number') return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  return null;
}

function truthy(v: V): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof Uint8Array) {
    for (let i = 0; i < v.length; i++) if (v[i]) return true;
    return false;
  }
  if (v && typeof v === 'object' && 'sec' in v) return v.sec !== 0 || v.nsec !== 0;
  return v !== null;
}

class Compiler {
  readonly collector = new Collector();
  readonly fields = new Map<number, FieldDef>();
  readonly notDissected = new Map<string, NotDissected>();

  constructor(private readonly text: string) {}

  private fail(msg: string, sp: Span | null): never {
    throw new FilterSyntaxError(msg, sp ? sp.pos : -1, sp ? sp.len : 0);
  }

  private srcOf(sp: Span): string {
    return this.text.slice(sp.pos, sp.pos + sp.len);
  }

  compileTest(t: Test): TestFn {
    // a test that reads a field of a protocol minishark does not dissect (type unknown) is false
    if (this.readsUntyped(t)) return () => false;
    switch (t.k) {
      case 'and': {
        const a = this.compileTest(t.a);
        const b = this.compileTest(t.b);
        return (c) => a(c) && b(c);
      }
      case 'or': {
        const a = this.compileTest(t.a);
        const b = this.compileTest(t.b);
        return (c) => a(c) || b(c);
      }
      case 'not': {
        const a = this.compileTest(t.a);
        return (c) => !a(c);
      }
      case 'test':
        return this.compileBare(t.e);
      case 'cmp':
        return this.compileCmp(t);
      case 'contains':
      case 'matches':
        return this.compileSearch(t);
      case 'in':
        return this.compileIn(t);
    }
  }

  /** Whether a relation or bare test reads a field of a protocol minishark does not dissect. */
  private readsUntyped(t: Test): boolean {
    switch (t.k) {
      case 'and':
      case 'or':
      case 'not':
        return false;
      case 'test':
        return this.untypedIn([t.e]);
      case 'in':
        return this.untypedIn([t.a, ...t.set.flatMap((el) => (el.hi ? [el.lo, el.hi] : [el.lo]))]);
      default:
        return this.untypedIn([t.a, t.b]);
    }
  }

  /** Whether expressions read a field of a protocol minishark does not dissect (every one is noted). */
  private untypedIn(exprs: Expr[]): boolean {
    let found = false;
    for (const e of exprs) {
      let sub: Expr[] = [];
      if (e.k === 'field') {
        const nd = notDissected(e.name);
        if (nd && nd.name !== nd.proto) {
          this.notDissected.set(nd.name, nd);
          found = true;
        }
      } else if (e.k === 'slice' || e.k === 'neg') sub = [e.e];
      else if (e.k === 'arith') sub = [e.a, e.b];
      else if (e.k === 'func') sub = e.args;
      if (this.untypedIn(sub)) found = true;
    }
    return found;
  }

  private compileBare(e: Expr): TestFn {
    if (e.k === 'literal' || e.k === 'string' || e.k === 'charconst') {
      const msg = `${e.text} is neither a field nor a protocol name.`;
      if (e.k === 'literal' && e.word) throw new FilterFieldError(msg, e.text, e.pos, e.len);
      this.fail(msg, e);
    }
    if (e.k === 'func') this.fail('You cannot test whether a function is present.', e.nameSpan);
    if (e.k === 'ref') {
      const def = lookupField(e.name)!;
      this.fail(`${e.name} <${ftName(def.type, def.bits)}> is neither a field nor a protocol name.`, { pos: e.pos + 2, len: e.name.length });
    }
    const v = this.compileVal(e, null);
    if (v.konst) return () => v.n > 0;
    if (e.k === 'field' || e.k === 'slice') return (c) => v.run(c) > 0;
    // an arithmetic expression or a function: true when a result is non-zero
    return (c) => {
      const n = v.run(c);
      for (let i = 0; i < n; i++) if (truthy(v.buf[i]!)) return true;
      return false;
    };
  }

  /** the left side of a relation: a field, a slice, a function or arithmetic on one */
  private compileLhs(e: Expr, opText: string, quote = false): CVal {
    if (e.k === 'literal' || e.k === 'string' || e.k === 'charconst') {
      if (opText === 'in') this.fail('Only a field may be tested for membership in a set.', e);
      // tshark quotes comparison operators only: 'Left side of "eq" …', 'Left side of ~ …'
      const op = quote ? `"${opText}"` : opText;
      const msg = `Left side of ${op} expression must be a field or function, not ${e.text}.`;
      // a name that looks like a field but is not one
      if (e.k === 'literal' && e.word && /[A-Za-z_]/.test(e.text)) throw new FilterFieldError(msg, e.text, e.pos, e.len);
      this.fail(msg, e);
    }
    const v = this.compileVal(e, null);
    if (v.konst && !v.ref) this.fail('Constant arithmetic expression on the LHS is invalid.', e);
    return v;
  }

  private checkParticipates(a: CVal, opText: string, what: 'cmp' | 'contains' | 'matches'): void {
    let ok: boolean;
    if (what === 'contains') ok = a.ft === 'bytes' || a.ft === 'ether' || a.ft === 'protocol' || a.ft === 'string';
    else if (what === 'matches') ok = a.ft === 'bytes' || a.ft === 'protocol' || a.ft === 'string';
    else ok = a.ft !== 'none';
    if (!ok) this.fail(`${a.src} (type=${prettyType(a.ft, a.bits)}) cannot participate in ${opText} comparison.`, a);
  }

  /** the right side of a relation, typed by the left side */
  private compileRhs(e: Expr, a: CVal, forContains = false): CVal {
    const b = dropNegatives(a, this.compileVal(e, a, forContains));
    if (!b.konst && !compatible(a.ft, b.ft)) this.fail(`${a.src} and ${b.src} are not of compatible types.`, b);
    return b;
  }

  private compileCmp(t: Extract<Test, { k: 'cmp' }>): TestFn {
    const a = this.compileLhs(t.a, t.opText, true);
    this.checkParticipates(a, t.opText, 'cmp');
    const b = this.compileRhs(t.b, a);
    const ops = opsFor(a.ft);
    const op: CmpOp = t.op;
    let all = op === 'all_ne' || op === 'all_eq';
    if (t.match) all = t.match === 'all';
    let rel: (x: V, y: V) => boolean;
    const eq = ops.eq;
    const cmp = ops.cmp;
    switch (op) {
      case 'any_eq':
      case 'all_eq':
        rel = eq;
        break;
      case 'any_ne':
      case 'all_ne':
        rel = (x, y) => !eq(x, y);
        break;
      case 'gt':
        rel = (x, y) => cmp(x, y) > 0;
        break;
      case 'ge':
        rel = (x, y) => cmp(x, y) >= 0;
        break;
      case 'lt':
        rel = (x, y) => cmp(x, y) < 0;
        break;
      case 'le':
        rel = (x, y) => cmp(x, y) <= 0;
        break;
    }
    // all_ne is "not any_eq": with no right-hand value (a negative constant for an unsigned field) it holds
    return pairTest(a, b, rel, all, op === 'all_ne' && !t.match && !b.ref);
  }

  private compileSearch(t: Extract<Test, { k: 'contains' | 'matches' }>): TestFn {
    const a = this.compileLhs(t.a, t.opText);
    this.checkParticipates(a, t.opText, t.k);
    const all = t.match === 'all';
    if (t.k === 'matches') {
      if (t.b.k !== 'string') this.fail('Matches requires a double quoted string on the right side.', t.b);
      const isStr = a.ft === 'string';
      const re = compileRegex(isStr ? latin1ToUtf8(t.b.value) : t.b.value);
      const rel = (x: V): boolean => re.test(typeof x === 'string' ? x : bytesToLatin1(x as Uint8Array));
      return (c) => {
        const n = a.run(c);
        if (n === 0) return false;
        for (let i = 0; i < n; i++) if (rel(a.buf[i]!) !== all) return !all;
        return all;
      };
    }
    const b = this.compileRhs(t.b, a, true);
    const rel =
      a.ft === 'string'
        ? (x: V, y: V) => (x as string).includes(y as string)
        : (x: V, y: V) => bytesContain(x as Uint8Array, y as Uint8Array);
    return pairTest(a, b, rel, all);
  }

  private compileIn(t: Extract<Test, { k: 'in' }>): TestFn {
    const a = this.compileLhs(t.a, 'in');
    this.checkParticipates(a, 'in', 'cmp');
    const ops = opsFor(a.ft);
    const elems = t.set.map((el: SetElem) => ({ lo: this.compileRhs(el.lo, a), hi: el.hi ? this.compileRhs(el.hi, a) : null }));
    const all = t.match === 'all';
    const member = (c: Collector, v: V): boolean => {
      for (const el of elems) {
        const nlo = el.lo.konst ? el.lo.n : el.lo.run(c);
        if (el.hi) {
          const nhi = el.hi.konst ? el.hi.n : el.hi.run(c);
          if (nlo === 0 || nhi === 0) continue;
          if (ops.cmp(v, el.lo.buf[0]!) >= 0 && ops.cmp(v, el.hi.buf[0]!) <= 0) return true;
        } else {
          for (let j = 0; j < nlo; j++) if (ops.eq(v, el.lo.buf[j]!)) return true;
        }
      }
      return false;
    };
    return (c) => {
      const n = a.run(c);
      if (n === 0) return false;
      for (let i = 0; i < n; i++) if (member(c, a.buf[i]!) !== all) return !all;
      return all;
    };
  }

  // ---- value expressions

  private newVal(ft: FieldType, bits: number, sp: Span, run: (c: Collector) => number): CVal {
    const v: CVal = { ft, bits, def: null, slot: -1, layers: null, src: this.srcOf(sp), pos: sp.pos, len: sp.len, konst: false, arith: false, buf: [], n: 0, run };
    return v;
  }

  private constVal(ft: FieldType, bits: number, sp: Span, vals: V[]): CVal {
    const v = this.newVal(ft, bits, sp, () => vals.length);
    v.konst = true;
    v.buf = vals;
    v.n = vals.length;
    return v;
  }

  /**
   * Compile a value expression. `target` is the typed side it is compared with (literals take its type);
   * null on the left side.
   */
  private compileVal(e: Expr, target: CVal | null, forContains = false): CVal {
    switch (e.k) {
      case 'field':
        return this.compileField(e);
      case 'literal':
      case 'string':
      case 'charconst':
        if (!target) this.fail(`${e.text} is neither a field nor a protocol name.`, e);
        return this.constVal(target.ft === 'protocol' || (forContains && target.ft === 'ether') ? 'bytes' : target.ft, target.bits, e, this.convert(e, target, forContains));
      case 'neg':
        return this.compileNeg(e, target);
      case 'slice':
        return this.compileSlice(e);
      case 'func':
        return this.compileFunc(e);
      case 'arith':
        return this.compileArith(e, target);
      case 'ref': {
        // tshark has no selected packet: a reference has no value and every relation using it is false
        const def = lookupField(e.name)!;
        const v = this.constVal(def.type, def.bits, e, []);
        v.ref = true;
        return v;
      }
    }
  }

  private compileField(e: Extract<Expr, { k: 'field' }>): CVal {
    const def = lookupField(e.name);
    if (!def) return this.compileNotDissected(e);
    this.fields.set(def.id, def);
    const col = this.collector;
    const slot = col.slot(def);
    const layers = e.layers;
    if (layers) col.needOrd = true;
    const ft = def.type;
    const v = this.newVal(ft, def.bits, e, (c) => {
      const occ = c.occ[slot]!;
      const li = c.li[slot]!;
      const ord = c.ord[slot]!;
      const buf = v.buf;
      let k = 0;
      for (let i = 0; i < occ.length; i++) {
        if (layers && !inLayers(layers, ord[i]!)) continue;
        const x = occValue(c, occ[i]!, def, li[i]!);
        if (x === undefined) continue;
        buf[k++] = x;
      }
      return k;
    });
    v.def = def;
    v.slot = slot;
    v.layers = layers;
    v.src = e.name;
    return v;
  }

  /** A Wireshark protocol minishark does not dissect: a protocol that is never present. */
  private compileNotDissected(e: Extract<Expr, { k: 'field' }>): CVal {
    const nd = notDissected(e.name);
    if (!nd) throw new FilterFieldError(`${e.name} is neither a field nor a protocol name.`, e.name, e.pos, e.len);
    this.notDissected.set(nd.name, nd);
    const v = this.newVal('protocol', 0, e, () => 0);
    v.ref = true;
    v.src = e.name;
    return v;
  }

  private compileNeg(e: Extract<Expr, { k: 'neg' }>, target: CVal | null): CVal {
    const inner = this.compileVal(e.e, target);
    const ft = inner.ft;
    if (ft !== 'uint' && ft !== 'int' && ft !== 'framenum' && ft !== 'reltime') this.fail(`${ftName(ft, inner.bits)} cannot -.`, e.e);
    if (inner.konst) {
      const out: V[] = [];
      for (let i = 0; i < inner.n; i++) out.push(negate(inner.buf[i]!));
      const k = this.constVal(ft, inner.bits, e, out);
      k.arith = true;
      return k;
    }
    const v = this.newVal(ft, inner.bits, e, (c) => {
      const n = inner.run(c);
      for (let i = 0; i < n; i++) v.buf[i] = negate(inner.buf[i]!);
      return n;
    });
    v.arith = true;
    return v;
  }

  private compileSlice(e: Extract<Expr, { k: 'slice' }>): CVal {
    if (e.e.k === 'literal' || e.e.k === 'string' || e.e.k === 'charconst') this.fail(`Range is not supported for entity ${e.e.text}.`, e.e);
    const inner = this.compileVal(e.e, null);
    if (!SLICEABLE.has(inner.ft)) {
      this.fail(`"${inner.src}" is a ${prettyType(inner.ft, inner.bits)} and cannot be sliced into a sequence of bytes.`, inner);
    }
    const ranges = e.ranges;
    if (inner.ft === 'string') {
      const v = this.newVal('string', 0, e, (c) => {
        const n = inner.run(c);
        let k = 0;
        for (let i = 0; i < n; i++) {
          const s = inner.buf[i] as string;
          let out = '';
          let ok = true;
          for (const r of ranges) {
            if (!resolveSlice(r, s.length)) {
              ok = false;
              break;
            }
            out += s.substr(sliceOff, sliceLen);
          }
          if (ok) v.buf[k++] = out;
        }
        return k;
      });
      return v;
    }
    const ft = inner.ft;
    const v = this.newVal('bytes', 0, e, (c) => {
      const n = inner.run(c);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const b = toBytes(inner.buf[i]!, ft);
        if (!b) continue;
        if (ranges.length === 1) {
          if (resolveSlice(ranges[0]!, b.length)) v.buf[k++] = b.subarray(sliceOff, sliceOff + sliceLen);
          continue;
        }
        const parts: number[] = [];
        let ok = true;
        for (const r of ranges) {
          if (!resolveSlice(r, b.length)) {
            ok = false;
            break;
          }
          for (let j = 0; j < sliceLen; j++) parts.push(b[sliceOff + j]!);
        }
        if (ok) v.buf[k++] = Uint8Array.from(parts);
      }
      return k;
    });
    return v;
  }

  private compileFunc(e: Extract<Expr, { k: 'func' }>): CVal {
    const name = e.name;
    const [min, max] = name === 'max' || name === 'min' ? [1, Infinity] : [1, 1];
    if (e.args.length < min) this.fail(`Function ${name} needs at least ${min} arguments.`, e.nameSpan);
    if (e.args.length > max) this.fail(`Function ${name} can only accept ${max} arguments.`, e.nameSpan);
    const a0 = e.args[0]!;
    switch (name) {
      case 'count': {
        if (a0.k !== 'field') this.fail('Only fields can be used as parameter for count()', a0.k === 'slice' ? null : a0);
        const f = this.compileField(a0);
        const v = this.newVal('uint', 32, e, (c) => {
          const n = f.run(c);
          if (n === 0) return 0;
          v.buf[0] = n;
          return 1;
        });
        return v;
      }
      case 'len': {
        if (a0.k !== 'field' && a0.k !== 'slice') this.fail('Only fields can be used as parameter for len()', a0);
        const f = this.compileVal(a0, null);
        if (f.ft === 'protocol' && f.slot >= 0) {
          // a protocol's length is its item's length, not the bytes it hands on
          const slot = f.slot;
          const layers = f.layers;
          const v = this.newVal('uint', 32, e, (c) => {
            const occ = c.occ[slot]!;
            const ord = c.ord[slot]!;
            let k = 0;
            for (let i = 0; i < occ.length; i++) {
              if (layers && !inLayers(layers, ord[i]!)) continue;
              const o = occ[i]!;
              v.buf[k++] = isLayer(o) ? o.length : (o as FieldNode).length;
            }
            return k;
          });
          return v;
        }
        const ft = f.ft;
        const bits = f.bits;
        const v = this.newVal('uint', 32, e, (c) => {
          const n = f.run(c);
          let k = 0;
          for (let i = 0; i < n; i++) {
            const x = f.buf[i]!;
            let l = -1;
            if (x instanceof Uint8Array) l = x.length;
            else if (typeof x === 'string') l = Buffer.byteLength(x, 'utf8');
            else if (ft === 'ipv4') l = 4;
            else if (ft === 'uint' || ft === 'int' || ft === 'framenum') l = intBytes(bits);
            if (l >= 0) v.buf[k++] = l;
          }
          return k;
        });
        return v;
      }
      case 'string': {
        const f = this.compileVal(a0, null);
        const ft = f.ft;
        if (!(isNumeric(ft) || ft === 'ipv4' || ft === 'ipv6' || ft === 'ether' || ft === 'string')) {
          this.fail(`String conversion for field "${f.src}" is not supported`, f);
        }
        const v = this.newVal('string', 0, e, (c) => {
          const n = f.run(c);
          for (let i = 0; i < n; i++) {
            const x = f.buf[i]!;
            v.buf[i] =
              ft === 'ipv4' ? ipv4Str(x as number) : ft === 'ipv6' ? ipv6Str(x as Uint8Array) : ft === 'ether' ? etherStr(x as Uint8Array) : String(x);
          }
          return n;
        });
        return v;
      }
      case 'upper':
      case 'lower': {
        const f = this.compileVal(a0, null);
        if (f.ft !== 'string') this.fail(`Only string type fields can be used as parameter for ${name}()`, f);
        const up = name === 'upper';
        const v = this.newVal('string', 0, e, (c) => {
          const n = f.run(c);
          for (let i = 0; i < n; i++) v.buf[i] = up ? (f.buf[i] as string).toUpperCase() : (f.buf[i] as string).toLowerCase();
          return n;
        });
        return v;
      }
      case 'abs': {
        const f = this.compileVal(a0, null);
        if (!isNumeric(f.ft) && f.ft !== 'reltime') this.fail(`'${f.src}' is not a valid argument to 'abs'()`, f);
        const v = this.newVal(f.ft, f.bits, e, (c) => {
          const n = f.run(c);
          for (let i = 0; i < n; i++) {
            const x = f.buf[i]!;
            v.buf[i] = typeof x === 'number' ? Math.abs(x) : { sec: Math.abs((x as Time).sec), nsec: Math.abs((x as Time).nsec) };
          }
          return n;
        });
        return v;
      }
      default: {
        // max / min over every value of every argument
        const args = e.args.map((a) => this.compileVal(a, null));
        const t0 = args[0]!;
        for (const a of args) {
          if (!(isNumeric(a.ft) || a.ft === 'reltime' || a.ft === 'abstime' || a.ft === 'string' || a.ft === 'ipv4')) {
            this.fail(`'${a.src}' is not a valid argument to '${name}'()`, a);
          }
          if (!compatible(a.ft, t0.ft)) this.fail(`Arguments to '${name}' must have the same type (expected ${prettyType(t0.ft, t0.bits)}, got ${prettyType(a.ft, a.bits)}).`, a);
        }
        const ops = opsFor(t0.ft);
        const sign = name === 'max' ? 1 : -1;
        const v = this.newVal(t0.ft, t0.bits, e, (c) => {
          let best: V | undefined;
          for (const a of args) {
            const n = a.run(c);
            for (let i = 0; i < n; i++) {
              const x = a.buf[i]!;
              if (best === undefined || sign * ops.cmp(x, best) > 0) best = x;
            }
          }
          if (best === undefined) return 0;
          v.buf[0] = best;
          return 1;
        });
        return v;
      }
    }
  }

  private compileArith(e: Extract<Expr, { k: 'arith' }>, target: CVal | null): CVal {
    const untyped = (x: Expr): boolean => x.k === 'literal' || x.k === 'string' || x.k === 'charconst';
    let a: CVal;
    if (untyped(e.a) && target) a = this.compileVal(e.a, target);
    else if (untyped(e.a)) this.fail('Constant arithmetic expression on the LHS is invalid.', e.a);
    else a = this.compileVal(e.a, target);
    const ft = a.ft;
    const op = e.op;
    const okNum = isNumeric(ft);
    const ok = okNum || (op === '&' && (ft === 'ipv4' || isBytesLike(ft))) || ((op === '+' || op === '-') && ft === 'reltime');
    if (!ok) this.fail(`${ftName(ft, a.bits)} cannot ${op}.`, a);
    const b = dropNegatives(a, this.compileVal(e.b, a));
    if (!b.konst && !compatible(ft, b.ft)) this.fail(`${a.src} and ${b.src} are not of compatible types.`, b);
    // tshark 4.0 keeps 8- to 32-bit unsigned values in 32 bits: a result above that has no value
    const max = ft === 'uint' || ft === 'framenum' ? (a.bits <= 32 ? ONES : 2 ** 64 - 1) : Infinity;
    const f = (x: V, y: V): V | undefined => {
      if (typeof x === 'number') {
        const yy = ft === 'ipv4' ? v4net(y) : (y as number);
        let r: number;
        switch (op) {
          case '+':
            r = x + yy;
            break;
          case '-':
            r = x - yy;
            break;
          case '*':
            r = x * yy;
            break;
          case '/':
            if (yy === 0) return undefined;
            r = Math.trunc(x / yy);
            break;
          case '%':
            if (yy === 0) return undefined;
            r = x % yy;
            break;
          case '&':
            r = x <= ONES && yy <= ONES && x >= 0 && yy >= 0 ? (x & yy) >>> 0 : Number(BigInt(Math.trunc(x)) & BigInt(Math.trunc(yy)));
            break;
        }
        return r > max ? undefined : r;
      }
      if (x instanceof Uint8Array) {
        const yb = y as Uint8Array;
        if (yb.length !== x.length) return undefined;
        const out = new Uint8Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = x[i]! & yb[i]!;
        return out;
      }
      const t = x as Time;
      const u = y as Time;
      let sec = op === '+' ? t.sec + u.sec : t.sec - u.sec;
      let nsec = op === '+' ? t.nsec + u.nsec : t.nsec - u.nsec;
      if (nsec >= 1e9) {
        sec++;
        nsec -= 1e9;
      } else if (nsec < 0 && sec > 0) {
        sec--;
        nsec += 1e9;
      }
      return { sec, nsec };
    };
    // integer results keep the left side's type (the right side of a comparison is range-checked
    // against it) but may go below zero: `tcp.len - 1 < 0` holds for an empty segment in tshark 4.0
    const resFt: FieldType = isBytesLike(ft) ? 'bytes' : ft;
    const resBits = a.bits;
    if (a.konst && b.konst) {
      const out: V[] = [];
      for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) {
        const r = f(a.buf[i]!, b.buf[j]!);
        if (r !== undefined) out.push(r);
      }
      const k = this.constVal(resFt, resBits, e, out);
      k.arith = okNum;
      return k;
    }
    const v = this.newVal(resFt, resBits, e, (c) => {
      const na = a.run(c);
      if (na === 0) return 0;
      const nb = b.konst ? b.n : b.run(c);
      let k = 0;
      for (let i = 0; i < na; i++)
        for (let j = 0; j < nb; j++) {
          const r = f(a.buf[i]!, b.buf[j]!);
          if (r !== undefined) v.buf[k++] = r;
        }
      return k;
    });
    v.arith = okNum;
    return v;
  }

  // ---- literals

  /** Convert a literal, string or character constant to the type of `t`. */
  private convert(e: Extract<Expr, { k: 'literal' | 'string' | 'charconst' }>, t: CVal, forContains: boolean): V[] {
    const ft = t.ft;
    const def = t.def;
    const abbrev = def ? def.abbrev : t.src;
    const notFound = (s: string): never => this.fail(`"${s}" cannot be found among the possible values for ${abbrev}.`, e);
    const fromString = (): never => this.fail(`${prettyType(ft, t.bits)} cannot be converted from a string ("${latin1ToUtf8((e as { value: string }).value)}").`, e);
    switch (ft) {
      case 'uint':
      case 'int':
      case 'framenum': {
        if (e.k === 'charconst') return [e.num];
        if (e.k === 'string') {
          const hits = valsLookup(def, latin1ToUtf8(e.value));
          if (hits.length) return hits;
          if (def?.vals) notFound(latin1ToUtf8(e.value));
          return fromString();
        }
        const n = parseIntLit(e.value);
        if (n === null) {
          const hits = valsLookup(def, e.value);
          if (hits.length) return hits;
          if (def?.vals) notFound(e.value);
          this.fail(`"${e.text}" is not a valid number.`, e);
        }
        const bits = ft === 'framenum' ? 32 : intBytes(t.bits) * 8;
        const max = ft === 'int' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
        if (n > max) this.fail(`"${e.text}" too big for this field, maximum ${max}.`, e);
        return [n];
      }
      case 'bool': {
        if (e.k === 'charconst') return [e.num ? 1 : 0];
        const s = e.k === 'string' ? latin1ToUtf8(e.value) : e.value;
        if (e.k === 'literal') {
          if (s === 'True' || s === 'TRUE') return [1];
          if (s === 'False' || s === 'FALSE') return [0];
          const n = parseIntLit(s);
          if (n !== null) return [n ? 1 : 0];
        }
        const tf = def?.tf ?? ['True', 'False'];
        if (s.toLowerCase() === tf[0].toLowerCase()) return [1];
        if (s.toLowerCase() === tf[1].toLowerCase()) return [0];
        return notFound(s);
      }
      case 'ipv4': {
        if (e.k !== 'literal') return e.k === 'string' ? fromString() : this.fail(`"${e.text}" is not a valid hostname or IPv4 address.`, e);
        const [addr, bitsS] = e.value.split('/');
        const a = parseIPv4(addr!);
        if (a === null) this.fail(`"${addr}" is not a valid hostname or IPv4 address.`, e);
        if (bitsS === undefined) return [a];
        const bits = Number(bitsS);
        if (!/^[0-9]+$/.test(bitsS) || bits > 32) this.fail(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bitsS}`, e);
        const mask = bits === 0 ? 0 : (ONES << (32 - bits)) >>> 0;
        return [{ net: (a & mask) >>> 0, mask } as Cidr4];
      }
      case 'ipv6': {
        if (e.k !== 'literal') return e.k === 'string' ? fromString() : this.fail(`"${e.text}" is not a valid hostname or IPv6 address.`, e);
        const [addr, bitsS] = e.value.split('/');
        const a = parseIPv6(addr!);
        if (!a) this.fail(`"${addr}" is not a valid hostname or IPv6 address.`, e);
        if (bitsS === undefined) return [a];
        const bits = Number(bitsS);
        if (!/^[0-9]+$/.test(bitsS) || bits > 128) this.fail(`Prefix in a IPv6 address should be <= 128, not ${bitsS}`, e);
        return [{ addr: a, prefix: bits } as Cidr6];
      }
      case 'ether': {
        if (forContains) return this.convertBytes(e);
        if (e.k === 'string') return fromString();
        if (e.k === 'charconst') this.fail(`"${e.text}" is not a valid Ethernet address.`, e);
        const b = parseBytesLit(e.value);
        if (!b) this.fail(`"${e.text}" is not a valid Ethernet address.`, e);
        if (b.length < 6) this.fail(`"${e.text}" contains too few bytes to be a valid Ethernet address.`, e);
        if (b.length > 6) this.fail(`"${e.text}" contains too many bytes to be a valid Ethernet address.`, e);
        return [b];
      }
      case 'bytes':
      case 'protocol':
        return this.convertBytes(e);
      case 'string':
        if (e.k === 'charconst') return [String.fromCharCode(e.num)];
        return [latin1ToUtf8(e.value)];
      case 'reltime': {
        if (e.k === 'string') return fromString();
        if (e.k === 'charconst' || !/^[0-9]+(\.[0-9]+)?$/.test(e.value)) this.fail(`"${e.text}" is not a valid time.`, e);
        const [s, f] = e.value.split('.');
        return [{ sec: Number(s), nsec: fracNs(f) }];
      }
      case 'abstime': {
        const s = e.k === 'charconst' ? e.text : latin1ToUtf8(e.value);
        const tm = parseAbsTime(s);
        if (!tm) {
          this.fail(`"${s}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`, e);
        }
        return [tm];
      }
      case 'none':
        return this.fail(`${abbrev} (type=Label) cannot participate in comparison.`, e);
    }
  }

  private convertBytes(e: Extract<Expr, { k: 'literal' | 'string' | 'charconst' }>): V[] {
    if (e.k === 'charconst') return [Uint8Array.of(e.num & 255)];
    if (e.k === 'string') return [Uint8Array.from(Buffer.from(e.value, 'latin1'))];
    if (/^0[xX][0-9A-Fa-f]+$/.test(e.value)) {
      const n = parseInt(e.value.slice(2), 16);
      if (n <= 0xff) return [Uint8Array.of(n)];
      this.fail(`"${e.text}" is not a valid byte string.`, e);
    }
    const b = parseBytesLit(e.value);
    if (!b) this.fail(`"${e.text}" is not a valid byte string.`, e);
    return [b];
  }
}

/**
 * tshark 4.0 cannot compare an unsigned field with a negative constant: `tcp.port > -1`,
 * `tcp.port < -1` and `tcp.port == -1` are all false (and `!=` true). An arithmetic left side is
 * signed and compares normally (`tcp.len - 1 == -1`).
 */
function dropNegatives(a: CVal, b: CVal): CVal {
  if (!b.konst || a.arith || (a.ft !== 'uint' && a.ft !== 'framenum')) return b;
  let neg = false;
  for (let i = 0; i < b.n; i++) if ((b.buf[i] as number) < 0) neg = true;
  if (!neg) return b;
  const keep = b.buf.slice(0, b.n).filter((x) => (x as number) >= 0);
  return { ...b, buf: keep, n: keep.length, run: () => keep.length };
}

function negate(x: V): V {
  if (typeof x === 'number') return x === 0 ? 0 : -x;
  const t = x as Time;
  return { sec: -t.sec, nsec: -t.nsec };
}

/** any/all over every pair of left and right values */
function pairTest(a: CVal, b: CVal, rel: (x: V, y: V) => boolean, all: boolean, emptyRhs = false): TestFn {
  if (b.konst && b.n === 1) {
    const y = b.buf[0]!;
    return (c) => {
      const n = a.run(c);
      if (n === 0) return false;
      const A = a.buf;
      if (all) {
        for (let i = 0; i < n; i++) if (!rel(A[i]!, y)) return false;
        return true;
      }
      for (let i = 0; i < n; i++) if (rel(A[i]!, y)) return true;
      return false;
    };
  }
  return (c) => {
    const na = a.run(c);
    if (na === 0) return false;
    const nb = b.konst ? b.n : b.run(c);
    if (nb === 0) return emptyRhs;
    const A = a.buf;
    const B = b.buf;
    for (let i = 0; i < na; i++)
      for (let j = 0; j < nb; j++) {
        if (rel(A[i]!, B[j]!) !== all) return !all;
      }
    return all;
  };
}

/** JS RegExp messages → PCRE2's wording for the common mistakes. */
const PCRE_MESSAGES: Record<string, string> = {
  'Unterminated group': 'missing closing parenthesis',
  "Unmatched ')'": 'unmatched closing parenthesis',
  'Nothing to repeat': 'quantifier does not follow a repeatable item',
  'Unterminated character class': 'missing terminating ] for character class',
  '\\ at end of pattern': '\\ at end of pattern',
  'numbers out of order in {} quantifier': 'numbers out of order in {} quantifier',
  'Range out of order in character class': 'range out of order in character class',
};

/**
 * PCRE2 pattern → JS RegExp. Wireshark 4.0 matches case-insensitively unless told otherwise; the
 * (?i) / (?-i) / (?s) / (?m) option settings are applied to the whole pattern; \A, \z, \Z become ^ / $.
 */
export function compileRegex(pattern: string): RegExp {
  const flags = new Set(['i']);
  let p = pattern.replace(/\(\?([imsx]*)(?:-([imsx]*))?\)/g, (_m, on: string, off: string | undefined) => {
    for (const f of on) flags.add(f);
    for (const f of off ?? '') flags.delete(f);
    return '';
  });
  p = p.replace(/(\\\\)|\\A|\\[zZ]/g, (m, esc: string | undefined) => (esc ? esc : m === '\\A' ? '^' : '$'));
  flags.delete('x');
  try {
    return new RegExp(p, [...flags].join(''));
  } catch (e) {
    const msg = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    throw new FilterSyntaxError(`Regex compilation error: ${PCRE_MESSAGES[msg] ?? msg.charAt(0).toLowerCase() + msg.slice(1)}.`, -1, 0);
  }
}

/** Parse and compile a filter. */
export function compile(text: string): Compiled {
  const tree = parseFilter(text, (name) => lookupField(name) !== undefined || notDissected(name) !== null);
  const comp = new Compiler(text);
  const test = tree ? comp.compileTest(tree) : null;
  return { test, fields: [...comp.fields.values()], collector: comp.collector, notDissected: [...comp.notDissected.values()] };
}

export type { Collector };
