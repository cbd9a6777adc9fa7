// Memory over many short connections (issue #8, "resource bounds"): a capture of 50,000 short TCP
// connections, built at test time by replaying the 11 TCP frames of ONE real connection
// (fixtures/echo-veth.pcap frames 3-13: handshake, 'AB' both ways, four-way close) with a new client
// address and port, new initial sequence numbers and shifted timestamps per connection (checksums
// recomputed), a new connection every millisecond, frames in time order (about 200 open at once).
// The CLI runs in a child process, in three modes: summary lines (the whole TCP analysis), -q -z
// expert (the analysis, no per-packet output) and -T fields -e tcp.stream (no analysis read: the
// tracker only numbers streams), and reports its peak RSS and, after a full GC, the heap it still
// holds (an --import hook). The bounds below are what a leak would break:
//   - RETAINED_PER_CONN: heap still held after GC per extra connection, 5,000 → 50,000 connections.
//     The tracker keeps the last 10,000 closed conversations whole (CLOSED_KEPT) and older ones as
//     a small record (stream index, times, base sequence numbers: what port-reuse detection and a
//     stray late segment need). Before that, every closed connection kept ~1.25 KiB (measured
//     2026-11-22); keeping anything per packet (11 frames) would also break the bound.
//   - MAX_RSS_MIB: the peak RSS of the 50,000-connection run (550,000 packets), any mode.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCapture } from './helpers/connections.js';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const RETAINED_PER_CONN = 512;
const MAX_RSS_MIB = 400;
const SMALL = 5000;
const LARGE = 50000;

let tmp = '';
let hook = '';
const files: Record<number, string> = {};

interface Mem {
  maxRSS: number; // KiB
  heapUsed: number; // bytes, after a full GC at exit
  lines: number;
  ms: number;
}

