// Signals and -l (issue 15). SIGINT and SIGTERM stop a run at its next batch whatever stdout is (a
// file, a pipe, a terminal, -w FILE): what was dissected is written, a JSON array is closed, the
// status is 130 / 143; a second SIGINT exits at once; a several-file run stops its workers and leaves
// no temporary file. -l flushes standard output after each packet. Real processes on the built CLI.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS helpers
import { repeatCapture, ROOT } from './golden/cases.mjs';

const BIN = path.join(ROOT, 'bin', 'minishark.js');
const built = existsSync(path.join(ROOT, 'dist', 'cli', 'run.js'));
const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;
const hasBash = spawnSync('sh', ['-c', 'command -v bash && command -v head'], { encoding: 'utf8' }).status === 0;
const hasTshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;

/** records in the large capture: its run lasts seconds (made at test time from a real fixture) */
const N = 300_000;
/** a run still going this long after its signal ignored it: killed, so the test fails instead of hanging */
const LIMIT_MS = 8000;

let dir = '';
let BIG = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'minishark-signals-'));
  BIG = path.join(dir, 'big.pcap');
  writeFileSync(BIG, repeatCapture(readFileSync(path.join(ROOT, 'fixtures', 'echo-veth.pcap')), N, 1000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Poll until `cond` holds (every 10 ms). */
async function until(cond: () => boolean, what: string, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);

interface Exit {
  code: number | null;
  stderr: string;
  /** from the (first) signal to the exit */
  ms: number;
}

/** Start minishark with stdout to `stdout` (a file descriptor, or a pipe). */
function start(args: string[], stdout: number | 'pipe', env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
}

/** Send `sig` (and the `then` signals, 50 ms apart); resolves when the process has exited. */
async function stop(p: ChildProcess, sig: NodeJS.Signals, then: NodeJS.Signals[] = []): Promise<Exit> {
  let stderr = '';
  p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((res) => p.on('close', (c) => res(c)));
  const t0 = Date.now();
  p.kill(sig);
  for (const s of then) {
    await new Promise((r) => setTimeout(r, 50));
    p.kill(s);
  }
  const kill = setTimeout(() => p.kill('SIGKILL'), LIMIT_MS);
  const code = await closed;
  clearTimeout(kill);
  return { code, stderr, ms: Date.now() - t0 };
}

/** Run with stdout to a file; once `watch` (default: that file) has data, send `sig`. */
async function interruptToFile(args: string[], sig: NodeJS.Signals, watch?: string, env?: NodeJS.ProcessEnv) {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(out, 'w');
  const p = start(args, fd, env);
  closeSync(fd);
  await until(() => size(watch ?? out) > 0, 'the first output');
  const exit = await stop(p, sig);
  return { ...exit, file: out, text: readFileSync(out, 'utf8') };
}

describe.skipIf(!built)('a signal stops the run at its next batch (needs `npm run build`)', () => {
  it('SIGINT, stdout a file: the summary lines written so far, each whole; status 130', async () => {
    const r = await interruptToFile(['-r', BIG], 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    const lines = r.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(N);
    // in order from frame 1, up to the last line written (whole: the text ends with a newline)
    expect(lines[0]).toMatch(/^\s+1\s/);
    expect(lines.at(-1)).toMatch(new RegExp(`^\\s*${lines.length}\\s`));
  });

  it('SIGINT, -T json to a file: the partial file parses, frames 1..k with 0 < k < all', async () => {
    const r = await interruptToFile(['-r', BIG, '-T', 'json'], 'SIGINT');
    expect(r.code).toBe(130);
    const arr = JSON.parse(r.text) as Array<{ frame: { number: number } }>;
    expect(arr.length).toBeGreaterThan(0);
    expect(arr.length).toBeLessThan(N);
    expect(arr.at(-1)!.frame.number).toBe(arr.length);
  });

  it('SIGTERM, -T json to a file: the same, status 143', async () => {
    const r = await interruptToFile(['-r', BIG, '-T', 'json'], 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stderr).toBe('');
    const arr = JSON.parse(r.text) as unknown[];
    expect(arr.length).toBeGreaterThan(0);
    expect(arr.length).toBeLessThan(N);
  });

  it('SIGINT, stdout a pipe read as it comes: whole summary lines, status 130', async () => {
    const p = start(['-r', BIG], 'pipe');
    let text = '';
    p.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    await until(() => text.length > 0, 'the first output');
    const r = await stop(p, 'SIGINT');
    expect(r.code).toBe(130);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(N);
  });

  it.each([['out.pcapng'], ['-']])('SIGINT, -w %s: the partial capture reads without error, 0 < packets < all', async (w) => {
    const named = path.join(dir, w);
    // -w -: the capture is the process's stdout, a file here
    const r = await (w === '-' ? interruptToFile(['-r', BIG, '-w', '-'], 'SIGINT') : interruptToFile(['-r', BIG, '-w', named], 'SIGINT', named));
    const cap = w === '-' ? r.file : named;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    const back = spawnSync(process.execPath, [BIN, '-r', cap, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(back.stderr).toBe('');
    expect(back.status).toBe(0);
    const nums = back.stdout.trim().split('\n');
    expect(nums.length).toBeGreaterThan(0);
    expect(nums.length).toBeLessThan(N);
    expect(nums.at(-1)).toBe(String(nums.length));
  });

  it('SIGINT while standard input waits for more data: what was read is written, status 130', async () => {
    // the first 200 kB of the capture, and the pipe left open (a capture that has paused)
    const part = readFileSync(BIG).subarray(0, 200_000);
    let records = 0;
    for (let o = 24; o + 16 <= part.length && o + 16 + part.readUInt32LE(o + 8) <= part.length; o += 16 + part.readUInt32LE(o + 8)) records++;
    const out = path.join(dir, 'stdin.txt');
    const fd = openSync(out, 'w');
    const p = spawn(process.execPath, [BIN, '-r', '-', '-l'], { stdio: ['pipe', fd, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    closeSync(fd);
    p.stdin!.write(part);
    await until(() => readFileSync(out, 'utf8').split('\n').length > records, 'the records sent');
    const r = await stop(p, 'SIGINT');
    p.stdin!.destroy();
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(records + 1);
  });

  it('a second SIGINT exits at once, even while a write waits on a pipe nobody reads', async () => {
    const p = start(['-r', BIG, '-T', 'json'], 'pipe');
    // read the first chunk, then stop reading: the writer waits on the full pipe
    await new Promise<void>((res) => p.stdout!.once('data', () => res()));
    p.stdout!.pause();
    const r = await stop(p, 'SIGINT', ['SIGINT']);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    // one SIGINT alone gives up on the stuck write after a second without progress (src/cli/run.ts)
    expect(r.ms).toBeLessThan(800);
  });

  it('several files: the workers stop, no temporary file is left, the JSON written parses; status 130', async () => {
    const tmp = mkdtempSync(path.join(dir, 'tmp-'));
    // the first file's temporary output (src/cli/multi.ts) has started
    const first = () => readdirSync(tmp).some((d) => size(path.join(tmp, d, '0.out')) > 0);
    const out = path.join(dir, 'multi.json');
    const fd = openSync(out, 'w');
    const p = start(['-r', BIG, '-r', BIG, '-T', 'json'], fd, { TMPDIR: tmp });
    closeSync(fd);
    await until(first, "the first worker's output");
    const r = await stop(p, 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    expect(readdirSync(tmp)).toEqual([]);
    const arr = JSON.parse(readFileSync(out, 'utf8')) as unknown[];
    expect(arr.length).toBeGreaterThan(0);
    expect(arr.length).toBeLessThan(2 * N);
  });
});

// A pseudo-terminal from python3's pty module: Ctrl-C is typed (\x03) 300 ms after the first output,
// and the terminal's line discipline sends SIGINT, as in a shell. Prints {code, before, after}:
// the status, the bytes read before ^C and after it.
const PTY = `
import json, os, pty, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
got, sent = 0, None
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    got += len(b)
    if sent is None:
        time.sleep(0.3)
        os.write(fd, b'\\x03')
        sent, t0 = got, time.monotonic()
    elif time.monotonic() - t0 > ${LIMIT_MS / 1000}:
        os.kill(pid, signal.SIGKILL)
_, st = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(st), 'before': sent, 'after': got - (sent or 0)}))
`;

describe.skipIf(!built || !hasPython)('Ctrl-C on a terminal (needs `npm run build` and python3)', () => {
  it('-V to a pseudo-terminal: stops within 2 MB of ^C, status 130', () => {
    const r = spawnSync('python3', ['-c', PTY, process.execPath, BIN, '-r', BIG, '-V'], { encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    const res = JSON.parse(r.stdout) as { code: number; before: number; after: number };
    expect(res.code).toBe(130);
    expect(res.before).toBeGreaterThan(0);
    // -V for a terminal is about 14 kB a packet (3.6 MB a batch): the run stops after the next flush
    // of its 256 kB buffer that comes 10 ms after the last turn; the whole run would print 4 GB
    expect(res.after).toBeLessThan(2 << 20);
  });
});

/** A stream that keeps each write apart. */
class Writes extends Writable {
  chunks: string[] = [];
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.chunks.push(c.toString());
    cb();
  }
}

describe('-l: standard output flushed after each packet', () => {
  const FIX = path.join(ROOT, 'fixtures', 'echo-veth.pcap');
  it.each([[[] as string[]], [['-T', 'jsonl']], [['-T', 'fields', '-e', 'frame.number']]])('%j: one write per packet with -l, one in all without', async (args) => {
    const run = async (extra: string[]) => {
      const out = new Writes();
      const code = await main(['node', 'minishark', '-r', FIX, '-c', '10', ...args, ...extra], { stdout: out, stderr: new Writes(), env: {} });
      expect(code).toBe(0);
      return out.chunks;
    };
    const plain = await run([]);
    const flushed = await run(['-l']);
    expect(plain).toHaveLength(1);
    expect(flushed).toHaveLength(10);
    expect(flushed.join('')).toBe(plain.join(''));
    for (const c of flushed) expect(c.split('\n')).toHaveLength(2);
  });

  it.skipIf(!hasTshark)("the help text is tshark's", () => {
    const ours = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout;
    const theirs = spawnSync('tshark', ['-h'], { encoding: 'utf8' }).stdout;
    const words = (s: string) => s.split('\n').find((l) => /^\s+-l\s/.test(l))?.replace(/^\s+-l\s+/, '');
    expect(words(theirs)).toBe('flush standard output after each packet');
    expect(words(ours)).toBe(words(theirs));
  });

  it.skipIf(!built || !hasBash)('minishark -l … | head -1: one line, status 0, nothing on stderr', () => {
    const cmd = `node ${JSON.stringify(BIN)} -r ${JSON.stringify(BIG)} -l | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 60000 });
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stderr).toBe('status=0\n');
  });
});
