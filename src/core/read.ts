/**
 * How the registry reads a value (after Wireshark's proto_tree_add_item): the definition gives the
 * width (`bits`), the byte order (`le`), the bitmask and shift, and a string's encoding, so a
 * dissector names the field and the offset and gets the value. The caller checks the bounds
 * (Ctx.item does); these functions read what they are told.
 */
import type { FieldDef, FieldValue } from './field.js';

/** The byte length of a field read without an explicit length: the integer width, an address's
 * size; 0 for types whose length only the call site knows (bytes, strings, labels). */
export function naturalLength(def: FieldDef): number {
  switch (def.type) {
    case 'uint':
    case 'int':
    case 'framenum':
      return Math.ceil((def.bits || 32) / 8);
    case 'bool':
      // a flag's `bits` is its bit picture's width (tcp.flags: 12 bits in a 2-byte container)
      return Math.ceil((def.bits || 8) / 8);
    case 'ipv4':
      return 4;
    case 'ipv6':
      return 16;
    case 'ether':
      return 6;
    default:
      return 0;
  }
}

/** An unsigned integer of n bytes (1..6) at off, big- or little-endian, as a number. */
export function readUint(d: Uint8Array, off: number, n: number, le: boolean): number {
  let v = 0;
  if (le) for (let i = n - 1; i >= 0; i--) v = v * 256 + d[off + i]!;
  else for (let i = 0; i < n; i++) v = v * 256 + d[off + i]!;
  return v;
}

/** An unsigned integer of n bytes (up to 8) at off, as a bigint (for 64-bit fields). */
export function readUint64(d: Uint8Array, off: number, n: number, le: boolean): bigint {
  let v = 0n;
  if (le) for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(d[off + i]!);
  else for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(d[off + i]!);
  return v;
}

/** Mask and shift an integer read from its container (numbers up to 2^53, masks beyond 32 bits). */
function masked(raw: number, def: FieldDef): number {
  if (!def.bitmask) return raw;
  const m = def.bitmask;
  const v = m <= 0xffffffff && raw <= 0xffffffff ? (raw & m) >>> 0 : Number(BigInt(raw) & BigInt(m));
  return def.shift ? Math.floor(v / 2 ** def.shift) : v;
}

/** A signed integer of `bits` width from its unsigned value (two's complement). */
function signed(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

function readInteger(d: Uint8Array, off: number, n: number, def: FieldDef): number | bigint {
  if (n > 6) {
    const v = readUint64(d, off, n, def.le);
    return def.type === 'int' ? BigInt.asIntN(n * 8, v) : v;
  }
  const v = masked(readUint(d, off, n, def.le), def);
  if (def.type !== 'int') return v;
  // a masked signed field is as wide as its mask; an unmasked one as its container
  const width = def.bitmask ? Math.round(Math.log2(def.bitmask / 2 ** def.shift + 1)) : n * 8;
  return signed(v, width);
}

const utf8 = new TextDecoder('utf-8');

/** A string field's bytes as text, as Wireshark's tvb_get_string_enc: latin1 a character per byte;
 * ascii the same but a byte above 0x7f is U+FFFD; utf8 decoded (invalid sequences U+FFFD). A NUL
 * ends the string (a NUL-padded field shows what is before the padding). */
export function readString(d: Uint8Array, off: number, n: number, encoding: FieldDef['encoding']): string {
  let end = off;
  while (end < off + n && d[end] !== 0) end++;
  if (encoding === 'utf8') return utf8.decode(d.subarray(off, end));
  let s = '';
  const ascii = encoding === 'ascii';
  for (let i = off; i < end; i++) {
    const c = d[i]!;
    s += ascii && c > 0x7f ? '\ufffd' : String.fromCharCode(c);
  }
  return s;
}

/** The value of field `def` in the n bytes at off of d, per its definition. */
export function readValue(d: Uint8Array, off: number, n: number, def: FieldDef): FieldValue {
  switch (def.type) {
    case 'uint':
    case 'int':
    case 'framenum':
      return readInteger(d, off, n, def);
    case 'bool':
      return (def.bitmask ? masked(readUint(d, off, n, def.le), def) : readUint(d, off, n, def.le)) !== 0;
    case 'ipv4':
      return readUint(d, off, 4, def.le);
    case 'ipv6':
    case 'ether':
    case 'bytes':
      return d.subarray(off, off + n);
    case 'string':
      return readString(d, off, n, def.encoding);
    case 'none':
    case 'protocol':
      return null;
    default:
      throw new Error(`${def.abbrev}: a ${def.type} field is not read from bytes`);
  }
}
