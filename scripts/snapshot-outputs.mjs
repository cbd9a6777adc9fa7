#!/usr/bin/env node
// Every output of the CLI over every capture, written to one directory, so that two builds can be
// compared byte for byte (`diff -r A B`). Runs the CLI in-process (dist/cli/main.js), one capture
// after another, in the modes listed below (summary, -V, -x, -T fields, -T json/jsonl/ek, the taps, a
// filter). Used to check that a refactoring changed no output.
// Usage: npm run build && node scripts/snapshot-outputs.mjs OUTDIR [FILE...]
//        (default files: fixtures/*, test/inputs/*, ../shared/corpus/** captures)
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await import(path.join(root, 'dist/cli/main.js'));

const SPEC = fs
  .readFileSync(path.join(root, 'test/helpers/fields-list.ts'), 'utf8')
  .match(/`([^`]*)`/g)
  .flatMap((s) => s.slice(1, -1).split(/\s+/))
  .filter(Boolean);
const COLS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];

/** mode name → arguments after -r FILE */
export const MODES = {
  summary: [],
  details: ['-V'],
  hex: ['-x'],
  fields: ['-T', 'fields', '-E', 'occurrence=a', ...[...SPEC, ...COLS].flatMap((f) => ['-e', f])],
  json: ['-T', 'json'],
  jsonl: ['-T', 'jsonl'],
  ek: ['-T', 'ek'],
  taps: ['-q', '-z', 'conv,tcp', '-z', 'conv,udp', '-z', 'conv,ip', '-z', 'endpoints,eth', '-z', 'io,phs', '-z', 'expert', '-z', 'io,stat,1'],
  follow: ['-q', '-z', 'follow,tcp,ascii,0', '-z', 'follow,udp,hex,0', '-z', 'flow,tcp'],
  filter: ['-Y', 'tcp.analysis.flags || udp || icmp || arp'],
};
if (process.env.SNAPSHOT_EXTRA_MODES) {
  for (const spec of process.env.SNAPSHOT_EXTRA_MODES.split(';')) {
    const [name, ...args] = spec.trim().split(/\s+/);
    if (name) MODES[name] = args;
  }
}

function captures() {
  const out = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap|dmp|gz|pcapng\.gz|trace|ntar)$/i.test(e.name) || /pcap/i.test(e.name)) out.push(p);
    }
  };
  walk(path.join(root, 'fixtures'));
  walk(path.join(root, 'test/inputs'));
  walk(path.resolve(root, '../shared/corpus'));
  return out.filter((p) => !/\.(txt|md|out|tsv|json|sh|py|mjs)$/i.test(p)).sort();
}

class Sink extends Writable {
  chunks = [];
  _write(c, _e, cb) {
    this.chunks.push(Buffer.from(c));
    cb();
  }
  text() {
    return Buffer.concat(this.chunks);
  }
}

const [outDir, ...given] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node scripts/snapshot-outputs.mjs OUTDIR [FILE...]');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const files = given.length ? given : captures();
const env = { ...process.env, COLUMNS: '120', NO_COLOR: '1', TZ: 'UTC' };
let n = 0;
for (const f of files) {
  const rel = path.relative(path.resolve(root, '..'), path.resolve(f)).replace(/[/\\]/g, '__');
  for (const [mode, args] of Object.entries(MODES)) {
    const stdout = new Sink();
    const stderr = new Sink();
    let code;
    try {
      code = await main(['node', 'minishark', '-r', f, '--color', 'never', ...args], { stdout, stderr, env });
    } catch (e) {
      code = `threw ${e?.message}`;
    }
    fs.writeFileSync(path.join(outDir, `${rel}.${mode}`), Buffer.concat([stdout.text(), Buffer.from(`\n--- stderr (exit ${code})\n`), stderr.text()]));
    n++;
  }
}
console.log(`${n} outputs of ${files.length} captures in ${outDir}`);
