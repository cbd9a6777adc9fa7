import type { ExpertItem, FieldDef, FieldNode, FieldValue, Layer, Severity, Time } from './field.js';
import { field, lookupField, newNode, protocol } from './field.js';

/** One record as a capture reader yields it. */
export interface PacketRecord {
  /** 1-based frame number */
  num: number;
  /** timestamp as integers: seconds and nanoseconds */
  ts: Time;
  capLen: number;
  origLen: number;
  /** LINKTYPE_* value from the file */
  linkType: number;
  /** pcapng interface index (across sections); -1 in pcap files, which have no interfaces */
  interfaceId: number;
  /** pcapng if_name of that interface, when the IDB has one */
  interfaceName?: string;
  /** pcapng: the 1-based number of the section the record is in (frame.section_number) */
  section?: number;
  /** decimal digits of the timestamp's resolution (6 for µs, 9 for ns): the Time column prints as many */
  tsPrec: number;
  /** the record carries no timestamp (pcapng Simple Packet Block, Custom Block) */
  tsAbsent?: boolean;
  /** a pcapng Custom Block shown as a frame: its Private Enterprise Number and copy flag */
  custom?: { pen: number; copy: boolean };
  comment?: string[];
  /** the captured bytes: a view into the read buffer, not a copy */
  data: Uint8Array;
  /** byte offset of the record in the (decompressed) file */
  fileOffset: number;
}

/** A TCP header as the TCP dissector read it (for its tracker and, as pkt.tcp, for the taps). */
export interface TcpSegment {
  /** address bytes as a string (latin1 chars), for conversation keys */
  srcKey: string;
  dstKey: string;
  srcPort: number;
  dstPort: number;
  /** tcp.stream, set by the tracker (-1 until then, or when it did not run) */
  stream: number;
  /** "sport → dport", the start of the Info column ('' when no columns are built) */
  portsInfo: string;
  /** raw sequence and acknowledgement numbers */
  seq: number;
  ack: number;
  /** header flags, 12 bits (-1 when the header was bogus and analysis must not run) */
  flags: number;
  /** raw 16-bit window */
  window: number;
  hdrLen: number;
  /** TCP payload length from the IP-reported length; -1 when unknown (fragment, ICMP error) */
  len: number;
  urgent: number;
  /** options that shape the analysis and the Info column (-1 / false when absent) */
  mss: number;
  wsShift: number;
  sackPerm: boolean;
  tsval: number;
  tsecr: number;
  /** SACK blocks, raw: [le, re, le, re, ...] */
  sack: number[];
  /** the Info option suffix in option order; SACK blocks as raw edges for the tracker to make relative */
  optInfo: Array<string | { sle: number; sre: number }>;
  /** the tcp layer, and the items the taps read (null when not built) */
  layer: Layer;
  nodes: {
    stream?: FieldNode | null;
    completeness?: FieldNode | null;
    seq?: FieldNode | null;
    nxtseq?: FieldNode | null;
    ack?: FieldNode | null;
    ackRaw?: FieldNode | null;
    windowSize?: FieldNode | null;
    windowScale?: FieldNode | null;
  };
  checksumBad: boolean;
  checksumFfff: boolean;
  /** payload bytes [payloadOffset, payloadEnd) in the current data source */
  payloadOffset: number;
  payloadEnd: number;
  /** dissected inside an ICMP error: no conversation tracking */
  inError: boolean;
  /** the fixed header was cut by the capture (Wireshark has tracked the segment by then) */
  hdrCut: boolean;
  /** the options were cut short by the capture: what follows them in Wireshark is skipped */
  optTruncated: boolean;
  /** the segment carries a TCP Fast Open cookie (TFO=C) */
  tfoCookie: boolean;
}

export interface UdpDatagram {
  srcKey: string;
  dstKey: string;
  srcPort: number;
  dstPort: number;
}

