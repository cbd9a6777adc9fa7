/**
 * -T ek: tshark's Elasticsearch bulk format. Per packet two lines: an index line
 * {"index":{"_index":"packets-YYYY-MM-DD","_type":"doc"}} (the packet's local date, as tshark's
 * localtime), then the document {"timestamp":"<epoch ms>","layers":{...}}.
 *
 * Without -e the document mirrors Wireshark's tree the way epan/print.c (write_ek_proto_tree,
 * ek_fill_attr, ek_write_attr) walks it:
 * - a protocol item (a layer, _ws.expert, Data) is an object; every other item is a key in the
 *   object of the nearest protocol above it: subtrees are flattened into their layer;
 * - a key is "<registered protocol>_<filter name>" with dots as underscores (tcp.seq →
 *   tcp_tcp_seq); a protocol or a protocol-typed option has no registered parent (tcp_options_mss);
 * - items are grouped by (tree parent's name, own name): a second item with the same parent and
 *   name joins the first one's key as an array, at the first one's place; the same name under
 *   another parent is a key of its own, so one object may repeat a key (eth_eth_addr);
 * - values: booleans true/false, value-less items null, absolute times ISO 8601 UTC, everything
 *   else the display text as a string (0x-hex for hex bases, colon-hex for bytes).
 * With -e: the named fields only, flat in "layers", each an array of its -T fields texts.
 */
import { hexStr } from '../core/addr.js';
import { lookupField, type FieldNode, type Layer } from '../core/field.js';
import { expertFieldValue, expertGroup, expertSeverity, type Packet } from '../core/packet.js';
import { formatRelTime, isTime } from '../core/render.js';
import type { FieldsPrinter } from './fields.js';
import { formatFieldValue } from './format.js';
import { isLayerProtocol, isoTime } from './json.js';

/** One item of the tree as ek sees it. */
interface Item {
  /** Wireshark filter name (hfinfo->abbrev) */
  abbrev: string;
  /** the key written: "<parent protocol>_<abbrev>" with dots as underscores */
  name: string;
  /** a protocol item: an object of its children */
  object: boolean;
  /** the value as JSON text (ignored for objects) */
  json: string;
  children: Item[];
  /** with -x: the item's "_raw" value as JSON text (its bytes in hex; a bit field's value in upper-case
   * hex); undefined for an item with no bytes */
  raw?: string;
}

/** The protocol a field is registered under (hfinfo->parent): the longest protocol its name starts
 * with that makes layers (_ws.expert.message → _ws.expert; ipv6.dstopts.nxt in its layer →
 * ipv6.dstopts). A protocol-typed option (tcp.options.timestamp) is registered "in name only": its
 * fields belong to the layer's protocol (tcp.options.timestamp.tsval → tcp). IPv6 registers its own
 * hf for ip.version (Wireshark's hf_ipv6_version is "ip.version" too): there it is ipv6_ip_version. */
function registeredParent(abbrev: string, layer: string): string {
  if (abbrev === 'ip.version' && layer === 'ipv6') return 'ipv6';
  for (let i = abbrev.lastIndexOf('.'); i > 0; i = abbrev.lastIndexOf('.', i - 1)) {
    const d = lookupField(abbrev.slice(0, i));
    if (d && d.type === 'protocol' && (isLayerProtocol(d) || d.abbrev === layer)) return d.abbrev;
  }
  // a protocol minishark does not declare (ieee8021ah, whose etype it writes; _ws.string)
  const dot = abbrev.indexOf('.');
  const end = abbrev.startsWith('_ws.') ? abbrev.indexOf('.', dot + 1) : dot;
  return end < 0 ? '' : abbrev.slice(0, end);
}

function keyName(parent: string, abbrev: string): string {
  return (parent ? parent + '_' + abbrev : abbrev).replace(/\./g, '_');
}

function leaf(abbrev: string, parent: string, json: string): Item {
  return { abbrev, name: keyName(parent, abbrev), object: false, json, children: [] };
}

function obj(abbrev: string, children: Item[]): Item {
  return { abbrev, name: keyName('', abbrev), object: true, json: '', children };
}

const str = (s: string): string => JSON.stringify(s);

