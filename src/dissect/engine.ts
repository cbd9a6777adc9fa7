import { clear, field, lookupField, newLayer, protocol, type FieldDef } from '../core/field.js';
import { malformedField, type Packet, type PacketRecord, TreeBuilder } from '../core/packet.js';
import '../dissectors/index.js';
import { Ctx, MalformedError, type Next, ShortError } from './context.js';
import { getDissector, lookup, type DissectFn } from './registry.js';
import { CaptureState, type Prefs } from './state.js';

/** a packet's time before the frame layer sets it (shared: never written to) */
const NO_TIME = Object.freeze({ sec: 0, nsec: 0 });

/** Guard against loops and absurd nesting (1,000 VLAN tags, IPv6 header chains): Wireshark stops too. */
export const MAX_DEPTH = 64;

export const pShort = protocol('_ws.short', 'Packet size limited during capture', { short: 'Short frame' });
export const fMalformedExpert = field('_ws.malformed.expert', 'Malformed Packet (Exception occurred)', 'none');
export const fTooDeep = field('_ws.malformed.too_deep', 'Too many nested layers', 'none');

export interface EngineOptions {
  prefs?: Partial<Prefs>;
  /** build every field (for -V, JSON, hex highlighting); otherwise only `fields` are kept */
  full?: boolean;
  /** fields wanted when not full (from -e and the display filter) */
  fields?: Iterable<FieldDef>;
  /** build the columns (summary line) */
  columns?: boolean;
  /** with full: build the details texts too (default true; JSON reads only values) */
  texts?: boolean;
  /**
   * run the TCP analysis stage (default true). Off only when nothing reads its results: no tree, no
   * columns, no expert consumer, and every wanted field one the dissectors give without it (see
   * analysisNeeded in core/field.ts); the tracker then only numbers the streams.
   */
  analysis?: boolean;
  /**
   * The caller keeps no packet past the next dissect() call (the CLI: each packet is printed,
   * counted and dropped): the engine then reuses one Packet, its arrays and its layer objects from
   * one packet to the next, allocating nothing for them (like gopacket's DecodingLayer). A library
   * caller that keeps packets leaves it off (default).
   */
  reuse?: boolean;
}

export { analysisNeeded } from '../core/field.js';

/** Make a packet ready for a new record, reusing its object and arrays (see EngineOptions.reuse). */
function resetPacket(pkt: Packet, rec: PacketRecord): Packet {
  pkt.rec = rec;
  pkt.rel = NO_TIME;
  pkt.prevTs = null;
  pkt.prevDisplayedTs = null;
  clear(pkt.layers);
  clear(pkt.protocols);
  pkt.colSrc = pkt.colDst = pkt.colProto = pkt.colInfo = pkt.infoPrefix = pkt.infoSuffix = '';
  clear(pkt.expert);
  pkt.malformed = false;
  clear(pkt.sources);
  pkt.tcp = null;
  pkt.udp = null;
  pkt.tcpSrc = 0;
  return pkt;
}

/** A fresh packet for one record (frame and layers fill it in). */
function newPacket(rec: PacketRecord): Packet {
  return {
    rec,
    rel: NO_TIME,
    prevTs: null,
    prevDisplayedTs: null,
    layers: [],
    protocols: [],
    colSrc: '',
    colDst: '',
    colProto: '',
    colInfo: '',
    infoPrefix: '',
    infoSuffix: '',
    expert: [],
    malformed: false,
    sources: [],
    tcp: null,
    udp: null,
    tcpSrc: 0,
  };
}

/**
 * The single-pass pipeline for one capture: frame → link → network → transport → payload through
 * the dispatch tables; stateful dissectors keep their state in the capture state (ctx.state).
 */
export class Engine {
  readonly state: CaptureState;
  readonly tree = new TreeBuilder();
  readonly ctx: Ctx;
  /** the one packet reused for every record (EngineOptions.reuse), else null */
  private readonly reused: Packet | null;

  constructor(opts: EngineOptions = {}) {
    this.state = new CaptureState(opts.prefs);
    this.tree.setWant(opts.full ?? true, opts.fields ?? [], opts.columns ?? true, opts.texts ?? true);
    this.ctx = new Ctx(this.tree, this.state);
    // the TCP dissector reads it: when nothing reads the analysis it only numbers the streams
    this.state.analysis = opts.analysis ?? true;
    this.reused = opts.reuse ? newPacket({} as PacketRecord) : null;
    this.ctx.reuseLayers = opts.reuse ?? false;
    this.tree.reuseNodes(opts.reuse ?? false);
  }

  /** the entry point: the dissector of the record itself ("frame"), which hands on to the linktype */
  private readonly frame: DissectFn = getDissector('frame')!;

