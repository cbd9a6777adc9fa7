import { addrKey, be32, v4Key } from '../core/addr.js';
import { clear, newLayer, newNode, type ExpertItem, type FieldDef, type FieldNode, type FieldValue, type Layer, type Severity } from '../core/field.js';
import { malformedField, type Packet, type TreeBuilder } from '../core/packet.js';
import { naturalLength, readValue } from '../core/read.js';
import type { CaptureState } from './state.js';

/** Thrown when a dissector reads past the captured bytes while the reported length goes further:
 * Wireshark's "[Packet size limited during capture]" (not malformed). */
export class ShortError extends Error {
  /** the protocol (filter name) the cut is reported for when not the last one dissected */
  proto?: string;
  constructor(readonly at: number) {
    super('packet size limited during capture');
  }
}

/** Thrown when a dissector reads past the reported length, or a header contradicts itself:
 * Wireshark's "[Malformed Packet]". */
export class MalformedError extends Error {
  /** the protocol (filter name) in "[Malformed Packet: X]" when not the last one dissected */
  proto?: string;
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Where a dissector hands the rest of the bytes: a dispatch table and key, or a named dissector. */
export type Next = (
  | { table: TableName; key: number; offset: number; end: number; rend: number }
  | { dissector: string; offset: number; end: number; rend: number }
) & {
  /** switch to a new data source (a reassembled datagram) for the rest */
  data?: Uint8Array;
};

/** Work a dissector leaves to run after the layers above it (see Ctx.onReturn). */
export type ReturnFn = (ctx: Ctx) => void;

/** Dispatch table names, like Wireshark's: 'linktype', 'ethertype', 'ip.proto', 'llc.dsap', … */
export type TableName = string;

/**
 * Per-packet dissection context. One instance is reused for every packet (no per-packet allocation
 * of the context itself). Dissectors are functions of (ctx, offset, captured end, reported end).
 */
export class Ctx {
  pkt!: Packet;
  /** the data source being dissected (the frame bytes, or a reassembled buffer) */
  data!: Uint8Array;
  /** index of the data source: 0 = frame, n = pkt.sources[n-1] */
  src = 0;
  /** network-layer addresses of the innermost IP header, for pseudo-headers and columns */
  netKind: 0 | 4 | 6 = 0;
  netSrcOff = 0;
  netDstOff = 0;
  private _netSrc: Uint8Array | null = null;
  private _netDst: Uint8Array | null = null;
  /** IPv4 addresses are kept as offsets into `netData` until a view of them is asked for (most
   * packets only need their conversation keys, and a typed-array view per address is costly) */
  private netLazy = false;
  private netData: Uint8Array | null = null;

  get netSrc(): Uint8Array | null {
    if (this.netLazy) this.netViews();
    return this._netSrc;
  }
  set netSrc(v: Uint8Array | null) {
    if (this.netLazy) this.netViews();
    this._netSrc = v;
  }
  get netDst(): Uint8Array | null {
    if (this.netLazy) this.netViews();
    return this._netDst;
  }
  set netDst(v: Uint8Array | null) {
    if (this.netLazy) this.netViews();
    this._netDst = v;
  }
  private netViews(): void {
    this.netLazy = false;
    const d = this.netData!;
    this._netSrc = d.subarray(this.netSrcOff, this.netSrcOff + 4);
    this._netDst = d.subarray(this.netDstOff, this.netDstOff + 4);
  }

  /** The IPv4 header's addresses, at these offsets of the current data source. */
  setNet4(srcOff: number, dstOff: number): void {
    this.netKind = 4;
    this.netLazy = true;
    this.netData = this.data;
    this.netSrcOff = srcOff;
    this.netDstOff = dstOff;
  }

  /** No network-layer addresses (a new packet). */
  resetNet(): void {
    this.netKind = 0;
    this.netLazy = false;
    this._netSrc = this._netDst = null;
    this.netData = null;
  }

  /** Whether both network-layer addresses are known (a transport can be tracked). */
  hasNet(): boolean {
    return this.netLazy || (this._netSrc !== null && this._netDst !== null);
  }

  /** The conversation key of the source (or destination) address: addrKey of its bytes. */
  netKey(dst: boolean): string {
    if (this.netLazy) return v4Key(be32(this.netData!, dst ? this.netDstOff : this.netSrcOff));
    const b = dst ? this._netDst : this._netSrc;
    return b ? addrKey(b) : '';
  }
  /** depth of ICMP error embedding: inside an error the transport dissectors skip stateful work */
  inError = 0;
  /** IPv4/IPv6 fragment that was not reassembled here: transport length unknown */
  fragment = false;
  /** the TTL of the last IPv4 header dissected (ICMP echo shows it in Info) */
  ttl = 0;
  /** the hop limit of the last IPv6 header of this packet (-1: none yet; ICMPv6 echo shows it) */
  hopLimit = -1;
  /** data a dissector hands to the next one along with the hand-off (Wireshark's
   * call_dissector_with_data); the receiver takes it and sets it back to null */
  carried: unknown = null;
  /** end of the first network-layer datagram in the frame (-1 = unknown) */
  l3End = -1;
  constructor(
    readonly tree: TreeBuilder,
    readonly state: CaptureState,
  ) {}

