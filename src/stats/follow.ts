import { lookupField, type FieldDef, type Layer } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { StreamFallback, tcpStreamOf } from './addrtap.js';
import { StatError, type Stat } from './types.js';
import { cFixed, keyAddrText, timeSec, topField } from './util.js';

export type FollowMode = 'hex' | 'ascii' | 'ebcdic' | 'raw' | 'yaml';

interface Record_ {
  server: boolean;
  frame: number;
  ts: { sec: number; nsec: number };
  seq: number;
  data: Uint8Array;
}

export interface FollowSpec {
  proto: 'tcp' | 'udp';
  mode: FollowMode;
  /** stream index, or -1 when following an address pair */
  stream: number;
  addr: [string, string];
  port: [number, number];
  v6: boolean;
  chunkMin: number;
  chunkMax: number;
}

const SEP = '===================================================================\n';
const MAX_U32 = 0xffffffff;

/** serial-number comparisons, as Wireshark's GT_SEQ / LT_SEQ */
const ltSeq = (x: number, y: number) => ((x - y) | 0) < 0;
const gtSeq = (x: number, y: number) => ((y - x) | 0) < 0;

function followError(msg: string): StatError {
  return new StatError(`follow - ${msg}`);
}

/** Parse an IPv4 dotted quad or IPv6 text into key bytes (latin1 chars), or null. */
function parseAddr(s: string, v6: boolean): string | null {
  if (!v6) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
    if (!m) return null;
    const b = m.slice(1).map(Number);
    if (b.some((x) => x > 255)) return null;
    return String.fromCharCode(...b);
  }
  let head = s;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const k = parseAddr(v4[1]!, false);
    if (k === null) return null;
    tail = [...k].map((c) => c.charCodeAt(0));
    head = s.slice(0, s.length - v4[1]!.length) + '0:0';
  }
  const parts = head.split('::');
  if (parts.length > 2) return null;
  const grp = (p: string) => (p === '' ? [] : p.split(':'));
  const a = grp(parts[0]!);
  const b = parts.length === 2 ? grp(parts[1]!) : [];
  const fill = 8 - a.length - b.length;
  if (parts.length === 2 ? fill < 0 : fill !== 0) return null;
  const groups = [...a, ...Array<string>(parts.length === 2 ? fill : 0).fill('0'), ...b];
  const out: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 255);
  }
  if (tail.length) out.splice(12, 4, ...tail);
  return String.fromCharCode(...out);
}

/** Parse "follow,tcp|udp,MODE,STREAM|ADDR:PORT,ADDR:PORT[,RANGE]" (tshark's ui/cli/tap-follow.c). */
export function parseFollow(arg: string): FollowSpec {
  const m = /^follow,(tcp|udp)(.*)$/.exec(arg);
  if (!m) throw new StatError(`invalid -z argument "${arg}"`);
  let rest = m[2]!;
  const modeM = /^,(hex|ascii|ebcdic|raw|yaml)/.exec(rest);
  if (!modeM) throw followError('Invalid display mode.');
  rest = rest.slice(modeM[0].length);
  const spec: FollowSpec = {
    proto: m[1] as 'tcp' | 'udp',
    mode: modeM[1] as FollowMode,
    stream: -1,
    addr: ['', ''],
    port: [0, 0],
    v6: false,
    chunkMin: 1,
    chunkMax: MAX_U32,
  };
  const idx = /^,(-?\d+)(?=$|,)/.exec(rest);
  if (idx) {
    spec.stream = Number(idx[1]);
    rest = rest.slice(idx[0].length);
  } else {
    const kinds: boolean[] = [];
    for (let i = 0; i < 2; i++) {
      const a6 = /^,\[([^\]]{1,80})\]:(-?\d+)/.exec(rest);
      const a4 = a6 ? null : /^,([^:]{1,80}):(-?\d+)/.exec(rest);
      const mm = a6 ?? a4;
      if (!mm) throw followError('Invalid address.');
      const port = Number(mm[2]);
      if (port <= 0 || port > 65535) throw followError('Invalid port.');
      const key = parseAddr(mm[1]!, !!a6);
      if (key === null) throw followError(a6 ? "Can't get IPv6 address" : "Can't get IPv4 address");
      spec.addr[i] = key;
      spec.port[i] = port;
      kinds.push(!!a6);
      rest = rest.slice(mm[0].length);
    }
    if (kinds[0] !== kinds[1]) throw followError('Mismatched IP address types.');
    spec.v6 = kinds[0]!;
  }
  if (rest !== '') {
    const r2 = /^,(\d+)-(\d+)/.exec(rest);
    const r1 = r2 ? null : /^,(\d+)/.exec(rest);
    if (r2) {
      spec.chunkMin = Number(r2[1]);
      spec.chunkMax = Number(r2[2]);
      rest = rest.slice(r2[0].length);
    } else if (r1) {
      spec.chunkMin = spec.chunkMax = Number(r1[1]);
      rest = rest.slice(r1[0].length);
    } else throw followError('Invalid range.');
    if (spec.chunkMin < 1 || spec.chunkMin > spec.chunkMax) throw followError('Invalid range value.');
  }
  if (rest !== '') throw followError('Invalid parameter.');
  return spec;
}

