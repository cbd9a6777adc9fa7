/**
 * Display-filter parser: Wireshark 4.0's grammar (epan/dfilter/grammar.lemon) as recursive descent.
 *
 *   expr      := expr or expr | expr and expr | not expr | ( expr ) | relation | arith
 *   relation  := [any|all] arith cmp arith [cmp arith ...] | entity contains entity
 *              | entity matches entity | entity [not] in { elem, elem..elem, ... }
 *   arith     := arith & arith | arith (+|-) arith | arith (*|/|%) arith | [+|-] entity | { arith }
 *   entity    := field[#layer] | literal | "string" | 'c' | func(arith, ...) | entity[ranges]
 *
 * Precedence, lowest first: or, and, not, comparisons, &, + -, * / %, unary. Errors carry the offending
 * token's position ("X" was unexpected in this context.), or none at the end of the text.
 */
import { type CmpOp, FilterSyntaxError, type Token, type TokenType, tokenize } from './lexer.js';

export interface Span {
  pos: number;
  len: number;
}

/** A slice range as written: [start:len], [start-end], [start], [:len], [start:] */
export interface RangeNode extends Span {
  /** start offset; negative counts from the end */
  start: number;
  /** 'len': n bytes from start; 'end': up to offset n inclusive (negative from the end); 'toend': the rest */
  kind: 'len' | 'end' | 'toend';
  n: number;
  /** the range's text, for messages */
  text: string;
}

export type Expr =
  | ({ k: 'field'; name: string; layers: RangeNode[] | null } & Span)
  /** an unquoted value that is not a field name (or an address/byte string) */
  | ({ k: 'literal'; value: string; text: string; /** identifier-like (could have been a field name) */ word: boolean } & Span)
  | ({ k: 'string'; value: string; raw: boolean; text: string } & Span)
  | ({ k: 'charconst'; num: number; text: string } & Span)
  | ({ k: 'slice'; e: Expr; ranges: RangeNode[] } & Span)
  | ({ k: 'func'; name: string; args: Expr[]; nameSpan: Span } & Span)
  | ({ k: 'arith'; op: '+' | '-' | '*' | '/' | '%' | '&'; a: Expr; b: Expr; opSpan: Span } & Span)
  | ({ k: 'neg'; e: Expr; opSpan: Span } & Span)
  /** ${field}: the value of a field in the GUI's selected packet (none in tshark) */
  | ({ k: 'ref'; name: string; text: string } & Span);

export interface SetElem {
  lo: Expr;
  hi: Expr | null;
}

export type Test =
  | { k: 'and' | 'or'; a: Test; b: Test }
  | { k: 'not'; a: Test }
  | { k: 'cmp'; op: CmpOp; opText: string; opSpan: Span; a: Expr; b: Expr; match: 'any' | 'all' | null }
  | { k: 'contains' | 'matches'; opText: string; opSpan: Span; a: Expr; b: Expr; match: 'any' | 'all' | null }
  | { k: 'in'; opSpan: Span; a: Expr; set: SetElem[]; match: 'any' | 'all' | null }
  /** a bare field, slice, function or arithmetic expression */
  | { k: 'test'; e: Expr };

const FUNCTIONS = new Set(['len', 'count', 'string', 'upper', 'lower', 'max', 'min', 'abs']);

/** Parse a filter. `isField` tells whether a name is a registered field or protocol. Returns null for
 * an empty filter (which matches every packet). */