/** Run the CLI in a child process; the hook prints its memory at exit. */
function runCli(args: string[]): Promise<Mem> {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const p = spawn(process.execPath, ['--expose-gc', '--import', pathToFileURL(hook).href, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let lines = 0;
    let err = '';
    p.stdout.on('data', (c: Buffer) => {
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
    });
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const m = /^MEM (\{.*\})$/m.exec(err);
      if (code !== 0 || !m || err.replace(m[0], '').trim() !== '') return reject(new Error(`minishark ${args.join(' ')}: exit ${code}: ${err}`));
      resolve({ ...(JSON.parse(m[1]!) as { maxRSS: number; heapUsed: number }), lines, ms: Date.now() - t });
    });
  });
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-mem-'));
  hook = path.join(tmp, 'mem-hook.mjs');
  writeFileSync(
    hook,
    `process.on('exit', () => { globalThis.gc?.(); const m = process.memoryUsage();
  process.stderr.write('MEM ' + JSON.stringify({ maxRSS: process.resourceUsage().maxRSS, heapUsed: m.heapUsed }) + '\\n'); });\n`,
  );
  for (const n of [SMALL, LARGE]) {
    files[n] = path.join(tmp, `conn-${n}.pcap`);
    writeFileSync(files[n]!, buildCapture(n));
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('memory over 50,000 short TCP connections', () => {
  it('the generated capture is what it claims: real frames, valid checksums, one stream per connection', async () => {
    const { main } = await import('../src/cli/main.js');
    const { Writable } = await import('node:stream');
    const fields = ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.checksum.status', '-e', 'ip.checksum.status', '-e', 'tcp.analysis.flags', '-e', 'tcp.completeness', '-e', 'tcp.seq', '-e', 'tcp.ack', '-e', 'tcp.len'];
    const run = async (file: string) => {
      let text = '';
      const w = new Writable({
        write(c, _e, cb) {
          text += c.toString();
          cb();
        },
      });
      expect(await main(['node', 'minishark', '-r', file, ...fields], { stdout: w, stderr: w, env: {} })).toBe(0);
      return text.trim().split('\n').map((l) => l.split('\t'));
    };
    const small = path.join(tmp, 'conn-3.pcap');
    writeFileSync(small, buildCapture(3));
    const rows = await run(small);
    expect(rows).toHaveLength(33);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['0', '1', '2']));
    for (const r of rows) expect(r.slice(1, 4)).toEqual(['1', '1', '']); // good checksums, no analysis flags
    // each connection is the fixture's connection again: the same completeness, relative seq/ack, lengths
    const real = (await run(path.join(ROOT, 'fixtures', 'echo-veth.pcap'))).filter((r) => r[0] === '0').map((r) => r.slice(4));
    expect(real).toHaveLength(11);
    for (const st of ['0', '1', '2']) expect(rows.filter((r) => r[0] === st).map((r) => r.slice(4))).toEqual(real);
  });

  it(`retained heap per closed connection < ${RETAINED_PER_CONN} B and peak RSS < ${MAX_RSS_MIB} MiB (summary, -q -z expert, fields)`, async () => {
    const Q = ['-q', '-z', 'expert'];
    const F = ['-T', 'fields', '-e', 'tcp.stream'];
    // two children at a time
    const [qSmall, sSmall] = await Promise.all([runCli(['-r', files[SMALL]!, ...Q]), runCli(['-r', files[SMALL]!])]);
    const [qLarge, sLarge] = await Promise.all([runCli(['-r', files[LARGE]!, ...Q]), runCli(['-r', files[LARGE]!])]);
    const [fSmall, fLarge] = await Promise.all([runCli(['-r', files[SMALL]!, ...F]), runCli(['-r', files[LARGE]!, ...F])]);
    expect(sSmall.lines).toBe(SMALL * 11);
    expect(sLarge.lines).toBe(LARGE * 11);
    expect(fLarge.lines).toBe(LARGE * 11);
    // the expert table: a header and a few rows, whatever the number of connections
    expect(qLarge.lines).toBeLessThan(40);
    const mib = (kib: number) => (kib / 1024).toFixed(1);
    const perConn = (a: Mem, b: Mem) => (b.heapUsed - a.heapUsed) / (LARGE - SMALL);
    console.log(
      [
        `memory, ${SMALL} vs ${LARGE} connections (${SMALL * 11} vs ${LARGE * 11} packets):`,
        `  -q -z expert: peak RSS ${mib(qSmall.maxRSS)} / ${mib(qLarge.maxRSS)} MiB, heap after GC ${(qSmall.heapUsed / 2 ** 20).toFixed(1)} / ${(qLarge.heapUsed / 2 ** 20).toFixed(1)} MiB, ${perConn(qSmall, qLarge).toFixed(0)} B per connection, ${qSmall.ms} / ${qLarge.ms} ms`,
        `  summary: peak RSS ${mib(sSmall.maxRSS)} / ${mib(sLarge.maxRSS)} MiB, heap after GC ${(sSmall.heapUsed / 2 ** 20).toFixed(1)} / ${(sLarge.heapUsed / 2 ** 20).toFixed(1)} MiB, ${perConn(sSmall, sLarge).toFixed(0)} B per connection, ${sSmall.ms} / ${sLarge.ms} ms`,
        `  fields (no analysis): peak RSS ${mib(fSmall.maxRSS)} / ${mib(fLarge.maxRSS)} MiB, heap after GC ${(fSmall.heapUsed / 2 ** 20).toFixed(1)} / ${(fLarge.heapUsed / 2 ** 20).toFixed(1)} MiB, ${perConn(fSmall, fLarge).toFixed(0)} B per connection, ${fSmall.ms} / ${fLarge.ms} ms`,
      ].join('\n'),
    );
    for (const [a, b] of [
      [qSmall, qLarge],
      [sSmall, sLarge],
      [fSmall, fLarge],
    ] as const) {
      expect(perConn(a, b)).toBeLessThan(RETAINED_PER_CONN);
      expect(b.maxRSS / 1024).toBeLessThan(MAX_RSS_MIB);
    }
  }, 120000);
});
