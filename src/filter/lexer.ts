/**
 * Display-filter lexer, after Wireshark 4.0's epan/dfilter/scanner.l: the same token classes, the same
 * longest-match rules for unquoted values (MAC and IP addresses, byte strings, field names) and the same
 * error messages, so positions and carets agree with tshark's.
 */

/** A syntax error with the place it points at (0-based character offset and length in the filter). */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly length: number,
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

/** The comparison operators, by Wireshark's names (`==` is any_eq, `!=` is all_ne in 4.0). */
export type CmpOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le';

export type TokenType =
  | 'LPAREN'
  | 'RPAREN'
  | 'LBRACE'
  | 'RBRACE'
  | 'COMMA'
  | 'DOTDOT'
  | 'LBRACKET'
  | 'RBRACKET'
  /** one slice range inside brackets: "0:3", "-1", "2-4", ":2" */
  | 'RANGE'
  | 'HASH'
  /** the layer number after '#' */
  | 'INDEX'
  | 'CMP'
  | 'CONTAINS'
  | 'MATCHES'
  | 'NOT'
  | 'AND'
  | 'OR'
  | 'IN'
  | 'ANY'
  | 'ALL'
  | 'PLUS'
  | 'MINUS'
  | 'STAR'
  | 'SLASH'
  | 'PERCENT'
  | 'BITAND'
  /** double-quoted string; `value` is the decoded text (one char per byte, latin1) */
  | 'STRING'
  /** 'c' character constant; `num` is its value */
  | 'CHARCONST'
  /** an identifier-like value: a field or protocol name when one is registered, else a literal */
  | 'WORD'
  /** an address or byte-string value that can never be a field name */
  | 'LITERAL'
  /** ${name}: a field reference (the GUI's selected packet; never a value in tshark) or a macro */
  | 'REF'
  /** a character the grammar has no use for: the parser reports it as unexpected */
  | 'UNKNOWN'
  | 'EOF';

export interface Token {
  type: TokenType;
  /** the source text of the token (strings with their quotes) */
  text: string;
  pos: number;
  len: number;
  /** STRING: decoded value; WORD/LITERAL: the value text */
  value?: string;
  /** STRING: raw string (r"...") */
  raw?: boolean;
  /** CHARCONST: the character's code */
  num?: number;
  /** CMP: which comparison */
  op?: CmpOp;
}

const KEYWORDS: Record<string, { type: TokenType; op?: CmpOp }> = {
  eq: { type: 'CMP', op: 'any_eq' },
  any_eq: { type: 'CMP', op: 'any_eq' },
  ne: { type: 'CMP', op: 'all_ne' },
  all_ne: { type: 'CMP', op: 'all_ne' },
  all_eq: { type: 'CMP', op: 'all_eq' },
  any_ne: { type: 'CMP', op: 'any_ne' },
  gt: { type: 'CMP', op: 'gt' },
  ge: { type: 'CMP', op: 'ge' },
  lt: { type: 'CMP', op: 'lt' },
  le: { type: 'CMP', op: 'le' },
  contains: { type: 'CONTAINS' },
  matches: { type: 'MATCHES' },
  not: { type: 'NOT' },
  and: { type: 'AND' },
  or: { type: 'OR' },
  in: { type: 'IN' },
  any: { type: 'ANY' },
  all: { type: 'ALL' },
  bitwise_and: { type: 'BITAND' },
};

/** Symbols, longest first. */
const SYMBOLS: Array<[string, TokenType, CmpOp?]> = [
  ['===', 'CMP', 'all_eq'],
  ['!==', 'CMP', 'any_ne'],
  ['==', 'CMP', 'any_eq'],
  ['!=', 'CMP', 'all_ne'],
  ['~=', 'CMP', 'any_ne'],
  ['>=', 'CMP', 'ge'],
  ['<=', 'CMP', 'le'],
  ['&&', 'AND'],
  ['||', 'OR'],
  ['..', 'DOTDOT'],
  ['>', 'CMP', 'gt'],
  ['<', 'CMP', 'lt'],
  ['~', 'MATCHES'],
  ['!', 'NOT'],
  ['&', 'BITAND'],
  ['(', 'LPAREN'],
  [')', 'RPAREN'],
  ['{', 'LBRACE'],
  ['}', 'RBRACE'],
  [',', 'COMMA'],
  ['+', 'PLUS'],
  ['-', 'MINUS'],
  ['*', 'STAR'],
  ['/', 'SLASH'],
  ['%', 'PERCENT'],
];

