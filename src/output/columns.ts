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

/** Decimal digits of the record's timestamp resolution (pcap nanosecond magic → 9, pcapng
 * if_tsresol 10^-n → n, else 6), as tshark's Time column shows it. */
export function timeDigits(pkt: Packet): number {
  const p = pkt.rec.tsPrec;
  return p === undefined ? 6 : Math.max(0, Math.min(9, p));
}

export function infoText(pkt: Packet): string {
  return pkt.infoPrefix + pkt.colInfo + pkt.infoSuffix;
}

/** The Protocol column: what the dissectors set (tshark leaves it empty when none did, e.g. an
 * unsupported link type). */
export function protoColumn(pkt: Packet): string {
  return pkt.colProto;
}

/** The Time column: seconds since the first packet, cut (not rounded: tshark truncates) to the
 * capture's timestamp resolution; empty for a record without a timestamp. */
export function timeColumn(pkt: Packet): string {
  if (pkt.rec.tsAbsent) return '';
  const r = pkt.rel;
  const d = timeDigits(pkt);
  if (d === 6 && r.sec >= 0 && r.nsec >= 0) {
    // the common case (microsecond captures), without building the 9-digit string first
    const us = Math.floor(r.nsec / 1000);
    return `${r.sec}.${us < 100000 ? String(us).padStart(6, '0') : us}`;
  }
  const s = formatRelTime(r);
  if (d >= 9) return s;
  return d === 0 ? s.slice(0, s.indexOf('.')) : s.slice(0, s.length - (9 - d));
}

export function columnValue(pkt: Packet, name: string): string {
  switch (name) {
    case '_ws.col.No.':
      return String(pkt.rec.num);
    case '_ws.col.Time':
      return timeColumn(pkt);
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