  /** Dissect one record. The packet's field values may point into rec.data. */
  dissect(rec: PacketRecord): Packet {
    const pkt = this.reused ? resetPacket(this.reused, rec) : newPacket(rec);
    const ctx = this.ctx;
    ctx.newPacket(pkt);
    this.tree.newPacket();
    this.wasShort = false;
    ctx.setData(rec.data, 0);
    ctx.resetNet();
    ctx.inError = 0;
    ctx.fragment = false;
    ctx.l3End = -1;
    ctx.hopLimit = -1;
    ctx.carried = null;
    const rend = Math.max(rec.origLen, rec.capLen);
    ctx.limit(rec.capLen, rend);
    this.dissectLayers(pkt, this.frame(ctx, 0, rec.capLen, rend));
    this.returnUp(pkt);
    return pkt;
  }

  /** The dispatch loop: each dissector hands off to the next through a table or by name. */
  private dissectLayers(pkt: Packet, first: Next | null): void {
    const ctx = this.ctx;
    let next = first;
    let depth = 0;
    while (next) {
      if (++depth > MAX_DEPTH) {
        this.malformed(pkt, 'too many nested layers', next.offset);
        break;
      }
      if (next.data) {
        pkt.sources.push(next.data);
        ctx.setData(next.data, pkt.sources.length);
      }
      const fn: DissectFn = ('table' in next ? lookup(next.table, next.key) : getDissector(next.dissector)) ?? getDissector('data')!;
      ctx.limit(next.end, next.rend);
      try {
        next = fn(ctx, next.offset, next.end, next.rend);
      } catch (e) {
        this.fail(pkt, e);
        next = null;
      }
    }
  }

  /** A dissector threw: the cut, the malformation or the failure becomes an item of the packet. */
  private fail(pkt: Packet, e: unknown): void {
    if (e instanceof ShortError) this.short(pkt, e.proto);
    else if (e instanceof MalformedError) this.malformed(pkt, e.message, e.at, e.proto);
    else this.malformed(pkt, `dissector failure: ${(e as Error).message}`, 0);
  }

  /** Run the work the dissectors left for when the layers above them returned (an Ethernet trailer,
   * frame.protocols), innermost first. A cut there is reported once per packet. */
  private returnUp(pkt: Packet): void {
    const ctx = this.ctx;
    for (let fn = ctx.popReturn(); fn !== null; fn = ctx.popReturn()) {
      try {
        fn(ctx);
      } catch (e) {
        if (!(e instanceof ShortError && this.wasShort)) this.fail(pkt, e);
      }
    }
  }

  /** The packet was shown to the user (passed the display filter): for frame.time_delta_displayed. */
  displayed(pkt: Packet): void {
    // like the previous captured frame: a custom-block frame does not count (unless it is the first)
    if (!pkt.rec.custom || !this.state.prevDisplayedTs) this.state.prevDisplayedTs = pkt.rec.ts;
  }

  private malformed(pkt: Packet, why: string, at: number, proto?: string): void {
    if (pkt.malformed) return;
    pkt.malformed = true;
    const last = pkt.layers[pkt.layers.length - 1];
    if (last) last.malformed = { error: why, offset: at };
    const lastProto = protoLabel(proto ?? pkt.protocols[pkt.protocols.length - 1] ?? 'frame');
    // like Wireshark: a "[Malformed Packet: X]" item (not listed in frame.protocols) with its expert
    const L = newLayer(malformedField.abbrev, malformedField, `[Malformed Packet: ${lastProto}]`, at, 0, undefined, undefined);
    pkt.layers.push(L);
    const item = this.ctx.expert(L, null, fMalformedExpert, 'error', 'Malformed', 'Malformed Packet (Exception occurred)');
    if (proto) item.proto = proto; // -z expert names it (otherwise: the last protocol before it)
    pkt.infoSuffix += '[Malformed Packet]';
  }

  /** the packet being dissected was already cut short (one "[Packet size limited …]" per packet) */
  private wasShort = false;

  /** The capture's snaplen cut the packet: tshark adds an item and an Info note, no expert. */
  private short(pkt: Packet, proto?: string): void {
    this.wasShort = true;
    const lastProto = protoLabel(proto ?? pkt.protocols[pkt.protocols.length - 1] ?? 'frame');
    const L = newLayer(pShort.abbrev, pShort, `[Packet size limited during capture: ${lastProto} truncated]`, pkt.rec.capLen, 0, undefined, undefined);
    pkt.layers.push(L);
    pkt.infoSuffix += '[Packet size limited during capture]';
  }
}

/** A protocol's short name, as "[Malformed Packet: X]" shows it: declared with the protocol. */
function protoLabel(p: string): string {
  return lookupField(p)?.short ?? p.toUpperCase();
}