// Unquoted values. Each is tried at the current position; the longest match wins (ties: a LITERAL).
const RE_WORD = /[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*/y;
const RE_MAC = /[0-9A-Fa-f]{2}([:.-])[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}/y;
const RE_QUADMAC = /[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}/y;
const RE_IPV4 = /(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(?:\/[0-9]{1,2})?/y;
const RE_V6CHARS = /[0-9A-Fa-f:.]+/y;
const RE_COLON_NUM = /:[0-9A-Fa-f]+/y;
const RE_COLON_BYTES = /[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+/y;

function stickyLen(re: RegExp, s: string, i: number): number {
  re.lastIndex = i;
  const m = re.exec(s);
  return m ? m[0].length : 0;
}

/** Parse an IPv6 address (no prefix) into 16 bytes; null when invalid. */
export function parseIPv6(s: string): Uint8Array | null {
  if (s.length < 2 || !/^[0-9A-Fa-f:.]+$/.test(s)) return null;
  let tail4: number[] | null = null;
  let t = s;
  const lastColon = t.lastIndexOf(':');
  if (t.indexOf('.', lastColon) >= 0) {
    const v4 = parseIPv4(t.slice(lastColon + 1));
    if (v4 === null) return null;
    tail4 = [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255];
    t = t.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = t.indexOf('::');
  if (dbl >= 0 && t.indexOf('::', dbl + 1) >= 0) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const a = parseGroups(t.slice(0, dbl));
    const b = parseGroups(t.slice(dbl + 2));
    if (!a || !b || a.length + b.length > 7) return null;
    groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    const a = parseGroups(t);
    if (!a || a.length !== 8) return null;
    groups = a;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i]! >> 8;
    out[2 * i + 1] = groups[i]! & 255;
  }
  if (tail4) out.set(tail4, 12);
  return out;
}

/** Dotted-quad IPv4 to a uint32, or null. */
export function parseIPv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

function ipv6Len(s: string, i: number): number {
  let n = stickyLen(RE_V6CHARS, s, i);
  // the longest prefix that is an IPv6 address (a run that merely looks like one shrinks until it is)
  while (n >= 2) {
    const cand = s.slice(i, i + n);
    if (cand.includes(':') && parseIPv6(cand)) break;
    n--;
  }
  if (n < 2) return 0;
  const m = /^\/[0-9]{1,3}/.exec(s.slice(i + n, i + n + 4));
  return m ? n + m[0].length : n;
}

const ESCAPES: Record<string, number> = { "'": 0x27, '"': 0x22, '\\': 0x5c, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Tokenize a display filter. Throws FilterSyntaxError on a lexical error. The last token is EOF. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  let afterHash = false;
  const push = (type: TokenType, start: number, end: number, extra?: Partial<Token>): void => {
    out.push({ type, text: text.slice(start, end), pos: start, len: end - start, ...extra });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c < 0x20 || c > 0x7e) throw new FilterSyntaxError('Non-printable ASCII characters may only appear inside double-quotes.', i, 1);
    const ch = text[i]!;
    if (afterHash) {
      afterHash = false;
      const m = /[0-9]+/y;
      m.lastIndex = i;
      const r = m.exec(text);
      if (r) {
        push('INDEX', i, i + r[0].length);
        i += r[0].length;
        continue;
      }
      if (ch !== '[') throw new FilterSyntaxError(`Expected digit or "[", not "${ch}"`, i, 1);
    }
    if (ch === '#') {
      push('HASH', i, i + 1);
      i++;
      afterHash = true;
      continue;
    }
    if (ch === '[') {
      // slice ranges: everything up to ']' split at ','
      push('LBRACKET', i, i + 1);
      i++;
      for (;;) {
        if (i >= n) throw new FilterSyntaxError('The right bracket was missing from a slice.', n, 1);
        const d = text[i]!;
        if (d === ']') {
          push('RBRACKET', i, i + 1);
          i++;
          break;
        }
        if (d === ',') {
          push('COMMA', i, i + 1);
          i++;
          continue;
        }
        let j = i;
        while (j < n && text[j] !== ']' && text[j] !== ',') j++;
        push('RANGE', i, j);
        i = j;
      }
      continue;
    }
    if (ch === '"' || ((ch === 'r' || ch === 'R') && text[i + 1] === '"')) {
      i = lexString(text, i, out);
      continue;
    }
    if (ch === "'") {
      i = lexCharConst(text, i, out);
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      const name = close < 0 ? text.slice(i + 2) : text.slice(i + 2, close);
      if (!/^[A-Za-z0-9_.-]*$/.test(name)) throw new FilterSyntaxError('invalid character in macro name', -1, 0);
      if (close < 0) throw new FilterSyntaxError('Unexpected end of filter expression.', -1, 0);
      push('REF', i, close + 1, { value: name });
      i = close + 1;
      continue;
    }
    // unquoted values and names: longest match
    const word = stickyLen(RE_WORD, text, i);
    const lit = Math.max(
      stickyLen(RE_MAC, text, i),
      stickyLen(RE_QUADMAC, text, i),
      stickyLen(RE_IPV4, text, i),
      ipv6Len(text, i),
      stickyLen(RE_COLON_NUM, text, i),
      stickyLen(RE_COLON_BYTES, text, i),
    );
    if (lit > 0 && lit >= word) {
      const s = text.slice(i, i + lit);
      push('LITERAL', i, i + lit, { value: s });
      i += lit;
      continue;
    }
    if (word > 0) {
      const s = text.slice(i, i + word);
      const kw = Object.prototype.hasOwnProperty.call(KEYWORDS, s) ? KEYWORDS[s] : undefined;
      if (kw) push(kw.type, i, i + word, kw.op ? { op: kw.op } : undefined);
      else push('WORD', i, i + word, { value: s });
      i += word;
      continue;
    }
    let matched = false;
    for (const [sym, type, op] of SYMBOLS) {
      if (text.startsWith(sym, i)) {
        push(type, i, i + sym.length, op ? { op } : undefined);
        i += sym.length;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    push('UNKNOWN', i, i + 1);
    i++;
  }
  out.push({ type: 'EOF', text: '', pos: n, len: 0 });
  return out;
}

function lexString(text: string, start: number, out: Token[]): number {
  const n = text.length;
  const raw = text[start] !== '"';
  let i = start + (raw ? 2 : 1);
  let v = '';
  for (;;) {
    if (i >= n) throw new FilterSyntaxError('The final quote was missing from a quoted string.', n, 1);
    const ch = text[i]!;
    if (ch === '"') {
      i++;
      break;
    }
    if (ch !== '\\') {
      // the filter text is UTF-16 here; Wireshark works on UTF-8 bytes: keep one char per byte
      const cp = text.codePointAt(i)!;
      if (cp < 0x80) v += ch;
      else v += Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) throw new FilterSyntaxError('The final quote was missing from a quoted string.', n, 1);
    if (raw) {
      // raw strings keep the backslash; \" still does not end the string
      v += '\\' + e;
      i += 2;
      continue;
    }
    if (e >= '0' && e <= '7') {
      const m = /[0-7]{1,3}/y;
      m.lastIndex = i + 1;
      const d = m.exec(text)![0];
      const val = parseInt(d, 8);
      if (val > 255) throw new FilterSyntaxError(`\\${d} is larger than 255.`, i, d.length + 1);
      v += String.fromCharCode(val);
      i += 1 + d.length;
      continue;
    }
    if (e === 'x') {
      const m = /[0-9A-Fa-f]{1,2}/y;
      m.lastIndex = i + 2;
      const r = m.exec(text);
      if (!r) throw new FilterSyntaxError(`\\x is not a valid character escape sequence`, i, 2);
      v += String.fromCharCode(parseInt(r[0], 16));
      i += 2 + r[0].length;
      continue;
    }
    if (e === 'u' || e === 'U') {
      // tshark 4.0 rejects universal character names
      const m = e === 'u' ? /[0-9A-Fa-f]{0,4}/y : /[0-9A-Fa-f]{0,8}/y;
      m.lastIndex = i + 2;
      const d = m.exec(text)![0];
      throw new FilterSyntaxError(`\\${e}${d} is not a valid universal character name`, i, 2 + d.length);
    }
    const code = ESCAPES[e];
    if (code === undefined) throw new FilterSyntaxError(`\\${e} is not a valid character escape sequence`, i, 2);
    v += String.fromCharCode(code);
    i += 2;
  }
  out.push({ type: 'STRING', text: text.slice(start, i), pos: start, len: i - start, value: v, raw });
  return i;
}

function lexCharConst(text: string, start: number, out: Token[]): number {
  const n = text.length;
  let i = start + 1;
  for (;;) {
    if (i >= n) throw new FilterSyntaxError('The final quote was missing from a character constant.', n, 1);
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text[i] === "'") {
      i++;
      break;
    }
    i++;
  }
  const src = text.slice(start, i);
  const body = src.slice(1, -1);
  let num: number | null = null;
  if (body.length === 1 && body !== '\\') num = body.charCodeAt(0);
  else if (body[0] === '\\') {
    const e = body.slice(1);
    if (e.length === 1 && ESCAPES[e] !== undefined) num = ESCAPES[e]!;
    else if (/^[0-7]{1,3}$/.test(e)) num = parseInt(e, 8);
    else if (/^x[0-9A-Fa-f]{1,2}$/.test(e)) num = parseInt(e.slice(1), 16);
    if (num !== null && num > 255) throw new FilterSyntaxError(`${src} is too large to be a valid character constant.`, start, src.length);
    if (num === null) throw new FilterSyntaxError(`${src} isn't a valid character constant.`, start, src.length);
  } else if (body.length === 0) throw new FilterSyntaxError(`${src} isn't a valid character constant.`, start, src.length);
  else throw new FilterSyntaxError(`${src} is too long to be a valid character constant.`, start, src.length);
  out.push({ type: 'CHARCONST', text: src, pos: start, len: src.length, num });
  return i;
}
