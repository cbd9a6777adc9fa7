import type { Packet } from '../core/packet.js';
import { formatRelTime } from './format.js';
import { infoText, protoColumn } from './columns.js';

/** One line per packet, as tshark's default output: No., Time, Source → Destination, Protocol, Length, Info. */
export function summaryLine(pkt: Packet): string {
  const no = String(pkt.rec.num).padStart(5);
  const t = formatRelTime(pkt.rel, 6).padStart(10);
  const arrow = pkt.colSrc || pkt.colDst ? `${pkt.colSrc} \u2192 ${pkt.colDst} ` : '';
  return `${no} ${t} ${arrow}${protoColumn(pkt)} ${pkt.rec.origLen} ${infoText(pkt)}\n`;
}
