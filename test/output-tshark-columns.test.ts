// The summary line's columns equal tshark's `_ws.col.*` on every fixture (skipped without tshark).
// The padding itself is checked in output-summary.test.ts; this checks the contents, which come from
// the dissectors and the TCP tracker: a failure names the frame, the column and both values.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS helpers
import { fixtures, ROOT, runCli } from './golden/cases.mjs';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
const COLS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];
const ARGS = ['-T', 'fields', ...COLS.flatMap((c) => ['-e', c])];

function tshark(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(ROOT, 'scripts', 'tshark-ref'), ['-r', file, ...ARGS], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const rows = (s: string) => (s ? s.replace(/\n$/, '').split('\n').map((l) => l.split('\t')) : []);

describe.skipIf(!hasTshark)('summary columns = tshark _ws.col.* (needs tshark)', () => {
  it.each(fixtures() as string[])('%s', async (f) => {
    const [t, m] = await Promise.all([tshark(path.join(ROOT, 'fixtures', f)), runCli(main, ['-r', `fixtures/${f}`, ...ARGS])]);
    const a = rows(t);
    const b = rows(m.out);
    const diffs: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      for (let j = 0; j < COLS.length; j++) {
        const x = a[i]?.[j] ?? '';
        const y = b[i]?.[j] ?? '';
        if (x !== y) diffs.push(`frame ${i + 1} ${COLS[j]}: tshark ${JSON.stringify(x)} minishark ${JSON.stringify(y)}`);
      }
    }
    expect(b.length, 'frame count').toBe(a.length);
    expect(diffs.slice(0, 8), `${diffs.length} of ${a.length * COLS.length} cells differ`).toEqual([]);
  });
});
