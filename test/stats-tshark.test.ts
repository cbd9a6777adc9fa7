// Differential suite for the -z statistics: every fixture (and, with MINISHARK_STATS_CORPUS=1, every
// corpus capture) goes once through `scripts/tshark-ref -q -z … -z …` with all the tshark-comparable
// statistics at once; tshark's output is split back into one block per -z (tshark draws them in
// reverse order) and each block must equal minishark's text for that statistic, byte for byte.
// tshark's runs are cached in the OS temp dir, keyed by the capture's bytes and the arguments.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/dissect/engine.js';
import { compileFilter } from '../src/filter/index.js';
import { CaptureError } from '../src/io/errors.js';
import { openCapture } from '../src/io/reader.js';
import { parseStats, statFields, type Stat } from '../src/stats/index.js';
import { captureFiles } from './helpers/reference.js';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(ROOT, 'fixtures');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
const CACHE = path.join(os.tmpdir(), 'minishark-stats-ref-cache');

/** The statistics compared; "expert" must stay first: tshark prints it last and it has no end marker. */
export const ARGS = [
  'expert',
  'conv,eth',
  'conv,ip',
  'conv,ipv6',
  'conv,tcp',
  'conv,udp',
  'endpoints,eth',
  'endpoints,ip',
  'endpoints,ipv6',
  'endpoints,tcp',
  'endpoints,udp',
  'conv,tcp,tcp.len>0',
  'endpoints,ip,frame.len > 100',
  'io,phs',
  'io,phs,tcp',
  'io,stat,0',
  'io,stat,1',
  'io,stat,0.1',
  'io,stat,0.01,tcp,udp,tcp.len>0',
  'io,stat,0.25,FRAMES,BYTES()tcp,FRAMES()tcp.len>0,MAX(tcp.time_delta)tcp.time_delta,LOAD(tcp.time_delta),SUM(tcp.time_relative)tcp.time_relative,AVG(tcp.time_delta),MIN(tcp.window_size),COUNT(tcp.analysis.retransmission)tcp.analysis.retransmission',
  'io,stat,0.05,tcp.flags.syn==1 || tcp.flags.fin==1 || tcp.flags.reset==1 || tcp.analysis.retransmission || tcp.analysis.out_of_order',
  'follow,tcp,ascii,0',
  'follow,tcp,hex,0',
  'follow,tcp,raw,0',
  'follow,tcp,ebcdic,0',
  'follow,tcp,ascii,1',
  'follow,tcp,hex,0,2-3',
  'follow,udp,hex,0',
  'follow,udp,ascii,1',
];

/** The kind of a -z argument, for the counts in the agreement table. */
export function statKind(arg: string): string {
  const p = arg.split(',');
  if (p[0] === 'io') return `io,${p[1]}`;
  if (p[0] === 'follow') return `follow,${p[1]}`;
  return p[0] === 'expert' ? 'expert' : `${p[0]},${p[1]}`;
}

