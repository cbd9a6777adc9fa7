/**
 * -T json / -T jsonl: each packet as one JSON object built from the field tree, with keys derived
 * mechanically from Wireshark's field names so that a jq path reads like the display-filter name:
 *
 *   tcp.srcport           → .tcp.srcport           (51454)
 *   tcp.analysis.retransmission → .tcp.analysis.retransmission (true)
 *   ip.src                → .ip[0].src             ("10.99.0.1": ip can repeat, rule 4)
 *
 * The rules (also in schema/minishark.schema.json):
 * 1. A field named a.b.c is stored at .a.b.c; the name is split at every dot. Each protocol layer is
 *    the object at its own name (.frame, .eth, .ip, .tcp, ._ws.malformed).
 * 2. A name that has a value and is also the start of longer names that have values (tcp.flags and
 *    tcp.flags.syn; eth.dst and eth.dst.lg) is an object, and its own value is under "_value":
 *    .tcp.flags._value (24), .tcp.flags.syn (false). Which names are such "groups" is fixed by the
 *    field registry (the same for every packet), not by what one packet happens to contain.
 * 3. Value-less flags (type none: most expert items) are `true` when present, never arrays. A flag
 *    whose name hangs below a name that holds a plain value (tcp.ack.nonzero below tcp.ack) gets no
 *    key, in every packet (the registry decides): find it in ._ws.expert[] (every expert item is
 *    there, with its field name).
 * 4. One type per key. A field the registry declares repeating (FieldDef.repeats: it can occur more
 *    than once in its layer) is an array of its values in tree order in every packet, even of one
 *    (.tcp.option_len = [10]); any other field is never an array (a second occurrence, only in a
 *    broken header, keeps the first value). A protocol declared repeating (IP in IP, VLAN in VLAN)
 *    is an array of layer objects in every packet: .ip[0].src. Layers quoted inside another layer
 *    (the packet in an ICMP error) are nested in that layer's object: .icmp.ip[0].src,
 *    .icmp.udp.dstport; so is another protocol's item inside a header (.tcp.data); a field at such
 *    a key (icmpv6.data) is a group (rule 2).
 * 5. Values are typed: integers as numbers (64-bit ones beyond 2^53 as decimal strings), booleans as
 *    true/false, addresses as strings, byte strings as lower-case hex, relative times as decimal
 *    strings with 9 digits ("0.000043000"), absolute times as ISO 8601 UTC with nanoseconds
 *    ("2026-11-22T05:23:26.528759000Z"): no float ever touches a timestamp.
 * 6. Hidden fields (ip.addr, tcp.port, ...) are left out, as tshark's JSON leaves them out, unless
 *    named with -e; so are text-only labels (Wireshark's `text` pseudo-field), whose children are kept.
 * 7. Every object starts with "schema": JSON_SCHEMA_VERSION. ._ws.expert is an array of
 *    {field, severity, group, message, protocol} objects, one per expert item, in order.
 * With -e, only the named fields (a protocol name: its whole layer; _ws.col.*: the columns at
 * ._ws.col["No."], ._ws.col.Info ...; _ws.expert: the expert list) are kept.
 */
import { etherStr, hexStr, ipv4Str, ipv6Str } from '../core/addr.js';
import { allFields, lookupField, type FieldDef, type FieldNode, type Time } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { columnValue } from './columns.js';
import type { FieldRef } from './fields.js';
import { formatRelTime, isTime } from './format.js';
import { relativeTime, type TimeText } from './time-format.js';
import { decimal } from '../core/decimal.js';

export const JSON_SCHEMA_VERSION = 2;

type JVal = string | number | boolean | JObj | JVal[] | Slot;
interface JObj {
  [k: string]: JVal;
}

let groupNames: Set<string> | null = null;
let groupCount = -1;

/** Whether a protocol makes layers of its own (a top-level name, or a _ws pseudo-layer such as
 * _ws.malformed), as opposed to a protocol-typed item inside a header (tcp.options.nop). */
export function isLayerProtocol(d: FieldDef): boolean {
  return d.type === 'protocol' && (!d.abbrev.includes('.') || d.abbrev.startsWith('_ws.'));
}

/** Whether a field's key is also where a layer nests in its layer (icmpv6.data, where a datagram
 * quoted in an ICMPv6 error puts its `data` layer): such a field is a group, its value at _value. */
