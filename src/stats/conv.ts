import type { FieldDef, Time } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { AddrTap, addrTapFields, KIND_NAMES, timeCmp, type AddrTapKind, type AddrTuple } from './addrtap.js';
import type { CompiledFilter, Stat } from './types.js';
import { cFixed, formatBytes, padL, padR, timeSec } from './util.js';

interface ConvItem {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** packets from src to dst ("->") and back ("<-") */
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
  start: Time;
  stop: Time;
}

const RULE = '================================================================================';

/**
 * -z conv,eth|ip|ipv6|tcp|udp[,filter]: tshark 4.0's conversation table (ui/cli/tap-iousers.c over
 * epan/conversation_table.c). A conversation's "A" side is the source of its first packet; the
 * "->" columns count A→B, "<-" B→A. TCP conversations are also keyed by tcp.stream, so a reused
 * port pair gives two rows. Rows are sorted by total frames, descending, ties in first-seen order.
 */
export class ConvStat implements Stat {
  readonly needsFull = false;
  readonly needsAnalysis = false;
  readonly fields: FieldDef[];
  /** fields named by this tap's filter (they count as referenced, like tshark's dfilter priming) */
  readonly filterFields: FieldDef[];
  private readonly tap: AddrTap;
  private readonly items: ConvItem[] = [];
  private readonly index = new Map<string, number>();
  /** by TCP stream index (tuples with a conversation id): the item */
  private readonly byConv: number[] = [];
  /** the tuple of the previous packet and where it went (consecutive packets mostly share it) */
  private readonly last = { i: -1, fwd: true, convId: -1, src: '', dst: '', sport: 0, dport: 0 };

  constructor(
    readonly arg: string,
    readonly kind: AddrTapKind,
    private readonly filterText: string | null,
    private readonly filter: CompiledFilter | null,
    /** thousands separators in the byte counts (tshark in an en_US locale); off in the C locale */
    private readonly grouping = false,
  ) {
    this.tap = new AddrTap(kind);
    this.fields = [...addrTapFields(kind), ...(filter?.fields ?? [])];
    this.filterFields = filter?.fields ?? [];
  }

  /** a new row for this tuple, seen first at `ts`; its index */
  private newItem(t: AddrTuple, ts: Time): number {
    this.items.push({ src: t.src, dst: t.dst, sport: t.sport, dport: t.dport, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, start: ts, stop: ts });
    return this.items.length - 1;
  }

  packet(pkt: Packet): void {
    const tuples = this.tap.tuples(pkt);
    if (!tuples.length) return;
    if (this.filter && !this.filter.matches(pkt)) return;
    const len = pkt.rec.origLen;
    const ts = pkt.rel;
    for (const t of tuples) {
      let i: number | undefined;
      let isFwd = true;
      const last = this.last;
      if (last.i >= 0 && t.convId === last.convId && t.sport === last.sport && t.dport === last.dport && t.src === last.src && t.dst === last.dst) {
        // the conversation of the previous packet, the same direction
        i = last.i;
        isFwd = last.fwd;
      } else if (last.i >= 0 && t.convId === last.convId && t.sport === last.dport && t.dport === last.sport && t.src === last.dst && t.dst === last.src) {
        // ... the other direction (bulk transfers alternate data and ACKs)
        i = last.i;
        isFwd = !last.fwd;
      } else if (t.convId >= 0) {
        // a TCP stream index names one conversation (its addresses and ports never change): no key text
        i = this.byConv[t.convId];
        if (i === undefined) this.byConv[t.convId] = i = this.newItem(t, ts);
        else {
          const c = this.items[i]!;
          isFwd = t.src === c.src && t.sport === c.sport && t.dst === c.dst && t.dport === c.dport;
        }
      } else {
        // no conversation id (UDP, and the address kinds): the addresses and ports are the key
        const fwd = `${t.src}|${t.sport}|${t.dst}|${t.dport}`;
        i = this.index.get(fwd);
        if (i === undefined) {
          i = this.index.get(`${t.dst}|${t.dport}|${t.src}|${t.sport}`);
          isFwd = false;
        }
        if (i === undefined) {
          this.index.set(fwd, (i = this.newItem(t, ts)));
          isFwd = true;
        }
      }
      last.i = i;
      last.fwd = isFwd;
      last.convId = t.convId;
      last.src = t.src;
      last.dst = t.dst;
      last.sport = t.sport;
      last.dport = t.dport;
      const c = this.items[i]!;
      if (isFwd) {
        c.txFrames++;
        c.txBytes += len;
      } else {
        c.rxFrames++;
        c.rxBytes += len;
      }
      if (timeCmp(ts, c.stop) > 0) c.stop = ts;
      else if (timeCmp(ts, c.start) < 0) c.start = ts;
    }
  }

  finish(out: (s: string) => void): void {
    const ports = this.kind === 'tcp' || this.kind === 'udp';
    const pre = ports ? '            ' : '';
    let s = `${RULE}\n${KIND_NAMES[this.kind]} Conversations\nFilter:${this.filterText ?? '<No Filter>'}\n`;
    s += `${pre}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n`;
    s += `${pre}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n`;
    const w = ports ? 26 : 20;
    for (const c of sortByFrames(this.items, (c) => c.rxFrames + c.txFrames)) {
      const a = this.tap.addrText(c.src) + (ports ? `:${c.sport}` : '');
      const b = this.tap.addrText(c.dst) + (ports ? `:${c.dport}` : '');
      s +=
        `${padR(a, w)} <-> ${padR(b, w)}  ${padL(c.rxFrames, 6)} ${padR(formatBytes(c.rxBytes, this.grouping), 9)}` +
        `  ${padL(c.txFrames, 6)} ${padR(formatBytes(c.txBytes, this.grouping), 9)}` +
        `  ${padL(c.rxFrames + c.txFrames, 6)} ${padR(formatBytes(c.rxBytes + c.txBytes, this.grouping), 9)}  ` +
        `${padL(cFixed(timeSec(c.start), 9), 14)}   ${padL(cFixed(timeSec(c.stop) - timeSec(c.start), 4), 12)}\n`;
    }
    s += `${RULE}\n`;
    out(s);
  }
}

/** tshark's draw order: repeatedly the largest remaining frame count, items in insertion order. */
export function sortByFrames<T>(items: T[], frames: (t: T) => number): T[] {
  return items
    .map((t, i) => ({ t, i, f: frames(t) }))
    .filter((x) => x.f > 0)
    .sort((a, b) => b.f - a.f || a.i - b.i)
    .map((x) => x.t);
}
