// What a run loads: a plain read (-q) loads no dissector, engine or printer, -q with a tap no
// printer, and cli-table3 (with
// the packages it brings) is loaded only when a -V table is drawn. Startup is most of a plain
// read's time (docs/performance.md), so these are checked on the modules actually imported.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const HOOK = path.join(ROOT, 'test', 'helpers', 'log-imports.mjs');
const FIX = path.join(ROOT, 'fixtures', 'echo-veth.pcap');

/** the modules a run imports (paths below the repository), its stdout and exit code */
function imports(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  const mods = [...r.stderr.matchAll(/^\[import\] file:\/\/(.*)$/gm)].map((m) => path.relative(ROOT, m[1]!));
  return { mods: new Set(mods), out: r.stdout, code: r.status };
}

describe('modules loaded per run', () => {
  it('a plain -q read: reader, no dissector, engine, printer, chalk or cli-table3', () => {
    const r = imports(['-r', FIX, '-q']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.mods).toContain('dist/io/reader.js');
    expect(r.mods).toContain('dist/io/pcap.js');
    const loaded = [...r.mods];
    expect(loaded.filter((m) => m.startsWith('dist/dissectors/') || m.startsWith('dist/dissect/engine') || m.startsWith('dist/analysis/tcp'))).toEqual([]);
    expect(loaded.filter((m) => /dist\/output\/(printer|summary|details|json|hexdump|color)\.js$/.test(m))).toEqual([]);
    expect(loaded.filter((m) => /node_modules\/(chalk|cli-table3)\//.test(m))).toEqual([]);
  });

  it('summary lines: the dissectors and the summary printer, not cli-table3', () => {
    const r = imports(['-r', FIX, '-c', '3']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[2]).toMatch(/^\s+3 .* TCP 74 51454 → 20000 \[SYN\]/);
    expect(r.mods).toContain('dist/dissectors/tcp.js');
    expect(r.mods).toContain('dist/output/summary.js');
    expect([...r.mods].filter((m) => m.includes('node_modules/cli-table3/'))).toEqual([]);
  });

  it('-V loads cli-table3 and draws its tables', () => {
    const r = imports(['-r', FIX, '-c', '1', '-V']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('│ frame.encap_type');
    expect([...r.mods].some((m) => m.includes('node_modules/cli-table3/'))).toBe(true);
  });

  it('-q with a tap or an output option still dissects (and checks -e)', () => {
    const conv = imports(['-r', FIX, '-q', '-z', 'conv,tcp']);
    expect(conv.code).toBe(0);
    expect(conv.out).toMatch(/10\.99\.0\.1:51454\s+<-> 10\.99\.0\.2:20000\s+5 340 bytes/);
    expect(conv.mods).toContain('dist/dissectors/tcp.js');
    // nothing printed per packet: no printer
    expect([...conv.mods].filter((m) => /dist\/output\/(printer|summary|details|json|hexdump)\.js$/.test(m))).toEqual([]);
    const bad = spawnSync(process.execPath, [BIN, '-r', FIX, '-q', '-T', 'fields', '-e', 'no.such.field'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Some fields aren't valid: no\.such\.field/);
  });
});