export function nestsLayer(abbrev: string): boolean {
  const dot = abbrev.indexOf('.');
  if (dot < 0 || abbrev.indexOf('.', dot + 1) >= 0) return false;
  const outer = lookupField(abbrev.slice(0, dot));
  const inner = lookupField(abbrev.slice(dot + 1));
  return !!outer && !!inner && outer !== inner && isLayerProtocol(outer) && isLayerProtocol(inner);
}

/** Names that have longer names with values below them (rule 2), from the field registry. */
export function jsonGroups(): Set<string> {
  const all = allFields();
  if (groupNames && groupCount === all.length) return groupNames;
  const g = new Set<string>();
  for (const d of all) {
    if (d.type === 'none') continue;
    const a = d.abbrev;
    for (let i = a.indexOf('.'); i > 0; i = a.indexOf('.', i + 1)) g.add(a.slice(0, i));
    if (nestsLayer(a)) g.add(a);
  }
  groupNames = g;
  groupCount = all.length;
  return g;
}

/** Whether a name hangs below a name that holds a plain value (tcp.ack.nonzero below tcp.ack,
 * tcp.options.mss.absent below tcp.options.mss): a flag there gets no key (rule 3), whether or not
 * that value is in the packet. */
export function hangsBelowValue(abbrev: string, groups: Set<string>): boolean {
  for (let i = abbrev.indexOf('.'); i > 0; i = abbrev.indexOf('.', i + 1)) {
    const prefix = abbrev.slice(0, i);
    const d = lookupField(prefix);
    if (d && !groups.has(prefix) && !isLayerProtocol(d)) return true;
  }
  return false;
}

/** ISO 8601 UTC with nanoseconds. */
let isoSec = NaN;
let isoHead = '';
export function isoTime(t: Time): string {
  if (t.sec !== isoSec) {
    // consecutive packets mostly share the second: its text is made once
    const d = new Date(t.sec * 1000);
    if (Number.isNaN(d.getTime())) return `${t.sec}.${String(t.nsec).padStart(9, '0')}`;
    isoHead = d.toISOString().slice(0, 19); // 2026-11-22T05:23:26
    isoSec = t.sec;
  }
  return `${isoHead}.${String(Math.abs(t.nsec)).padStart(9, '0')}Z`;
}

/** A field value as JSON (rule 5); undefined when there is nothing to show. */
export function jsonValue(n: FieldNode): JVal | undefined {
  const d = n.def;
  const v = n.value;
  switch (d.type) {
    case 'none':
      return true;
    case 'protocol':
      if (v instanceof Uint8Array) return hexStr(v);
      if (typeof v === 'string') return v;
      return true;
    case 'uint':
    case 'int':
    case 'framenum':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
      return undefined;
    case 'bool':
      return v === null ? undefined : !!v;
    case 'ipv4':
      return typeof v === 'number' ? ipv4Str(v) : typeof v === 'string' ? v : undefined;
    case 'ipv6':
      return v instanceof Uint8Array ? ipv6Str(v) : typeof v === 'string' ? v : undefined;
    case 'ether':
      return v instanceof Uint8Array ? etherStr(v) : typeof v === 'string' ? v : undefined;
    case 'bytes':
      return v instanceof Uint8Array ? hexStr(v) : typeof v === 'string' ? v : undefined;
    case 'string':
      return v === null ? undefined : String(v);
    case 'reltime':
      return isTime(v) ? formatRelTime(v) : undefined;
    case 'abstime':
      return isTime(v) ? isoTime(v) : undefined;
  }
  return undefined;
}

/** Layer objects and arrays of repeated layers carry this (symbol keys are not serialized). */
const LAYER = Symbol('layer');
function markLayer(o: object): void {
  (o as { [LAYER]?: true })[LAYER] = true;
}
function isLayer(o: object): boolean {
  return (o as { [LAYER]?: true })[LAYER] === true;
}
const isLayerArray = isLayer;

function isObj(v: JVal | undefined): v is JObj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Slot);
}

