// The golden-output cases: which command lines are recorded in test/golden/, and how each is run.
// Shared by test/output-golden.test.ts (runs src/ through vitest) and update.mjs (runs dist/).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GOLDEN_DIR = path.join(ROOT, 'test', 'golden');

/** every capture in fixtures/ */
export function fixtures() {
  return readdirSync(path.join(ROOT, 'fixtures'))
    .filter((f) => /\.(pcap|pcapng|gz)$/.test(f))
    .sort();
}

/** name: the golden file (relative to test/golden); args: the minishark command line; env: what
 * the run sees as its environment (COLUMNS for -V width; nothing else, so NO_COLOR/FORCE_COLOR of the
 * machine running the tests cannot change the output) */
export function cases() {
  const c = [];
  for (const f of fixtures()) c.push({ name: `summary/${f}.txt`, args: ['-r', `fixtures/${f}`] });
  const F = (f) => `fixtures/${f}`;
  c.push(
    { name: 'details/echo-veth.txt', args: ['-r', F('echo-veth.pcap'), '-V'], env: { COLUMNS: '80' } },
    { name: 'details/echo-veth-w120.txt', args: ['-r', F('echo-veth.pcap'), '-V', '-c', '5'], env: { COLUMNS: '120' } },
    { name: 'details/icmp-unreach.txt', args: ['-r', F('icmp-unreach.pcap'), '-V'], env: { COLUMNS: '80' } },
    { name: 'details/udp-frag.txt', args: ['-r', F('udp-frag.pcap'), '-V'], env: { COLUMNS: '80' } },
    { name: 'details/echo-ipv6.txt', args: ['-r', F('echo-ipv6.pcap'), '-V', '-c', '5'], env: { COLUMNS: '80' } },
    // a pipe without COLUMNS: the tables at their natural width, no cell wrapped
    { name: 'details/echo-veth-natural.txt', args: ['-r', F('echo-veth.pcap'), '-V', '-c', '5'] },
    // --details tree: tshark -V's text (test/details-tree.test.ts compares it with tshark itself)
    { name: 'details-tree/icmp-unreach-x.txt', args: ['-r', F('icmp-unreach.pcap'), '-V', '-x', '--details', 'tree'] },
    { name: 'details-O/echo-veth-tcp-ip.txt', args: ['-r', F('echo-veth.pcap'), '-O', 'tcp,ip'], env: { COLUMNS: '80' } },
    { name: 'hex/echo-veth.txt', args: ['-r', F('echo-veth.pcap'), '-x'] },
    { name: 'hex/udp-frag.txt', args: ['-r', F('udp-frag.pcap'), '-x'] },
    { name: 'color/details-hex-echo-veth.txt', args: ['-r', F('echo-veth.pcap'), '-V', '-x', '--color=always', '-c', '6'], env: { COLUMNS: '80' } },
    { name: 'color/details-hex-icmp-unreach.txt', args: ['-r', F('icmp-unreach.pcap'), '-V', '-x', '--color=always'], env: { COLUMNS: '80' } },
    { name: 'color/summary-rst-linger.txt', args: ['-r', F('rst-linger.pcap'), '--color=always'] },
    { name: 'color/summary-mixed-linktypes.txt', args: ['-r', F('mixed-linktypes.pcapng'), '--color=always'] },
    { name: 'json/echo-veth.json', args: ['-r', F('echo-veth.pcap'), '-T', 'json'] },
    { name: 'json/icmp-unreach.jsonl', args: ['-r', F('icmp-unreach.pcap'), '-T', 'jsonl'] },
    { name: 'json/udp-frag.jsonl', args: ['-r', F('udp-frag.pcap'), '-T', 'jsonl'] },
    {
      name: 'json/loss-e.jsonl',
      args: ['-r', F('loss.pcap'), '-T', 'jsonl', '-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'tcp.seq', '-e', 'tcp.flags.syn', '-e', '_ws.col.Info'],
    },
  );
  return c;
}

/** Escape codes made visible, so colour goldens stay readable text: ESC → "␛". */
export function visible(s) {
  return s.replace(/\x1b/g, '\u241b');
}

class Sink extends Writable {
  chunks = [];
  _write(chunk, _enc, cb) {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Run one case in this process with `main` (from src/ or dist/); resolves to the text to compare. */
export async function runCase(main, c) {
  const prev = process.cwd();
  process.chdir(ROOT);
  const stdout = new Sink();
  const stderr = new Sink();
  try {
    const code = await main(['node', 'minishark', ...c.args], { stdout, stderr, env: c.env ?? {} });
    let s = visible(stdout.text());
    if (code !== 0 || stderr.text()) s += `\n[exit ${code}] ${stderr.text()}`;
    return s;
  } finally {
    process.chdir(prev);
  }
}

/** Run minishark in this process: resolves to { code, out, err } (stdout not made visible). */
export async function runCli(main, args, env = {}) {
  const prev = process.cwd();
  process.chdir(ROOT);
  const stdout = new Sink();
  const stderr = new Sink();
  try {
    const code = await main(['node', 'minishark', ...args], { stdout, stderr, env });
    return { code, out: stdout.text(), err: stderr.text() };
  } finally {
    process.chdir(prev);
  }
}

/**
 * A bigger capture made of a real one: the records of `file` (a little-endian microsecond pcap)
 * repeated until there are `n`, timestamps `stepUs` microseconds apart. For tests of long runs
 * (frame numbers past 99999, times past 1000 s, output larger than a pipe's buffer).
 */
export function repeatCapture(bytes, n, stepUs) {
  const recs = [];
  for (let o = 24; o + 16 <= bytes.length; ) {
    const cl = bytes.readUInt32LE(o + 8);
    recs.push(bytes.subarray(o, o + 16 + cl));
    o += 16 + cl;
  }
  const parts = [bytes.subarray(0, 24)];
  const base = 1600000000;
  for (let i = 0; i < n; i++) {
    const r = Buffer.from(recs[i % recs.length]);
    const us = i * stepUs;
    r.writeUInt32LE(base + Math.floor(us / 1e6), 0);
    r.writeUInt32LE(us % 1e6, 4);
    parts.push(r);
  }
  return Buffer.concat(parts);
}