/**
 * -z follow,tcp|udp,hex|ascii|ebcdic|raw|yaml,N[,range]: the stream's payload in order, as tshark 4.0
 * prints it. TCP follows Wireshark's follow_tcp_tap_listener: segments are placed by (relative)
 * sequence number, bytes already seen are not repeated, out-of-order segments wait until the gap
 * fills, and data the receiver acknowledged but the capture lacks becomes "[N bytes missing in
 * capture file]". Node 0 is the source of the stream's first packet.
 */
export class FollowStat implements Stat {
  readonly needsFull = false;
  readonly fields: FieldDef[];
  private readonly streamFb = new StreamFallback();
  private readonly udpStreamDef = lookupField('udp.stream');
  private readonly udpPayloadDef = lookupField('udp.payload');
  private readonly udpIdx = new Map<string, number>();
  private readonly records: Record_[] = [];
  private client: { addr: string; port: number } | null = null;
  private server: { addr: string; port: number } | null = null;
  /** TCP reassembly state per side (0 = client, 1 = server) */
  private readonly seq = [0, 0];
  private readonly written = [0, 0];
  private readonly fragments: Record_[][] = [[], []];
  /** relative sequence bases, as the TCP tracker sets them (spec §3.2) */
  private readonly base: Array<Map<string, number>> = [new Map(), new Map()];
  private readonly baseOf = new Map<string, number>();

  constructor(
    readonly arg: string,
    readonly spec: FollowSpec,
  ) {
    const f: FieldDef[] = [];
    for (const n of spec.proto === 'tcp' ? ['tcp.stream'] : ['udp.stream', 'udp.payload']) {
      const d = lookupField(n);
      if (d) f.push(d);
    }
    this.fields = f;
  }

  private udpLayer(pkt: Packet): Layer | undefined {
    for (let i = pkt.layers.length - 1; i > 0; i--) {
      const L = pkt.layers[i]!;
      if (L.proto === 'udp' && !L.inner) return L;
    }
    return undefined;
  }

  private matchesAddr(src: string, sport: number, dst: string, dport: number): boolean {
    const s = this.spec;
    return (src === s.addr[0] && sport === s.port[0] && dst === s.addr[1] && dport === s.port[1]) ||
      (src === s.addr[1] && sport === s.port[1] && dst === s.addr[0] && dport === s.port[0]);
  }

  private side(src: string, sport: number, dst: string, dport: number): boolean {
    if (!this.client) {
      this.client = { addr: src, port: sport };
      this.server = { addr: dst, port: dport };
    }
    return !(this.client.addr === src && this.client.port === sport);
  }

  packet(pkt: Packet): void {
    if (this.spec.proto === 'tcp') this.tcpPacket(pkt);
    else this.udpPacket(pkt);
  }