const COLUMN_KEYS: Record<string, string> = {
  '_ws.col.No.': 'No.',
  '_ws.col.Time': 'Time',
  '_ws.col.Source': 'Source',
  '_ws.col.Destination': 'Destination',
  '_ws.col.Protocol': 'Protocol',
  '_ws.col.Length': 'Length',
  '_ws.col.Info': 'Info',
};

export interface JsonOptions {
  /** -e: only these fields (null: everything) */
  refs?: FieldRef[] | null;
  /** the Time column's format (-t), for _ws.col.Time */
  time?: TimeText;
}

/**
 * A value slot in a compiled template: the index of the collected entry whose value goes there.
 * Only template objects hold slots; the objects `JsonBuilder.packet` returns never do.
 */
class Slot {
  constructor(readonly i: number) {}
}

// what a collected entry is (JsonBuilder.meta)
const E_NODE = 0;
const E_LAYER = 1;
const E_INNER = 2;
const E_CREATE = 4;
const E_NEST = 8;

/** A packet's JSON text as literal pieces around value slots: lits[0] v0 lits[1] v1 … lits[n]. */
interface Template {
  lits: string[];
  slots: number[];
}

/**
 * Builds the JSON of a packet (rules at the top of this file) in two steps. `collect` walks the
 * layers once and lists what goes out: a marker per layer, then each kept field with its JSON
 * value, then the columns and the expert items; `build` places that list into the object. Where a
 * value lands depends only on the list's shape (which fields, in which layers, in which order),
 * not on the values, so the printer compiles each shape once into a template of literal text and
 * value slots, and later packets of that shape are written straight from their values.
 */
export class JsonBuilder {
  private readonly groups = jsonGroups();
  private readonly want: Set<number> | null;
  private readonly wantLayers: Set<string>;
  private readonly columns: string[] = [];
  private readonly wantExpert: boolean;
  private readonly time: TimeText;

  /** the collected entries of the current packet (arrays reused from packet to packet) */
  private n = 0;
  private readonly meta: number[] = [];
  private readonly defs: Array<FieldDef | null> = [];
  readonly vals: JVal[] = [];
  /** index of the first column entry (after the layers) */
  private nLayers = 0;
  /** the shape of the collected list, as UTF-16 code units (the template key) */
  private readonly sig: number[] = [];
  private m = 0;
  /** false when a field id does not fit a code unit: that packet is not templated */
  private keyable = true;

  constructor(opts: JsonOptions = {}) {
    const refs = opts.refs ?? null;
    this.time = opts.time ?? relativeTime;
    this.wantLayers = new Set();
    if (!refs) {
      this.want = null;
      this.wantExpert = true;
    } else {
      this.want = new Set();
      let expert = false;
      for (const r of refs) {
        if (r.column) this.columns.push(r.column);
        else if (r.def && isLayerProtocol(r.def)) this.wantLayers.add(r.def.abbrev);
        else if (r.def) {
          if (r.def.abbrev === '_ws.expert' || r.def.abbrev.startsWith('_ws.expert.')) expert = true;
          else this.want.add(r.def.id);
        }
      }
      this.wantExpert = expert;
    }
  }

  /** The JSON object of a packet. */
  packet(pkt: Packet): JObj {
    this.collect(pkt);
    return this.build(false);
  }

  /** Step 1: list the packet's entries; returns the shape key (null: not templatable). */
  collect(pkt: Packet): string | null {
    this.n = 0;
    this.m = 0;
    this.keyable = true;
    for (const L of pkt.layers) {
      const all = this.want === null || this.wantLayers.has(L.proto);
      const create = all || this.anyWanted(L.fields);
      this.entry(E_LAYER | (L.inner ? E_INNER : 0) | (create ? E_CREATE : 0), L.def, true);
      this.sig[this.m++] = 0;
      this.code(L.def.id);
      this.sig[this.m++] = (L.inner ? 2 : 0) | (create ? 1 : 0);
      if (create) this.collectNodes(L.fields, all, L.proto, false);
    }
    this.nLayers = this.n;
    for (const c of this.columns) this.entry(E_NODE, null, columnValue(pkt, c, this.time));
    if (this.wantExpert && pkt.expert.length) {
      this.sig[this.m++] = 0xffff;
      this.code(pkt.expert.length);
      for (const e of pkt.expert) {
        this.entry(E_NODE, null, e.abbrev);
        this.entry(E_NODE, null, e.severity);
        this.entry(E_NODE, null, e.group);
        this.entry(E_NODE, null, e.message);
        this.entry(E_NODE, null, e.proto);
      }
    }
    if (!this.keyable) return null;
    const sig = this.sig;
    sig.length = this.m;
    return String.fromCharCode.apply(null, sig);
  }

