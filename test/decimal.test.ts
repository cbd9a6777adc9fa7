// src/core/decimal.ts gives the hot paths their digits without V8's number-to-string cache: its text
// must be String(n)'s (and padStart's) for every value those paths print.
import { describe, expect, it } from 'vitest';
import { decimal, nineDigits, sixDigits } from '../src/core/decimal.js';

const EDGES = [0, -0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 10001, 99999999, 100000000, 100000001, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1e12, 1e15 + 7, Number.MAX_SAFE_INTEGER];

describe('decimal', () => {
  it('is String(n) for integers around every 4-digit boundary, negatives and the 32-bit range', () => {
    for (const n of EDGES) {
      expect(decimal(n)).toBe(String(n));
      expect(decimal(-n)).toBe(String(-n));
    }
    for (let n = 0; n < 200000; n += 7) expect(decimal(n)).toBe(String(n));
    for (let i = 0; i < 20000; i++) {
      const n = Math.floor(Math.random() * 2 ** 32);
      expect(decimal(n)).toBe(String(n));
    }
  });

  it('falls back to String() for what is not a safe integer', () => {
    for (const n of [0.5, -1.25, 1e21, 2 ** 53, NaN, Infinity, -Infinity, 1e-7]) expect(decimal(n)).toBe(String(n));
  });

  it('pads fractions as padStart does, also unnormalised ones', () => {
    for (const n of [0, 1, 9, 10, 999, 1000, 41000, 999999, 1000000, 2 ** 31 - 1, 123456789, 999999999, 1e9]) {
      expect(nineDigits(n)).toBe(String(n).padStart(9, '0'));
      expect(sixDigits(n)).toBe(String(n).padStart(6, '0'));
    }
    for (let i = 0; i < 20000; i++) {
      const n = Math.floor(Math.random() * 1e9);
      expect(nineDigits(n)).toBe(String(n).padStart(9, '0'));
      expect(sixDigits(n % 1e6)).toBe(String(n % 1e6).padStart(6, '0'));
    }
  });
});