  private udpPacket(pkt: Packet): void {
    const u = pkt.udp;
    if (!u) return;
    const L = this.udpLayer(pkt);
    if (this.spec.stream >= 0) {
      const sv = L ? topField(L, this.udpStreamDef)?.value : undefined;
      let stream: number;
      if (typeof sv === 'number') stream = sv;
      else {
        const a = `${u.srcKey}|${u.srcPort}`;
        const b = `${u.dstKey}|${u.dstPort}`;
        const k = a < b ? `${a}|${b}` : `${b}|${a}`;
        let i = this.udpIdx.get(k);
        if (i === undefined) this.udpIdx.set(k, (i = this.udpIdx.size));
        stream = i;
      }
      if (stream !== this.spec.stream) return;
    } else if (!this.matchesAddr(u.srcKey, u.srcPort, u.dstKey, u.dstPort)) return;
    const server = this.side(u.srcKey, u.srcPort, u.dstKey, u.dstPort);
    const pl = L ? topField(L, this.udpPayloadDef)?.value : undefined;
    const data = pl instanceof Uint8Array ? Uint8Array.from(pl) : new Uint8Array(0);
    this.written[server ? 1 : 0] += data.length;
    this.records.push({ server, frame: pkt.rec.num, ts: pkt.rec.ts, seq: 0, data });
  }

  private relBase(side: string, seq: number, syn: boolean): number {
    let b = this.baseOf.get(side);
    if (b === undefined) {
      b = syn ? seq : (seq - 1) >>> 0;
      this.baseOf.set(side, b);
    }
    return b;
  }

  private tcpPacket(pkt: Packet): void {
    const s = pkt.tcp;
    if (!s || s.inError || s.flags < 0) return;
    const stream = tcpStreamOf(pkt, this.streamFb);
    if (this.spec.stream >= 0 ? stream !== this.spec.stream : !this.matchesAddr(s.srcKey, s.srcPort, s.dstKey, s.dstPort)) return;
    // relative numbers like the tracker: the sender's base on its first segment, the receiver's from the ACK
    const me = `${s.srcKey}|${s.srcPort}`;
    const peer = `${s.dstKey}|${s.dstPort}`;
    const syn = (s.flags & 0x02) !== 0;
    const base = this.relBase(me, s.seq, syn);
    if (s.flags & 0x10 && !this.baseOf.has(peer)) this.baseOf.set(peer, (s.ack - 1) >>> 0);
    let sequence = (s.seq - base) >>> 0;
    const peerBase = this.baseOf.get(peer);
    const ack = s.flags & 0x10 && peerBase !== undefined ? (s.ack - peerBase) >>> 0 : s.ack;
    let length = Math.max(0, s.len);
    let dataOffset = 0;
    let dataLength = Math.max(0, s.payloadEnd - s.payloadOffset);
    if (s.len >= 0) dataLength = Math.min(dataLength, s.len);
    if (syn) sequence = (sequence + 1) >>> 0;

    const server = this.side(s.srcKey, s.srcPort, s.dstKey, s.dstPort);
    const me_ = server ? 1 : 0;
    const other = 1 - me_;
    if (this.fragments[other]!.length) while (this.checkFragments(other, ack, pkt.rec.num, true));
    if (this.written[me_] === 0 && this.seq[me_] === 0) this.seq[me_] = sequence;
    if (ltSeq(sequence, this.seq[me_]!)) {
      const nextseq = (sequence + length) >>> 0;
      if (gtSeq(nextseq, this.seq[me_]!)) {
        dataOffset = (this.seq[me_]! - sequence) >>> 0;
        dataLength = dataLength <= dataOffset ? 0 : dataLength - dataOffset;
        sequence = this.seq[me_]!;
        length = (nextseq - this.seq[me_]!) >>> 0;
      }
    }
    if (dataLength === 0 || ltSeq(sequence, this.seq[me_]!)) return;
    const src = pkt.tcpSrc ? pkt.sources[pkt.tcpSrc - 1]! : pkt.rec.data;
    const off = s.payloadOffset + dataOffset;
    const rec: Record_ = { server, frame: pkt.rec.num, ts: pkt.rec.ts, seq: sequence, data: Uint8Array.from(src.subarray(off, off + dataLength)) };
    if (sequence === this.seq[me_]) {
      this.seq[me_] = (this.seq[me_]! + length) >>> 0;
      this.written[me_] += rec.data.length;
      this.records.push(rec);
      while (this.checkFragments(me_, 0, pkt.rec.num, false));
    } else {
      this.fragments[me_]!.push(rec);
    }
  }