async function tsharkText(file: string, args: string[]): Promise<string> {
  const key = createHash('sha1').update(readFileSync(file)).update('\0').update(args.join('\0')).digest('hex');
  const cached = path.join(CACHE, `${key}.txt`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  let out = '';
  let cache = true;
  try {
    // bounded: a capture whose timestamps span decades makes tshark's io,stat allocate without end
    const cmd = `ulimit -v 6000000; exec "$0" "$@"`;
    out = (await run('sh', ['-c', cmd, TSHARK_REF, '-q', '-r', file, ...args.flatMap((a) => ['-z', a])], { maxBuffer: 1 << 28, timeout: 120_000, killSignal: 'SIGKILL' })).stdout;
  } catch (e) {
    // an unreadable file ends with an exit status (its partial output is the reference); a run that
    // was killed (time or memory limit, or this process going away) is not kept
    const err = e as { stdout?: string; signal?: string | null; code?: unknown };
    out = err.stdout ?? '';
    cache = !err.signal && typeof err.code === 'number';
  }
  if (!cache || out === '') return out;
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(cached, out);
  return out;
}

/** Split tshark's combined output into one block per argument (null where it cannot be parsed). */
export function splitTshark(text: string, args: string[]): Array<string | null> {
  const out: Array<string | null> = args.map(() => null);
  let pos = 0;
  const lineAt = (p: number) => {
    const e = text.indexOf('\n', p);
    return e < 0 ? text.slice(p) : text.slice(p, e);
  };
  // the block ends with the next line made of `rule` (after `from`)
  const endAt = (from: number, rule: string): number => {
    const i = text.indexOf(`\n${rule}\n`, from - 1);
    return i < 0 ? -1 : i + rule.length + 2;
  };
  for (let k = args.length - 1; k >= 0; k--) {
    const a = args[k]!;
    const kind = statKind(a);
    let end = -1;
    if (kind === 'expert') end = text.length;
    else if (kind.startsWith('conv') || kind.startsWith('endpoints')) {
      const r80 = '='.repeat(80);
      if (lineAt(pos) !== r80) break;
      end = endAt(pos + 81, r80);
    } else {
      // phs, io,stat and follow start with an empty line and a rule of '='
      if (text[pos] !== '\n') break;
      const rule = lineAt(pos + 1);
      if (!/^=+$/.test(rule)) break;
      end = endAt(pos + 1 + rule.length + 1, rule);
    }
    if (end < 0) break;
    out[k] = text.slice(pos, end);
    pos = end;
  }
  return out;
}

/** minishark's output for each argument, as the chunks finish() handed over (all parsed together,
 * as on one command line). A long io,stat table comes in many chunks; they are not joined. */
async function minisharkChunks(file: string, args: string[]): Promise<string[][]> {
  const stats: Stat[] = parseStats(args, { compileFilter });
  const engine = new Engine({ full: stats.some((s) => s.needsFull), fields: statFields(stats), columns: false });
  try {
    const reader = await openCapture(file);
    for await (const batch of reader.batches()) for (const rec of batch) {
      const pkt = engine.dissect(rec);
      for (const s of stats) s.packet(pkt);
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
  }
  return stats.map((s) => {
    const chunks: string[] = [];
    s.finish((x) => chunks.push(x));
    return chunks;
  });
}

/** block === chunks.join(''), without building the joined string */
function sameText(block: string | null, chunks: string[]): boolean {
  if (block === null) return false;
  let pos = 0;
  for (const c of chunks) {
    if (!block.startsWith(c, pos)) return false;
    pos += c.length;
  }
  return pos === block.length;
}

export async function compareFile(file: string, args = ARGS): Promise<Array<{ arg: string; equal: boolean; tshark: string | null; minishark: string }>> {
  const [t, m] = await Promise.all([tsharkText(file, args), minisharkChunks(file, args)]);
  const blocks = splitTshark(t, args);
  // keep the texts short: a corpus run holds the results of hundreds of files
  const cut = (x: string) => (x.length > 4000 ? `${x.slice(0, 4000)}…` : x);
  return args.map((arg, i) => {
    const equal = sameText(blocks[i] ?? null, m[i]!);
    let head = '';
    for (const c of m[i]!) {
      head += c;
      if (head.length > 4000) break;
    }
    return { arg, equal, tshark: blocks[i] === null || blocks[i] === undefined ? null : cut(blocks[i]!), minishark: cut(head) };
  });
}


async function inBatches<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const res: R[] = [];
  for (let i = 0; i < items.length; i += n) res.push(...(await Promise.all(items.slice(i, i + n).map(f))));
  return res;
}

function report(results: Array<{ file: string; rows: Awaited<ReturnType<typeof compareFile>> }>): string {
  const byKind = new Map<string, { eq: number; n: number }>();
  const bad: string[] = [];
  for (const { file, rows } of results) {
    for (const r of rows) {
      const k = statKind(r.arg);
      const s = byKind.get(k) ?? { eq: 0, n: 0 };
      s.n++;
      if (r.equal) s.eq++;
      else bad.push(`${path.basename(file)} -z ${r.arg}\n--- tshark\n${r.tshark ?? '(could not split tshark output)'}\n--- minishark\n${r.minishark}`);
      byKind.set(k, s);
    }
  }
  const table = [...byKind].map(([k, s]) => `${k}: ${s.eq}/${s.n}`).join('\n');
  const which = results.flatMap(({ file, rows }) => rows.filter((r) => !r.equal).map((r) => `${path.relative(ROOT, file)} -z ${r.arg}`));
  return `${table}\n\ndiffering:\n${which.join('\n')}\n\n${bad.slice(0, 5).join('\n\n')}`;
}

describe.skipIf(!hasTshark)('-z statistics equal tshark 4.0 on every fixture (skipped when tshark is not installed)', () => {
  const files = captureFiles(FIXTURES);

  it('splits a combined tshark output back into its blocks', () => {
    const text = `\n${'='.repeat(67)}\nProtocol Hierarchy Statistics\nFilter: \n\n${'='.repeat(67)}\n${'='.repeat(80)}\nTCP Conversations\n${'='.repeat(80)}\n\nNotes (1)\n`;
    expect(splitTshark(text, ['expert', 'conv,tcp', 'io,phs'])).toEqual([
      '\nNotes (1)\n',
      `${'='.repeat(80)}\nTCP Conversations\n${'='.repeat(80)}\n`,
      `\n${'='.repeat(67)}\nProtocol Hierarchy Statistics\nFilter: \n\n${'='.repeat(67)}\n`,
    ]);
  });

  it(`conv, endpoints, io,phs, io,stat, expert and follow on ${files.length} fixtures`, async () => {
    const results = await inBatches(files, 4, async (file) => ({ file, rows: await compareFile(file) }));
    const all = results.flatMap((r) => r.rows);
    const equal = all.filter((r) => r.equal).length;
    expect(equal, report(results)).toBe(all.length);
    // the comparison covers real content, not empty tables
    expect(all.filter((r) => r.arg === 'conv,tcp' && /<->/.test(r.minishark)).length).toBeGreaterThan(15);
  }, 600_000);
});

const corpusWanted = process.env.MINISHARK_STATS_CORPUS === '1';
describe.skipIf(!hasTshark || !existsSync(CORPUS) || !corpusWanted)(
  '-z statistics against tshark on ../shared/corpus (skipped unless MINISHARK_STATS_CORPUS=1, with tshark and ../shared/corpus)',
  () => {
    it('agreement per statistic', async () => {
      const files = captureFiles(CORPUS);
      const results = await inBatches(files, 2, async (file) => ({ file, rows: await compareFile(file) }));
      const text = report(results);
      writeFileSync(path.join(os.tmpdir(), 'minishark-stats-corpus-report.txt'), text);
      const all = results.flatMap((r) => r.rows);
      expect(all.filter((r) => r.equal).length / all.length).toBeGreaterThan(0.9);
    }, 3_600_000);
  },
);
