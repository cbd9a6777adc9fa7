#!/usr/bin/env node
// Differences between minishark and tshark per field over many captures, with one example each.
// Usage: node scripts/diff-summary.mjs FIELDS_COMMA_SEPARATED FILE...   (build first: npm run build)
import { compareFields } from './tshark-diff.mjs';

const [fieldsArg, ...files] = process.argv.slice(2);
if (!fieldsArg || !files.length) {
  console.error('usage: node scripts/diff-summary.mjs field1,field2,... FILE...');
  process.exit(2);
}
const fields = fieldsArg.split(',');
const per = new Map();
let compared = 0;
let equal = 0;
for (const f of files) {
  const r = compareFields(f, fields);
  compared += r.compared;
  equal += r.equal;
  for (const d of r.diffs) {
    const e = per.get(d.field) ?? { n: 0, files: new Set(), ex: `${f} frame ${d.frame}: tshark=${JSON.stringify(d.tshark)} minishark=${JSON.stringify(d.minishark)}` };
    e.n++;
    e.files.add(f);
    per.set(d.field, e);
  }
}
for (const [k, v] of [...per].sort((a, b) => b[1].n - a[1].n)) console.log(`${k}\t${v.n} cells in ${v.files.size} files\te.g. ${v.ex.slice(0, 300)}`);
console.log(`${equal}/${compared} cells equal`);