/** A dissected packet: the record, its layers of fields, the columns and the expert items. */
export interface Packet {
  rec: PacketRecord;
  /** time since the first packet (frame.time_relative) */
  rel: Time;
  /** the timestamps of the previous captured and previous displayed frames (null before the first):
   * frame.time_delta and frame.time_delta_displayed, the Time column of -t d and -t dd */
  prevTs: Time | null;
  prevDisplayedTs: Time | null;
  layers: Layer[];
  /** frame.protocols parts, in order: eth, ethertype, ip, tcp, data */
  protocols: string[];
  /** columns (filled only when an output needs them) */
  colSrc: string;
  colDst: string;
  colProto: string;
  colInfo: string;
  /** prefixes prepended to Info, Wireshark's col_prepend_fence_fstr order (last written first) */
  infoPrefix: string;
  /** suffixes appended to Info (" [IP CHECKSUM INCORRECT]", " [Malformed Packet]") */
  infoSuffix: string;
  expert: ExpertItem[];
  malformed: boolean;
  /** extra data sources (reassembled datagrams) that fields may refer to by index (1-based) */
  sources: Uint8Array[];
  tcp: TcpSegment | null;
  udp: UdpDatagram | null;
  /** the data source (0 = frame, n = sources[n-1]) the transport payload lives in */
  tcpSrc: number;
}

export const malformedField = protocol('_ws.malformed', 'Malformed Packet', { short: 'Malformed packet' });
export const expertField = field('_ws.expert', 'Expert Info', 'none');
export const expertMessage = field('_ws.expert.message', 'Message', 'string');
export const expertSeverity = field('_ws.expert.severity', 'Severity level', 'uint', {
  vals: { 0x100000: 'Comment', 0x200000: 'Chat', 0x400000: 'Note', 0x600000: 'Warning', 0x800000: 'Error' },
});
export const expertGroup = field('_ws.expert.group', 'Group', 'uint');

export const SEVERITY_CODE: Record<Severity, number> = { comment: 0x100000, chat: 0x200000, note: 0x400000, warn: 0x600000, error: 0x800000 };
export const SEVERITY_NAME: Record<Severity, string> = { comment: 'Comment', chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };
export const GROUP_CODE: Record<string, number> = {
  Checksum: 0x01000000,
  Sequence: 0x02000000,
  'Response Code': 0x03000000,
  'Request Code': 0x04000000,
  Undecoded: 0x05000000,
  Reassemble: 0x06000000,
  Malformed: 0x07000000,
  Debug: 0x08000000,
  Protocol: 0x09000000,
  Security: 0x0a000000,
  Comment: 0x0b000000,
  Decryption: 0x0c000000,
  Assumption: 0x0d000000,
  Deprecated: 0x0e000000,
};

/** The value of an expert item's pseudo-field (`_ws.expert.message`, `.severity`, `.group`) as the
 * display filter, `-T fields`, JSON and ek read it; undefined for any other field. */
export function expertFieldValue(e: ExpertItem, def: FieldDef): string | number | undefined {
  if (def === expertMessage) return e.message;
  if (def === expertSeverity) return SEVERITY_CODE[e.severity];
  if (def === expertGroup) return GROUP_CODE[e.group] ?? 0;
  return undefined;
}

/**
 * Builds the field tree for one packet. When `full` is false only the fields in `want` are kept (and
 * kept flat, under their layer), which is what -T fields and the summary need: the same dissector code
 * runs either way, like Wireshark's tree == NULL fast path.
 */
export class TreeBuilder {
  full = true;
  /** build the details-pane texts (-V); JSON builds the whole tree without them (default: full) */
  texts = true;
  want: Uint8Array = new Uint8Array(0);
  /** by protocol field id: some field of that protocol (by filter-name prefix) is wanted; lets a
   * dissector skip whole groups of fields nobody reads when not building the full tree */
  wantP: Uint8Array = new Uint8Array(0);
  /** whether columns (Info and friends) are wanted */
  cols = true;
  /** whether expert items must be kept as nodes (some _ws.expert field is wanted) */
  wantExpert = false;

