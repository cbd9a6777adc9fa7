import type { FieldDef, FieldNode, Layer } from '../core/field.js';
import { lookupField } from '../core/field.js';
import { expertField, expertGroup, expertMessage, expertSeverity, GROUP_CODE, type Packet, SEVERITY_CODE, SEVERITY_NAME } from '../core/packet.js';
import { formatFieldValue } from './format.js';
import { columnValue, COLUMN_FIELDS } from './columns.js';

export interface FieldsOptions {
  header: boolean;
  separator: string;
  occurrence: 'f' | 'l' | 'a';
  aggregator: string;
  quote: '' | '"' | "'";
}

export const DEFAULT_FIELDS_OPTIONS: FieldsOptions = { header: false, separator: '\t', occurrence: 'a', aggregator: ',', quote: '' };

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
    case 'escape':
      return null;
    default:
      return `Invalid -E option "${spec}"`;
  }
}

/** One -e entry: a registered field, a column, or a protocol. */
export interface FieldRef {
  name: string;
  def?: FieldDef;
  column?: string;
}

/** Resolve -e names; returns the unknown ones separately. */
export function resolveFields(names: string[]): { refs: FieldRef[]; unknown: string[] } {
  const refs: FieldRef[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    if (COLUMN_FIELDS.has(name)) refs.push({ name, column: name });
    else {
      const def = lookupField(name);
      if (def) refs.push({ name, def });
      else unknown.push(name);
    }
  }
  return { refs, unknown };
}

/** A protocol item as -T fields prints it: its own title, or its filter name when it has none. */
function layerValue(L: Layer): string {
  return L.summary === L.def.name ? L.def.abbrev : L.summary;
}

/** Collect every occurrence of each wanted field in a packet, in tree order (expert items included). */
export function collect(pkt: Packet, ids: Map<number, string[]>): void {
  const c = new Collector(ids);
  c.run(pkt);
}

/** The collecting walk, set up once per field list (no per-packet closures or map lookups). */
class Collector {
  /** by field id: the value list it goes to (undefined: not wanted) */
  private readonly out: Array<string[] | undefined> = [];
  private readonly msg: string[] | undefined;
  private readonly sev: string[] | undefined;
  private readonly grp: string[] | undefined;
  private readonly exp: string[] | undefined;

  constructor(ids: Map<number, string[]>) {
    for (const [id, list] of ids) this.out[id] = list;
    this.msg = ids.get(expertMessage.id);
    this.sev = ids.get(expertSeverity.id);
    this.grp = ids.get(expertGroup.id);
    this.exp = ids.get(expertField.id);
  }

  run(pkt: Packet): void {
    const layers = pkt.layers;
    for (let i = 0; i < layers.length; i++) {
      const L = layers[i]!;
      const o = this.out[L.def.id];
      if (o) o.push(layerValue(L));
      this.visit(L.fields);
    }
  }

  private visit(nodes: FieldNode[]): void {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const o = this.out[n.def.id];
      if (o) o.push(formatFieldValue(n));
      const e = n.expert;
      if (e) {
        this.msg?.push(e.message);
        this.sev?.push(String(SEVERITY_CODE[e.severity]));
        this.grp?.push(String(GROUP_CODE[e.group] ?? 0));
        this.exp?.push(`Expert Info (${SEVERITY_NAME[e.severity]}/${e.group}): ${e.message}`);
      }
      if (n.children) this.visit(n.children);
    }
  }
}

export class FieldsPrinter {
  private ids = new Map<number, string[]>();
  private readonly lists: string[][];
  private readonly collector: Collector;
  /** per -e entry: its value list (null for a column) */
  private readonly slot: Array<string[] | null>;
  constructor(
    private readonly refs: FieldRef[],
    private readonly opts: FieldsOptions,
  ) {
    for (const r of refs) if (r.def && !this.ids.has(r.def.id)) this.ids.set(r.def.id, []);
    this.lists = [...this.ids.values()];
    this.collector = new Collector(this.ids);
    this.slot = refs.map((r) => (r.column || !r.def ? null : this.ids.get(r.def.id)!));
  }

  header(): string {
    return this.refs.map((r) => r.name).join(this.opts.separator) + '\n';
  }

  line(pkt: Packet): string {
    const lists = this.lists;
    for (let i = 0; i < lists.length; i++) if (lists[i]!.length) lists[i]!.length = 0;
    this.collector.run(pkt);
    const o = this.opts;
    let s = '';
    for (let i = 0; i < this.refs.length; i++) {
      const r = this.refs[i]!;
      if (i) s += o.separator;
      let cell: string;
      if (r.column) cell = columnValue(pkt, r.column);
      else {
        const vals = this.slot[i]!;
        if (!vals.length) continue;
        cell = o.occurrence === 'f' ? vals[0]! : o.occurrence === 'l' ? vals[vals.length - 1]! : vals.join(o.aggregator);
      }
      if (cell === '') continue;
      s += o.quote ? o.quote + cell + o.quote : cell;
    }
    return s + '\n';
  }
}
