import { lookupField, type FieldDef, type Time } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { keyAddrText, topField, valueKey, addrText } from './util.js';

/**
 * The address taps behind conv,X and endpoints,X: for each packet, the (src, dst, ports) tuples that
 * Wireshark's eth / ip / ipv6 / tcp / udp taps would queue. One tap per header that Wireshark taps:
 * every Ethernet, IPv4 and IPv6 header outside ICMP error payloads (tunnels give several), and the
 * packet's TCP or UDP header.
 */
export type AddrTapKind = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';

export const KIND_NAMES: Record<AddrTapKind, string> = {
  eth: 'Ethernet',
  ip: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  udp: 'UDP',
};

export interface AddrTuple {
  /** address as a key (bytes as latin1 chars, or the IPv4 number as text) */
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** conversation id: the TCP stream index (-1 when unset) */
  convId: number;
}

/** Which fields each kind reads (added to the engine's wanted set). */
export function addrTapFields(kind: AddrTapKind): FieldDef[] {
  const names: Record<AddrTapKind, string[]> = {
    eth: ['eth.src', 'eth.dst'],
    ip: ['ip.src', 'ip.dst'],
    ipv6: ['ipv6.src', 'ipv6.dst'],
    // TCP and UDP read the segment and datagram (TcpSegment.stream, UdpDatagram): no field is kept
    tcp: [],
    udp: [],
  };
  const out: FieldDef[] = [];
  for (const n of names[kind]) {
    const d = lookupField(n);
    if (d) out.push(d);
  }
  return out;
}

/** Fallback stream numbering when the TCP tracker has not set tcp.stream: one per 4-tuple, and a
 * new one when a SYN reopens a tuple that saw FIN/RST or whose first SYN had another sequence. */
export class StreamFallback {
  private map = new Map<string, { index: number; closed: boolean; syn: number }>();
  private next = 0;
  get(pkt: Packet): number {
    const s = pkt.tcp!;
    const a = `${s.srcKey}|${s.srcPort}`;
    const b = `${s.dstKey}|${s.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = this.map.get(key);
    const syn = (s.flags & 0x12) === 0x02;
    if (!c || (syn && (c.closed || (c.syn !== -1 && c.syn !== s.seq)))) {
      c = { index: this.next++, closed: false, syn: syn ? s.seq : -1 };
      this.map.set(key, c);
    } else if (syn && c.syn === -1) c.syn = s.seq;
    if (s.flags & 0x05) c.closed = true;
    return c.index;
  }
}

const NO_TUPLES: readonly AddrTuple[] = Object.freeze([]);

/** Reads the tuples of one kind out of a packet. */
export class AddrTap {
  private readonly srcDef: FieldDef | undefined;
  private readonly dstDef: FieldDef | undefined;
  private fallback: StreamFallback | null = null;
  private readonly one: AddrTuple = { src: '', dst: '', sport: 0, dport: 0, convId: -1 };
  private readonly list: AddrTuple[] = [];
  /** the one tuple of a TCP or UDP packet, as a list (one array for all packets) */
  private readonly oneList: readonly AddrTuple[] = [this.one];

  constructor(readonly kind: AddrTapKind) {
    if (kind === 'eth' || kind === 'ip' || kind === 'ipv6') {
      this.srcDef = lookupField(`${kind}.src`);
      this.dstDef = lookupField(`${kind}.dst`);
    }
  }

  /** The tuples for this packet (the array and its objects are reused: copy what you keep). */
  tuples(pkt: Packet): readonly AddrTuple[] {
    switch (this.kind) {
      case 'eth':
      case 'ip':
      case 'ipv6': {
        const out = this.list;
        out.length = 0;
        const layers = pkt.layers;
        let n = 0;
        for (let i = 1; i < layers.length; i++) {
          const L = layers[i]!;
          if (L.proto !== this.kind || L.inner || L.malformed) continue;
          // the header ran out of bytes (Wireshark's exception comes before the tap)
          const nx = layers[i + 1]?.proto;
          if (nx === '_ws.short' || nx === '_ws.malformed') continue;
          const s = topField(L, this.srcDef);
          const d = topField(L, this.dstDef);
          if (!s || !d || s.value === null || d.value === null) continue;
          const t = (n < this.pool.length ? this.pool[n] : (this.pool[n] = { src: '', dst: '', sport: 0, dport: 0, convId: -1 }))!;
          n++;
          t.src = valueKey(s.value);
          t.dst = valueKey(d.value);
          out.push(t);
        }
        return out;
      }
      case 'tcp': {
        const s = pkt.tcp;
        if (!s || s.inError || s.flags < 0 || !s.srcKey) return NO_TUPLES;
        const t = this.one;
        t.src = s.srcKey;
        t.dst = s.dstKey;
        t.sport = s.srcPort;
        t.dport = s.dstPort;
        t.convId = tcpStreamOf(pkt, (this.fallback ??= new StreamFallback()));
        return this.oneList;
      }
      case 'udp': {
        const u = pkt.udp;
        if (!u || !u.srcKey) return NO_TUPLES;
        const t = this.one;
        t.src = u.srcKey;
        t.dst = u.dstKey;
        t.sport = u.srcPort;
        t.dport = u.dstPort;
        t.convId = -1;
        return this.oneList;
      }
    }
  }
  private readonly pool: AddrTuple[] = [];

  /** Address key → text (IPv4 numbers were keyed as decimal text). */
  addrText(k: string): string {
    if (this.kind === 'ip') return addrText(Number(k));
    return keyAddrText(k);
  }
}

export function timeCmp(a: Time, b: Time): number {
  return a.sec !== b.sec ? (a.sec < b.sec ? -1 : 1) : a.nsec !== b.nsec ? (a.nsec < b.nsec ? -1 : 1) : 0;
}

/** tcp.stream of the packet's TCP segment: the tracker's value, else the fallback numbering. */
export function tcpStreamOf(pkt: Packet, fallback: StreamFallback): number {
  const s = pkt.tcp!;
  return s.stream >= 0 ? s.stream : fallback.get(pkt);
}
