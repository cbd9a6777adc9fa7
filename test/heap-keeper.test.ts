// The CLI keeps V8's heap near what is live (src/cli/heap.ts): the young generation stops growing at
// 8 MiB, and the old generation is collected when it has grown 50% over the live size. This runs
// the real process on 55,000 packets (5,000 short connections: a few hundred MB of short-lived
// objects, enough for V8's defaults to grow the young generation to its 32 MiB maximum) and reads
// the heap's spaces at exit (an --import hook), with and without the keeper. A user's own GC flag
// on node's command line makes the keeper stand aside, which gives the "without" run. The output
// must not change: the tuning only changes when the collector runs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCapture } from './helpers/connections.js';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const MIB = 1024 * 1024;

let tmp = '';
let hook = '';
let file = '';
let tenfold = '';

interface Run {
  newSpace: number;
  oldSpace: number;
  maxRSS: number;
  digest: string;
}

function run(nodeFlags: string[], args: string[], capture: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeFlags, '--import', pathToFileURL(hook).href, BIN, '-r', capture, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const h = createHash('sha256');
    let err = '';
    p.stdout.on('data', (c: Buffer) => h.update(c));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const m = /^HEAP (\{.*\})$/m.exec(err);
      if (code !== 0 || !m) return reject(new Error(`minishark ${args.join(' ')}: exit ${code}: ${err}`));
      resolve({ ...(JSON.parse(m[1]!) as Omit<Run, 'digest'>), digest: h.digest('hex') });
    });
  });
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-heap-'));
  hook = path.join(tmp, 'heap-hook.mjs');
  writeFileSync(
    hook,
    `import v8 from 'node:v8';
process.on('exit', () => { const s = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name, x.space_size]));
  process.stderr.write('HEAP ' + JSON.stringify({ newSpace: s.new_space, oldSpace: s.old_space, maxRSS: process.resourceUsage().maxRSS }) + '\\n'); });\n`,
  );
  file = path.join(tmp, 'conn-5000.pcap');
  const cap = buildCapture(5000);
  writeFileSync(file, cap);
  // the same records twenty times after one file header (1.1 million records)
  tenfold = path.join(tmp, 'conn-5000x10.pcap');
  writeFileSync(tenfold, Buffer.concat([cap.subarray(0, 24), ...Array.from({ length: 20 }, () => cap.subarray(24))]));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the CLI keeps the heap near what is live', () => {
  it('young generation at most 8 MiB (V8 alone grows it past that), same output', async () => {
    // summary lines, -T fields, and a plain read (-q: records only, no dissection, on the records
    // twenty times over: it allocates little per packet)
    for (const args of [[], ['-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.seq', '-e', 'tcp.analysis.flags'], ['-q']]) {
      const f = args[0] === '-q' ? tenfold : file;
      const kept = await run([], args, f);
      const alone = await run(['--semi-space-growth-factor=2'], args, f);
      expect(kept.newSpace, `${args.join(' ')}: young generation with the keeper`).toBeLessThanOrEqual(8 * MIB);
      // a plain read keeps too little alive (16-record batches, src/io/reader.ts) for V8 to grow it;
      // dissecting still does
      if (args[0] === '-q') expect(alone.newSpace, '-q: young generation with V8\'s defaults').toBeLessThanOrEqual(8 * MIB);
      else expect(alone.newSpace, `${args.join(' ')}: young generation with V8's defaults`).toBeGreaterThan(8 * MIB);
      expect(kept.digest).toBe(alone.digest);
    }
  }, 120_000);
});