  private entry(meta: number, def: FieldDef | null, v: JVal): void {
    const i = this.n++;
    this.meta[i] = meta;
    this.defs[i] = def;
    this.vals[i] = v;
  }

  /** a number as one code unit of the shape key (0, 0xfffe and 0xffff are markers) */
  private code(x: number): void {
    if (x + 1 >= 0xfffe) this.keyable = false;
    this.sig[this.m++] = x + 1;
  }

  /**
   * The kept nodes of a layer `proto`, in tree order. `all`: every shown node (else only the -e
   * names, which are kept even when hidden). `nest`: the nodes are inside another protocol's item
   * carried in this layer's header (tshark's `data` in a TCP option), placed in the layer's object.
   */
  private collectNodes(nodes: FieldNode[], all: boolean, proto: string, nest: boolean): void {
    const want = this.want;
    for (const n of nodes) {
      const d = n.def;
      const hidden = n.hidden === true;
      const named = want !== null && want.has(d.id);
      const inside = nest || (d.type === 'protocol' && d.abbrev !== proto && !d.abbrev.includes('.'));
      // a text-only label ("[Timestamps]", Wireshark's `text` pseudo-field) has no value: only its children count
      if ((hidden ? named : all || named) && d.abbrev !== 'text') {
        const v = jsonValue(n);
        if (v !== undefined) {
          this.entry(inside ? E_NEST : E_NODE, d, v);
          if (inside) this.sig[this.m++] = 0xfffe;
          this.code(d.id);
        }
      }
      if (n.children) this.collectNodes(n.children, all && !hidden, proto, inside);
    }
  }

  /** Step 2: the object of the collected entries; with `slots`, each value is its Slot. */
  build(slots: boolean): JObj {
    const root: JObj = { schema: JSON_SCHEMA_VERSION };
    const { meta, defs, vals } = this;
    /** the object of the last outer layer (inner, quoted layers nest in it; made for them when the
     * outer layer itself has no kept field), and that layer's protocol */
    let outer: JObj | null = root;
    let outerDef: FieldDef | null = null;
    let container: JObj = root;
    let obj: JObj | null = null;
    let proto = '';
    const val = (i: number): JVal => (slots ? new Slot(i) : vals[i]!);
    for (let i = 0; i < this.nLayers; i++) {
      const m = meta[i]!;
      if (m === E_NODE || m === E_NEST) {
        if (obj) this.place(obj, container, proto, defs[i]!, val(i), m === E_NEST);
        continue;
      }
      const inner = (m & E_INNER) !== 0;
      const create = (m & E_CREATE) !== 0;
      if (inner && create && !outer && outerDef) outer = this.layerObject(root, outerDef);
      container = inner ? (outer ?? root) : root;
      proto = defs[i]!.abbrev;
      // a layer of Wireshark's `text` label (ARP's duplicate-address note) has no object of its own
      obj = !create ? null : proto === 'text' ? {} : this.layerObject(container, defs[i]!);
      if (!inner) {
        outer = obj;
        outerDef = defs[i]!;
      }
    }
    let i = this.nLayers;
    if (this.columns.length) {
      const col: JObj = {};
      for (const c of this.columns) col[COLUMN_KEYS[c] ?? c] = val(i++);
      const ws = this.descend(root, '_ws');
      if (ws) ws.col = col;
    }
    if (i < this.n) {
      const ws = this.descend(root, '_ws');
      if (ws) {
        const list: JVal[] = [];
        for (; i < this.n; i += 5) list.push({ field: val(i), severity: val(i + 1), group: val(i + 2), message: val(i + 3), protocol: val(i + 4) });
        ws.expert = list;
      }
    }
    return root;
  }

  /** whether some wanted, shown field is among these nodes (or below them) */
  private anyWanted(nodes: FieldNode[]): boolean {
    const want = this.want;
    if (want === null) return true;
    for (const n of nodes) if (want.has(n.def.id) || (n.children && this.anyWanted(n.children))) return true;
    return false;
  }

