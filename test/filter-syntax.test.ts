// Display-filter lexer, parser and error reporting. The error table was captured from tshark 4.0.17
// (`tshark -Y FILTER`, its stderr without the "tshark: " prefix): formatFilterError must render every
// rejected filter exactly as tshark does, caret line included. No tshark is needed to run this file.
import { describe, expect, it } from 'vitest';
import { compileFilter, FilterFieldError, FilterSyntaxError, formatFilterError } from '../src/filter/index.js';
import { tokenize } from '../src/filter/lexer.js';
import { type Expr, parseFilter, type Test } from '../src/filter/parser.js';
import { lookupField } from '../src/core/field.js';

const isField = (n: string) => lookupField(n) !== undefined;

/** A compact rendering of a parse tree, for asserting structure. */
function show(t: Test | null): string {
  if (!t) return '<all>';
  switch (t.k) {
    case 'and':
    case 'or':
      return `(${show(t.a)} ${t.k} ${show(t.b)})`;
    case 'not':
      return `!${show(t.a)}`;
    case 'test':
      return expr(t.e);
    case 'cmp':
      return `${t.match ? t.match + ' ' : ''}${expr(t.a)} ${t.op} ${expr(t.b)}`;
    case 'contains':
    case 'matches':
      return `${t.match ? t.match + ' ' : ''}${expr(t.a)} ${t.k} ${expr(t.b)}`;
    case 'in':
      return `${t.match ? t.match + ' ' : ''}${expr(t.a)} in {${t.set.map((e) => expr(e.lo) + (e.hi ? '..' + expr(e.hi) : '')).join(', ')}}`;
  }
}
function expr(e: Expr): string {
  switch (e.k) {
    case 'field':
      return e.name + (e.layers ? '#' + e.layers.map((r) => r.text).join(',') : '');
    case 'literal':
      return `L(${e.value})`;
    case 'string':
      return `S(${JSON.stringify(e.value)})`;
    case 'charconst':
      return `C(${e.num})`;
    case 'slice':
      return `${expr(e.e)}[${e.ranges.map((r) => `${r.kind}:${r.start},${r.n}`).join(' ')}]`;
    case 'func':
      return `${e.name}(${e.args.map(expr).join(', ')})`;
    case 'arith':
      return `{${expr(e.a)} ${e.op} ${expr(e.b)}}`;
    case 'neg':
      return `-${expr(e.e)}`;
    case 'ref':
      return `\${${e.name}}`;
  }
}

describe('lexer', () => {
  const kinds = (s: string) => tokenize(s).map((t) => `${t.type}:${t.text}`);

  it('splits operators, names and values as tshark 4.0 does', () => {
    expect(kinds('tcp.port==80&&!ip')).toEqual(['WORD:tcp.port', 'CMP:==', 'WORD:80', 'AND:&&', 'NOT:!', 'WORD:ip', 'EOF:']);
    expect(kinds('a === b !== c ~= d != e')).toEqual(['WORD:a', 'CMP:===', 'WORD:b', 'CMP:!==', 'WORD:c', 'CMP:~=', 'WORD:d', 'CMP:!=', 'WORD:e', 'EOF:']);
    expect(tokenize('x ~= 1')[1]!.op).toBe('any_ne');
    expect(tokenize('x != 1')[1]!.op).toBe('all_ne');
    expect(tokenize('x eq 1')[1]!.op).toBe('any_eq');
    // English keywords are keywords only as whole words, and only in lower case
    expect(kinds('equal EQ eq')).toEqual(['WORD:equal', 'WORD:EQ', 'CMP:eq', 'EOF:']);
  });

  it('keeps addresses and byte strings whole', () => {
    expect(kinds('10.0.0.0/8 fd00::/16 ::1 00:11:22:33:44:55 0a:0b 02-00-0a-63-00-01 0200.0a63.0001')).toEqual([
      'LITERAL:10.0.0.0/8', 'LITERAL:fd00::/16', 'LITERAL:::1', 'LITERAL:00:11:22:33:44:55', 'LITERAL:0a:0b',
      'LITERAL:02-00-0a-63-00-01', 'LITERAL:0200.0a63.0001', 'EOF:',
    ]);
    // "eth:ethertype" is a name followed by a colon-prefixed hex number, as in tshark
    expect(kinds('eth:ethertype')).toEqual(['WORD:eth', 'LITERAL::e', 'WORD:thertype', 'EOF:']);
    // a hyphen inside a word belongs to it (tshark's "frame.len-1" quirk); a leading one is a minus
    expect(kinds('frame.len-1 -1')).toEqual(['WORD:frame.len-1', 'MINUS:-', 'WORD:1', 'EOF:']);
    expect(kinds('1..2')).toEqual(['WORD:1', 'DOTDOT:..', 'WORD:2', 'EOF:']);
  });

  it('decodes strings and character constants', () => {
    const [s] = tokenize('"a\\"b\\\\c\\x41\\101\\n"');
    expect(s!.value).toBe('a"b\\cAA\n');
    expect(tokenize('r"\\x41\\""')[0]!.value).toBe('\\x41\\"');
    expect(tokenize("'a'")[0]!.num).toBe(97);
    expect(tokenize("'\\n'")[0]!.num).toBe(10);
    expect(tokenize("'\\x0a'")[0]!.num).toBe(10);
    // a UTF-8 character in a string stays as its bytes
    expect(tokenize('"é"')[0]!.value).toBe('\xc3\xa9');
  });

  it('reads slice ranges and layer numbers', () => {
    expect(kinds('eth.src[0:3,5]#2')).toEqual(['WORD:eth.src', 'LBRACKET:[', 'RANGE:0:3', 'COMMA:,', 'RANGE:5', 'RBRACKET:]', 'HASH:#', 'INDEX:2', 'EOF:']);
  });

  it('reports positions', () => {
    const t = tokenize('  tcp.port  ==  80');
    expect(t.map((x) => [x.pos, x.len])).toEqual([[2, 8], [12, 2], [16, 2], [18, 0]]);
  });
});

