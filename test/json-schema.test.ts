// The JSON Schema file (schema/minishark.schema.json) is generated from the field registry
// (src/output/json-schema.ts, written by scripts/make-schema.mjs). These tests hold the file to the
// registry, and validate every JSON object of every fixture, test input and shared/corpus capture
// against it with ajv (JSON Schema draft 2020-12), in full and in an -e form.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../src/output/json-schema.js';
import { allCaptures, E_HIDDEN, eachJson } from './helpers/json-packets.js';
import { CORPUS, ROOT } from './helpers/reference.js';

const FILE = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'minishark.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: false, strict: true, strictTypes: false });
ajv.addKeyword('x-minishark-key-rules');
const validate = ajv.compile(FILE);
const errorsOf = (o: unknown): string | null => (validate(o) ? null : ajv.errorsText(validate.errors));

it('the schema file is what the field registry makes (run scripts/make-schema.mjs after changing fields)', () => {
  expect(FILE).toEqual(jsonSchema());
});

describe('every JSON object conforms to the schema' + (existsSync(CORPUS) ? '' : ' (shared/corpus absent: fixtures and test inputs only)'), () => {
  const files = allCaptures();
  it.each([
    ['the whole tree', null],
    ['an -e list', E_HIDDEN],
  ] as const)('%s', async (_name, fields) => {
    const bad: string[] = [];
    const n = await eachJson(files, fields ? [...fields] : null, (o, where) => {
      const e = errorsOf(o);
      if (e && bad.length < 10) bad.push(`${where}: ${e}`);
    });
    expect(bad).toEqual([]);
    expect(n).toBeGreaterThan(3000);
  }, 120_000);
});

describe('the schema rejects what schema 2 forbids', () => {
  const ok = { schema: 2, frame: { number: 1 }, eth: [{ src: { _value: '02:00:0a:63:00:01', lg: false } }], ip: [{ src: '10.0.0.1', ttl: 64 }], tcp: { seq: 1, option_kind: [2], flags: { _value: 2, syn: true } } };
  it('accepts a well-formed packet', () => {
    expect(errorsOf(ok)).toBeNull();
  });
  it.each([
    ['schema 1', { ...ok, schema: 1 }],
    ['a repeating field as a plain value', { ...ok, tcp: { option_kind: 2 } }],
    ['a repeating layer as an object', { ...ok, ip: { src: '10.0.0.1' } }],
    ['a single field as an array', { ...ok, tcp: { seq: [1] } }],
    ['an unknown key', { ...ok, tcp: { no_such_field: 1 } }],
    ['a flag below a plain value', { ...ok, tcp: { ack: { nonzero: true } } }],
    ['a value of the wrong type', { ...ok, frame: { number: '1' } }],
    ['a time as a float', { ...ok, frame: { time_relative: 0.5 } }],
    ['a bad expert item', { ...ok, _ws: { expert: [{ field: 'x' }] } }],
  ])('rejects %s', (_name, o) => {
    expect(errorsOf(o)).not.toBeNull();
  });
});
