/**
 * Picks the per-packet output from the command-line options (summary, -V/-O details, -x hex,
 * -T fields/json/jsonl) and says what the engine must build for it: the whole field tree only where
 * the output shows it (-V, JSON), otherwise just the wanted fields and the columns.
 */
import { lookupField, type FieldDef } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { didYouMean, suggestField } from '../core/suggest.js';
import { COLUMN_FIELDS } from './columns.js';
import { colorLevel, layerStyles, LineColorizer, makeChalk, type ColorLevel, type ColorMode } from './color.js';
import { DetailsPrinter, TreePrinter } from './details.js';
import { FieldsPrinter, resolveFields, type FieldRef, type FieldsOptions } from './fields.js';
import { EkPrinter } from './ek.js';
import { hexDump } from './hexdump.js';
import { JsonPrinter } from './json.js';
import { SummaryPrinter } from './summary.js';
import { timeText, type TimeFormat } from './time-format.js';
// a bad combination or value of output options (the CLI turns it into exit code 1)
import { OutputOptionError } from './options.js';

export type OutputFormat = 'text' | 'fields' | 'json' | 'jsonl' | 'ek';

export interface OutputOptions {
  format: OutputFormat;
  /** -V */
  details: boolean;
  /** --details: -V/-O as tables (default) or as tshark's tree */
  detailsStyle?: 'table' | 'tree';
  /** -O: protocols shown in detail (implies -V) */
  only: string[] | null;
  /** -x */
  hex: boolean;
  /** -e */
  fields: string[];
  /** -e names accepted as fields that are never present: Wireshark protocols minishark does not
   * dissect (../filter/not-dissected.ts, loaded by the CLI only when -e is given) */
  neverPresent?: (name: string) => unknown;
  fieldsOptions: FieldsOptions;
  /** -t: the Time column's format (default r, relative to the first packet) */
  timeFormat?: TimeFormat;
  color: ColorMode;
  /** -q: no per-packet output */
  quiet: boolean;
  stdout: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** width the -V tables must fit (null: their natural width) */
  width: number | null;
}

export interface PacketOutput {
  /** what the engine must build */
  full: boolean;
  /** the details-pane texts of the fields (with full) */
  texts: boolean;
  fields: FieldDef[];
  columns: boolean;
  /** flush after every packet (jsonl: a consumer sees each packet as soon as it is dissected) */
  flushEachPacket: boolean;
  colorLevel: ColorLevel;
  header(): string;
  packet(pkt: Packet): string;
  footer(): string;
}

/** Split "-O tcp,ip" and check the names are protocols. */
export function parseOnly(list: string[]): Set<string> {
  const out = new Set<string>();
  for (const item of list) {
    for (const raw of item.split(',')) {
      const name = raw.trim();
      if (!name) continue;
      const def = lookupField(name);
      if (!def || def.type !== 'protocol') throw new OutputOptionError(`-O: "${name}" is not a protocol minishark dissects`);
      out.add(name);
    }
  }
  return out;
}

function resolve(names: string[], neverPresent: OutputOptions['neverPresent']): FieldRef[] {
  const { refs, unknown } = resolveFields(names, neverPresent);
  if (unknown.length) throw new OutputOptionError(invalidFieldsMessage(unknown));
  return refs;
}

/** -e's message for unknown names (the library's Packet.get says the same):
 * "Some fields aren't valid: tcp.sek (did you mean tcp.seq?)". */
export function invalidFieldsMessage(unknown: readonly string[]): string {
  return `Some fields aren't valid: ${unknown.map(withSuggestion).join(', ')}`;
}

/** An unknown -e name, with the nearest known names: "tcp.sek (did you mean tcp.seq?)". */
function withSuggestion(name: string): string {
  const hint = didYouMean(suggestField(name, COLUMN_FIELDS.keys()));
  return hint ? `${name} (${hint})` : name;
}

/** The registered fields among -e entries, and whether one of them is a protocol. */
function wantedOf(refs: FieldRef[]): { wanted: FieldDef[]; protocol: boolean } {
  const wanted: FieldDef[] = [];
  let protocol = false;
  for (const r of refs) {
    if (r.def) {
      wanted.push(r.def);
      if (r.def.type === 'protocol') protocol = true;
    }
  }
  return { wanted, protocol };
}

