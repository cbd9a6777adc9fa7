/**
 * `-G fields` and `-G protocols`: what minishark dissects, in tshark's glossary layout (one record a
 * line, tab-separated), from the field registry. Load the dissectors first (src/dissect/engine.ts).
 *
 *   P  name  filter-name                                            (a protocol)
 *   F  name  filter-name  FT_type  parent  base  bitmask  blurb     (a field)
 *   name  short-name  filter-name                                   (-G protocols)
 *
 * The type and base are Wireshark's names for what the registry declares (a 16-bit unsigned
 * integer shown in hex: FT_UINT16, BASE_HEX; a boolean's "base" is its container's width in bits).
 * minishark declares no blurbs (descriptions): that column stays empty.
 */
import { allFields, type Base, type FieldDef } from '../core/field.js';

/** Wireshark's text-only pseudo-field: not a field of the glossary (tshark does not list it). */
const TEXT_ONLY = 'text';

const BASES: Record<Base, string> = {
  dec: 'BASE_DEC',
  hex: 'BASE_HEX',
  dec_hex: 'BASE_DEC_HEX',
  hex_dec: 'BASE_HEX_DEC',
  oct: 'BASE_OCT',
  none: 'BASE_NONE',
};

const FTYPES: Record<Exclude<FieldDef['type'], 'uint' | 'int'>, string> = {
  bool: 'FT_BOOLEAN',
  bytes: 'FT_BYTES',
  string: 'FT_STRING',
  ipv4: 'FT_IPv4',
  ipv6: 'FT_IPv6',
  ether: 'FT_ETHER',
  abstime: 'FT_ABSOLUTE_TIME',
  reltime: 'FT_RELATIVE_TIME',
  framenum: 'FT_FRAMENUM',
  none: 'FT_NONE',
  protocol: 'FT_PROTOCOL',
};

/** Wireshark's field type name: FT_UINT16, FT_INT32, FT_BOOLEAN, ... */
export function ftypeName(d: FieldDef): string {
  if (d.type === 'uint') return `FT_UINT${d.bits}`;
  if (d.type === 'int') return `FT_INT${d.bits}`;
  return FTYPES[d.type];
}

/** The glossary's base column: BASE_* for integers, the container width for booleans, else empty. */
export function baseName(d: FieldDef): string {
  if (d.type === 'uint' || d.type === 'int') return BASES[d.base];
  if (d.type === 'bool') return String(d.bits);
  return '';
}

/** A protocol is a protocol-typed item whose layer or option minishark dissects. */
const isProtocol = (d: FieldDef) => d.type === 'protocol';

/** An option pseudo-protocol ("TCP Option - SACK"): tshark registers the option's fields below the
 * protocol that carries it (tcp.options.sack_le's parent is tcp). */
const isOption = (d: FieldDef) => / Option - /.test(d.name);

/**
 * The protocol a field is registered below: Wireshark's pseudo-protocols for `_ws.x.*` fields
 * (_ws.expert, _ws.malformed), else the longest protocol (not an option) its name starts with:
 * ipv6.routing for ipv6.routing.segleft, tcp for tcp.analysis.flags.
 */
function parentOf(d: FieldDef, protocols: ReadonlySet<string>): string {
  const a = d.abbrev;
  if (a.startsWith('_ws.')) return a.split('.', 2).join('.');
  for (let i = a.lastIndexOf('.'); i > 0; i = a.lastIndexOf('.', i - 1)) {
    if (protocols.has(a.slice(0, i))) return a.slice(0, i);
  }
  return d.proto;
}

/** The filter names of the protocols fields can be registered below. */
function parentProtocols(): Set<string> {
  return new Set(allFields().filter((d) => isProtocol(d) && !isOption(d)).map((d) => d.abbrev));
}

/** Protocols whose registry name is the label minishark's tree shows, where tshark's glossary has
 * the protocol's own name (its tree says "Ethernet II" for eth too). */
const GLOSSARY_NAMES: Record<string, string> = {
  eth: 'Ethernet',
  sll: 'Linux cooked-mode capture',
  '_ws.short': 'Short Frame',
};

const nameOf = (d: FieldDef) => GLOSSARY_NAMES[d.abbrev] ?? d.name;

/** One `-G fields` record. */
function glossaryLine(d: FieldDef, protocols: ReadonlySet<string>): string {
  if (isProtocol(d)) return `P\t${nameOf(d)}\t${d.abbrev}`;
  return `F\t${d.name}\t${d.abbrev}\t${ftypeName(d)}\t${parentOf(d, protocols)}\t${baseName(d)}\t0x${d.bitmask.toString(16)}\t`;
}

/** Every registered protocol and field, in registration order (tshark: its own registration order). */
export function fieldsGlossary(): string {
  const protocols = parentProtocols();
  let s = '';
  for (const d of allFields()) if (d.abbrev !== TEXT_ONLY) s += glossaryLine(d, protocols) + '\n';
  return s;
}

/** A protocol's short name as tshark's glossary shows it: declared with the protocol
 * (FieldDef.short); an option pseudo-protocol ("TCP Option - SACK") is short-named after its option
 * ("SACK"). */
function shortName(d: FieldDef): string {
  const option = / Option - (.*)$/.exec(d.name);
  return d.short ?? option?.[1] ?? d.name;
}

/** `-G protocols`: name, short name, filter name; sorted by short name, ignoring case, as tshark. */
export function protocolsGlossary(): string {
  const rows = allFields()
    .filter(isProtocol)
    .map((d) => ({ short: shortName(d), line: `${nameOf(d)}\t${shortName(d)}\t${d.abbrev}\n` }));
  rows.sort((a, b) => caseCmp(a.short, b.short));
  return rows.map((r) => r.line).join('');
}

/** g_ascii_strcasecmp: byte order with ASCII letters folded to lower case. */
function caseCmp(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