describe('parser', () => {
  const p = (s: string) => show(parseFilter(s, isField));

  it('binds not over and over or, comparisons tighter than all of them', () => {
    expect(p('tcp or udp and not ip.ttl == 64')).toBe('(tcp or (udp and !ip.ttl any_eq L(64)))');
    expect(p('(tcp or udp) and ip')).toBe('((tcp or udp) and ip)');
    expect(p('! ! tcp')).toBe('!!tcp');
    expect(p('')).toBe('<all>');
  });

  it('parses arithmetic with & lowest and * highest, {} for grouping, unary minus on an entity', () => {
    expect(p('tcp.flags & 0x12 == 0x12')).toBe('{tcp.flags & L(0x12)} any_eq L(0x12)');
    expect(p('tcp.len + 1 * 2 == 4')).toBe('{tcp.len + {L(1) * L(2)}} any_eq L(4)');
    expect(p('{tcp.len + 1} * 2 == 6')).toBe('{{tcp.len + L(1)} * L(2)} any_eq L(6)');
    expect(p('-tcp.len == -2')).toBe('-tcp.len any_eq -L(2)');
  });

  it('chains comparisons: a == b == c is a == b and b == c', () => {
    expect(p('tcp.srcport < tcp.dstport <= tcp.port')).toBe('(tcp.srcport lt tcp.dstport and tcp.dstport le tcp.port)');
  });

  it('parses sets, not in, any/all, contains, matches, functions, slices and layers', () => {
    expect(p('tcp.port in {80, 443, 8000..8100}')).toBe('tcp.port in {L(80), L(443), L(8000)..L(8100)}');
    expect(p('tcp.port not in {80}')).toBe('!tcp.port in {L(80)}');
    expect(p('all tcp.port > 1024')).toBe('all tcp.port gt L(1024)');
    expect(p('any ip.addr != 1.1.1.1')).toBe('any ip.addr all_ne L(1.1.1.1)');
    expect(p('tcp.payload contains "GET"')).toBe('tcp.payload contains S("GET")');
    expect(p('frame.protocols ~ "tcp$"')).toBe('frame.protocols matches S("tcp$")');
    expect(p('len(tcp.payload) > 2 && count(ip.addr) == 2')).toBe('(len(tcp.payload) gt L(2) and count(ip.addr) any_eq L(2))');
    expect(p('eth.src[0:3] == 00:11:22')).toBe('eth.src[len:0,3] any_eq L(00:11:22)');
    expect(p('frame[-4:] == 0.1.2.3')).toBe('frame[toend:-4,0] any_eq L(0.1.2.3)');
    expect(p('frame[1,3-5,9:] == 01')).toBe('frame[len:1,1 end:3,5 toend:9,0] any_eq L(01)');
    expect(p('ip.src#2 == 10.0.0.1')).toBe('ip.src#2 any_eq L(10.0.0.1)');
    expect(p('ip.src#[1-2]')).toBe('ip.src#1-2');
  });

  it('tells fields from values by the registry', () => {
    expect(p('frame.protocols == tcp.nosuch')).toBe('frame.protocols any_eq L(tcp.nosuch)');
    expect(p('ip.proto == tcp')).toBe('ip.proto any_eq tcp');
  });
});

