// Pipes and interrupts: `minishark … | head -3` ends quietly with status 0; Ctrl-C ends cleanly.
// Runs the built command (bin/minishark.js → dist/), as a user would: `npm test` builds first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS helpers
import { repeatCapture, ROOT } from './golden/cases.mjs';

const BIN = path.join(ROOT, 'bin', 'minishark.js');
const built = existsSync(path.join(ROOT, 'dist', 'cli', 'run.js'));
const hasBash = spawnSync('sh', ['-c', 'command -v bash && command -v head'], { encoding: 'utf8' }).status === 0;

const dir = mkdtempSync(path.join(tmpdir(), 'minishark-pipe-'));
const BIG = path.join(dir, 'big.pcap');
// 12000 real records: megabytes of output, far more than a pipe buffer holds
writeFileSync(BIG, repeatCapture(readFileSync(path.join(ROOT, "fixtures", "echo-veth.pcap")), 12000, 1000));

describe.skipIf(!built || !hasBash)('a closed pipe (needs `npm run build` and bash)', () => {
  it.each([[[] as string[]], [['-V']], [['-T', 'jsonl']], [['-T', 'json']], [['-x']], [['-T', 'fields', '-e', 'frame.number']]])(
    'minishark -r big.pcap %j | head -3: three lines, status 0, nothing on stderr',
    (args) => {
      const cmd = `node ${JSON.stringify(BIN)} -r ${JSON.stringify(BIG)} ${args.map((a) => JSON.stringify(a)).join(' ')} | head -3; echo "status=\${PIPESTATUS[0]}" >&2`;
      const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 60000 });
      expect(r.stdout.split('\n').length - 1).toBe(3);
      expect(r.stderr).toBe('status=0\n');
    },
  );
});

describe.skipIf(!built)('Ctrl-C (needs `npm run build`)', () => {
  it('SIGINT while writing into a slow reader: exit status 130, no stack trace', async () => {
    const p = spawn(process.execPath, [BIN, '-r', BIG, '-V'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // read the first chunk, then stop reading: the writer blocks on the full pipe
    await new Promise<void>((res) => p.stdout.once('data', () => res()));
    p.stdout.pause();
    p.kill('SIGINT');
    const code = await new Promise<number | null>((res) => p.on('close', (c) => res(c)));
    expect(code).toBe(130);
    expect(err).toBe('');
  });
});

class Sink extends Writable {
  text = '';
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += c.toString();
    cb();
  }
}

describe('an interrupt through CliIO.signal', () => {
  it('stops reading, writes what was dissected, closes the JSON array, returns 130', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = new Sink();
    const code = await main(['node', 'minishark', '-r', BIG, '-T', 'json'], { stdout: out, stderr: new Sink(), env: {}, signal: ac.signal });
    expect(code).toBe(130);
    const arr = JSON.parse(out.text);
    expect(arr.length).toBeGreaterThan(0);
    expect(arr.length).toBeLessThan(12000);
    expect(arr[0].frame.number).toBe(1);
  });
});