  /** work registered by dissectors to run once the layers above them have returned (last first),
   * each with the data source it was registered in: Wireshark's code after call_dissector returns */
  private readonly returnFns: ReturnFn[] = [];
  private readonly returnData: Uint8Array[] = [];
  private readonly returnSrc: number[] = [];

  /** Run `fn` when the layers handed to from here have all been dissected (the engine calls it). */
  onReturn(fn: ReturnFn): void {
    this.returnFns.push(fn);
    this.returnData.push(this.data);
    this.returnSrc.push(this.src);
  }

  /** The last work registered by onReturn, with its data source made current (null: none left). */
  popReturn(): ReturnFn | null {
    const fn = this.returnFns.pop();
    if (fn === undefined) return null;
    this.setData(this.returnData.pop()!, this.returnSrc.pop()!);
    return fn;
  }

  /** the hand-off returned by toTable (one object for all packets) */
  private readonly nx: { table: TableName; key: number; offset: number; end: number; rend: number; data: Uint8Array | undefined } = {
    table: '',
    key: 0,
    offset: 0,
    end: 0,
    rend: 0,
    data: undefined,
  };

  /** A hand-off through a dispatch table, in one object reused for every call: the engine reads it
   * before it calls the next dissector, and nothing else may keep it. */
  toTable(table: TableName, key: number, offset: number, end: number, rend: number, data?: Uint8Array): Next {
    const n = this.nx;
    n.table = table;
    n.key = key;
    n.offset = offset;
    n.end = end;
    n.rend = rend;
    n.data = data;
    return n;
  }

  setData(data: Uint8Array, src: number): void {
    this.data = data;
    this.src = src;
  }

  /** reuse layer objects from one packet to the next (the engine's reuse option: nobody keeps a packet) */
  reuseLayers = false;
  private readonly layerPool: Layer[] = [];
  private layersUsed = 0;

  /** A new packet is dissected: its layers may take the pooled layer objects again. */
  newPacket(pkt: Packet): void {
    this.pkt = pkt;
    this.layersUsed = 0;
  }

  /** A layer object: a pooled one made like new (every property set, as newLayer), or a new one. */
  private takeLayer(proto: FieldDef, offset: number, length: number): Layer {
    const src = this.src || undefined;
    const inner = this.inError ? true : undefined;
    if (!this.reuseLayers) return newLayer(proto.abbrev, proto, proto.name, offset, length, src, inner);
    let l = this.layerPool[this.layersUsed];
    if (l === undefined) this.layerPool.push((l = newLayer(proto.abbrev, proto, proto.name, offset, length, src, inner)));
    else {
      l.proto = proto.abbrev;
      l.def = proto;
      l.summary = proto.name;
      l.offset = offset;
      l.length = length;
      l.src = src;
      clear(l.fields);
      l.malformed = undefined;
      l.inner = inner;
    }
    this.layersUsed++;
    return l;
  }

  /** Start a layer (a protocol block in the details tree). */
  layer(proto: FieldDef, offset: number, length: number): Layer {
    const l = this.takeLayer(proto, offset, length);
    this.pkt.layers.push(l);
    this.pkt.protocols.push(proto.abbrev);
    return l;
  }

  /** Require n bytes at off within [.., end) (captured) and rend (reported). */
  /** need(), reporting a cut or an overrun for protocol `proto` (a filter name) */
  needAs(proto: string, off: number, n: number, end: number, rend: number): void {
    try {
      this.need(off, n, end, rend);
    } catch (e) {
      if (e instanceof ShortError || e instanceof MalformedError) e.proto = proto;
      throw e;
    }
  }

  need(off: number, n: number, end: number, rend: number): void {
    if (off + n <= end) return;
    if (off + n <= rend) throw new ShortError(end);
    throw new MalformedError('read past the end of the packet', Math.min(end, rend));
  }

  add(layer: Layer, parent: FieldNode | null, def: FieldDef, offset: number, length: number, value: FieldValue, text?: string): FieldNode | null {
    const t = this.tree;
    // most fields are not kept outside -V/JSON: answer here, without the call into the tree
    if (!t.full && t.want[def.id] !== 1) return null;
    return t.add(layer, parent, def, offset, length, value, text);
  }

  /** add a bytes field whose value is the bytes [offset, offset+length) of the current data; the
   * view is made only when the field is kept */
  addBytes(layer: Layer, parent: FieldNode | null, def: FieldDef, offset: number, length: number, text?: string): FieldNode | null {
    const t = this.tree;
    if (!t.full && t.want[def.id] !== 1) return null;
    return t.add(layer, parent, def, offset, length, this.data.subarray(offset, offset + length), text);
  }

  gen(layer: Layer, parent: FieldNode | null, def: FieldDef, value: FieldValue, text?: string): FieldNode | null {
    const t = this.tree;
    if (!t.full && t.want[def.id] !== 1) return null;
    return t.gen(layer, parent, def, value, text);
  }

