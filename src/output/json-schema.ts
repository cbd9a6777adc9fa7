/**
 * The JSON Schema of -T json / -T jsonl (schema/minishark.schema.json), made from the field
 * registry by the same rules the JSON writer follows (src/output/json.ts): every field's key path,
 * its JSON type, whether it is an array (FieldDef.repeats) and whether it is a group with "_value".
 * `node scripts/make-schema.mjs` writes it; test/json-schema.test.ts checks the file is up to date.
 */
import { allFields, type FieldDef } from '../core/field.js';
import '../dissect/engine.js'; // every field declared (the dissectors, the engine's and the TCP stage's)
import { hangsBelowValue, isLayerProtocol, JSON_SCHEMA_VERSION, jsonGroups, nestsLayer } from './json.js';

type Schema = Record<string, unknown>;

/** a name in the key tree: the field declared with that name (if any) and the longer names below it */
interface KeyNode {
  def?: FieldDef;
  kids: Map<string, KeyNode>;
}

export const KEY_RULES = [
  '1. A field named a.b.c is stored at .a.b.c (the name is split at every dot). Each protocol layer is the object at its own name: .frame, .tcp, .udp, .data, ._ws.malformed.',
  '2. A name that has a value and is also the start of longer names that have values is an object, and its own value is under "_value": tcp.flags -> .tcp.flags._value, tcp.flags.syn -> .tcp.flags.syn. Which names are such groups is decided by the field registry (the same for every packet of a minishark version), never by one packet\'s contents.',
  '3. Value-less flags (field type NONE: tcp.analysis.retransmission, tcp.connection.syn and most expert items) are true when present, never arrays. A flag whose name hangs below a name that holds a plain value (tcp.ack.nonzero below tcp.ack, tcp.options.mss.absent below tcp.options.mss) gets no key, in every packet; every expert item is in ._ws.expert with its field name.',
  '4. One type per key in every packet: a field the registry declares repeating (it can occur more than once in its layer: TCP option kinds and lengths, NOP and EOL options, SACK edges, IPv4 and IPv6 options and extension headers, ICMP extension objects, ICMPv6 options, the hidden ip.addr / tcp.port pairs ...) is always an array, even of one value; any other field is never an array (a second occurrence, only possible in a broken header, keeps the first value). A protocol that can follow itself (eth, llc, vlan, ieee8021ad, ip, ipv6) is always an array of layer objects, even of one: .ip[0].src. Layers quoted inside another layer (the datagram inside an ICMP error) are nested in it: .icmp.ip[0].src, .icmp.udp.dstport; so is another protocol\'s item inside a header (.tcp.data for data in a TCP option).',
  '5. Values are typed: integers are JSON numbers, booleans true/false, addresses strings, byte strings lower-case hex without separators, relative times and epoch times decimal strings with exactly 9 decimals ("0.000043000", "1795325006.528759000"), absolute times ISO 8601 UTC with 9 decimals ("2026-11-22T05:23:26.528759000Z"). No timestamp ever passes through a float.',
  '6. Hidden fields (ip.addr, ip.host, tcp.port, udp.port, eth.lg, eth.ig ...) are left out, as in tshark\'s JSON, unless named with -e; so are text-only labels (Wireshark\'s `text` pseudo-field, e.g. [Timestamps]), whose children are kept.',
  `7. Every object has "schema": ${JSON_SCHEMA_VERSION} (this version). ._ws.expert is an array of {field, severity, group, message, protocol}. With -e only the named fields are kept; a protocol name keeps its whole layer; _ws.col.X gives ._ws.col.X (._ws.col["No."] for _ws.col.No.).`,
];

