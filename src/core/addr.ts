/** Address and byte formatting, as Wireshark prints them. */

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Address texts already made: a capture has few distinct addresses and each recurs in many
 * packets. Bounded: emptied when it reaches CACHE_MAX entries. */
const CACHE_MAX = 8192;
const v4Cache = new Map<number, string>();
const macCache = new Map<number, string>();

export function ipv4Str(v: number): string {
  v >>>= 0;
  let s = v4Cache.get(v);
  if (s === undefined) {
    s = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
    if (v4Cache.size >= CACHE_MAX) v4Cache.clear();
    v4Cache.set(v, s);
  }
  return s;
}

/** The big-endian unsigned 32-bit number at b[o..o+3] (an IPv4 address). */
export function be32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function ipv4At(b: Uint8Array, o: number): string {
  return ipv4Str(be32(b, o));
}

export function etherStr(b: Uint8Array, o = 0): string {
  // 48 bits fit a double exactly
  const k = ((b[o]! << 8) | b[o + 1]!) * 4294967296 + (((b[o + 2]! << 24) | (b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!) >>> 0);
  let s = macCache.get(k);
  if (s === undefined) {
    s = `${HEX[b[o]!]}:${HEX[b[o + 1]!]}:${HEX[b[o + 2]!]}:${HEX[b[o + 3]!]}:${HEX[b[o + 4]!]}:${HEX[b[o + 5]!]}`;
    if (macCache.size >= CACHE_MAX) macCache.clear();
    macCache.set(k, s);
  }
  return s;
}

/** RFC 5952 text form (lower case, longest run of two or more zero groups as ::, IPv4-mapped tail). */
export function ipv6Str(b: Uint8Array, o = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestLen = j - i;
      bestStart = i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms, as inet_ntop prints them
  if (bestStart === 0 && (bestLen === 5 && g[5] === 0xffff)) {
    return `::ffff:${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  }
  if (bestStart === 0 && bestLen === 6 && (g[6] !== 0 || g[7]! > 1)) {
    return `::${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += g[i]!.toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

export function hexStr(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (sep && i) s += sep;
    s += HEX[b[i]!];
  }
  return s;
}

export function hex2(v: number): string {
  return HEX[v & 255]!;
}

/** '0x' + lower-case hex zero-padded to `digits`. */
export function hexPad(v: number, digits: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(digits, '0');
}

/** A conversation key part for an address: its bytes as latin1 chars (cheap, unique). */
const v4Keys = new Map<number, string>();
export function addrKey(b: Uint8Array): string {
  if (b.length === 4) return v4Key(be32(b, 0));
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** addrKey of an IPv4 address given as a number: the few addresses of a capture recur in every
 * packet, so their keys are cached (bounded). */
export function v4Key(n: number): string {
  let k = v4Keys.get(n);
  if (k === undefined) {
    k = String.fromCharCode(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
    if (v4Keys.size >= CACHE_MAX) v4Keys.clear();
    v4Keys.set(n, k);
  }
  return k;
}
