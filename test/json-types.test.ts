// JSON schema 2: one JSON type per key. Every fixture, test input and shared/corpus capture (the
// corpus only when ../shared/corpus is there) is dissected in-process and printed as -T jsonl; a
// key path (array items at `path[]`) that has two JSON types in two packets (null aside) fails the
// test, with where each type was seen. The arrays come from declarations (FieldDef.repeats), so a
// second test holds the declarations to the captures: every field that occurs twice in one layer,
// and every protocol whose layer occurs twice at one level, must be declared repeating.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FieldDef, FieldNode } from '../src/core/field.js';
import { Engine } from '../src/dissect/engine.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';
import { allCaptures, E_HIDDEN, eachJson, keyTypes, mixedPaths } from './helpers/json-packets.js';
import { CORPUS } from './helpers/reference.js';

const FILES = allCaptures();
const corpusNote = existsSync(CORPUS) ? '' : ' (shared/corpus absent: fixtures and test inputs only)';

describe('one JSON type per key path, over every capture' + corpusNote, () => {
  it('the whole tree (-T jsonl)', async () => {
    const types = new Map<string, Map<string, string>>();
    const n = await eachJson(FILES, null, (o, where) => keyTypes(o, where, types));
    expect(mixedPaths(types)).toEqual([]);
    expect(n).toBeGreaterThan(existsSync(CORPUS) ? 12000 : 3000);
    // the keys that were mixed before schema 2 are there, as arrays
    for (const p of ['.tcp.option_len', '.tcp.options.nop', '.tcp.options.sack_le', '.ipv6[].dstopts.nxt', '.icmpv6.opt.type']) expect([...types.get(p)!.keys()], p).toEqual(['array']);
    expect([...types.get('.ip')!.keys()]).toEqual(['array']);
    expect([...types.get('.tcp.seq')!.keys()]).toEqual(['number']);
  }, 120_000);

  it('an -e list of hidden, repeating and layer fields', async () => {
    const types = new Map<string, Map<string, string>>();
    await eachJson(FILES, E_HIDDEN, (o, where) => keyTypes(o, where, types));
    expect(mixedPaths(types)).toEqual([]);
    expect([...types.get('.tcp.port')!.keys()]).toEqual(['array']);
    expect([...types.get('.ip[].addr')!.keys()]).toEqual(['array']);
  }, 120_000);
});

/** occurrences of each field in each layer, and of each protocol's layers at one level */
function countRepeats(nodes: FieldNode[], c: Map<FieldDef, number>): void {
  for (const n of nodes) {
    c.set(n.def, (c.get(n.def) ?? 0) + 1);
    if (n.children) countRepeats(n.children, c);
  }
}

it('the registry declares every field and layer that occurs more than once in a capture' + corpusNote, async () => {
  const undeclared = new Map<string, string>();
  const note = (d: FieldDef, n: number, where: string) => {
    if (n > 1 && !d.repeats && d.type !== 'none' && d.abbrev !== 'text' && !undeclared.has(d.abbrev)) undeclared.set(d.abbrev, where);
  };
  let repeated = 0;
  for (const f of FILES) {
    const engine = new Engine({ full: true, texts: false });
    try {
      for await (const rec of await openCapture(f)) {
        const p = engine.dissect(rec);
        const where = `${f.split('/').pop()}#${rec.num}`;
        // layers at one level: the outer ones, and the ones quoted in each outer layer
        let outer = new Map<FieldDef, number>();
        let inner = new Map<FieldDef, number>();
        for (const L of p.layers) {
          const level = L.inner ? inner : outer;
          level.set(L.def, (level.get(L.def) ?? 0) + 1);
          if (!L.inner) inner = new Map();
          const c = new Map<FieldDef, number>();
          countRepeats(L.fields, c);
          for (const [d, n] of c) {
            note(d, n, where);
            if (n > 1 && d.repeats) repeated++;
          }
          for (const [d, n] of inner) note(d, n, where);
        }
        for (const [d, n] of outer) note(d, n, where);
        outer = new Map();
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
    }
  }
  expect([...undeclared].map(([a, w]) => `${a} (${w})`)).toEqual([]);
  expect(repeated).toBeGreaterThan(1000);
}, 120_000);
