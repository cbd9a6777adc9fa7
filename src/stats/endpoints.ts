import type { FieldDef } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { AddrTap, addrTapFields, KIND_NAMES, type AddrTapKind } from './addrtap.js';
import { sortByFrames } from './conv.js';
import type { CompiledFilter, Stat } from './types.js';
import { padL, padR } from './util.js';

interface Endpoint {
  addr: string;
  port: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

const RULE = '================================================================================';

/**
 * -z endpoints,eth|ip|ipv6|tcp|udp[,filter]: tshark 4.0's endpoint table (ui/cli/tap-endpoints.c).
 * Each tapped header adds its source (Tx) then its destination (Rx); a host talking to itself
 * counts both ways. Sorted by total packets, descending, ties in first-seen order.
 */
export class EndpointsStat implements Stat {
  readonly needsFull = false;
  readonly needsAnalysis = false;
  readonly fields: FieldDef[];
  /** fields named by this tap's filter (they count as referenced, like tshark's dfilter priming) */
  readonly filterFields: FieldDef[];
  private readonly tap: AddrTap;
  private readonly items: Endpoint[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    readonly arg: string,
    readonly kind: AddrTapKind,
    private readonly filterText: string | null,
    private readonly filter: CompiledFilter | null,
  ) {
    this.tap = new AddrTap(kind);
    this.fields = [...addrTapFields(kind), ...(filter?.fields ?? [])];
    this.filterFields = filter?.fields ?? [];
  }

  private add(addr: string, port: number, sender: boolean, len: number): void {
    const key = `${addr}|${port}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.items.push({ addr, port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 });
      this.index.set(key, i);
    }
    const e = this.items[i]!;
    if (sender) {
      e.txFrames++;
      e.txBytes += len;
    } else {
      e.rxFrames++;
      e.rxBytes += len;
    }
  }

  packet(pkt: Packet): void {
    const tuples = this.tap.tuples(pkt);
    if (!tuples.length) return;
    if (this.filter && !this.filter.matches(pkt)) return;
    const len = pkt.rec.origLen;
    for (const t of tuples) {
      this.add(t.src, t.sport, true, len);
      this.add(t.dst, t.dport, false, len);
    }
  }

  finish(out: (s: string) => void): void {
    const ports = this.kind === 'tcp' || this.kind === 'udp';
    let s = `${RULE}\n${KIND_NAMES[this.kind]} Endpoints\nFilter:${this.filterText ?? '<No Filter>'}\n`;
    s += `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n`;
    for (const e of sortByFrames(this.items, (e) => e.txFrames + e.rxFrames)) {
      s += `${padR(this.tap.addrText(e.addr), 20)}      `;
      if (ports) s += `${padL(e.port, 5)}     `;
      s +=
        `${padL(e.txFrames + e.rxFrames, 6)}     ${padL(e.txBytes + e.rxBytes, 9)}     ${padL(e.txFrames, 6)}       ${padL(e.txBytes, 9)}` +
        `      ${padL(e.rxFrames, 6)}       ${padL(e.rxBytes, 9)}   \n`;
    }
    s += `${RULE}\n`;
    out(s);
  }
}
