/**
 * The Time column's formats (`-t`), as tshark 4.0 prints them: relative to the first frame (r, the
 * default), delta from the previous captured (d) or displayed (dd) frame, seconds since the epoch
 * (e), and the absolute time of day, local (a, ad, adoy: the TZ environment decides) or UTC (u, ud,
 * udoy), alone or after a YYYY-MM-DD or YYYY/DOY date. Every format shows as many decimals as the
 * capture's timestamp resolution, cut (not rounded), as the relative column always did.
 */
import type { Time } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { deltaFrom } from '../dissect/state.js';
import { formatRelTime } from './format.js';
import { decimal, sixDigits } from '../core/decimal.js';

/** tshark's -t values and its words for them (its usage error lists them in this order). */
export const TIME_FORMATS = {
  a: 'absolute',
  ad: 'absolute with YYYY-MM-DD date',
  adoy: 'absolute with YYYY/DOY date',
  d: 'delta',
  dd: 'delta displayed',
  e: 'epoch',
  r: 'relative',
  u: 'absolute UTC',
  ud: 'absolute UTC with YYYY-MM-DD date',
  udoy: 'absolute UTC with YYYY/DOY date',
} as const;

export type TimeFormat = keyof typeof TIME_FORMATS;

export function isTimeFormat(s: string): s is TimeFormat {
  return Object.hasOwn(TIME_FORMATS, s);
}

/** tshark's message for an unknown -t value. */
export function timeFormatError(s: string): string {
  const list = Object.entries(TIME_FORMATS).map(([k, v]) => `\t${`"${k}"`.padEnd(6)} for ${v}`);
  return `Invalid time stamp type "${s}"; it must be one of:\n${list.join('\n')}`;
}

/** The Time column's text of a packet. */
export type TimeText = (pkt: Packet) => string;

/** Decimal digits of the record's timestamp resolution (pcap nanosecond magic → 9, pcapng
 * if_tsresol 10^-n → n, else 6), as tshark's Time column shows it. */
export function timeDigits(pkt: Packet): number {
  const p = pkt.rec.tsPrec;
  return p === undefined ? 6 : Math.max(0, Math.min(9, p));
}

/** Seconds (signed) cut to `digits` decimals: "0.000041", "-0.000001", "1795325304.889940". */
export function cutSeconds(t: Time, digits: number): string {
  if (digits === 6 && t.sec >= 0 && t.nsec >= 0) {
    // the common case (microsecond captures), without building the 9-digit string first
    const us = Math.floor(t.nsec / 1000);
    return decimal(t.sec) + '.' + sixDigits(us);
  }
  const s = formatRelTime(t);
  if (digits >= 9) return s;
  return digits === 0 ? s.slice(0, s.indexOf('.')) : s.slice(0, s.length - (9 - digits));
}

/** -t r: seconds since the first packet; empty for a record without a timestamp. */
export function relativeTime(pkt: Packet): string {
  return pkt.rec.tsAbsent ? '' : cutSeconds(pkt.rel, timeDigits(pkt));
}

const p2 = (n: number) => (n < 10 ? '0' : '') + n;

/** The date and time of day of a second since the epoch, local or UTC, as the absolute formats show
 * them ("2026-11-22 05:28:24", "2026/326 05:28:24", "05:28:24"). */
function clock(sec: number, utc: boolean, date: '' | 'ymd' | 'doy'): string {
  const d = new Date(sec * 1000);
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const hms = utc
    ? `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
    : `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
  if (date === 'ymd') return `${y}-${p2(mo + 1)}-${p2(day)} ${hms}`;
  if (date === 'doy') {
    const doy = (Date.UTC(y, mo, day) - Date.UTC(y, 0, 1)) / 86400000 + 1;
    return `${y}/${String(doy).padStart(3, '0')} ${hms}`;
  }
  return hms;
}

/** An absolute format: the clock text of each second is made once (packets mostly share it). */
function absolute(utc: boolean, date: '' | 'ymd' | 'doy'): TimeText {
  let lastSec = NaN;
  let head = '';
  return (pkt) => {
    const rec = pkt.rec;
    if (rec.tsAbsent) return '';
    const { sec, nsec } = rec.ts;
    if (sec !== lastSec) {
      head = clock(sec, utc, date);
      lastSec = sec;
    }
    const digits = timeDigits(pkt);
    return digits ? `${head}.${String(nsec).padStart(9, '0').slice(0, digits)}` : head;
  };
}

/** The Time column's text function for a -t format (each call makes a fresh one: the absolute ones
 * keep a one-second cache). */
export function timeText(format: TimeFormat): TimeText {
  switch (format) {
    case 'r':
      return relativeTime;
    case 'd':
      return (pkt) => (pkt.rec.tsAbsent ? '' : cutSeconds(deltaFrom(pkt.rec.ts, pkt.prevTs), timeDigits(pkt)));
    case 'dd':
      return (pkt) => (pkt.rec.tsAbsent ? '' : cutSeconds(deltaFrom(pkt.rec.ts, pkt.prevDisplayedTs), timeDigits(pkt)));
    case 'e':
      return (pkt) => (pkt.rec.tsAbsent ? '' : cutSeconds(pkt.rec.ts, timeDigits(pkt)));
    case 'a':
      return absolute(false, '');
    case 'ad':
      return absolute(false, 'ymd');
    case 'adoy':
      return absolute(false, 'doy');
    case 'u':
      return absolute(true, '');
    case 'ud':
      return absolute(true, 'ymd');
    case 'udoy':
      return absolute(true, 'doy');
  }
}
