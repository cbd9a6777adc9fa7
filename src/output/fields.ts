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
  const msg = ids.get(expertMessage.id);
  const sev = ids.get(expertSeverity.id);
  const grp = ids.get(expertGroup.id);
  const exp = ids.get(expertField.id);
  const visit = (nodes: FieldNode[]) => {
    for (const n of nodes) {
      const out = ids.get(n.def.id);
      if (out) out.push(formatFieldValue(n));
      const e = n.expert;
      if (e) {
        msg?.push(e.message);
        sev?.push(String(SEVERITY_CODE[e.severity]));
        grp?.push(String(GROUP_CODE[e.group] ?? 0));
        exp?.push(`Expert Info (${SEVERITY_NAME[e.severity]}/${e.group}): ${e.message}`);
      }
      if (n.children) visit(n.children);
    }
  };
  for (const L of pkt.layers) {
    const out = ids.get(L.def.id);
    if (out) out.push(layerValue(L));
    visit(L.fields);
  }
}

export class FieldsPrinter {
  private ids = new Map<number, string[]>();
  constructor(
    private readonly refs: FieldRef[],
    private readonly opts: FieldsOptions,
  ) {
    for (const r of refs) if (r.def && !this.ids.has(r.def.id)) this.ids.set(r.def.id, []);
  }

  header(): string {
    return this.refs.map((r) => r.name).join(this.opts.separator) + '\n';
  }

  line(pkt: Packet): string {
    for (const v of this.ids.values()) v.length = 0;
    collect(pkt, this.ids);
    const o = this.opts;
    let s = '';
    for (let i = 0; i < this.refs.length; i++) {
      const r = this.refs[i]!;
      if (i) s += o.separator;
      let cell: string;
      if (r.column) cell = columnValue(pkt, r.column);
      else {
        const vals = this.ids.get(r.def!.id)!;
        if (!vals.length) continue;
        cell = o.occurrence === 'f' ? vals[0]! : o.occurrence === 'l' ? vals[vals.length - 1]! : vals.join(o.aggregator);
      }
      if (cell === '') continue;
      s += o.quote ? o.quote + cell + o.quote : cell;
    }
    return s + '\n';
  }
}
