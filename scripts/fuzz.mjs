#!/usr/bin/env node
// Long fuzz runs over the dissectors, the readers and the whole pipeline (the properties of
// test/fuzz.test.ts and test/cli-fuzz.test.ts, for longer).
//
//   npm run fuzz -- [--runs N] [--seed S] [--e2e-share F]
//
// Inputs (seeded: the same seed gives the same inputs):
//   dissect  a real fixture frame with structure-aware mutations (byte flips, "interesting" values
//            at any offset, header nibbles, 16-bit length fields, insertions, deletions, a range
//            repeated up to 1,000 times — nested tags, extension-header chains —, splices with another
//            frame, truncation, a snaplen cut), or random bytes under a link type; two long-lived
//            engines (full tree / columns only) so the TCP tracker and IP reassembly keep state
//            across inputs, as they do over a capture
//   reader   a fixture file with mutated headers and record/block length fields, truncated anywhere,
//            read with a random chunk size
//   e2e      a mutated fixture file through reader → fresh engine → one output mode (summary, -V, -x,
//            -T fields, json, jsonl) → a -Y filter → a -z tap, as the CLI does it
// Failures: an exception (anything but a CaptureError from a reader), a packet invariant broken
// (src/fuzz/invariants.ts: fields outside their bytes, a "dissector failure" turned into
// [Malformed Packet], non-finite values…), a reader that does not end or yields a record whose
// bytes differ from its caplen, JSON output that does not parse, an input that takes far too long (SLOW_MS).
// Each failure is saved under test/fuzz-regressions/ (input + JSON with the seed and the detail),
// to become a regression test.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../dist/dissect/engine.js';
import { compileFilter } from '../dist/filter/index.js';
import { packetViolations } from '../dist/fuzz/invariants.js';
import { CaptureError } from '../dist/io/errors.js';
import { openCapture } from '../dist/io/reader.js';
import { DEFAULT_FIELDS_OPTIONS } from '../dist/output/fields.js';
import { makeOutput } from '../dist/output/printer.js';
import { drawStats, parseStats, statFields } from '../dist/stats/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const RUNS = opt('--runs', 100000);
const E2E_SHARE = opt('--e2e-share', 0.02);
// a hang shows as an input that takes far longer than its kind should: one frame 2 s; a whole file
// through every stage 15 s (io,stat,0.01 over a mutated timestamp fills its 1,000,000-row limit)
const SLOW_MS = { dissect: 2000, reader: 5000, e2e: 15000 };
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
const pick = (a) => a[int(a.length)];

const FIX = path.join(root, 'fixtures');
const REG = path.join(root, 'test', 'fuzz-regressions');
const files = readdirSync(FIX).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f));
const frames = [];
for (const f of files) {
  for await (const r of await openCapture(path.join(FIX, f))) frames.push({ ...r, data: new Uint8Array(r.data) });
}
const fileBytes = files.map((f) => readFileSync(path.join(FIX, f)));
const plainFiles = fileBytes.filter((b, i) => !files[i].endsWith('.gz'));
const LINKTYPES = [0, 1, 101, 108, 113, 228, 229, 276, 147, 9999];

let failures = 0;
function fail(kind, input, detail) {
  failures++;
  mkdirSync(REG, { recursive: true });
  const name = `${kind}-${startSeed}-${failures}`;
  writeFileSync(path.join(REG, `${name}.bin`), input);
  writeFileSync(path.join(REG, `${name}.json`), JSON.stringify({ kind, detail, seed: startSeed }, null, 2));
  console.error(`FAIL ${kind}: ${String(detail).split('\n').slice(0, 4).join(' | ')} (saved test/fuzz-regressions/${name}.bin)`);
}