  /** step into obj[key] as an object (creating it); null when a plain value is there (rule 3) */
  private descend(obj: JObj, key: string): JObj | null {
    const v = obj[key];
    if (v === undefined) {
      const o: JObj = {};
      obj[key] = o;
      return o;
    }
    if (isObj(v)) return v;
    if (Array.isArray(v) && isLayerArray(v)) return v[v.length - 1] as JObj;
    return null;
  }

  /** the object for a new layer: a fresh object at the protocol's path; for a protocol the registry
   * says can repeat, an array of layer objects, even of one (rule 4). A second layer of a protocol
   * that cannot repeat gets no object (its key keeps one type). */
  private layerObject(container: JObj, def: FieldDef): JObj | null {
    const parts = def.abbrev.split('.');
    let cur: JObj | null = container;
    for (let i = 0; i < parts.length - 1 && cur; i++) cur = this.descend(cur, parts[i]!);
    if (!cur) return null;
    const key = parts[parts.length - 1]!;
    const fresh: JObj = {};
    markLayer(fresh);
    const v = cur[key];
    if (v === undefined) {
      if (def.repeats) {
        const arr: JVal[] = [fresh];
        markLayer(arr);
        cur[key] = arr;
      } else cur[key] = fresh;
    } else if (Array.isArray(v) && isLayerArray(v)) v.push(fresh);
    else if (isObj(v) && isLayer(v)) return null;
    else if (isObj(v)) {
      // an object made for other names (e.g. _ws for _ws.expert) before this layer: share it
      markLayer(v);
      return v;
    } else return null;
    return fresh;
  }

  /** the object at a top-level protocol's name, made (as an array of one, for a protocol that
   * repeats) when no layer made it */
  private protocolObject(container: JObj, proto: string): JObj | null {
    if (container[proto] === undefined) {
      const d = lookupField(proto);
      if (d?.repeats) return this.layerObject(container, d);
    }
    return this.descend(container, proto);
  }

  /** per field definition (by id): its name split at the dots, and whether it is a group (rule 2) */
  private parts: Array<string[] | undefined> = [];
  private isGroup: Array<boolean | undefined> = [];
  private depth = new Map<string, number>();

  /** per field id: where it goes when found in a layer of protocol `proto` (computed once), and
   * where it goes when nested in another protocol's item inside that layer */
  private plans: Array<Plan | undefined> = [];
  private nestPlans: Array<Plan | undefined> = [];

  private plan(def: FieldDef, proto: string, nest: boolean): Plan {
    const a = def.abbrev;
    const parts = (this.parts[def.id] ??= a.split('.'));
    let start: number;
    if (nest) start = 0;
    else if (a.length > proto.length && a.charCodeAt(proto.length) === 46 /* . */ && a.startsWith(proto)) {
      start = this.depth.get(proto) ?? this.depth.set(proto, proto.split('.').length).get(proto)!;
    } else if (a === proto) start = -1;
    else start = -2;
    const flag = def.type === 'none';
    const skip = flag && hangsBelowValue(a, this.groups);
    return { proto, parts, start, group: (this.isGroup[def.id] ??= this.groups.has(a)), flag, repeats: !flag && def.repeats === true, skip };
  }

  private place(layerObj: JObj, container: JObj, proto: string, def: FieldDef, v: JVal, nest: boolean): void {
    const plans = nest ? this.nestPlans : this.plans;
    let p = plans[def.id];
    if (p === undefined || p.proto !== proto) plans[def.id] = p = this.plan(def, proto, nest);
    if (p.skip) return;
    let cur: JObj | null;
    let i: number;
    if (p.start >= 0) {
      cur = layerObj;
      i = p.start;
    } else if (p.start === -1) {
      return; // the protocol item itself: its object is the layer
    } else {
      // another protocol's field in this layer (eth.padding in a VLAN or SLL layer): in that
      // protocol's object, which for a repeating protocol is the last of its array
      cur = this.protocolObject(container, def.proto);
      i = 1;
    }
    const parts = p.parts;
    const last = parts.length - 1;
    for (; i < last && cur; i++) cur = this.descend(cur, parts[i]!);
    if (!cur) return; // below a plain value: rule 3
    const key = parts[last]!;
    if (p.group) {
      const g = this.descend(cur, key);
      if (g) put(g, '_value', v, p);
      return;
    }
    put(cur, key, v, p);
  }
}

