import type { FieldDef, FieldNode, Layer } from '../core/field.js';
import { lookupField } from '../core/field.js';
import { expertField, expertFieldValue, expertGroup, expertMessage, expertSeverity, type Packet, SEVERITY_NAME } from '../core/packet.js';
import { formatFieldValue } from './format.js';
import { columnValue, COLUMN_FIELDS } from './columns.js';
import { relativeTime, type TimeText } from './time-format.js';

export interface FieldsOptions {
  header: boolean;
  separator: string;
  occurrence: 'f' | 'l' | 'a';
  aggregator: string;
  quote: '' | '"' | "'";
  /** bom=y: a UTF-8 byte order mark before the output (default no) */
  bom?: boolean;
}

export const DEFAULT_FIELDS_OPTIONS: FieldsOptions = { header: false, separator: '\t', occurrence: 'a', aggregator: ',', quote: '', bom: false };

/** Parse one `-E key=value` as tshark does. Returns an error message or null. */
export function parseFieldsOption(o: FieldsOptions, spec: string): string | null {
  const i = spec.indexOf('=');
  if (i < 0) return `Invalid -E option "${spec}"`;
  const k = spec.slice(0, i);
  const v = spec.slice(i + 1);
  const sep = (s: string) => (s === '/t' ? '\t' : s === '/s' ? ' ' : s);
  switch (k) {
    case 'header':
      if (v !== 'y' && v !== 'n') return `Invalid -E header value "${v}" (y or n)`;
      o.header = v === 'y';
      return null;
    case 'separator':
      o.separator = sep(v);
      return null;
    case 'occurrence':
      if (v !== 'f' && v !== 'l' && v !== 'a') return `Invalid -E occurrence value "${v}" (f, l or a)`;
      o.occurrence = v;
      return null;
    case 'aggregator':
      o.aggregator = sep(v);
      return null;
    case 'quote':
      if (v === 'd') o.quote = '"';
      else if (v === 's') o.quote = "'";
      else if (v === 'n') o.quote = '';
      else return `Invalid -E quote value "${v}" (d, s or n)`;
      return null;
    case 'bom':
      if (v !== 'y' && v !== 'n') return `Invalid -E bom value "${v}" (y or n)`;
      o.bom = v === 'y';
      return null;
    case 'escape':
      return null;
    default:
      return `Invalid -E option "${spec}"`;
  }
}

/** One -e entry: a registered field, a column, or a protocol; with neither def nor column, a name of
 * a Wireshark protocol minishark does not dissect (../filter/not-dissected.ts), never present. */
export interface FieldRef {
  name: string;
  def?: FieldDef;
  column?: string;
}

/** Resolve -e names; returns the unknown ones separately. `neverPresent`: names accepted as fields
 * that are never present (the CLI passes ../filter/not-dissected.ts's notDissected). */
export function resolveFields(names: string[], neverPresent: (name: string) => unknown = () => false): { refs: FieldRef[]; unknown: string[] } {
  const refs: FieldRef[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    if (COLUMN_FIELDS.has(name)) refs.push({ name, column: name });
    else {
      const def = lookupField(name);
      if (def) refs.push({ name, def });
      else if (neverPresent(name)) refs.push({ name });
      else unknown.push(name);
    }
  }
  return { refs, unknown };
}

/** A protocol item as -T fields prints it: its own title, or its filter name when it has none. */
function layerValue(L: Layer): string {
  return L.summary === L.def.name ? L.def.abbrev : L.summary;
}

/** The values of one field in the current packet: vals[0 .. n) (the array is reused, never shrunk). */
interface Slot {
  vals: string[];
  n: number;
}

function put(sl: Slot | undefined, v: string): void {
  if (sl) sl.vals[sl.n++] = v;
}

/** Collects every occurrence of each wanted field of a packet, in tree order (expert items included);
 * set up once per field list (no per-packet closures, map lookups or array resizing). */
