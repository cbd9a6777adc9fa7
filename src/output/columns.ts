import type { Packet } from '../core/packet.js';
import { relativeTime, type TimeText } from './time-format.js';
import { decimal } from '../core/decimal.js';

export const COLUMN_FIELDS = new Set([
  '_ws.col.No.',
  '_ws.col.Time',
  '_ws.col.Source',
  '_ws.col.Destination',
  '_ws.col.Protocol',
  '_ws.col.Length',
  '_ws.col.Info',
]);

export function infoText(pkt: Packet): string {
  return pkt.infoPrefix + pkt.colInfo + pkt.infoSuffix;
}

/** The Protocol column: what the dissectors set (tshark leaves it empty when none did, e.g. an
 * unsupported link type). */
export function protoColumn(pkt: Packet): string {
  return pkt.colProto;
}

/** A column's text; `time` makes the Time column (-t; default: relative to the first packet). */
export function columnValue(pkt: Packet, name: string, time: TimeText = relativeTime): string {
  switch (name) {
    case '_ws.col.No.':
      return decimal(pkt.rec.num);
    case '_ws.col.Time':
      return time(pkt);
    case '_ws.col.Source':
      return pkt.colSrc;
    case '_ws.col.Destination':
      return pkt.colDst;
    case '_ws.col.Protocol':
      return protoColumn(pkt);
    case '_ws.col.Length':
      return decimal(pkt.rec.origLen);
    case '_ws.col.Info':
      return infoText(pkt);
  }
  return '';
}