export function makeOutput(o: OutputOptions): PacketOutput {
  const level = colorLevel(o.color, o.stdout, o.env);
  const chalk = level ? makeChalk(level) : null;
  const none = { header: () => '', footer: () => '' };
  const time = timeText(o.timeFormat ?? 'r');

  if (o.format === 'fields') {
    if (!o.fields.length) throw new OutputOptionError('-T fields was given, but no fields were specified with -e');
    const refs = resolve(o.fields, o.neverPresent);
    const p = new FieldsPrinter(refs, o.fieldsOptions, time);
    // bom=y: tshark writes the mark even with -q, and only for -T fields
    const bom = o.fieldsOptions.bom ? '\uFEFF' : '';
    const { wanted, protocol } = wantedOf(refs);
    return {
      // a protocol's value is its whole layer's title: that needs the tree
      full: protocol,
      texts: false,
      fields: wanted,
      columns: refs.some((r) => r.column !== undefined),
      flushEachPacket: false,
      colorLevel: 0,
      header: () => bom + (o.fieldsOptions.header && !o.quiet ? p.header() : ''),
      packet: (pkt) => p.line(pkt),
      footer: () => '',
    };
  }

  if (o.format === 'json' || o.format === 'jsonl') {
    const refs = o.fields.length ? resolve(o.fields, o.neverPresent) : null;
    const p = new JsonPrinter(o.format === 'jsonl', { refs, time });
    const { wanted, protocol } = wantedOf(refs ?? []);
    return {
      // without -e every field; a protocol named by -e brings its whole layer
      full: refs === null || protocol,
      texts: false,
      fields: wanted,
      columns: !!refs?.some((r) => r.column !== undefined),
      flushEachPacket: o.format === 'jsonl',
      colorLevel: 0,
      header: () => (o.quiet ? '' : p.header()),
      packet: (pkt) => p.packet(pkt),
      footer: () => (o.quiet ? '' : p.footer()),
    };
  }

  if (o.format === 'ek') {
    // tshark's Elasticsearch bulk lines; with -e the named fields only, as -T fields finds them
    const refs = o.fields.length ? resolve(o.fields, o.neverPresent) : null;
    const p = new EkPrinter(refs ? new FieldsPrinter(refs, o.fieldsOptions, time) : null, o.hex);
    const { wanted, protocol } = wantedOf(refs ?? []);
    return {
      full: refs === null || protocol,
      // text-only items ("text" keys) carry their label
      texts: refs === null,
      fields: wanted,
      columns: !!refs?.some((r) => r.column !== undefined),
      flushEachPacket: false,
      colorLevel: 0,
      ...none,
      packet: (pkt) => p.packet(pkt),
    };
  }

  if (o.fields.length) throw new OutputOptionError('-e requires -T fields, -T json, -T jsonl or -T ek');

  const only = o.only ? parseOnly(o.only) : null;
  const details = { full: true, texts: true, fields: [], columns: false, flushEachPacket: false, ...none };
  if ((o.details || only) && o.detailsStyle === 'tree') {
    // tshark's text, byte for byte: no colour
    const t = new TreePrinter({ only, hex: o.hex });
    return { ...details, colorLevel: 0, packet: (pkt) => t.render(pkt) + (o.hex ? hexDump(pkt) + '\n' : '') };
  }
  if (o.details || only) {
    const d = new DetailsPrinter({ width: o.width, chalk, only });
    return {
      ...details,
      colorLevel: level,
      packet: (pkt) => {
        const styles = chalk ? layerStyles(chalk, pkt.layers) : null;
        let s = d.render(pkt, styles ?? undefined);
        if (o.hex) s += hexDump(pkt, styles) + '\n';
        return s;
      },
    };
  }

  if (o.hex) {
    // like tshark -x without -V: the bytes only, no summary line
    return { full: false, texts: false, fields: [], columns: false, flushEachPacket: false, colorLevel: 0, ...none, packet: (pkt) => hexDump(pkt) + '\n' };
  }

  const colorizer = chalk ? new LineColorizer(chalk) : null;
  const p = new SummaryPrinter(colorizer, time);
  return {
    full: false,
    texts: false,
    fields: colorizer ? colorizer.fields() : [],
    columns: true,
    flushEachPacket: false,
    colorLevel: level,
    ...none,
    packet: (pkt) => p.line(pkt),
  };
}