export function parseFilter(text: string, isField: (name: string) => boolean): Test | null {
  return new Parser(text, tokenize(text), isField).parse();
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
    private readonly isField: (name: string) => boolean,
  ) {}

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }

  private next(): Token {
    const t = this.toks[this.i]!;
    if (t.type !== 'EOF') this.i++;
    return t;
  }

  private unexpected(t: Token): never {
    if (t.type === 'EOF') throw new FilterSyntaxError('Unexpected end of filter expression.', -1, 0);
    throw new FilterSyntaxError(`"${t.text}" was unexpected in this context.`, t.pos, t.len);
  }

  private expect(type: TokenType): Token {
    const t = this.peek();
    if (t.type !== type) this.unexpected(t);
    return this.next();
  }

  parse(): Test | null {
    if (this.peek().type === 'EOF') return null;
    const t = this.parseOr();
    if (this.peek().type !== 'EOF') this.unexpected(this.peek());
    return t;
  }

  private parseOr(): Test {
    let a = this.parseAnd();
    while (this.peek().type === 'OR') {
      this.next();
      a = { k: 'or', a, b: this.parseAnd() };
    }
    return a;
  }

  private parseAnd(): Test {
    let a = this.parseNot();
    while (this.peek().type === 'AND') {
      this.next();
      a = { k: 'and', a, b: this.parseNot() };
    }
    return a;
  }

  private parseNot(): Test {
    if (this.peek().type === 'NOT') {
      this.next();
      return { k: 'not', a: this.parseNot() };
    }
    if (this.peek().type === 'LPAREN') {
      this.next();
      const t = this.parseOr();
      this.expect('RPAREN');
      return t;
    }
    return this.parseRelation();
  }

  private parseRelation(): Test {
    let match: 'any' | 'all' | null = null;
    const q = this.peek().type;
    if (q === 'ANY' || q === 'ALL') {
      this.next();
      match = q === 'ANY' ? 'any' : 'all';
    }
    const a = this.parseArith();
    const t = this.peek();
    switch (t.type) {
      case 'CMP': {
        // 'a == b == c' is 'a == b and b == c'
        let lhs = a;
        let out: Test | null = null;
        while (this.peek().type === 'CMP') {
          const opTok = this.next();
          const rhs = this.parseArith();
          const cmp: Test = { k: 'cmp', op: opTok.op!, opText: opTok.text, opSpan: span(opTok), a: lhs, b: rhs, match };
          out = out ? { k: 'and', a: out, b: cmp } : cmp;
          lhs = rhs;
        }
        return out!;
      }
      case 'CONTAINS':
      case 'MATCHES': {
        if (!isEntity(a)) this.unexpected(t);
        this.next();
        const b = this.parseEntity();
        return { k: t.type === 'CONTAINS' ? 'contains' : 'matches', opText: t.text, opSpan: span(t), a, b, match };
      }
      case 'IN': {
        if (!isEntity(a)) this.unexpected(t);
        this.next();
        return { k: 'in', opSpan: span(t), a, set: this.parseSet(), match };
      }
      case 'NOT': {
        if (!isEntity(a)) this.unexpected(t);
        this.next();
        const inTok = this.peek();
        if (inTok.type !== 'IN') this.unexpected(inTok);
        this.next();
        return { k: 'not', a: { k: 'in', opSpan: span(inTok), a, set: this.parseSet(), match } };
      }
      default:
        if (match) this.unexpected(t);
        return { k: 'test', e: a };
    }
  }

  private parseSet(): SetElem[] {
    this.expect('LBRACE');
    const out: SetElem[] = [];
    for (;;) {
      const lo = this.parseSetEntity();
      let hi: Expr | null = null;
      if (this.peek().type === 'DOTDOT') {
        this.next();
        hi = this.parseSetEntity();
      }
      out.push({ lo, hi });
      const t = this.peek();
      if (t.type === 'COMMA') {
        this.next();
        continue;
      }
      if (t.type === 'RBRACE') {
        this.next();
        return out;
      }
      this.unexpected(t);
    }
  }

  private parseSetEntity(): Expr {
    const t = this.peek();
    if (t.type === 'MINUS') {
      this.next();
      const e = this.parseEntity();
      return { k: 'neg', e, opSpan: span(t), pos: t.pos, len: e.pos + e.len - t.pos };
    }
    if (t.type === 'PLUS') this.next();
    return this.parseEntity();
  }

  private parseArith(): Expr {
    let a = this.parseAdd();
    while (this.peek().type === 'BITAND') {
      const op = this.next();
      a = arith('&', a, this.parseAdd(), op);
    }
    return a;
  }

  private parseAdd(): Expr {
    let a = this.parseMul();
    for (;;) {
      const t = this.peek().type;
      if (t !== 'PLUS' && t !== 'MINUS') return a;
      const op = this.next();
      a = arith(t === 'PLUS' ? '+' : '-', a, this.parseMul(), op);
    }
  }

  private parseMul(): Expr {
    let a = this.parseUnary();
    for (;;) {
      const t = this.peek().type;
      if (t !== 'STAR' && t !== 'SLASH' && t !== 'PERCENT') return a;
      const op = this.next();
      a = arith(t === 'STAR' ? '*' : t === 'SLASH' ? '/' : '%', a, this.parseUnary(), op);
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.type === 'MINUS') {
      this.next();
      const e = this.parseEntity();
      return { k: 'neg', e, opSpan: span(t), pos: t.pos, len: e.pos + e.len - t.pos };
    }
    if (t.type === 'PLUS') {
      this.next();
      return this.parseEntity();
    }
    if (t.type === 'LBRACE') {
      this.next();
      const e = this.parseArith();
      this.expect('RBRACE');
      return e;
    }
    return this.parseEntity();
  }

  private parseEntity(): Expr {
    const t = this.next();
    let e: Expr;
    switch (t.type) {
      case 'STRING':
        e = { k: 'string', value: t.value!, raw: !!t.raw, text: t.text, pos: t.pos, len: t.len };
        break;
      case 'CHARCONST':
        e = { k: 'charconst', num: t.num!, text: t.text, pos: t.pos, len: t.len };
        break;
      case 'LITERAL':
        e = { k: 'literal', value: t.value!, text: t.text, word: false, pos: t.pos, len: t.len };
        break;
      case 'REF':
        if (!this.isField(t.value!)) throw new FilterSyntaxError(`macro '${t.value}' does not exist`, -1, 0);
        e = { k: 'ref', name: t.value!, text: t.text, pos: t.pos, len: t.len };
        break;
      case 'WORD': {
        const nx = this.peek();
        if (nx.type === 'LPAREN') {
          this.next();
          const args: Expr[] = [];
          if (this.peek().type !== 'RPAREN') {
            args.push(this.parseArith());
            while (this.peek().type === 'COMMA') {
              this.next();
              args.push(this.parseArith());
            }
          }
          const close = this.expect('RPAREN');
          if (!FUNCTIONS.has(t.text)) throw new FilterSyntaxError(`Function '${t.text}' does not exist`, t.pos, t.len);
          e = { k: 'func', name: t.text, args, nameSpan: span(t), pos: t.pos, len: close.pos + 1 - t.pos };
        } else if (nx.type === 'HASH') {
          if (!this.isField(t.text)) throw new FilterSyntaxError(`${t.text} is not a valid field`, t.pos, t.len);
          this.next();
          let layers: RangeNode[];
          let end: number;
          const l = this.peek();
          if (l.type === 'INDEX') {
            this.next();
            const v = Number(l.text);
            layers = [{ start: v, kind: 'len', n: 1, text: l.text, pos: l.pos, len: l.len }];
            end = l.pos + l.len;
          } else if (l.type === 'LBRACKET') {
            const r = this.parseRanges();
            layers = r.ranges;
            end = r.end;
          } else this.unexpected(l);
          e = { k: 'field', name: t.text, layers, pos: t.pos, len: end - t.pos };
        } else if (this.isField(t.text)) {
          e = { k: 'field', name: t.text, layers: null, pos: t.pos, len: t.len };
        } else {
          e = { k: 'literal', value: t.value!, text: t.text, word: true, pos: t.pos, len: t.len };
        }
        break;
      }
      default:
        // '$' starts a reference in Wireshark's grammar: what follows it is the unexpected part
        if (t.type === 'UNKNOWN' && t.text === '$') this.unexpected(this.peek());
        this.unexpected(t);
    }
    while (this.peek().type === 'LBRACKET') {
      const r = this.parseRanges();
      e = { k: 'slice', e, ranges: r.ranges, pos: e.pos, len: r.end - e.pos };
    }
    return e;
  }

  private parseRanges(): { ranges: RangeNode[]; end: number } {
    this.expect('LBRACKET');
    const ranges: RangeNode[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type !== 'RANGE') this.unexpected(t);
      this.next();
      ranges.push(parseRange(t));
      const s = this.next();
      if (s.type === 'RBRACKET') return { ranges, end: s.pos + 1 };
      if (s.type !== 'COMMA') this.unexpected(s);
    }
  }
}