class Collector {
  /** by field id: the slot it goes to (undefined: not wanted) */
  private readonly out: Array<Slot | undefined> = [];
  private readonly msg: Slot | undefined;
  private readonly sev: Slot | undefined;
  private readonly grp: Slot | undefined;
  private readonly exp: Slot | undefined;

  constructor(readonly slots: Map<number, Slot>) {
    for (const [id, sl] of slots) this.out[id] = sl;
    this.msg = slots.get(expertMessage.id);
    this.sev = slots.get(expertSeverity.id);
    this.grp = slots.get(expertGroup.id);
    this.exp = slots.get(expertField.id);
  }

  run(pkt: Packet): void {
    const layers = pkt.layers;
    for (let i = 0; i < layers.length; i++) {
      const L = layers[i]!;
      const o = this.out[L.def.id];
      if (o) put(o, layerValue(L));
      this.visit(L.fields);
    }
  }

  private visit(nodes: FieldNode[]): void {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const o = this.out[n.def.id];
      if (o) put(o, formatFieldValue(n));
      const e = n.expert;
      if (e) {
        put(this.msg, e.message);
        if (this.sev) put(this.sev, String(expertFieldValue(e, expertSeverity)));
        if (this.grp) put(this.grp, String(expertFieldValue(e, expertGroup)));
        if (this.exp) put(this.exp, `Expert Info (${SEVERITY_NAME[e.severity]}/${e.group}): ${e.message}`);
      }
      if (n.children) this.visit(n.children);
    }
  }
}

export class FieldsPrinter {
  private readonly all: Slot[];
  private readonly collector: Collector;
  /** per -e entry: its slot (null for a column) */
  private readonly slot: Array<Slot | null>;
  constructor(
    private readonly refs: FieldRef[],
    private readonly opts: FieldsOptions,
    /** the Time column's format (-t) */
    private readonly time: TimeText = relativeTime,
  ) {
    const slots = new Map<number, Slot>();
    for (const r of refs) if (r.def && !slots.has(r.def.id)) slots.set(r.def.id, { vals: [], n: 0 });
    this.all = [...slots.values()];
    this.collector = new Collector(slots);
    this.slot = refs.map((r) => (r.column || !r.def ? null : slots.get(r.def.id)!));
  }

  header(): string {
    return this.refs.map((r) => r.name).join(this.opts.separator) + '\n';
  }

  /** Each -e entry with all its values in the packet, in tree order (-T ek writes them as arrays). */
  occurrences(pkt: Packet): Array<[string, string[]]> {
    const all = this.all;
    for (let i = 0; i < all.length; i++) all[i]!.n = 0;
    this.collector.run(pkt);
    return this.refs.map((r, i) => {
      if (r.column) return [r.name, [columnValue(pkt, r.column, this.time)]];
      const sl = this.slot[i];
      return [r.name, sl ? sl.vals.slice(0, sl.n) : []];
    });
  }

  line(pkt: Packet): string {
    const all = this.all;
    for (let i = 0; i < all.length; i++) all[i]!.n = 0;
    this.collector.run(pkt);
    const o = this.opts;
    let s = '';
    for (let i = 0; i < this.refs.length; i++) {
      const r = this.refs[i]!;
      if (i) s += o.separator;
      let cell: string;
      if (r.column) cell = columnValue(pkt, r.column, this.time);
      else {
        const sl = this.slot[i];
        if (!sl) continue;
        const n = sl.n;
        if (!n) continue;
        const v = sl.vals;
        if (o.occurrence === 'f' || n === 1) cell = v[0]!;
        else if (o.occurrence === 'l') cell = v[n - 1]!;
        else {
          cell = v[0]!;
          for (let k = 1; k < n; k++) cell += o.aggregator + v[k]!;
        }
      }
      if (cell === '') continue;
      s += o.quote ? o.quote + cell + o.quote : cell;
    }
    return s + '\n';
  }
}
