/**
 * Decimal text of a number without V8's number-to-string cache.
 *
 * `String(n)`, `${n}` and `n.toString()` store each result in a heap-wide cache (up to 16k entries)
 * that is a root for the young-generation collector: on a long run the numbers of the last few
 * thousand packets are always alive at a scavenge, get copied and promoted, and what survives is
 * what makes V8 grow the young generation to its maximum (32 MiB of RSS). The hot paths (summary
 * line, Info, `-T fields`, JSON values, times) take their digits from here instead: integers below
 * 10,000 from a table made once, larger ones joined from 4-digit parts (flat copies that die at
 * once). Anything else (negative zero aside, non-integers and unsafe integers) goes to String().
 */

/** "0" .. "9999" */
const SMALL: string[] = [];
/** "0000" .. "0999" (the 4-digit parts below 1000; from 1000 on SMALL has the same text) */
const PAD3: string[] = [];
/** "00" .. "09" (from 10 on SMALL has the same text) */
const PAD1: string[] = [];
for (let i = 0; i < 10000; i++) SMALL.push(String(i));
for (let i = 0; i < 1000; i++) PAD3.push(SMALL[i]!.padStart(4, '0'));
for (let i = 0; i < 10; i++) PAD1.push(SMALL[i]!.padStart(2, '0'));

/** n in [0, 10000) as exactly 4 digits */
function pad4(n: number): string {
  return n >= 1000 ? SMALL[n]! : PAD3[n]!;
}

/** The decimal text of n, as String(n) gives it. */
export function decimal(n: number): string {
  if (n >= 0 && n < 10000 && Math.floor(n) === n) return SMALL[n]!;
  if (!Number.isSafeInteger(n)) return String(n);
  if (n < 0) return '-' + decimal(-n);
  // safe integers have at most 16 digits: up to four 4-digit parts
  let hi = Math.floor(n / 10000);
  let s = pad4(n - hi * 10000);
  while (hi >= 10000) {
    const q = Math.floor(hi / 10000);
    s = pad4(hi - q * 10000) + s;
    hi = q;
  }
  return SMALL[hi]! + s;
}

/** n as String(n).padStart(9, '0'): exactly 9 digits for a nanosecond fraction in [0, 10^9) */
export function nineDigits(n: number): string {
  if (!(n >= 0 && n < 1e12) || Math.floor(n) !== n) return String(n).padStart(9, '0');
  const a = Math.floor(n / 100000000);
  const r = n - a * 100000000;
  const b = Math.floor(r / 10000);
  return SMALL[a]! + pad4(b) + pad4(r - b * 10000);
}

/** n as String(n).padStart(6, '0'): exactly 6 digits for a microsecond fraction in [0, 10^6) */
export function sixDigits(n: number): string {
  if (!(n >= 0 && n < 1e8) || Math.floor(n) !== n) return String(n).padStart(6, '0');
  const a = Math.floor(n / 10000);
  return (a < 10 ? PAD1[a]! : SMALL[a]!) + pad4(n - a * 10000);
}
