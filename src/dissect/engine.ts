import { field, newLayer, newNode, protocol, type FieldDef } from '../core/field.js';
import { malformedField, type Packet, type PacketRecord, TreeBuilder } from '../core/packet.js';
import '../dissectors/index.js';
import { dissectFrame, f as frameFields, pFrame } from '../dissectors/frame.js';
import { ethernetTrailer } from '../dissectors/ethernet.js';
import { Ctx, MalformedError, type Next, ShortError } from './context.js';
import { getDissector, lookup, type DissectFn } from './registry.js';
import { CaptureState, type Prefs } from './state.js';

/** a packet's time before the frame layer sets it (shared: never written to) */
const NO_TIME = Object.freeze({ sec: 0, nsec: 0 });

/** Guard against loops and absurd nesting (1,000 VLAN tags, IPv6 header chains): Wireshark stops too. */
export const MAX_DEPTH = 64;

export const pShort = protocol('_ws.short', 'Packet size limited during capture');
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
}

export { analysisNeeded } from '../core/field.js';

/**
 * The single-pass pipeline for one capture: frame → link → network → transport → payload through
 * the dispatch tables; stateful dissectors keep their state in the capture state (ctx.state).
 */
export class Engine {
  readonly state: CaptureState;
  readonly tree = new TreeBuilder();
  readonly ctx: Ctx;

  constructor(opts: EngineOptions = {}) {
    this.state = new CaptureState(opts.prefs);
    this.tree.setWant(opts.full ?? true, opts.fields ?? [], opts.columns ?? true, opts.texts ?? true);
    this.ctx = new Ctx(this.tree, this.state);
    this.state.analysis = opts.analysis ?? true;
  }

  /** Dissect one record. The packet's field values may point into rec.data. */
  dissect(rec: PacketRecord): Packet {
    const pkt: Packet = {
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
    const ctx = this.ctx;
    ctx.pkt = pkt;
    this.wasShort = false;
    ctx.setData(rec.data, 0);
    ctx.resetNet();
    ctx.inError = 0;
    ctx.fragment = false;
    ctx.ethLayer = null;
    ctx.l3End = -1;
    dissectFrame(ctx);
    let next: Next | null = ctx.toTable('linktype', rec.linkType, 0, rec.capLen, Math.max(rec.origLen, rec.capLen));
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
      let fn: DissectFn | undefined;
      if ('table' in next) {
        fn = lookup(next.table, next.key);
      } else {
        fn = getDissector(next.dissector);
      }
      fn ??= getDissector('data')!;
      try {
        next = fn(ctx, next.offset, next.end, next.rend);
      } catch (e) {
        if (e instanceof ShortError) this.short(pkt, e.proto);
        else if (e instanceof MalformedError) this.malformed(pkt, e.message, e.at, e.proto);
        else this.malformed(pkt, `dissector failure: ${(e as Error).message}`, 0);
        next = null;
      }
    }
    if (ctx.ethLayer) {
      ctx.setData(rec.data, 0);
      try {
        ethernetTrailer(ctx);
      } catch (e) {
        // a trailer (or its FCS) cut by the snaplen: labelled by the ethertype dissector, which adds it
        if (!(e instanceof ShortError)) throw e;
        if (!this.wasShort) this.short(pkt, 'ethertype');
      }
    }
    if (this.tree.full || this.tree.want[frameFields.protocols.id] === 1) {
      const frame = pkt.layers.find((l) => l.def === pFrame)!;
      const protos = pkt.protocols.slice(1).join(':');
      const n = newNode(frameFields.protocols, protos, 0, 0, undefined, `Protocols in frame: ${protos}`);
      n.generated = true;
      frame.fields.push(n);
    }
    return pkt;
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

/** Wireshark's short protocol names, as "[Malformed Packet: X]" shows them. */
export const PROTO_LABEL: Record<string, string> = {
  eth: 'Ethernet',
  ethertype: 'Ethertype',
  ip: 'IPv4',
  ipv6: 'IPv6',
  'ipv6.hopopts': 'IPv6 Hop-by-Hop',
  'ipv6.routing': 'IPv6 Routing',
  'ipv6.fraghdr': 'IPv6 Fragment',
  'ipv6.dstopts': 'IPv6 Destination',
  tcp: 'TCP',
  udp: 'UDP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  arp: 'ARP/RARP',
  vlan: 'VLAN',
  ieee8021ad: 'IEEE 802.1AD',
  llc: 'LLC',
  sll: 'SLL',
  null: 'Null',
  raw: 'Raw',
  data: 'Data',
  frame: 'Frame',
};

function protoLabel(p: string): string {
  return PROTO_LABEL[p] ?? p.toUpperCase();
}
