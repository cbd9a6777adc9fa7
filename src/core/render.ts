/**
 * How the registry shows a value (after Wireshark's proto_item_fill_label): the default
 * details-pane text of a field, "Name: value", from its definition alone: value names, unit, base,
 * the bit picture of a bitmasked field, and a formatter registered once by name for the special
 * cases. The details printer (-V) and the dissection context both use it, so a call site passes
 * a text only where Wireshark itself composes one.
 */
import { etherStr, hexStr, ipv4Str, ipv6Str } from './addr.js';
import type { FieldDef, FieldValue, Time } from './field.js';
import { decimal, nineDigits } from './decimal.js';

/** A formatter for a special case: the value part of the default text ("Name: " + this). */
export type ValueFormatter = (value: FieldValue, def: FieldDef) => string;

const formatters = new Map<string, ValueFormatter>();

/** Register a formatter once, by the name field definitions give in `format`. */
export function registerFormat(name: string, fn: ValueFormatter): void {
  if (formatters.has(name)) throw new Error(`formatter ${name} registered twice`);
  formatters.set(name, fn);
}

/** Seconds with 9 decimals, sign kept: "0.000041000", "-0.000001000". */
export function formatRelTime(t: Time, decimals = 9): string {
  const neg = t.sec < 0 || t.nsec < 0;
  const s = Math.abs(t.sec);
  const ns = Math.abs(t.nsec);
  let frac = nineDigits(ns);
  if (decimals < 9) {
    // tshark rounds the displayed fraction; carry into the seconds when it overflows
    const div = 10 ** (9 - decimals);
    const r = Math.round(ns / div);
    if (r >= 10 ** decimals) return `${neg ? '-' : ''}${s + 1}.${'0'.repeat(decimals)}`;
    frac = String(r).padStart(decimals, '0');
  }
  return (neg ? '-' : '') + decimal(s) + '.' + frac;
}

export function isTime(v: FieldValue): v is Time {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && 'sec' in v;
}

/** The bit picture Wireshark prints for a bitmasked field: "..0. .... = " for bitmask 0x20 in 8 bits. */
export function bitPicture(bits: number, mask: number, value: number): string {
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(value / bit) % 2 === 1 ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}


function intText(def: FieldDef, v: FieldValue): string {
  if (typeof v !== 'number' && typeof v !== 'bigint') return String(v ?? '');
  const num = Number(v);
  const digits = Math.ceil((def.bits || 32) / 4);
  const hex = '0x' + (num >>> 0).toString(16).padStart(digits, '0');
  let s: string;
  if (def.base === 'hex') s = hex;
  else if (def.base === 'hex_dec') s = `${hex} (${v})`;
  else if (def.base === 'dec_hex') s = `${v} (${hex})`;
  else s = String(v);
  const name = def.vals?.get(num);
  if (name !== undefined) s = `${name} (${def.base === 'hex' ? hex : v})`;
  return s + (def.unit ?? '');
}

/** The value part of a default label, as Wireshark's proto_item_fill_label would write it. */
export function valueText(def: FieldDef, v: FieldValue): string {
  if (def.format !== undefined) {
    const fn = formatters.get(def.format);
    if (!fn) throw new Error(`${def.abbrev}: no formatter named ${def.format}`);
    return fn(v, def);
  }
  switch (def.type) {
    case 'uint':
    case 'int':
    case 'framenum':
      return intText(def, v);
    case 'bool':
      return def.tf ? (v ? def.tf[0] : def.tf[1]) : v ? 'True' : 'False';
    case 'ipv4':
      return typeof v === 'number' ? ipv4Str(v) : String(v ?? '');
    case 'ipv6':
      return v instanceof Uint8Array ? ipv6Str(v) : String(v ?? '');
    case 'ether':
      return v instanceof Uint8Array ? etherStr(v) : String(v ?? '');
    case 'reltime':
      return isTime(v) ? `${formatRelTime(v)} seconds` : '';
    case 'abstime':
      return isTime(v) ? formatRelTime(v) : '';
    case 'string':
      return String(v ?? '');
    default:
      return v instanceof Uint8Array ? hexStr(v) : String(v ?? '');
  }
}

/** The default details-pane text of a field: "Name: value", with the bit picture in front for a
 * bitmasked integer or boolean ("..0. .... = Name: value"); a label or protocol shows its name. */
export function defaultText(def: FieldDef, value: FieldValue): string {
  if (def.type === 'none' || def.type === 'protocol') return def.name;
  const s = `${def.name}: ${valueText(def, value)}`;
  if (!def.bitmask || (def.type !== 'uint' && def.type !== 'int' && def.type !== 'bool')) return s;
  const raw = def.type === 'bool' ? (value ? def.bitmask : 0) : Number(value) * 2 ** def.shift;
  return `${bitPicture(def.bits, def.bitmask, raw)} = ${s}`;
}