/** A value as tshark's fvalue_to_string_repr(FTREPR_DISPLAY), booleans and times as ek writes them. */
function valueJson(n: FieldNode): string {
  const d = n.def;
  const v = n.value;
  switch (d.type) {
    case 'none':
      return 'null';
    case 'bool':
      return v ? 'true' : 'false';
    case 'abstime':
      return isTime(v) ? str(isoTime(v)) : 'null';
    case 'reltime':
      return isTime(v) ? str(formatRelTime(v)) : 'null';
    case 'bytes':
    case 'protocol':
      return v instanceof Uint8Array ? str(hexStr(v, ':')) : str(typeof v === 'string' ? v : '');
    case 'string':
      return str(typeof v === 'string' ? v : String(v ?? ''));
    default:
      return str(formatFieldValue(n));
  }
}

/** Whether Wireshark's hf has a bitmask, where it differs from minishark's declaration (which keeps
 * the mask for the bit picture of -V): tcp.hdr_len is added with proto_tree_add_uint_bits (no mask),
 * IPv6's version hf has none, while IPv6's own "ip.version" hf has one. */
function masked(abbrev: string, declared: boolean, layer: string): boolean {
  if (abbrev === 'tcp.hdr_len' || abbrev === 'ipv6.version') return false;
  if (abbrev === 'ip.version' && layer === 'ipv6') return true;
  return declared;
}

/** ek_write_hex: a bit field's value as %X, any other item's bytes in lower-case hex (cut at the end
 * of its data source, as get_field_data does). */
function rawJson(pkt: Packet, n: { def?: FieldNode['def']; value?: FieldNode['value']; offset: number; length: number; src?: number }, layer = ''): string | undefined {
  if (n.length <= 0) return undefined;
  const d = n.def;
  if (d && masked(d.abbrev, d.bitmask !== 0, layer) && d.type !== 'protocol') {
    const v = n.value;
    if (typeof v === 'number' || typeof v === 'bigint') return str(BigInt.asUintN(64, BigInt(v)).toString(16).toUpperCase());
    if (typeof v === 'boolean') return v ? '"1"' : '"0"';
  }
  const data = n.src ? pkt.sources[n.src - 1] : pkt.rec.data;
  if (!data) return '""';
  return str(hexStr(data.subarray(n.offset, Math.min(data.length, n.offset + n.length))));
}

/** Whether a node stands for nothing in Wireshark's tree: minishark's own fields, empty slots. */
function skipped(n: FieldNode): boolean {
  if (n.def.proto === 'minishark') return true;
  return n.value === null && n.text === undefined && !n.expert && n.def.type !== 'none' && n.def.type !== 'protocol';
}

/** The _ws.expert protocol item Wireshark hangs under an item that raised an expert info. */
function expertItem(n: FieldNode, layer: string): Item {
  const e = n.expert!;
  return obj('_ws.expert', [
    leaf(n.def.abbrev, registeredParent(n.def.abbrev, layer), 'null'),
    leaf('_ws.expert.message', '_ws.expert', str(e.message)),
    leaf('_ws.expert.severity', '_ws.expert', str(String(expertFieldValue(e, expertSeverity)))),
    leaf('_ws.expert.group', '_ws.expert', str(String(expertFieldValue(e, expertGroup)))),
  ]);
}

function nodeItems(nodes: FieldNode[] | undefined, layer: string, out: Item[], pkt: Packet | null): Item[] {
  if (!nodes) return out;
  for (const n of nodes) {
    if (skipped(n)) continue;
    const d = n.def;
    const at = out.length;
    if (n.expert && !n.expert.ownItem) {
      out.push(expertItem(n, layer));
      continue;
    }
    // an object's fields may be registered under it (ipv6.dstopts.nxt in an ipv6.dstopts item)
    const object = d.type === 'protocol' && !(n.value instanceof Uint8Array);
    const kids = nodeItems(n.children, object ? d.abbrev : layer, n.expert ? [expertItem(n, layer)] : [], pkt);
    if (n.expert) {
      // proto_tree_add_expert: a text-only item of the message, the expert info under it
      out.push({ ...leaf('text', '', str(n.expert.message)), children: kids });
    } else if (d.abbrev === 'text') {
      out.push({ ...leaf('text', '', str(n.text ?? '')), children: kids });
    } else if (object) {
      // a protocol item inside a header (an IPv6 extension header, the Data of an ICMP message)
      out.push(obj(d.abbrev, kids));
    } else if (d.type === 'protocol') {
      // a protocol-typed option (tcp.options.mss): Wireshark registers it "in name only", a byte
      // string with no parent protocol
      out.push({ ...leaf(d.abbrev, '', valueJson(n)), children: kids });
    } else {
      out.push({ ...leaf(d.abbrev, registeredParent(d.abbrev, layer), valueJson(n)), children: kids });
    }
    // text-only items have no raw value; nor have an expert's parts
    const it = out[at];
    if (pkt && it && it.abbrev !== 'text' && it.abbrev !== '_ws.expert') it.raw = rawJson(pkt, n, layer);
  }
  return out;
}

