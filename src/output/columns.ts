import type { Packet } from '../core/packet.js';
import { formatRelTime } from './format.js';

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

export function protoColumn(pkt: Packet): string {
  return pkt.colProto || (pkt.layers[1]?.proto.toUpperCase() ?? '');
}

export function columnValue(pkt: Packet, name: string): string {
  switch (name) {
    case '_ws.col.No.':
      return String(pkt.rec.num);
    case '_ws.col.Time':
      return formatRelTime(pkt.rel, 6);
    case '_ws.col.Source':
      return pkt.colSrc;
    case '_ws.col.Destination':
      return pkt.colDst;
    case '_ws.col.Protocol':
      return protoColumn(pkt);
    case '_ws.col.Length':
      return String(pkt.rec.origLen);
    case '_ws.col.Info':
      return infoText(pkt);
  }
  return '';
}
