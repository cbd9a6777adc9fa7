// Several -r files (or a quoted glob) in one run: dissected in worker threads, output in the order
// the files were given, each file an independent capture. Runs the built CLI.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const FIX = path.join(ROOT, 'fixtures');
const A = path.join(FIX, 'echo-veth.pcap');
const B = path.join(FIX, 'loss.pcap');
const C = path.join(FIX, 'zerowin.pcap');

function ms(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir = '';
beforeAll(() => {
  // a directory of captures for the glob cases
  dir = mkdtempSync(path.join(os.tmpdir(), 'minishark-multi-'));
  for (const f of [A, B, C]) copyFileSync(f, path.join(dir, path.basename(f)));
});

describe('several capture files', () => {
  it('summary lines: the outputs of the single-file runs, in the order given', () => {
    const parts = [B, A, C].map((f) => ms(['-r', f]));
    for (const p of parts) expect(p.code).toBe(0);
    const all = ms(['-r', B, '-r', A, '-r', C]);
    expect(all.code).toBe(0);
    expect(all.err).toBe('');
    expect(all.out).toBe(parts.map((p) => p.out).join(''));
    // each file is its own capture: frame numbers start again at 1
    const firsts = all.out.split('\n').filter((l) => /^\s+1\s/.test(l));
    expect(firsts).toHaveLength(3);
  });

  it('-T json: one array holding every packet of every file', () => {
    const sizes = [A, B].map((f) => (JSON.parse(ms(['-r', f, '-T', 'json']).out) as unknown[]).length);
    const r = ms(['-r', A, '-r', B, '-T', 'json']);
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.out) as Array<{ frame: { number: number } }>;
    expect(arr).toHaveLength(sizes[0]! + sizes[1]!);
    expect(arr[sizes[0]!]!.frame.number).toBe(1);
    expect(arr[sizes[0]! - 1]!.frame.number).toBe(sizes[0]);
  });

  it('-T jsonl and -T fields (the header line once)', () => {
    const l = ms(['-r', A, '-r', B, '-T', 'jsonl']);
    expect(l.out).toBe(ms(['-r', A, '-T', 'jsonl']).out + ms(['-r', B, '-T', 'jsonl']).out);
    const f = ms(['-r', A, '-r', B, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-E', 'header=y']);
    const lines = f.out.trimEnd().split('\n');
    expect(lines.filter((x) => x.startsWith('frame.number'))).toHaveLength(1);
    const one = (file: string) => ms(['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream']).out;
    expect(lines.slice(1).join('\n') + '\n').toBe(one(A) + one(B));
  });

  it('a quoted glob is expanded (sorted), in the current directory too', () => {
    const names = readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort();
    expect(names).toHaveLength(3);
    const g = ms(['-r', path.join(dir, '*.pcap')]);
    expect(g.code).toBe(0);
    expect(g.out).toBe(names.map((n) => ms(['-r', path.join(dir, n)]).out).join(''));
    const rel = ms(['-r', '*.pcap'], dir);
    expect(rel.out).toBe(g.out);
    // a pattern that matches nothing is taken as a file name: the usual missing-file error
    const none = ms(['-r', path.join(dir, '*.nothing')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^minishark: .*doesn't exist/);
  });

  it('a missing file in the list: the others are still dissected, exit 2, one line on stderr', () => {
    const r = ms(['-r', A, '-r', path.join(dir, 'missing.pcap'), '-r', B]);
    expect(r.code).toBe(2);
    expect(r.out).toBe(ms(['-r', A]).out + ms(['-r', B]).out);
    const errLines = r.err.trimEnd().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^minishark: .*missing\.pcap/);
  });

  it('options that need one capture are refused with a usage error', () => {
    for (const extra of [['-z', 'conv,tcp'], ['-c', '3'], ['-w', path.join(dir, 'out.pcap')]]) {
      const r = ms(['-r', A, '-r', B, ...extra]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^minishark: /);
    }
    const stdin = ms(['-r', A, '-r', '-']);
    expect(stdin.code).toBe(1);
  });
});

describe('temporary outputs', () => {
  it('are removed when the reader of the output goes away early (| head)', async () => {
    const tmpdir = mkdtempSync(path.join(os.tmpdir(), 'minishark-multi-tmp-'));
    const child = spawn(process.execPath, [BIN, '-V', '-r', A, '-r', B, '-r', C], { env: { ...process.env, TMPDIR: tmpdir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let got = '';
    await new Promise<void>((res) =>
      child.stdout.on('data', (c: Buffer) => {
        got += c.toString();
        if (got.includes('\n')) {
          child.stdout.destroy();
          res();
        }
      }),
    );
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(got).toMatch(/^Frame 1: /);
    expect(readdirSync(tmpdir)).toEqual([]);
  });
});

describe('-q alone', () => {
  it('reads the whole file and prints nothing; a file that is not a capture still gets its one-line error', () => {
    const ok = ms(['-q', '-r', B]);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('');
    expect(ok.err).toBe('');
    const bad = ms(['-q', '-r', path.join(ROOT, 'README.md')]);
    expect(bad.code).toBe(2);
    expect(bad.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