  setWant(full: boolean, wanted: Iterable<FieldDef>, cols: boolean, texts = full): void {
    this.full = full;
    this.texts = full && texts;
    this.cols = cols;
    let max = 0;
    const list = [...wanted];
    for (const d of list) max = Math.max(max, d.id + 1);
    this.want = new Uint8Array(Math.max(max, 1) + 4096);
    this.wantP = new Uint8Array(this.want.length);
    for (const d of list) {
      this.want[d.id] = 1;
      // the protocol a field belongs to, by its filter name ("tcp.flags.syn" -> "tcp")
      const dot = d.abbrev.indexOf('.');
      const proto = dot < 0 ? d : lookupField(d.abbrev.slice(0, dot));
      if (proto && proto.id < this.wantP.length) this.wantP[proto.id] = 1;
    }
    this.wantExpert = list.some((d) => d.abbrev.startsWith('_ws.expert'));
  }

  wants(def: FieldDef): boolean {
    return this.full || this.want[def.id] === 1;
  }

  /** Whether any field of this protocol is kept: when not, its dissector may skip all its field
   * calls (every one of them would be dropped), keeping only what columns, experts and state need. */
  keeps(proto: FieldDef): boolean {
    return this.full || this.wantP[proto.id] === 1;
  }

  add(
    layer: Layer,
    parent: FieldNode | null,
    def: FieldDef,
    offset: number,
    length: number,
    value: FieldValue,
    text?: string,
  ): FieldNode | null {
    if (!this.full && this.want[def.id] !== 1) return null;
    return this.put(layer, parent, def, offset, length, value, text);
  }

  /** a generated field: [in brackets], length 0 */
  gen(layer: Layer, parent: FieldNode | null, def: FieldDef, value: FieldValue, text?: string): FieldNode | null {
    if (!this.full && this.want[def.id] !== 1) return null;
    const n = this.put(layer, parent, def, 0, 0, value, text);
    n.generated = true;
    return n;
  }

  hidden(layer: Layer, def: FieldDef, offset: number, length: number, value: FieldValue): FieldNode | null {
    if (!this.full && this.want[def.id] !== 1) return null;
    const n = this.put(layer, null, def, offset, length, value, undefined);
    n.hidden = true;
    return n;
  }

  /** Lean runs whose caller keeps no packet (the engine's reuse option): the kept nodes are pooled
   * objects, taken again from the first for every packet (see newPacket). Null: a new node each time. */
  private pool: FieldNode[] | null = null;
  private pooled = 0;

  /** Pool the nodes of lean runs (full trees are for -V, JSON and library callers: always new). */
  reuseNodes(on: boolean): void {
    this.pool = on ? [] : null;
  }

  /** A new packet: every pooled node is free again. */
  newPacket(): void {
    this.pooled = 0;
  }

  /** A node made like new (every property set, as newNode): from the pool on lean runs. */
  private node(def: FieldDef, value: FieldValue, offset: number, length: number, src: number | undefined, text: string | undefined): FieldNode {
    const pool = this.pool;
    if (pool === null || this.full) return newNode(def, value, offset, length, src, text);
    let n = pool[this.pooled];
    if (n === undefined) pool.push((n = newNode(def, value, offset, length, src, text)));
    else {
      n.def = def;
      n.value = value;
      n.offset = offset;
      n.length = length;
      n.src = src;
      n.generated = n.hidden = undefined;
      n.text = text;
      n.children = n.expert = undefined;
    }
    this.pooled++;
    return n;
  }

  /** a node the caller has found wanted, placed under its parent (in the full tree) or its layer */
  private put(layer: Layer, parent: FieldNode | null, def: FieldDef, offset: number, length: number, value: FieldValue, text: string | undefined): FieldNode {
    const node = this.node(def, value, offset, length, layer.src || undefined, text);
    if (parent && this.full) (parent.children ??= []).push(node);
    else layer.fields.push(node);
    return node;
  }
}
