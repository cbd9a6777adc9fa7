import type { FieldDef, Severity } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import type { CompiledFilter, Stat } from './types.js';
import { padL } from './util.js';

/** Wireshark protocol short names (what expert infos and columns call a protocol). */
export const PROTO_SHORT: Record<string, string> = {
  frame: 'Frame',
  eth: 'Ethernet',
  ethertype: 'Ethertype',
  vlan: 'VLAN',
  ieee8021ad: 'IEEE 802.1ad',
  sll: 'SLL',
  null: 'NULL',
  raw: 'Raw',
  llc: 'LLC',
  arp: 'ARP/RARP',
  ip: 'IPv4',
  ipv6: 'IPv6',
  'ipv6.hopopts': 'IPv6',
  'ipv6.routing': 'IPv6',
  'ipv6.fraghdr': 'IPv6',
  'ipv6.dstopts': 'IPv6',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  tcp: 'TCP',
  udp: 'UDP',
  data: 'Data',
  pkt_comment: 'Frame',
};

export function protoShortName(abbrev: string): string {
  return PROTO_SHORT[abbrev] ?? abbrev.toUpperCase();
}

type Level = 'comment' | Severity;
const LEVELS: Level[] = ['comment', 'chat', 'note', 'warn', 'error'];
const LABEL: Record<Level, string> = { error: 'Errors', warn: 'Warns', note: 'Notes', chat: 'Chats', comment: 'Comments' };

interface Entry {
  group: string;
  proto: string;
  summary: string;
  count: number;
}

/**
 * -z expert[,error|warn|note|chat|comment][,filter] (ui/cli/tap-expert.c): expert items counted by
 * severity, then by protocol + summary (first-seen order), with the group of the first occurrence.
 * Frame comments count as Comment/Frame items, like tshark's pkt_comment expert info.
 */
export class ExpertStat implements Stat {
  readonly needsFull = false;
  readonly fields: FieldDef[];
  /** fields named by this tap's filter (they count as referenced, like tshark's dfilter priming) */
  readonly filterFields: FieldDef[];
  private readonly tables = new Map<Level, { list: Entry[]; index: Map<string, Entry> }>();
  private readonly lowest: number;

  constructor(
    readonly arg: string,
    lowest: Level,
    private readonly filter: CompiledFilter | null,
  ) {
    this.lowest = LEVELS.indexOf(lowest);
    for (const l of LEVELS) this.tables.set(l, { list: [], index: new Map() });
    this.fields = filter?.fields ?? [];
    this.filterFields = filter?.fields ?? [];
  }

  private add(level: Level, group: string, proto: string, summary: string): void {
    if (LEVELS.indexOf(level) < this.lowest) return;
    const t = this.tables.get(level)!;
    const key = `${proto}\u0000${summary}`;
    const e = t.index.get(key);
    if (e) e.count++;
    else {
      const n = { group, proto, summary, count: 1 };
      t.list.push(n);
      t.index.set(key, n);
    }
  }

  packet(pkt: Packet): void {
    if (this.filter && !this.filter.matches(pkt)) return;
    const c = pkt.rec.comment;
    if (c && !pkt.expert.some((e) => e.group === 'Comment')) for (const s of c) this.add('comment', 'Comment', 'Frame', s);
    for (const e of pkt.expert) {
      if (e.inError) continue;
      let proto = e.proto;
      if (proto.startsWith('_ws.')) {
        // "[Malformed Packet]" and "[Packet size limited]" belong to the protocol that ran out of bytes
        proto = 'frame';
        for (let i = pkt.layers.length - 1; i >= 0; i--) {
          const p = pkt.layers[i]!.proto;
          if (!p.startsWith('_ws.')) {
            proto = p;
            break;
          }
        }
      }
      this.add(e.group === 'Comment' ? 'comment' : e.severity, e.group, protoShortName(proto), e.message);
    }
  }

  finish(out: (s: string) => void): void {
    let s = '';
    for (const level of ['error', 'warn', 'note', 'chat', 'comment'] as Level[]) {
      const list = this.tables.get(level)!.list;
      if (!list.length) continue;
      let total = 0;
      for (const e of list) total += e.count;
      s += `\n${LABEL[level]} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
      for (const e of list) s += `${padL(e.count, 12)} ${padL(e.group, 10)} ${padL(e.proto, 18)}  ${e.summary}\n`;
    }
    out(s);
  }
}