function span(t: Token): Span {
  return { pos: t.pos, len: t.len };
}

/** contains, matches and in take an entity on the left, not arithmetic */
function isEntity(e: Expr): boolean {
  return e.k !== 'arith' && e.k !== 'neg';
}

function arith(op: '+' | '-' | '*' | '/' | '%' | '&', a: Expr, b: Expr, t: Token): Expr {
  return { k: 'arith', op, a, b, opSpan: span(t), pos: a.pos, len: b.pos + b.len - a.pos };
}

/** drange_node_from_str: "i:j" (start, length), "i-j" (start, end inclusive), "i", ":j", "i:". */
function parseRange(t: Token): RangeNode {
  const s = t.text.trim();
  const num = (x: string): number => {
    if (!/^-?[0-9]+$/.test(x)) throw new FilterSyntaxError(`"${x}" is not a valid number.`, t.pos, t.len);
    return Number(x);
  };
  const base = { text: s, pos: t.pos, len: t.len };
  let m: RegExpExecArray | null;
  if ((m = /^(-?[0-9]*)\s*:\s*(-?[0-9]*)$/.exec(s))) {
    const start = m[1] === '' ? 0 : num(m[1]!);
    if (m[2] === '') return { start, kind: 'toend', n: 0, ...base };
    const n = num(m[2]!);
    if (n <= 0) throw new FilterSyntaxError(`Range ${s} isn't valid because length ${n} isn't positive`, t.pos, t.len);
    return { start, kind: 'len', n, ...base };
  }
  if ((m = /^(-?[0-9]+)\s*-\s*(-?[0-9]+)$/.exec(s))) {
    const start = num(m[1]!);
    const end = num(m[2]!);
    if (start >= 0 === end >= 0 && end < start) {
      throw new FilterSyntaxError(`Range ${s} isn't valid because the end offset is before the start offset`, t.pos, t.len);
    }
    return { start, kind: 'end', n: end, ...base };
  }
  return { start: num(s), kind: 'len', n: 1, ...base };
}
