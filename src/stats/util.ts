import { etherStr, ipv4At, ipv4Str, ipv6Str } from '../core/addr.js';
import type { FieldDef, FieldNode, Layer, Time } from '../core/field.js';
import type { Packet } from '../core/packet.js';

/**
 * C's printf("%.*f", n, x) for a double, exactly: the decimal expansion of the binary value,
 * rounded half to even (glibc), so "%.4f" of 0.03125 is "0.0312" as tshark prints it.
 */
export function cFixed(x: number, n: number): string {
  // toFixed rounds the exact binary value too, and differs from glibc only on an exact tie (half
  // up instead of half to even). A tie has exactly n+1 decimals ending in 5, so toFixed(n+1) (then
  // exact) ends in 5: anything else takes the fast way.
  if (x >= 0 && x < 1e21 && !Object.is(x, -0) && n < 100) {
    const more = x.toFixed(n + 1);
    if (more.charCodeAt(more.length - 1) !== 53 /* 5 */) return x.toFixed(n);
  }
  return cFixedExact(x, n);
}

/** cFixed by the exact decimal expansion of the double (BigInt arithmetic): the reference. */
export function cFixedExact(x: number, n: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const neg = x < 0 || Object.is(x, -0);
  const v = Math.abs(x);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  // v = mant * 2^e; scaled = v * 10^n, rounded half-even
  const p10 = 10n ** BigInt(n);
  let q: bigint;
  if (e >= 0) q = (mant << BigInt(e)) * p10;
  else {
    const num = mant * p10;
    const den = 1n << BigInt(-e);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && (q & 1n) === 1n)) q += 1n;
  }
  let s = q.toString();
  if (n > 0) {
    s = s.padStart(n + 1, '0');
    s = `${s.slice(0, s.length - n)}.${s.slice(s.length - n)}`;
  }
  return (neg ? '-' : '') + s;
}

/** nstime_to_sec(): seconds as a double, the way Wireshark computes it */
export function timeSec(t: Time): number {
  return t.sec + t.nsec / 1e9;
}

export function padL(s: string | number, w: number): string {
  return String(s).padStart(w);
}

export function padR(s: string | number, w: number): string {
  return String(s).padEnd(w);
}

/**
 * Wireshark's format_size(size, FORMAT_SIZE_UNIT_BYTES, FORMAT_SIZE_PREFIX_SI): "404 bytes",
 * "4566 bytes", "217 kB" (integer division, switching unit at 10 of the next one); in the C locale
 * (tshark-ref) without grouping, with `grouping` as in en_US ("4,566 bytes").
 */
export function formatBytes(size: number, grouping = false): string {
  const p = 1000;
  const units = [' T', ' G', ' M', ' k'];
  // "%'d": thousands grouping, as tshark prints in a locale that has it (en_US: "1,234 bytes")
  const n = (v: number) => (grouping ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(v));
  for (let k = 4; k >= 1; k--) {
    const v = Math.floor(size / p ** k);
    if (v >= 10) return `${n(v)}${units[4 - k]}B`;
  }
  return `${n(size)} bytes`;
}

/** An address value from a field node as text: IPv4 (number), IPv6 (16 bytes), MAC (6 bytes). */
export function addrText(v: number | Uint8Array): string {
  if (typeof v === 'number') return ipv4Str(v);
  if (v.length === 16) return ipv6Str(v);
  if (v.length === 6) return etherStr(v);
  if (v.length === 4) return ipv4At(v, 0);
  return Buffer.from(v).toString('hex');
}

/** Address key bytes (latin1 chars, as TcpSegment.srcKey) as text. */
export function keyAddrText(k: string): string {
  return addrText(Uint8Array.from(k, (c) => c.charCodeAt(0)));
}

/** A field value as a comparable key string (copying out of the packet buffer). */
export function valueKey(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v instanceof Uint8Array) return String.fromCharCode.apply(null, v as unknown as number[]);
  return String(v);
}

/** The first node for `def` directly under a layer (top level of its fields, or flat in non-full mode). */
export function topField(L: Layer, def: FieldDef | undefined): FieldNode | undefined {
  if (!def) return undefined;
  const f = L.fields;
  for (let i = 0; i < f.length; i++) if (f[i]!.def === def) return f[i];
  return undefined;
}

/** Every node for `def` in the packet, in tree order (children included). */
export function collectNodes(pkt: Packet, def: FieldDef, out: FieldNode[] = []): FieldNode[] {
  const visit = (nodes: FieldNode[]) => {
    for (const n of nodes) {
      if (n.def === def) out.push(n);
      if (n.children) visit(n.children);
    }
  };
  for (const L of pkt.layers) visit(L.fields);
  return out;
}

/** Find the first node whose abbrev is `abbrev` in a layer, searching children too. */
export function findByAbbrev(L: Layer, abbrev: string): FieldNode | undefined {
  const visit = (nodes: FieldNode[]): FieldNode | undefined => {
    for (const n of nodes) {
      if (n.def.abbrev === abbrev) return n;
      if (n.children) {
        const r = visit(n.children);
        if (r) return r;
      }
    }
    return undefined;
  };
  return visit(L.fields);
}