/** A layer whose dissector threw before adding its item has no item (see details.ts noItem). */
function noItem(L: Layer, next: Layer | undefined): boolean {
  return !L.fields.length && L.def.headerFirst === true && !!next?.proto.startsWith('_ws.');
}

/** The packet's top-level items: its layers, an ICMP error's quoted layers and an ICMP message's
 * Data nested in the ICMP layer, as in Wireshark's tree (details.ts treeDepth). */
function layerItems(pkt: Packet, hex: boolean): Item[] {
  const top: Item[] = [];
  let last: Item | null = null;
  pkt.layers.forEach((L, i) => {
    if (noItem(L, pkt.layers[i + 1])) return;
    const kids = nodeItems(L.fields, L.proto, [], hex ? pkt : null);
    // a text-only item at the top of the tree (ARP's duplicate address note): its label, its
    // children flattened beside it
    // (its label without the brackets -V puts around a generated item)
    const label = L.summary.startsWith('[') && L.summary.endsWith(']') ? L.summary.slice(1, -1) : L.summary;
    const it: Item = L.def.abbrev === 'text' ? { ...leaf('text', '', str(label)), children: kids } : obj(L.proto, kids);
    if (hex && L.def.abbrev !== 'text') it.raw = rawJson(pkt, L);
    const prev = pkt.layers[i - 1];
    const nested = L.inner || (L.proto === 'data' && (prev?.proto === 'icmp' || prev?.proto === 'icmpv6') && !prev.inner);
    if (nested && last) last.children.push(it);
    else {
      top.push(it);
      last = it;
    }
  });
  return top;
}

/** ek_fill_attr: the keys of an object in order, each with its items; subtrees flattened. */
function fill(parent: string, items: Item[], groups: Map<string, Item[]>): void {
  for (const it of items) {
    const key = parent ? parent + '_' + it.abbrev : it.abbrev;
    const g = groups.get(key);
    if (g) g.push(it);
    else groups.set(key, [it]);
    if (!it.object && it.children.length) fill(it.abbrev, it.children, groups);
  }
}

function writeObject(parent: string, items: Item[]): string {
  const groups = new Map<string, Item[]>();
  fill(parent, items, groups);
  let s = '{';
  let first = true;
  for (const g of groups.values()) {
    if (!first) s += ',';
    first = false;
    if (g[0]!.raw !== undefined) {
      // -x: "<name>_raw" first, with every instance's bytes (ek_write_attr_hex)
      s += str(g[0]!.name + '_raw') + ':' + (g.length > 1 ? '[' + g.map((it) => it.raw ?? '""').join(',') + ']' : g[0]!.raw) + ',';
    }
    s += str(g[0]!.name) + ':';
    if (g.length > 1) s += '[';
    g.forEach((it, i) => {
      if (i) s += ',';
      s += it.object ? writeObject(it.abbrev, it.children) : it.json;
    });
    if (g.length > 1) s += ']';
  }
  return s + '}';
}

/** "packets-YYYY-MM-DD" from the local date of the packet (tshark uses localtime). */
function indexLine(sec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const day = Number.isNaN(d.getTime()) ? 'XXXX-XX-XX' : `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
  return `{"index":{"_index":"packets-${day}","_type":"doc"}}\n`;
}

export class EkPrinter {
  /** fields: with -e, the printer collecting their -T fields texts */
  constructor(
    private readonly fields: FieldsPrinter | null,
    /** -x: each item's bytes too, at "<key>_raw" */
    private readonly hex = false,
  ) {}

  packet(pkt: Packet): string {
    const ts = pkt.rec.ts;
    const head = `${indexLine(ts.sec)}{"timestamp":"${ts.sec}${String(Math.floor(ts.nsec / 1e6)).padStart(3, '0')}","layers":`;
    return head + (this.fields ? this.specified(pkt) : writeObject('', layerItems(pkt, this.hex))) + '}\n';
  }

  private specified(pkt: Packet): string {
    let s = '{';
    for (const [name, vals] of this.fields!.occurrences(pkt)) {
      if (!vals.length) continue;
      if (s.length > 1) s += ',';
      s += str(name.replace(/\./g, '_')) + ':[' + vals.map(str).join(',') + ']';
    }
    return s + '}';
  }
}