const SCALARS: Record<string, Schema> = {
  // 9 decimals; more only for a record whose sub-second count is out of range (an invalid
  // timestamp, as in the corpus's timestamp_invalid_*.pcap), printed as the capture has it
  relTime: { type: 'string', pattern: '^-?[0-9]+\\.[0-9]{9,}$' },
  absTime: { type: 'string', pattern: '^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9,}Z$|^-?[0-9]+\\.[0-9]{9,}$' },
  ipv4Addr: { type: 'string', pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' },
  ipv6Addr: { type: 'string', pattern: '^[0-9a-f:.]+$' },
  expertItem: {
    type: 'object',
    required: ['field', 'severity', 'group', 'message', 'protocol'],
    properties: {
      field: { type: 'string', description: "the expert item's filter name: tcp.analysis.retransmission" },
      severity: { enum: ['comment', 'chat', 'note', 'warn', 'error'] },
      group: { type: 'string', description: 'Wireshark expert group: Sequence, Checksum, Malformed, Protocol ...' },
      message: { type: 'string' },
      protocol: { type: 'string' },
    },
    additionalProperties: false,
  },
};

/** the JSON value of one occurrence of a field (json.ts jsonValue) */
function valueSchema(d: FieldDef): Schema {
  switch (d.type) {
    case 'uint':
    case 'int':
    case 'framenum':
      return { type: 'integer' };
    case 'bool':
      return { type: 'boolean' };
    case 'none':
      return { const: true };
    case 'protocol':
      return { type: ['string', 'boolean'], description: 'the bytes in hex, or true' };
    case 'ipv4':
      return { $ref: '#/$defs/ipv4Addr' };
    case 'ipv6':
      return { $ref: '#/$defs/ipv6Addr' };
    case 'reltime':
      return { $ref: '#/$defs/relTime' };
    case 'abstime':
      return { $ref: '#/$defs/absTime' };
    default:
      return { type: 'string' };
  }
}

/** what a field's key holds: its value, or (repeating) an array of its values */
function fieldSchema(d: FieldDef): Schema {
  const v = valueSchema(d);
  return d.repeats && d.type !== 'none' ? { type: 'array', items: v, minItems: 1 } : v;
}

/** the key tree of every name that can get a key */
function keyTree(): KeyNode {
  const groups = jsonGroups();
  const root: KeyNode = { kids: new Map() };
  for (const d of allFields()) {
    if (d.abbrev === 'text' || (d.type === 'none' && hangsBelowValue(d.abbrev, groups))) continue;
    let n = root;
    for (const part of d.abbrev.split('.')) {
      let k = n.kids.get(part);
      if (!k) n.kids.set(part, (k = { kids: new Map() }));
      n = k;
    }
    n.def ??= d;
  }
  return root;
}

const layerRef = (d: FieldDef): Schema => {
  const ref = { $ref: `#/$defs/${d.abbrev}` };
  return d.repeats ? { type: 'array', items: ref, minItems: 1 } : ref;
};

/** the schema of the key at a node (a layer is referred to by its $defs entry) */
function keySchema(n: KeyNode, groups: Set<string>): Schema {
  if (n.def && isLayerProtocol(n.def)) return layerRef(n.def);
  if (n.kids.size === 0) return fieldSchema(n.def!);
  return objectSchema(n, groups, null);
}

/** an object: a group (rule 2), a name space (tcp.analysis), or a layer (`nested`: the top-level
 * layers that may be nested in it, under names its own fields do not take) */
function objectSchema(n: KeyNode, groups: Set<string>, nested: Map<string, Schema> | null): Schema {
  const properties: Record<string, Schema> = {};
  // a group's own value; for a layer, its protocol item nested in another layer's header (.tcp.data._value)
  if (n.def && groups.has(n.def.abbrev)) properties._value = nested ? valueSchema(n.def) : fieldSchema(n.def);
  for (const [k, kid] of n.kids) properties[k] = nested?.has(k) && nestsLayer(kid.def?.abbrev ?? '') ? nested.get(k)! : keySchema(kid, groups);
  for (const [k, ref] of nested ?? []) properties[k] ??= ref;
  return { type: 'object', properties, additionalProperties: false };
}

/** Every layer protocol's object, by its name (frame, eth, ip, _ws.malformed ...). */
function layerDefs(tree: KeyNode, groups: Set<string>): Record<string, Schema> {
  const layers: KeyNode[] = [];
  const nested = new Map<string, Schema>();
  for (const top of tree.kids.values()) {
    if (top.def && isLayerProtocol(top.def)) {
      layers.push(top);
      nested.set(top.def.abbrev, layerRef(top.def));
    }
    for (const kid of top.kids.values()) if (kid.def && isLayerProtocol(kid.def)) layers.push(kid);
  }
  const defs: Record<string, Schema> = {};
  for (const n of layers) defs[n.def!.abbrev] = objectSchema(n, groups, nested);
  return defs;
}

export function jsonSchema(): Schema {
  const groups = jsonGroups();
  const tree = keyTree();
  const defs = layerDefs(tree, groups);
  const properties: Record<string, Schema> = { schema: { const: JSON_SCHEMA_VERSION, description: 'version of this JSON layout' } };
  for (const [k, n] of tree.kids) properties[k] = keySchema(n, groups);
  // _ws: the pseudo-layers, the expert list and the -e columns
  const ws = properties._ws as { properties: Record<string, Schema> };
  ws.properties.expert = { type: 'array', items: { $ref: '#/$defs/expertItem' }, minItems: 1 };
  ws.properties.col = { type: 'object', description: 'columns, only when asked for with -e _ws.col.X', additionalProperties: { type: 'string' } };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://minishark.invalid/schema/minishark.schema.json',
    title: 'minishark packet',
    description:
      'One dissected packet as `minishark -T json` (an array of these) and `minishark -T jsonl` (one per line) print it. Keys come mechanically from Wireshark\'s display-filter field names, so a jq path reads like the filter. Generated from the field registry by scripts/make-schema.mjs: every key a packet can have, its type, and whether it is an array. See x-minishark-key-rules.',
    'x-minishark-key-rules': KEY_RULES,
    type: 'object',
    required: ['schema'],
    properties,
    additionalProperties: false,
    $defs: { ...SCALARS, ...defs },
  };
}
