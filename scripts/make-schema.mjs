#!/usr/bin/env node
// Writes schema/minishark.schema.json from the field registry (src/output/json-schema.ts, built
// into dist/): run `npm run build && node scripts/make-schema.mjs` after declaring or changing
// fields. test/json-schema.test.ts fails when the file is not what this writes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { jsonSchema } = await import(path.join(ROOT, 'dist/output/json-schema.js'));
const out = path.join(ROOT, 'schema/minishark.schema.json');
writeFileSync(out, JSON.stringify(jsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(ROOT, out)}`);