interface Plan {
  proto: string;
  parts: string[];
  /** index of the first name part below the layer object; -1: the protocol item itself; -2: placed from the container */
  start: number;
  group: boolean;
  /** a value-less flag: true when present, never an array */
  flag: boolean;
  /** the registry says the field can repeat in a layer: always an array */
  repeats: boolean;
  /** a flag below a plain value: no key (rule 3) */
  skip: boolean;
}

/** Store a value (rule 4): a repeating field's values in an array, even of one; any other field
 * keeps its first value (a second one occurs only in a broken header, e.g. two MSS options). */
function put(obj: JObj, key: string, v: JVal, p: Plan): void {
  const old = obj[key];
  if (p.repeats) {
    if (old === undefined) obj[key] = [v];
    else if (Array.isArray(old)) old.push(v);
  } else if (old === undefined) obj[key] = v;
}

/**
 * A template object as text: JSON.stringify's output (compact, or pretty with 2-space steps
 * starting at `ind`), cut at each slot.
 */
function compile(root: JObj, pretty: boolean, ind: string, tail: string): Template {
  const lits: string[] = [];
  const slots: number[] = [];
  let cur = '';
  const ser = (v: JVal, ind: string): void => {
    if (v instanceof Slot) {
      lits.push(cur);
      slots.push(v.i);
      cur = '';
    } else if (Array.isArray(v) || typeof v === 'object') {
      const arr = Array.isArray(v);
      const keys = arr ? null : Object.keys(v);
      const len = arr ? v.length : keys!.length;
      cur += arr ? '[' : '{';
      if (len === 0) {
        cur += arr ? ']' : '}';
        return;
      }
      const inner = ind + '  ';
      for (let k = 0; k < len; k++) {
        if (k) cur += ',';
        if (pretty) cur += '\n' + inner;
        if (arr) ser(v[k]!, inner);
        else {
          cur += JSON.stringify(keys![k]) + (pretty ? ': ' : ':');
          ser((v as JObj)[keys![k]!]!, inner);
        }
      }
      if (pretty) cur += '\n' + ind;
      cur += arr ? ']' : '}';
    } else cur += JSON.stringify(v);
  };
  cur = ind;
  ser(root, ind);
  lits.push(cur + tail);
  return { lits, slots };
}

/** a string as JSON text: most field values need no escaping, and are only put in quotes */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/** a collected value as JSON text */
function jsonText(v: JVal): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Number.isFinite(v) ? decimal(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** templates kept per printer; a capture with more shapes than this starts over */
const MAX_TEMPLATES = 4096;

/** -T json (one array, pretty-printed) or -T jsonl (one compact object per line). */
export class JsonPrinter {
  private readonly b: JsonBuilder;
  private count = 0;
  private readonly templates = new Map<string, Template>();
  private readonly parts: string[] = [];
  constructor(
    readonly lines: boolean,
    opts: JsonOptions = {},
  ) {
    this.b = new JsonBuilder(opts);
  }

  header(): string {
    return this.lines ? '' : '[\n';
  }

  packet(pkt: Packet): string {
    const b = this.b;
    const key = b.collect(pkt);
    let t = key === null ? undefined : this.templates.get(key);
    if (t === undefined) {
      t = compile(b.build(true), !this.lines, this.lines ? '' : '  ', this.lines ? '\n' : '');
      if (key !== null) {
        if (this.templates.size >= MAX_TEMPLATES) this.templates.clear();
        this.templates.set(key, t);
      }
    }
    const { lits, slots } = t;
    const vals = b.vals;
    // the pieces joined once: a flat string, not a chain of concatenations
    const parts = this.parts;
    let k = 0;
    parts[k++] = this.lines || !this.count++ ? lits[0]! : ',\n' + lits[0]!;
    for (let j = 0; j < slots.length; j++) {
      parts[k++] = jsonText(vals[slots[j]!]!);
      parts[k++] = lits[j + 1]!;
    }
    parts.length = k;
    return parts.join('');
  }

  footer(): string {
    return this.lines ? '' : (this.count ? '\n' : '') + ']\n';
  }
}