  /** Wireshark's check_follow_fragments: apply one waiting segment if it now fits; true if one did. */
  private checkFragments(side: number, acknowledged: number, frame: number, useAck: boolean): boolean {
    const list = this.fragments[side]!;
    if (!list.length) return false;
    let lowest = list[0]!.seq;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      if (gtSeq(lowest, f.seq)) lowest = f.seq;
      if (ltSeq(f.seq, this.seq[side]!)) {
        const newseq = (f.seq + f.data.length) >>> 0;
        if (gtSeq(newseq, this.seq[side]!)) {
          const newPos = (this.seq[side]! - f.seq) >>> 0;
          if (f.data.length > newPos) {
            const size = f.data.length - newPos;
            this.records.push({ server: side === 1, frame: f.frame, ts: f.ts, seq: (this.seq[side]! + size) >>> 0, data: f.data.subarray(newPos) });
          }
          this.seq[side] = (this.seq[side]! + (f.data.length - newPos)) >>> 0;
        }
        list.splice(i, 1);
        return true;
      }
      if (f.seq === this.seq[side]) {
        if (f.data.length > 0) this.records.push(f);
        this.seq[side] = (this.seq[side]! + f.data.length) >>> 0;
        list.splice(i, 1);
        return true;
      }
    }
    if (useAck && gtSeq(acknowledged, lowest)) {
      const text = `[${(lowest - this.seq[side]!) | 0} bytes missing in capture file]`;
      const data = new Uint8Array(text.length + 1);
      for (let i = 0; i < text.length; i++) data[i] = text.charCodeAt(i);
      this.records.push({ server: side === 1, frame, ts: { sec: 0, nsec: 0 }, seq: lowest, data });
      this.seq[side] = lowest;
      return true;
    }
    return false;
  }

  private filterText(): string {
    const s = this.spec;
    if (s.stream >= 0) return `${s.proto}.stream eq ${s.stream}`;
    const v = s.v6 ? 'v6' : '';
    const a0 = keyAddrText(s.addr[0]);
    const a1 = keyAddrText(s.addr[1]);
    const p = s.proto;
    return `((ip${v}.src eq ${a0} and ${p}.srcport eq ${s.port[0]}) and (ip${v}.dst eq ${a1} and ${p}.dstport eq ${s.port[1]}))` +
      ` or ((ip${v}.src eq ${a1} and ${p}.srcport eq ${s.port[1]}) and (ip${v}.dst eq ${a0} and ${p}.dstport eq ${s.port[0]}))`;
  }

  private node(n: { addr: string; port: number } | null): { host: string; port: number; v6: boolean } {
    if (!n) return { host: '', port: 0, v6: false };
    return { host: keyAddrText(n.addr), port: n.port, v6: n.addr.length === 16 };
  }

  finish(out: (s: string) => void): void {
    const mode = this.spec.mode;
    const n0 = this.node(this.client);
    const n1 = this.node(this.server);
    const parts: string[] = [];
    if (mode === 'yaml') {
      parts.push(`peers:\n  - peer: 0\n    host: ${n0.host}\n    port: ${n0.port}\n  - peer: 1\n    host: ${n1.host}\n    port: ${n1.port}\npackets:\n`);
    } else {
      parts.push(`\n${SEP}Follow: ${this.spec.proto},${mode}\nFilter: ${this.filterText()}\n`);
      const v6 = n0.v6;
      parts.push(v6 ? `Node 0: [${n0.host}]:${n0.port}\nNode 1: [${n1.host}]:${n1.port}\n` : `Node 0: ${n0.host}:${n0.port}\nNode 1: ${n1.host}:${n1.port}\n`);
    }
    const pos = [0, 0];
    let chunk = 0;
    for (const r of this.records) {
      chunk++;
      const side = r.server ? 1 : 0;
      if (chunk < this.spec.chunkMin || chunk > this.spec.chunkMax) {
        pos[side] += r.data.length;
        continue;
      }
      const tab = r.server ? '\t' : '';
      switch (mode) {
        case 'hex':
          parts.push(hexDump(tab, pos[side]!, r.data));
          pos[side] += r.data.length;
          break;
        case 'ascii':
        case 'ebcdic': {
          let s = `${tab}${r.data.length}\n`;
          const conv = mode === 'ebcdic' ? EBCDIC : null;
          let body = '';
          for (const b0 of r.data) {
            const b = b0 === 13 || b0 === 10 ? b0 : b0 >= 0x20 && b0 < 0x7f ? b0 : 0x2e;
            body += String.fromCharCode(conv ? conv[b]! : b);
          }
          s += body + (conv ? String.fromCharCode(conv[10]!) : '\n');
          parts.push(s);
          break;
        }
        case 'raw':
          parts.push(`${tab}${Buffer.from(r.data).toString('hex')}\n`);
          break;
        case 'yaml': {
          let s = `  - packet: ${r.frame}\n    peer: ${side}\n    timestamp: ${cFixed(timeSec(r.ts), 9)}\n    data: !!binary |\n`;
          for (let o = 0; o < r.data.length; o += 57) s += `      ${Buffer.from(r.data.subarray(o, o + 57)).toString('base64')}\n`;
          parts.push(s);
          break;
        }
      }
    }
    if (mode !== 'yaml') parts.push(SEP);
    out(parts.join(''));
  }
}