  /** Attach an expert item (Wireshark's expert_add_info): recorded on the packet, and as a field so
   * `-e`/filters see its name. `ownItem`: the message is a tree item of its own (see ExpertItem). */
  expert(layer: Layer, parent: FieldNode | null, def: FieldDef, severity: Severity, group: string, message: string, ownItem?: boolean): ExpertItem {
    // every property present from the start: one object shape for all expert items
    const item: ExpertItem = { abbrev: def.abbrev, severity, group, message, proto: layer.proto, inError: this.inError > 0 ? true : undefined, ownItem };
    this.pkt.expert.push(item);
    const t = this.tree;
    // expert nodes are kept whenever any expert field is wanted, so outputs list them in tree order
    if (t.full || t.wantExpert || t.want[def.id] === 1) {
      const n = newNode(def, null, 0, 0, layer.src || undefined, message);
      n.generated = true;
      n.expert = item;
      if (parent && t.full) (parent.children ??= []).push(n);
      else layer.fields.push(n);
    }
    // Wireshark adds a hidden _ws.malformed item with every expert of the Malformed group
    if (group === 'Malformed') {
      const m = t.add(layer, parent, malformedField, 0, 0, null);
      if (m) m.hidden = true;
    }
    return item;
  }

  /** The current layer's bounds for item(): captured end and reported end in the current data (the
   * engine sets them from each hand-off; a dissector narrows them to its header or payload). */
  end = 0;
  rend = 0;
  /** the node the last item() call recorded (null when the field was not kept): a subtree parent */
  lastNode: FieldNode | null = null;

  /** Set the bounds item() checks against (see end/rend). */
  limit(end: number, rend: number): void {
    this.end = end;
    this.rend = rend;
  }

  /**
   * Add field `def` read from the current data at offset (Wireshark's proto_tree_add_item): the
   * definition says how to read it (width, byte order, bitmask, encoding; see core/read.ts) and
   * the details text is rendered from it unless the call gives one. The bytes must lie within the
   * bounds (limit()): a cut throws ShortError, an overrun MalformedError, as need(). Returns the
   * value; the node, when the field is kept, is in lastNode.
   */
  item(layer: Layer, parent: FieldNode | null, def: FieldDef, offset: number, length = naturalLength(def), text?: string): FieldValue {
    this.need(offset, length, this.end, this.rend);
    const value = readValue(this.data, offset, length, def);
    const t = this.tree;
    this.lastNode = !t.full && t.want[def.id] !== 1 ? null : t.add(layer, parent, def, offset, length, value, text);
    return value;
  }

  /** item() of an integer (up to 48 bits), IPv4 address or frame number field: the value as a number. */
  itemNum(layer: Layer, parent: FieldNode | null, def: FieldDef, offset: number, length?: number, text?: string): number {
    const v = this.item(layer, parent, def, offset, length, text);
    if (typeof v !== 'number') throw new TypeError(`${def.abbrev}: itemNum of a ${def.type} field`);
    return v;
  }

  /** item() of a boolean (flag) field: the value as a boolean. */
  itemBool(layer: Layer, parent: FieldNode | null, def: FieldDef, offset: number, length?: number, text?: string): boolean {
    const v = this.item(layer, parent, def, offset, length, text);
    if (typeof v !== 'boolean') throw new TypeError(`${def.abbrev}: itemBool of a ${def.type} field`);
    return v;
  }

  /** A read past the current data: the capture cut it (ShortError) or it overruns (MalformedError). */
  private overrun(o: number, n: number): never {
    const end = this.data.length;
    const rend = this.src === 0 ? Math.max(this.pkt.rec.origLen, end) : end;
    if (o >= 0 && o + n <= rend) throw new ShortError(end);
    throw new MalformedError('read past the end of the packet', end);
  }

  /* The integer reads are bounds-checked against the current data: a dissector that forgot its
   * need() gets the same exception need() would throw, never a silent 0. */
  u8(o: number): number {
    const v = this.data[o];
    if (v === undefined) this.overrun(o, 1);
    return v;
  }
  u16(o: number): number {
    const d = this.data;
    if (o < 0 || o + 2 > d.length) this.overrun(o, 2);
    return (d[o]! << 8) | d[o + 1]!;
  }
  u24(o: number): number {
    const d = this.data;
    if (o < 0 || o + 3 > d.length) this.overrun(o, 3);
    return (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!;
  }
  u32(o: number): number {
    const d = this.data;
    if (o < 0 || o + 4 > d.length) this.overrun(o, 4);
    return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
  }
  u16le(o: number): number {
    const d = this.data;
    if (o < 0 || o + 2 > d.length) this.overrun(o, 2);
    return d[o]! | (d[o + 1]! << 8);
  }
  u32le(o: number): number {
    const d = this.data;
    if (o < 0 || o + 4 > d.length) this.overrun(o, 4);
    return ((d[o + 3]! << 24) | (d[o + 2]! << 16) | (d[o + 1]! << 8) | d[o]!) >>> 0;
  }
  bytes(o: number, n: number): Uint8Array {
    return this.data.subarray(o, o + n);
  }
}

