import type { Packet } from '../core/packet.js';
import { infoText } from './columns.js';
import { relativeTime, type TimeText } from './time-format.js';
import type { LineColorizer } from './color.js';
import { decimal } from '../core/decimal.js';

/** Byte length of a string in UTF-8 (tshark pads by strlen(), i.e. bytes, not characters). */
function utf8Len(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else n += 2;
  }
  return n;
}

const SPACES: string[] = [];
for (let i = 0; i <= 64; i++) SPACES.push(' '.repeat(i));
const spaces = (n: number): string => SPACES[n] ?? ' '.repeat(n);

function padLeft(s: string, width: number): string {
  const n = utf8Len(s);
  return n >= width ? s : spaces(width - n) + s;
}

function padRight(s: string, width: number): string {
  const n = utf8Len(s);
  return n >= width ? s : s + spaces(width - n);
}

/** The seven default columns of one packet, as `-T fields -e _ws.col.*` gives them. */
export interface SummaryColumns {
  no: string;
  time: string;
  src: string;
  dst: string;
  proto: string;
  len: string;
  info: string;
}

/**
 * One line, exactly as tshark 4.0 prints its default columns (tshark.c print_columns): No.
 * right-aligned in 5, Time right-aligned in 10, Source right-aligned in 12, " → ", Destination
 * left-aligned in 12, then Protocol, Length and Info separated by one space with no padding. The
 * widths are minimums per line (a 6-digit frame number only makes that line longer), counted in UTF-8
 * bytes as tshark's strlen() does. An empty Info still leaves the space before it.
 */
export function formatColumns(c: SummaryColumns): string {
  return layout(c.no, c.time, c.src, c.dst, c.proto, c.len, c.info);
}

function layout(no: string, time: string, src: string, dst: string, proto: string, len: string | number, info: string): string {
  return `${padLeft(no, 5)} ${padLeft(time, 10)} ${padLeft(src, 12)} \u2192 ${padRight(dst, 12)} ${proto} ${len} ${info}`;
}

/** One packet's summary line (no newline): the same layout, from the packet's columns without an
 * intermediate object (this runs once per packet); `time` makes the Time column (-t). */
export function summaryText(pkt: Packet, time: TimeText = relativeTime): string {
  return layout(decimal(pkt.rec.num), time(pkt), pkt.colSrc, pkt.colDst, pkt.colProto, decimal(pkt.rec.origLen), infoText(pkt));
}

/** Summary lines, coloured after Wireshark's default colouring rules when a colorizer is given. */
export class SummaryPrinter {
  constructor(
    private readonly colorizer: LineColorizer | null = null,
    private readonly time: TimeText = relativeTime,
  ) {}

  line(pkt: Packet): string {
    const s = summaryText(pkt, this.time);
    return (this.colorizer ? this.colorizer.paint(pkt, s) : s) + '\n';
  }
}