const HEXD = '0123456789abcdef';

/** tshark's follow hex dump: "%08X  xx xx … xx  xx … xx  ascii ascii", a space after 8 bytes. */
export function hexDump(prefix: string, offset: number, data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i += 16) {
    const line = Array<string>(77).fill(' ');
    const off = ((offset + i) >>> 0).toString(16).toUpperCase().padStart(8, '0');
    for (let k = 0; k < 8; k++) line[k] = off[k]!;
    let jj = 10;
    let kk = 60;
    const n = Math.min(16, data.length - i);
    for (let k = 0; k < n; k++) {
      const v = data[i + k]!;
      line[jj++] = HEXD[v >> 4]!;
      line[jj++] = HEXD[v & 15]!;
      jj++;
      line[kk++] = v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
      if (k === 7) {
        jj++;
        line[kk++] = ' ';
      }
    }
    if (line[kk - 1] === ' ') kk--;
    s += prefix + line.slice(0, kk).join('') + '\n';
  }
  return s;
}

/** Wireshark's EBCDIC_to_ASCII table (wsutil), applied like tshark to the already-dotted text. */
const EBCDIC: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 0x40; i++) t[i] = i;
  t[0x30] = t[0x31] = t[0x3e] = 0x2e;
  const hi =
    '202e2e2e2e2e2e2e2e2e2e2e3c282b7c262e2e2e2e2e2e2e2e2e21242a293b5e2d2f2e2e2e2e2e2e2e2e7c2c255f3e3f' +
    '2e2e2e2e2e2e2e2e2e2e3a2340273d222e6162636465666768692e2e2e2e2e2e2e6a6b6c6d6e6f7071722e2e2e2e2e2e' +
    '2e7e737475767778797a2e2e2e5b2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e5d2e2e7b4142434445464748492e2e2e2e2e2e' +
    '7d4a4b4c4d4e4f5051522e2e2e2e2e2e5c2e535455565758595a2e2e2e2e2e2e303132333435363738392e2e2e2e2e2e';
  for (let i = 0; i < 192; i++) t[0x40 + i] = parseInt(hi.slice(i * 2, i * 2 + 2), 16);
  return t;
})();
