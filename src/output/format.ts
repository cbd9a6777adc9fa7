import { etherStr, hexPad, hexStr, ipv4Str, ipv6Str } from '../core/addr.js';
import type { FieldDef, FieldNode } from '../core/field.js';
import { bitPicture, formatRelTime, isTime } from '../core/render.js';
import { decimal } from '../core/decimal.js';

// moved to core/render.ts (the registry renders values too); re-exported for existing importers
export { bitPicture, formatRelTime, isTime };

function hexDigits(def: FieldDef): number {
  return Math.ceil((def.bits || 32) / 4);
}

/** A field value as `tshark -T fields` prints it. */
export function formatFieldValue(node: FieldNode): string {
  const def = node.def;
  const v = node.value;
  switch (def.type) {
    case 'uint':
    case 'int':
      if (typeof v !== 'number' && typeof v !== 'bigint') return '';
      if (def.base === 'hex' || def.base === 'hex_dec') {
        const shift = def.bitmask ? 0 : 0;
        return hexPad(Number(v) >>> shift, hexDigits(def));
      }
      return typeof v === 'number' ? decimal(v) : String(v);
    case 'bool':
      return v ? '1' : '0';
    case 'framenum':
      return typeof v === 'number' ? decimal(v) : String(v);
    case 'none':
      return '1';
    case 'protocol':
      if (v instanceof Uint8Array) return hexStr(v);
      if (typeof v === 'string') return v;
      return def.abbrev;
    case 'bytes':
      if (v instanceof Uint8Array && v.length) return hexStr(v);
      return def.empty ?? '';
    case 'string':
      return escapeString(typeof v === 'string' ? v : String(v ?? ''));
    case 'ipv4':
      return typeof v === 'number' ? ipv4Str(v) : String(v);
    case 'ipv6':
      return v instanceof Uint8Array ? ipv6Str(v) : String(v);
    case 'ether':
      return v instanceof Uint8Array ? etherStr(v) : String(v);
    case 'reltime':
      return isTime(v) ? formatRelTime(v) : '';
    case 'abstime':
      return isTime(v) ? formatAbsTime(v.sec, v.nsec) : '';
  }
  return '';
}

/** Control characters in strings as tshark -T fields prints them: C escapes, \xNN for the rest (backslashes stay as they are). */
export function escapeString(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(s)) return s;
  let o = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\r') o += '\\r';
    else if (ch === '\n') o += '\\n';
    else if (ch === '\t') o += '\\t';
    else if (c < 0x20 || c === 0x7f) o += '\\x' + c.toString(16).padStart(2, '0');
    else o += ch;
  }
  return o;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Jun 10, 2020 09:21:03.720289000 UTC" (day padded with a space: "Dec  8, 2020"), as tshark prints
 * absolute times with TZ=UTC. */
export function formatAbsTime(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(nsec).padStart(9, '0')} UTC`;
}
