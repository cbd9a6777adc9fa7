#!/usr/bin/env node
// Long fuzz runs over the dissectors and readers (the same properties as test/fuzz.test.ts).
// Usage: npm run fuzz -- [--runs N] [--seed S]
//   Each failure (an exception, a field outside its bytes, a reader that does not end) is saved under
//   test/fuzz-regressions/ with the seed and input, to be turned into a regression test.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../dist/dissect/engine.js';
import { packetViolations } from '../dist/fuzz/invariants.js';
import { CaptureError } from '../dist/io/errors.js';
import { openCapture } from '../dist/io/reader.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const RUNS = opt('--runs', 100000);
let seed = opt('--seed', Date.now() % 2 ** 31) >>> 0;
const startSeed = seed;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n) => Math.floor(rnd() * n);

const FIX = path.join(root, 'fixtures');
const REG = path.join(root, 'test', 'fuzz-regressions');
const files = readdirSync(FIX).filter((f) => /\.pcap(ng)?$/.test(f));
const frames = [];
for (const f of files) {
  for await (const r of await openCapture(path.join(FIX, f))) frames.push({ ...r, data: new Uint8Array(r.data) });
}
const fileBytes = files.map((f) => readFileSync(path.join(FIX, f)));
const LINKTYPES = [0, 1, 101, 108, 113, 228, 229, 276, 147];

let failures = 0;
function fail(kind, input, detail) {
  failures++;
  mkdirSync(REG, { recursive: true });
  const name = `${kind}-${startSeed}-${failures}`;
  writeFileSync(path.join(REG, `${name}.bin`), input);
  writeFileSync(path.join(REG, `${name}.json`), JSON.stringify({ kind, detail, seed: startSeed }, null, 2));
  console.error(`FAIL ${kind}: ${detail} (saved test/fuzz-regressions/${name}.bin)`);
}

function mutate(b) {
  const c = new Uint8Array(b);
  const n = 1 + int(6);
  for (let i = 0; i < n; i++) if (c.length) c[int(c.length)] = int(256);
  if (rnd() < 0.3) return c.subarray(0, int(c.length + 1));
  return c;
}

let dissected = 0;
let readerRuns = 0;
const t0 = Date.now();
const engines = [new Engine({ full: true }), new Engine({ full: false, columns: true })];
for (let i = 0; i < RUNS; i++) {
  const mode = int(10);
  if (mode < 8) {
    // dissectors: a mutated real frame, or random bytes under a link type
    let rec;
    if (mode < 5) {
      const src = frames[int(frames.length)];
      const data = mutate(src.data);
      rec = { ...src, data, capLen: data.length, origLen: Math.max(src.origLen, data.length) };
    } else {
      const data = new Uint8Array(int(200));
      for (let k = 0; k < data.length; k++) data[k] = int(256);
      rec = { num: i + 1, ts: { sec: 1, nsec: 0 }, tsPrec: 6, capLen: data.length, origLen: data.length, linkType: LINKTYPES[int(LINKTYPES.length)], interfaceId: -1, data, fileOffset: 0 };
    }
    try {
      const pkt = engines[i & 1].dissect(rec);
      const v = packetViolations(pkt);
      if (v.length) fail('dissect', rec.data, `linktype ${rec.linkType}: ${v[0]}`);
    } catch (e) {
      fail('dissect', rec.data, `linktype ${rec.linkType}: threw ${e?.stack ?? e}`);
    }
    dissected++;
  } else {
    // readers: a mutated file (headers and lengths are in the first KB) or a truncated one
    const b = Buffer.from(fileBytes[int(fileBytes.length)]);
    const n = 1 + int(4);
    for (let k = 0; k < n; k++) b[int(Math.min(b.length, 1024))] = int(256);
    const input = rnd() < 0.3 ? b.subarray(0, int(b.length)) : b;
    let count = 0;
    try {
      for await (const r of await openCapture(input, { chunkSize: 1 + int(4096) })) {
        if (r.data.length !== r.capLen) throw new Error('data length differs from capLen');
        if (++count > 100000) throw new Error('reader does not end');
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) fail('reader', input, String(e?.stack ?? e));
    }
    readerRuns++;
  }
  if ((i + 1) % 100000 === 0) console.error(`${i + 1} inputs, ${failures} failures, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(`fuzz: seed ${startSeed}: ${dissected} dissector inputs and ${readerRuns} reader inputs in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${failures} failures`);
process.exit(failures ? 1 : 0);