describe('errors', () => {
  it('throws FilterFieldError for an unknown name, with the name and where it is', () => {
    let err: unknown;
    try {
      compileFilter('tcp && tcp.nosuch');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterFieldError);
    expect(err).toBeInstanceOf(FilterSyntaxError);
    const f = err as FilterFieldError;
    expect(f.field).toBe('tcp.nosuch');
    expect([f.position, f.length]).toEqual([7, 10]);
    expect(f.message).toBe('tcp.nosuch is neither a field nor a protocol name.');
    // an unknown name on the left of a comparison, worded as tshark words it
    expect(() => compileFilter('tcp.nosuch == 1')).toThrow(FilterFieldError);
  });

  it('only a name is an unknown field: a bare value is a plain syntax error', () => {
    expect(() => compileFilter('10.0.0.1')).toThrow(FilterSyntaxError);
    expect(() => compileFilter('10.0.0.1')).not.toThrow(FilterFieldError);
    expect(() => compileFilter('nosuch')).toThrow(FilterFieldError);
    expect(formatFilterError('x', new Error('boom'))).toBe('boom');
  });

  it('throws FilterSyntaxError with a position for a syntax error, and -1 at the end of the text', () => {
    let err: FilterSyntaxError | undefined;
    try {
      compileFilter('tcp.port in {80 443}');
    } catch (e) {
      err = e as FilterSyntaxError;
    }
    expect(err).toBeInstanceOf(FilterSyntaxError);
    expect(err).not.toBeInstanceOf(FilterFieldError);
    expect([err!.position, err!.length]).toEqual([16, 3]);
    try {
      compileFilter('tcp.port ==');
    } catch (e) {
      err = e as FilterSyntaxError;
    }
    expect([err!.message, err!.position]).toEqual(['Unexpected end of filter expression.', -1]);
  });

  // [filter, what tshark 4.0.17 prints after "tshark: " (OK: accepted)]
  const TSHARK_ERRORS: Array<[string, string]> = [
  ["tcp.nosuch", "tcp.nosuch is neither a field nor a protocol name.\n    tcp.nosuch\n    ^~~~~~~~~~"],
  ["tcp.port == ", "Unexpected end of filter expression."],
  ["tcp.port == 70000", "\"70000\" too big for this field, maximum 65535.\n    tcp.port == 70000\n                ^~~~~"],
  ["  tcp.port == 70000 ", "\"70000\" too big for this field, maximum 65535.\n      tcp.port == 70000 \n                  ^~~~~"],
  ["ip.src == tcp.port", "ip.src and tcp.port are not of compatible types.\n    ip.src == tcp.port\n              ^~~~~~~~"],
  ["tcp.port in {80 443}", "\"443\" was unexpected in this context.\n    tcp.port in {80 443}\n                    ^~~"],
  ["foo(tcp.port)", "Function 'foo' does not exist\n    foo(tcp.port)\n    ^~~"],
  ["tcp.port == \"a", "The final quote was missing from a quoted string.\n    tcp.port == \"a\n                  ^"],
  ["tcp.port[", "The right bracket was missing from a slice.\n    tcp.port[\n             ^"],
  ["tcp.port#", "Unexpected end of filter expression."],
  [")", "\")\" was unexpected in this context.\n    )\n    ^"],
  ["tcp.port == 1..2", "\"..\" was unexpected in this context.\n    tcp.port == 1..2\n                 ^~"],
  ["nosuch == 1", "Left side of \"==\" expression must be a field or function, not nosuch.\n    nosuch == 1\n    ^~~~~~"],
  ["tcp.port == nosuch", "\"nosuch\" is not a valid number.\n    tcp.port == nosuch\n                ^~~~~~"],
  ["ip.proto == nosuch", "\"nosuch\" cannot be found among the possible values for ip.proto.\n    ip.proto == nosuch\n                ^~~~~~"],
  ["tcp.port == \"nosuch\"", "Unsigned integer (2 bytes) cannot be converted from a string (\"nosuch\").\n    tcp.port == \"nosuch\"\n                ^~~~~~~~"],
  ["tcp.flags.syn == true", "\"true\" cannot be found among the possible values for tcp.flags.syn.\n    tcp.flags.syn == true\n                     ^~~~"],
  ["tcp.flags.syn == -1", "FT_BOOLEAN cannot -.\n    tcp.flags.syn == -1\n                      ^"],
  ["tcp.flags.syn & 1", "FT_BOOLEAN cannot &.\n    tcp.flags.syn & 1\n    ^~~~~~~~~~~~~"],
  ["frame.time_relative > 1e-1", "\"1e-1\" is not a valid time.\n    frame.time_relative > 1e-1\n                          ^~~~"],
  ["frame.time_relative > \"0.1\"", "Time offset cannot be converted from a string (\"0.1\").\n    frame.time_relative > \"0.1\"\n                          ^~~~~"],
  ["ip.addr == 10.99.0.1/33", "Netmask bits in a CIDR IPv4 address should be <= 32, not 33\n    ip.addr == 10.99.0.1/33\n               ^~~~~~~~~~~~"],
  ["ip.addr == 10.99/16", "\"10.99\" is not a valid hostname or IPv4 address.\n    ip.addr == 10.99/16\n               ^~~~~"],
  ["ipv6.addr == fd00::/129", "Prefix in a IPv6 address should be <= 128, not 129\n    ipv6.addr == fd00::/129\n                 ^~~~~~~~~~"],
  ["ipv6.src == xyz", "\"xyz\" is not a valid hostname or IPv6 address.\n    ipv6.src == xyz\n                ^~~"],
  ["eth.src == xyz", "\"xyz\" is not a valid Ethernet address.\n    eth.src == xyz\n               ^~~"],
  ["eth.src == 00:11", "\"00:11\" contains too few bytes to be a valid Ethernet address.\n    eth.src == 00:11\n               ^~~~~"],
  ["tcp.payload == xyz", "\"xyz\" is not a valid byte string.\n    tcp.payload == xyz\n                   ^~~"],
  ["tcp.payload == 0x4142", "\"0x4142\" is not a valid byte string.\n    tcp.payload == 0x4142\n                   ^~~~~~"],
  ["frame.time > xyz", "\"xyz\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\"\n    frame.time > xyz\n                 ^~~"],
  ["ip.src == \"10.99.0.1\"", "IPv4 address cannot be converted from a string (\"10.99.0.1\").\n    ip.src == \"10.99.0.1\"\n              ^~~~~~~~~~~"],
  ["tcp.srcport contains 1", "tcp.srcport (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.\n    tcp.srcport contains 1\n    ^~~~~~~~~~~"],
  ["tcp.srcport matches \"1\"", "tcp.srcport (type=Unsigned integer (2 bytes)) cannot participate in matches comparison.\n    tcp.srcport matches \"1\"\n    ^~~~~~~~~~~"],
  ["tcp.payload matches abc", "Matches requires a double quoted string on the right side.\n    tcp.payload matches abc\n                        ^~~"],
  ["tcp.analysis.retransmission == 1", "tcp.analysis.retransmission (type=Label) cannot participate in == comparison.\n    tcp.analysis.retransmission == 1\n    ^~~~~~~~~~~~~~~~~~~~~~~~~~~"],
  ["tcp.analysis.retransmission eq 1", "tcp.analysis.retransmission (type=Label) cannot participate in eq comparison.\n    tcp.analysis.retransmission eq 1\n    ^~~~~~~~~~~~~~~~~~~~~~~~~~~"],
  ["1 == 1", "Left side of \"==\" expression must be a field or function, not 1.\n    1 == 1\n    ^"],
  ["80 == tcp.port", "Left side of \"==\" expression must be a field or function, not 80.\n    80 == tcp.port\n    ^~"],
  ["1 + tcp.len == 3", "Constant arithmetic expression on the LHS is invalid.\n    1 + tcp.len == 3\n    ^"],
  ["tcp.port == 20000 == 20000", "Left side of \"==\" expression must be a field or function, not 20000.\n    tcp.port == 20000 == 20000\n                ^~~~~"],
  ["frame.len-1 == 67", "Left side of \"==\" expression must be a field or function, not frame.len-1.\n    frame.len-1 == 67\n    ^~~~~~~~~~~"],
  ["tcp.port[0] == 00", "\"tcp.port\" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.\n    tcp.port[0] == 00\n    ^~~~~~~~"],
  ["frame.protocols == tcp", "frame.protocols and tcp are not of compatible types.\n    frame.protocols == tcp\n                       ^~~"],
  ["string(tcp.payload) == \"AB\"", "String conversion for field \"tcp.payload\" is not supported\n    string(tcp.payload) == \"AB\"\n           ^~~~~~~~~~~"],
  ["upper(tcp.port) == 1", "Only string type fields can be used as parameter for upper()\n    upper(tcp.port) == 1\n          ^~~~~~~~"],
  ["abs(ip.src) == 1", "'ip.src' is not a valid argument to 'abs'()\n    abs(ip.src) == 1\n        ^~~~~~"],
  ["len(1) == 1", "Only fields can be used as parameter for len()\n    len(1) == 1\n        ^"],
  ["len() == 1", "Function len needs at least 1 arguments.\n    len() == 1\n    ^~~"],
  ["len(tcp.port, tcp.port) == 1", "Function len can only accept 1 arguments.\n    len(tcp.port, tcp.port) == 1\n    ^~~"],
  ["tcp.port == \"\\q\"", "\\q is not a valid character escape sequence\n    tcp.port == \"\\q\"\n                 ^~"],
  ["frame.protocols contains \"\\400\"", "\\400 is larger than 255.\n    frame.protocols contains \"\\400\"\n                              ^~~~"],
  ["frame.protocols contains 'ab'", "'ab' is too long to be a valid character constant.\n    frame.protocols contains 'ab'\n                             ^~~~"],
  ["frame.len > '", "The final quote was missing from a character constant.\n    frame.len > '\n                 ^"],
  ["ip.src#x", "Expected digit or \"[\", not \"x\"\n    ip.src#x\n           ^"],
  ["nosuch#1", "nosuch is not a valid field\n    nosuch#1\n    ^~~~~~"],
  ["eth.src[x] == 01", "\"x\" is not a valid number.\n    eth.src[x] == 01\n            ^"],
  ["eth.src[0:0] == 01", "Range 0:0 isn't valid because length 0 isn't positive\n    eth.src[0:0] == 01\n            ^~~"],
  ["tcp.port == é", "Non-printable ASCII characters may only appear inside double-quotes.\n    tcp.port == é\n                ^"],
  ["()", "\")\" was unexpected in this context.\n    ()\n     ^"],
  ["tcp.port == 20000 or", "Unexpected end of filter expression."],
  ["and tcp", "\"and\" was unexpected in this context.\n    and tcp\n    ^~~"],
  ["tcp tcp", "\"tcp\" was unexpected in this context.\n    tcp tcp\n        ^~~"],
  ["tcp.port == == 1", "\"==\" was unexpected in this context.\n    tcp.port == == 1\n                ^~"],
  ["tcp.port = 1", "\"=\" was unexpected in this context.\n    tcp.port = 1\n             ^"],
  ["tcp.port ! 1", "\"1\" was unexpected in this context.\n    tcp.port ! 1\n               ^"],
  ["tcp.port in {}", "\"}\" was unexpected in this context.\n    tcp.port in {}\n                 ^"],
  ["tcp.port in 80", "\"80\" was unexpected in this context.\n    tcp.port in 80\n                ^~"],
  ["tcp.port in {80,}", "\"}\" was unexpected in this context.\n    tcp.port in {80,}\n                    ^"],
  ["all tcp", "Unexpected end of filter expression."],
  ["tcp xor arp", "\"xor\" was unexpected in this context.\n    tcp xor arp\n        ^~~"],
  ["tcp ^^ arp", "\"^\" was unexpected in this context.\n    tcp ^^ arp\n        ^"],
  ["10.0.0.1", "10.0.0.1 is neither a field nor a protocol name.\n    10.0.0.1\n    ^~~~~~~~"],
  ["\"abc\"", "\"abc\" is neither a field nor a protocol name.\n    \"abc\"\n    ^~~~~"],
  ["tcp.port == a:b", "\":b\" was unexpected in this context.\n    tcp.port == a:b\n                 ^~"],
  ["tcp.port == 0a:", "\":\" was unexpected in this context.\n    tcp.port == 0a:\n                  ^"],
  ["tcp.port == 1:2:3", "\":2\" was unexpected in this context.\n    tcp.port == 1:2:3\n                 ^~"],
  ["tcp.port == 08", "\"08\" is not a valid number.\n    tcp.port == 08\n                ^~"],
  ["tcp.port == 0b2", "\"0b2\" is not a valid number.\n    tcp.port == 0b2\n                ^~~"],
  ["tcp.port == abc.", "\".\" was unexpected in this context.\n    tcp.port == abc.\n                   ^"],
  ["frame.protocols == eth:ethertype:ip:tcp", "\":e\" was unexpected in this context.\n    frame.protocols == eth:ethertype:ip:tcp\n                          ^~"],
  ["ip.proto == tcp", "ip.proto and tcp are not of compatible types.\n    ip.proto == tcp\n                ^~~"],
  ["ip.ttl == \"x\"", "Unsigned integer (1 byte) cannot be converted from a string (\"x\").\n    ip.ttl == \"x\"\n              ^~~"],
  ["tcp.window_size_scalefactor == 3000000000", "\"3000000000\" too big for this field, maximum 2147483647.\n    tcp.window_size_scalefactor == 3000000000\n                                   ^~~~~~~~~~"],
  ["eth.src == \"abc\"", "Ethernet or other MAC address cannot be converted from a string (\"abc\").\n    eth.src == \"abc\"\n               ^~~~~"],
  ["frame.time_delta == \"x\"", "Time offset cannot be converted from a string (\"x\").\n    frame.time_delta == \"x\"\n                        ^~~"],
  ["ip.src == 10", "\"10\" is not a valid hostname or IPv4 address.\n    ip.src == 10\n              ^~"],
  ["tcp.len == 2.0", "\"2.0\" is not a valid number.\n    tcp.len == 2.0\n               ^~~"],
  ["tcp.payload matches \"(\"", "Regex compilation error: missing closing parenthesis."],
  ["len(tcp.payload)", "You cannot test whether a function is present.\n    len(tcp.payload)\n    ^~~"],
  ["tcp && count(tcp.port)", "You cannot test whether a function is present.\n    tcp && count(tcp.port)\n           ^~~~~"],
  ["\"abc\" contains \"a\"", "Left side of contains expression must be a field or function, not \"abc\".\n    \"abc\" contains \"a\"\n    ^~~~~"],
  ["1 in {1}", "Only a field may be tested for membership in a set.\n    1 in {1}\n    ^"],
  ["\"a\" eq tcp.port", "Left side of \"eq\" expression must be a field or function, not \"a\".\n    \"a\" eq tcp.port\n    ^~~"],
  ["\"abc\" matches \"a\"", "Left side of matches expression must be a field or function, not \"abc\".\n    \"abc\" matches \"a\"\n    ^~~~~"],
  ["\"a\" ~ \"a\"", "Left side of ~ expression must be a field or function, not \"a\".\n    \"a\" ~ \"a\"\n    ^~~"],
  ["nosuch all_ne 1", "Left side of \"all_ne\" expression must be a field or function, not nosuch.\n    nosuch all_ne 1\n    ^~~~~~"],
  ["tcp.window_size_value * 2 > 70000", "\"70000\" too big for this field, maximum 65535.\n    tcp.window_size_value * 2 > 70000\n                                ^~~~~"],
  ["frame.protocols ~ \"(?-i)(a\"", "Regex compilation error: missing closing parenthesis."],
  ["tcp.port == ${tcp.port}", "OK"],
  ["@tcp.port == 1", "\"@\" was unexpected in this context.\n    @tcp.port == 1\n    ^"],
  ["ip.src/24 == ip.dst/24", "FT_IPv4 cannot /.\n    ip.src/24 == ip.dst/24\n    ^~~~~~"],
  ["count(tcp.port[0:1]) == 1", "Only fields can be used as parameter for count()"],
  ["${tcp.port}", "tcp.port <FT_UINT16> is neither a field nor a protocol name.\n    ${tcp.port}\n      ^~~~~~~~"],
  ["${nosuch}", "macro 'nosuch' does not exist"],
  ["tcp.port == ${ tcp.port }", "invalid character in macro name"],
  ["tcp.port == $tcp.port", "\"tcp.port\" was unexpected in this context.\n    tcp.port == $tcp.port\n                 ^~~~~~~~"],

  ];

  it.each(TSHARK_ERRORS)('%j is accepted or rejected as by tshark', (filter, expected) => {
    let out = 'OK';
    try {
      compileFilter(filter);
    } catch (e) {
      out = formatFilterError(filter, e);
    }
    expect(out).toBe(expected);
  });
});
