/** One's-complement sum (RFC 1071) of bytes [o, o+n), added to `acc` (not folded). */
export function sum16(b: Uint8Array, o: number, n: number, acc = 0): number {
  let i = o;
  const end = o + n;
  for (; i + 1 < end; i += 2) acc += (b[i]! << 8) | b[i + 1]!;
  if (i < end) acc += b[i]! << 8;
  return acc;
}

/** Fold a 32-bit accumulator to 16 bits and complement: 0 means the checksum verifies. */
export function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 65536);
  return ~acc & 0xffff;
}

/** Pseudo-header sum for TCP/UDP/ICMPv6 over IPv4 or IPv6. */
export function pseudoSum(src: Uint8Array, dst: Uint8Array, proto: number, len: number): number {
  let acc = sum16(src, 0, src.length) + sum16(dst, 0, dst.length) + proto;
  if (src.length === 16) acc += Math.floor(len / 65536) + (len & 0xffff);
  else acc += len;
  return acc;
}
