// -v/--version, and -E bom=y as tshark 4.0 applies it (-T fields only; the comparisons with tshark
// skip without it).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS helpers
import { ROOT, runCli } from './golden/cases.mjs';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
const BOM = '\uFEFF';
const pkgVersion = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function tsharkRef(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(ROOT, 'scripts', 'tshark-ref'), args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

describe('-v / --version', () => {
  it.each([['-v'], ['--version'], ['-v', '-r', 'fixtures/echo-veth.pcap']])('%s: the version and the Wireshark it reproduces, exit 0', async (...args) => {
    const r = await runCli(main, args);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(`minishark ${pkgVersion}\nReproduces the output of Wireshark (tshark) 4.0.\n`);
  });

  it('-V still means details (options are case-sensitive)', async () => {
    const r = await runCli(main, ['-V', '-c', '1', '-r', 'fixtures/echo-veth.pcap']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Frame 1: 42 bytes on wire/);
  });
});

describe('-E bom=y', () => {
  const F = ['-r', 'fixtures/echo-veth.pcap', '-c', '3'];

  it('-T fields: the UTF-8 byte order mark once, before the header line', async () => {
    const plain = await runCli(main, [...F, '-T', 'fields', '-e', 'frame.number', '-E', 'header=y']);
    const bom = await runCli(main, [...F, '-T', 'fields', '-e', 'frame.number', '-E', 'header=y', '-E', 'bom=y']);
    expect(bom.out).toBe(BOM + plain.out);
    expect(bom.out.split(BOM)).toHaveLength(2);
    expect((await runCli(main, [...F, '-T', 'fields', '-e', 'frame.number', '-E', 'bom=n'])).out).toBe('1\n2\n3\n');
  });

  it('not for the other output formats (as tshark)', async () => {
    for (const extra of [[], ['-T', 'json'], ['-T', 'jsonl'], ['-V']]) {
      const r = await runCli(main, [...F, ...extra, '-E', 'bom=y']);
      expect(r.code).toBe(0);
      expect(r.out.startsWith(BOM), extra.join(' ')).toBe(false);
    }
  });

  it.each([[[]], [['-E', 'header=y']]])('several files (worker threads: the built CLI) %j: one mark for the whole output', (extra) => {
    const args = ['-r', 'fixtures/echo-veth.pcap', '-r', 'fixtures/loss.pcap', '-T', 'fields', '-e', 'frame.number', '-E', 'bom=y', ...extra];
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'minishark.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(BOM)).toBe(true);
    expect(r.stdout.split(BOM)).toHaveLength(2);
    // the second file's numbering starts again after the first one's last frame
    expect(r.stdout).toMatch(/\n1\n2\n/);
  });

  it('a value other than y or n is a usage error', async () => {
    const r = await runCli(main, [...F, '-T', 'fields', '-e', 'frame.number', '-E', 'bom=x']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('minishark: Invalid -E bom value "x" (y or n)\n');
  });

  describe.skipIf(!hasTshark)('byte for byte as tshark (needs tshark)', () => {
    it.each([
      [['-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info', '-E', 'bom=y']],
      [['-T', 'fields', '-e', 'frame.number', '-E', 'bom=y', '-E', 'header=y']],
      [['-T', 'fields', '-e', 'frame.number', '-E', 'bom=y', '-Y', 'frame.number == 999']],
      [['-E', 'bom=y']],
    ])('%j', async (args) => {
      const file = path.join(ROOT, 'fixtures', 'echo-veth.pcap');
      const t = await tsharkRef(['-r', file, ...args]);
      const m = await runCli(main, ['-r', file, ...args]);
      expect(Buffer.from(m.out, 'utf8').equals(t), `tshark ${JSON.stringify(t.toString('utf8').slice(0, 80))}`).toBe(true);
    });
  });
});