// ---------------------------------------------------------------- frame mutations
const INTERESTING8 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0f, 0x10, 0x11, 0x1f, 0x20, 0x3f, 0x40, 0x41, 0x44, 0x45, 0x46, 0x4f, 0x60, 0x7f, 0x80, 0x81, 0xfe, 0xff];
const INTERESTING16 = [0, 1, 2, 4, 8, 19, 20, 21, 39, 40, 60, 0x7ff, 0x800, 0x806, 0x8100, 0x86dd, 0x88a8, 0x9100, 0x7fff, 0x8000, 0xfffe, 0xffff];
function concat(...parts) {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function randomBytes(n) {
  const b = new Uint8Array(n);
  for (let k = 0; k < n; k++) b[k] = int(256);
  return b;
}
function mutateFrame(src) {
  let c = new Uint8Array(src);
  const steps = 1 + int(3);
  for (let s = 0; s < steps; s++) {
    const len = c.length;
    const pos = len ? int(len) : 0;
    switch (int(10)) {
      case 0: // byte flips
        for (let n = 1 + int(6); n > 0 && len; n--) c[int(len)] = int(256);
        break;
      case 1: // an interesting byte value
        if (len) c[pos] = pick(INTERESTING8);
        break;
      case 2: // a header nibble (IHL, data offset, version)
        if (len) c[pos] = rnd() < 0.5 ? (c[pos] & 0xf0) | int(16) : (int(16) << 4) | (c[pos] & 15);
        break;
      case 3: // a 16-bit length/type field, big or little endian, sometimes near the real length
        if (len > 1) {
          const p = Math.min(pos, len - 2);
          let v = rnd() < 0.5 ? pick(INTERESTING16) : (len - p + int(9) - 4) & 0xffff;
          if (rnd() < 0.5) [c[p], c[p + 1]] = [v >> 8, v & 255];
          else [c[p], c[p + 1]] = [v & 255, v >> 8];
        }
        break;
      case 4: // insert random bytes
        c = concat(c.subarray(0, pos), randomBytes(1 + int(16)), c.subarray(pos));
        break;
      case 5: // delete a range
        c = concat(c.subarray(0, pos), c.subarray(Math.min(len, pos + 1 + int(16))));
        break;
      case 6: {
        // repeat a range (nested tags, header chains): 2..1000 copies of 2..40 bytes
        const w = Math.min(len - pos, 2 + int(39));
        if (w > 0) {
          const piece = c.slice(pos, pos + w);
          const k = rnd() < 0.2 ? 1 + int(1000) : 1 + int(30);
          const parts = [c.subarray(0, pos)];
          for (let i = 0; i < k; i++) parts.push(piece);
          parts.push(c.subarray(pos));
          c = concat(...parts);
        }
        break;
      }
      case 7: {
        // splice: our head, another frame's tail
        const o = pick(frames).data;
        c = concat(c.subarray(0, pos), o.subarray(int(o.length + 1)));
        break;
      }
      case 8: // truncate
        c = c.subarray(0, int(len + 1));
        break;
      default: // extend
        c = concat(c, randomBytes(1 + int(64)));
    }
  }
  return c;
}

// ---------------------------------------------------------------- file mutations
/** offsets of the length-bearing header fields of a pcap / pcapng file */
function lengthFields(b) {
  const out = [];
  if (b.length < 24) return out;
  const m = b.readUInt32LE(0);
  if (m === 0xa1b2c3d4 || m === 0xa1b23c4d || m === 0xd4c3b2a1 || m === 0x4d3cb2a1) {
    const le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
    out.push({ at: 16, w: 4, le }, { at: 20, w: 4, le });
    for (let o = 24, n = 0; o + 16 <= b.length && n < 400; n++) {
      out.push({ at: o + 8, w: 4, le }, { at: o + 12, w: 4, le });
      const cl = le ? b.readUInt32LE(o + 8) : b.readUInt32BE(o + 8);
      o += 16 + cl;
    }
  } else if (m === 0x0a0d0d0a) {
    let le = true;
    for (let o = 0, n = 0; o + 12 <= b.length && n < 400; n++) {
      if (b.readUInt32LE(o) === 0x0a0d0d0a) le = b.readUInt32LE(o + 8) === 0x1a2b3c4d;
      const type = le ? b.readUInt32LE(o) : b.readUInt32BE(o);
      const tl = le ? b.readUInt32LE(o + 4) : b.readUInt32BE(o + 4);
      out.push({ at: o + 4, w: 4, le });
      if (tl >= 12 && o + tl <= b.length) out.push({ at: o + tl - 4, w: 4, le });
      if (type === 6) out.push({ at: o + 8, w: 4, le }, { at: o + 20, w: 4, le }, { at: o + 24, w: 4, le });
      if (type === 1) out.push({ at: o + 8, w: 2, le }, { at: o + 12, w: 4, le });
      if (type === 3) out.push({ at: o + 8, w: 4, le });
      if (tl < 12 || tl % 4) break;
      o += tl;
    }
  }
  return out;
}
const INTERESTING32 = [0, 1, 4, 8, 11, 12, 13, 16, 20, 24, 28, 0x7f, 0xff, 0xffff, 0x10000, 0x40000, 0x40001, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];
function mutateFile(orig) {
  const b = Buffer.from(orig);
  const fields = lengthFields(b);
  const steps = 1 + int(4);
  for (let s = 0; s < steps; s++) {
    const r = int(4);
    if (r === 0 && fields.length) {
      const f = pick(fields);
      if (f.at + f.w > b.length) continue;
      const cur = f.w === 4 ? (f.le ? b.readUInt32LE(f.at) : b.readUInt32BE(f.at)) : f.le ? b.readUInt16LE(f.at) : b.readUInt16BE(f.at);
      let v = rnd() < 0.5 ? pick(INTERESTING32) : cur + int(17) - 8;
      v = f.w === 4 ? v >>> 0 : v & 0xffff;
      if (f.w === 4) f.le ? b.writeUInt32LE(v, f.at) : b.writeUInt32BE(v, f.at);
      else f.le ? b.writeUInt16LE(v, f.at) : b.writeUInt16BE(v, f.at);
    } else if (r === 1) {
      b[int(Math.min(b.length, 1024))] = int(256); // the headers are in the first KB
    } else if (r === 2) {
      b[int(b.length)] = rnd() < 0.5 ? pick(INTERESTING8) : int(256); // anywhere: packet bytes too
    } else {
      const at = int(b.length);
      b[at] ^= 1 << int(8);
    }
  }
  return rnd() < 0.3 ? b.subarray(0, int(b.length + 1)) : b;
}

async function readAll(input, chunkSize) {
  let count = 0;
  try {
    for await (const r of await openCapture(input, { chunkSize })) {
      if (r.data.length !== r.capLen) throw new Error(`record ${r.num}: ${r.data.length} data bytes for caplen ${r.capLen}`);
      if (r.capLen > 64 * 262144) throw new Error(`record ${r.num}: caplen ${r.capLen} over the bound`);
      if (++count > 100000) throw new Error('reader does not end');
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  return count;
}

// ---------------------------------------------------------------- end to end (the CLI's pipeline)
const MODES = [
  { format: 'text' },
  { format: 'text', details: true },
  { format: 'text', hex: true },
  { format: 'text', details: true, hex: true },
  { format: 'fields', fields: ['frame.number', 'frame.protocols', 'eth.src', 'ip.src', 'ip.len', 'ipv6.nxt', 'tcp.seq', 'tcp.len', 'tcp.analysis.flags', 'udp.length', '_ws.col.Info', '_ws.expert.message', 'data.data'] },
  { format: 'json' },
  { format: 'jsonl' },
  { format: 'json', fields: ['ip.src', 'tcp.stream', 'tcp.options'] },
];
const FILTERS = [null, null, 'tcp', 'ip.len > 40 || ipv6', 'tcp.analysis.flags', '_ws.malformed', 'frame contains 41:42', 'tcp.port in {20000, 80}'];
const TAPS = [[], ['conv,tcp'], ['io,phs'], ['expert'], ['endpoints,ip'], ['io,stat,0.01'], ['conv,ip', 'conv,udp'], ['follow,tcp,ascii,0'], ['flow,tcp']];
const fakeStdout = { isTTY: false };
let e2eWhat = '';

async function endToEnd(input) {
  const mode = pick(MODES);
  const output = makeOutput({
    format: mode.format,
    details: !!mode.details,
    only: null,
    hex: !!mode.hex,
    fields: mode.fields ?? [],
    fieldsOptions: { ...DEFAULT_FIELDS_OPTIONS },
    color: rnd() < 0.2 ? 'always' : 'never',
    quiet: false,
    stdout: fakeStdout,
    env: {},
    width: 60 + int(100),
  });
  const ftext = pick(FILTERS);
  const filter = ftext ? compileFilter(ftext) : null;
  const stats = parseStats(pick(TAPS), { compileFilter, width: 100, height: 30 });
  e2eWhat = `${mode.format}${mode.details ? ' -V' : ''}${mode.hex ? ' -x' : ''} -Y ${ftext} -z ${stats.map((s) => s.arg).join(' ')}`;
  const engine = new Engine({
    full: output.full || (filter?.needsFull ?? false) || stats.some((s) => s.needsFull),
    fields: [...output.fields, ...(filter?.fields ?? []), ...statFields(stats)],
    columns: output.columns || stats.some((s) => s.needsColumns),
  });
  const chunks = [output.header()];
  let n = 0;
  try {
    for await (const rec of await openCapture(input, { chunkSize: 1 + int(8192) })) {
      const pkt = engine.dissect(rec);
      const v = packetViolations(pkt);
      if (v.length) throw new Error(`frame ${rec.num}: ${v[0]}`);
      for (const s of stats) s.packet(pkt);
      if (filter && !filter.matches(pkt)) continue;
      engine.displayed(pkt);
      chunks.push(output.packet(pkt));
      if (++n > 100000) throw new Error('does not end');
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  chunks.push(output.footer());
  const text = chunks.join('');
  if (mode.format === 'json') JSON.parse(text);
  if (mode.format === 'jsonl') for (const line of text.split('\n')) if (line) JSON.parse(line);
  const taps = [];
  drawStats(stats, (s) => taps.push(s));
}

// ---------------------------------------------------------------- the run
const counts = { dissect: 0, reader: 0, e2e: 0 };
const t0 = Date.now();
const engines = [new Engine({ full: true }), new Engine({ full: false, columns: true })];
let maxHeap = 0;
for (let i = 0; i < RUNS; i++) {
  const r = rnd();
  const t = performance.now();
  let kind;
  let input;
  let what = '';
  try {
    if (r < E2E_SHARE) {
      kind = 'e2e';
      input = mutateFile(pick(plainFiles));
      e2eWhat = '';
      try {
        await endToEnd(input);
      } finally {
        what = e2eWhat;
      }
    } else if (r < E2E_SHARE + 0.15) {
      kind = 'reader';
      input = rnd() < 0.9 ? mutateFile(pick(plainFiles)) : Buffer.from(pick(fileBytes).subarray(0, int(2000)));
      what = `chunk`;
      await readAll(input, 1 + int(4096));
    } else {
      kind = 'dissect';
      let rec;
      if (rnd() < 0.8) {
        const src = pick(frames);
        const data = mutateFrame(src.data);
        const origLen = rnd() < 0.2 ? data.length + int(2000) : data.length;
        rec = { ...src, data, capLen: data.length, origLen };
      } else {
        const data = randomBytes(int(300));
        rec = { num: i + 1, ts: { sec: 1, nsec: 0 }, tsPrec: 6, capLen: data.length, origLen: data.length, linkType: pick(LINKTYPES), interfaceId: -1, data, fileOffset: 0 };
      }
      input = rec.data;
      what = `linktype ${rec.linkType}`;
      const pkt = engines[i & 1].dissect(rec);
      const v = packetViolations(pkt);
      if (v.length) fail('dissect', rec.data, `${what}: ${v[0]}`);
    }
  } catch (e) {
    fail(kind, input, `${what}: threw ${e?.stack ?? e}`);
  }
  counts[kind]++;
  const ms = performance.now() - t;
  if (ms > SLOW_MS[kind]) fail(`${kind}-slow`, input, `${what}: took ${ms.toFixed(0)} ms`);
  if ((i + 1) % 100000 === 0) {
    const heap = process.memoryUsage().heapUsed;
    maxHeap = Math.max(maxHeap, heap);
    console.error(`${i + 1} inputs, ${failures} failures, ${((Date.now() - t0) / 1000).toFixed(0)} s, heap ${(heap / 2 ** 20).toFixed(0)} MiB`);
  }
}
maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
console.log(
  `fuzz: seed ${startSeed}: ${RUNS} inputs (${counts.dissect} dissector, ${counts.reader} reader, ${counts.e2e} end-to-end) in ${((Date.now() - t0) / 1000).toFixed(1)} s, ` +
    `${failures} failures, peak heap ${(maxHeap / 2 ** 20).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
process.exit(failures ? 1 : 0);
