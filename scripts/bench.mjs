#!/usr/bin/env node
// minishark's benchmark: times minishark against tshark and tcpdump on large real captures
// (made by scripts/make-bench-captures.sh), mode by mode, and checks the performance targets.
// `npm run bench` builds first, then runs this file; `npm run bench -- --help` for the options.
//
// Method: every command writes to /dev/null; the tools of a mode run interleaved (A B A B ...),
// N runs each; the time of a run is the wall time of the process (startup included); the
// figure is the median run; packets/s = packets in the capture / median seconds. Peak RSS comes
// from GNU time (`/usr/bin/time -f %M`); without it, node processes report
// process.resourceUsage().maxRSS at exit (through an --import hook) and the others show "?".
// A tool that fails (e.g. a minishark mode still being written) is reported as
// "n/a (exit code N: first line of its stderr)" and the bench goes on.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let BIN = path.join(ROOT, 'bin', 'minishark.js');
const WALK = path.join(ROOT, 'scripts', 'bench-walk.mjs');
const FLOOR = path.join(ROOT, 'scripts', 'bench-floor.mjs');
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');
const NODE = process.execPath;

/** The same 10 fields for minishark and tshark in the -T fields mode. */
const FIELDS = [
  'frame.number', 'frame.time_relative', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport',
  'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.analysis.flags',
];
const fieldArgs = ['-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])];

/**
 * The modes: what minishark runs, what each peer runs, and the targets (ratio of minishark's
 * packets/s to the peer's, at least `min`).
 */
const MODES = {
  summary: {
    title: 'summary lines (default output, with TCP analysis)',
    minishark: [],
    peers: { tshark: [], 'tshark-ref': [], tcpdump: [] },
    floor: '--summary',
    targets: [{ peer: 'tshark', min: 5 }, { peer: 'tcpdump', min: 0.5 }, { peer: 'tshark-ref', min: 3, median100k: true }, { peer: 'floor', min: 0.6 }],
  },
  fields: {
    title: `-T fields, ${FIELDS.length} fields`,
    minishark: fieldArgs,
    peers: { tshark: fieldArgs, 'tshark-ref': fieldArgs },
    floor: '--fields',
    targets: [{ peer: 'tshark', min: 10 }, { peer: 'tshark-ref', min: 6, median100k: true }, { peer: 'floor', min: 0.6 }],
  },
  jsonl: {
    title: 'minishark -T jsonl vs tshark -T json',
    minishark: ['-T', 'jsonl'],
    peers: { tshark: ['-T', 'json'], 'tshark-ref': ['-T', 'json'] },
    floor: '--jsonl',
    targets: [{ peer: 'tshark', min: 10 }, { peer: 'tshark-ref', min: 8, median100k: true }, { peer: 'floor', min: 0.6 }],
  },
  conv: {
    title: '-q -z conv,tcp',
    minishark: ['-q', '-z', 'conv,tcp'],
    peers: { tshark: ['-q', '-z', 'conv,tcp'], 'tshark-ref': ['-q', '-z', 'conv,tcp'] },
    floor: '--conv',
    targets: [{ peer: 'tshark', min: 10 }, { peer: 'tshark-ref', min: 6, median100k: true }, { peer: 'floor', min: 0.6 }],
  },
  read: {
    title: 'reading alone: minishark -q vs the bare record walk (scripts/bench-walk.mjs)',
    minishark: ['-q'],
    peers: { walk: [] },
    targets: [{ peer: 'walk', min: 0.5, text: 'within 2x of the bare walk' }],
  },
};
const MODE_NAMES = Object.keys(MODES);
const ALL_PEERS = ['tshark', 'tshark-ref', 'tcpdump'];
const DEFAULT_PEERS = ['tshark', 'tshark-ref', 'tcpdump'];
const RSS_MAX_MIB = 80;
const RSS_GROWTH_MAX = 0.2;

const USAGE = `usage: node scripts/bench.mjs [options]        (npm run bench -- [options] builds first)

Times minishark against tshark (-n, default dissectors and preferences) and tcpdump (-n) on the
captures made by \`sudo scripts/make-bench-captures.sh\`, and checks the performance targets.

options:
  --runs N          runs per tool and mode, interleaved A B A B ... (default 5; median reported)
  --quick           smoke check: the 100k-packet slices (bulk-100k, short-100k), 1 run
  --only MODES      only these modes, comma separated: ${MODE_NAMES.join(', ')}
  --peers LIST      peers to time, comma separated: ${ALL_PEERS.join(', ')}
                    (default ${DEFAULT_PEERS.join(',')}; tshark-ref = scripts/tshark-ref, tshark with
                    only minishark's protocols and no desegmentation: a stricter peer, as slow
                    again to run; the read mode always uses bench-walk.mjs)
  --dir DIR         where the captures are (default $MINISHARK_BENCH_DIR or ~/.cache/minishark-bench)
  --capture FILE    time this capture instead (repeatable; no memory-growth check)
  --timeout SEC     give up a run after SEC seconds (default 1800)
  --json FILE       also write every measurement to FILE (JSON)
  --no-floor        leave out the bare-loop floor (scripts/bench-floor.mjs: a hand-written Node loop
                    that decodes Ethernet/IPv4/TCP and writes each mode's output with no dissector,
                    field model or TCP analysis; timed with the peers in every mode but read, it
                    shows how near a target is to what Node itself does)
  --dry-run         print the captures and the commands, run nothing
  --no-snapshot     run bin/ and dist/ in place (by default they are copied to a temporary
                    directory first, so a rebuild while the bench runs does not mix builds)
  -h, --help        this help

modes:
${MODE_NAMES.map((m) => `  ${m.padEnd(8)}  ${MODES[m].title}`).join('\n')}

targets: summary >= 5x tshark and >= 0.5x tcpdump; fields >= 10x tshark; jsonl >= 10x tshark -T json;
conv >= 10x tshark; issue 17: summary, fields, jsonl, conv >= 0.6x the bare-loop floor on each capture
and >= 3x, 6x, 8x, 6x tshark-ref (tshark doing the same work; -T json for jsonl) as the median over
the 100k-packet captures; read within 2x of the bare walk; on the 1M-packet bulk capture peak RSS
<= ${RSS_MAX_MIB} MiB and < ${RSS_GROWTH_MAX * 100}% growth from its 100k-packet slice.
`;

// ------------------------------------------------------------------------------- options
function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        runs: { type: 'string' },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        peers: { type: 'string' },
        dir: { type: 'string' },
        capture: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        json: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'no-snapshot': { type: 'boolean', default: false },
        'no-floor': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    usageError(e.message);
  }
  const v = parsed.values;
  const runs = v.runs === undefined ? (v.quick ? 1 : 5) : Number(v.runs);
  if (!Number.isInteger(runs) || runs < 1) usageError(`--runs must be a positive integer, not "${v.runs}"`);
  const timeout = v.timeout === undefined ? 1800 : Number(v.timeout);
  if (!(timeout > 0)) usageError(`--timeout must be a positive number of seconds, not "${v.timeout}"`);
  const only = v.only ? v.only.split(',').map((s) => s.trim()).filter(Boolean) : MODE_NAMES;
  for (const m of only) if (!MODES[m]) usageError(`unknown mode "${m}" (modes: ${MODE_NAMES.join(', ')})`);
  const peers = v.peers ? v.peers.split(',').map((s) => s.trim()).filter(Boolean) : DEFAULT_PEERS;
  for (const p of peers) if (!ALL_PEERS.includes(p)) usageError(`unknown peer "${p}" (peers: ${ALL_PEERS.join(', ')})`);
  const dir = v.dir ?? process.env.MINISHARK_BENCH_DIR ?? path.join(os.homedir(), '.cache', 'minishark-bench');
  let captures;
  if (v.capture?.length) {
    captures = v.capture.map((f) => ({ name: path.basename(f).replace(/\.pcap$/, ''), file: path.resolve(f) }));
  } else if (v.quick) {
    captures = [
      { name: 'bulk-100k', file: path.join(dir, 'bulk-100k.pcap') },
      { name: 'short-100k', file: path.join(dir, 'short-100k.pcap') },
    ];
  } else {
    captures = [
      { name: 'bulk', file: path.join(dir, 'bulk.pcap'), slice: path.join(dir, 'bulk-100k.pcap') },
      { name: 'short', file: path.join(dir, 'short.pcap') },
    ];
  }
  return { help: v.help, runs, quick: v.quick, only, peers, dir, captures, timeout, json: v.json, dryRun: v['dry-run'], noSnapshot: v['no-snapshot'], floor: !v['no-floor'] };
}

function usageError(msg) {
  process.stderr.write(`bench: ${msg}\n(node scripts/bench.mjs --help for the options)\n`);
  process.exit(1);
}

// ------------------------------------------------------------------------------- tools
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** GNU time works with -f %M -o FILE? */
function gnuTime() {
  if (!existsSync('/usr/bin/time')) return null;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true'], { stdio: 'ignore' });
  return r.status === 0 ? '/usr/bin/time' : null;
}

// node processes report their peak RSS through this hook when GNU time is missing
const RSS_HOOK = 'data:text/javascript,' + encodeURIComponent(
  'import{writeFileSync as w}from"node:fs";process.on("exit",()=>{try{w(process.env.MINISHARK_BENCH_RSS_FILE,String(process.resourceUsage().maxRSS))}catch{}})',
);

let emptyConfig = null; // an empty XDG_CONFIG_HOME: plain tshark ignores the user's profile

/** The command of a tool in a mode on a capture: {label, cmd, args, env, node}. */
function command(tool, mode, file) {
  const m = MODES[mode];
  switch (tool) {
    case 'minishark':
      return { label: 'minishark', cmd: NODE, args: [BIN, '-r', file, ...m.minishark], env: {}, node: true };
    case 'tshark':
      return {
        label: mode === 'jsonl' ? 'tshark -T json' : 'tshark -n',
        cmd: 'tshark',
        args: ['-n', '-r', file, ...m.peers.tshark],
        env: { XDG_CONFIG_HOME: emptyConfig ?? '<empty dir>', LC_ALL: 'C', TZ: 'UTC' },
      };
    case 'tshark-ref':
      return { label: mode === 'jsonl' ? 'tshark-ref -T json' : 'tshark-ref', cmd: TSHARK_REF, args: ['-r', file, ...m.peers['tshark-ref']], env: {} };
    case 'tcpdump':
      return { label: 'tcpdump -n', cmd: 'tcpdump', args: ['-n', '-r', file], env: { TZ: 'UTC' } };
    case 'walk':
      return { label: 'bench-walk.mjs', cmd: NODE, args: [WALK, file], env: {}, node: true };
    case 'floor':
      return { label: 'bench-floor.mjs', cmd: NODE, args: [FLOOR, file, m.floor], env: {}, node: true };
    default:
      throw new Error(`unknown tool ${tool}`);
  }
}

const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const shownArg = (a) => (a === BIN ? 'bin/minishark.js' : path.isAbsolute(a) && a.startsWith(ROOT + '/') ? path.relative(ROOT, a) : a);
const showCommand = (c) =>
  [...Object.entries(c.env).map(([k, v]) => `${k}=${k === 'XDG_CONFIG_HOME' ? '<empty dir>' : shellQuote(v)}`), c.cmd === NODE ? 'node' : c.cmd.startsWith(ROOT + '/') ? path.relative(ROOT, c.cmd) : c.cmd, ...c.args.map((a) => shellQuote(shownArg(a)))].join(' ') + ' >/dev/null';

/**
 * Copy bin/, dist/ and package.json to DIR (node_modules linked): the bench times this one
 * build even when dist/ is rebuilt while it runs (other people working in the tree).
 */
function snapshotBuild(dir) {
  mkdirSync(dir);
  cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  if (existsSync(path.join(ROOT, 'dist'))) cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return path.join(dir, 'bin', 'minishark.js');
}

// ------------------------------------------------------------------------------- running
let current = null; // the running child (its process group is ours to end on Ctrl-C)
let devNull = -1;
let timeBin = null;
let tmpDir = '';

/** Run one command; resolves to {seconds, rssKiB, code, error}. */
function runOnce(c, timeoutSec) {
  return new Promise((resolve) => {
    const rssFile = path.join(tmpDir, 'rss');
    rmSync(rssFile, { force: true });
    let cmd = c.cmd;
    let args = c.args;
    const env = { ...process.env, ...c.env };
    if (timeBin) {
      args = ['-f', '%M', '-o', rssFile, cmd, ...args];
      cmd = timeBin;
    } else if (c.node) {
      args = ['--import', RSS_HOOK, ...args];
      env.MINISHARK_BENCH_RSS_FILE = rssFile;
    }
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', devNull, 'pipe'], env, detached: true });
    current = child;
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      if (err.length > 8192) err = err.slice(0, 8192);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutSec * 1000);
    const done = (code, signal, spawnErr) => {
      clearTimeout(timer);
      current = null;
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      let rssKiB = null;
      try {
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        const n = Number(lines[lines.length - 1]);
        if (Number.isFinite(n) && n > 0) rssKiB = n;
      } catch {}
      // GNU time writes "Command exited with non-zero status N" above the figure
      const stderrLines = err.split('\n').filter((l) => l && !/^Running as user "root"/.test(l));
      let error = null;
      if (spawnErr) error = spawnErr.code === 'ENOENT' ? 'not installed' : spawnErr.message;
      else if (timedOut) error = `timeout after ${timeoutSec} s`;
      else if (signal) error = `killed by ${signal}`;
      else if (code !== 0) error = `exit code ${code}${stderrLines.length ? `: ${stderrLines[0].slice(0, 120)}` : ''}`;
      resolve({ seconds, rssKiB, code, error });
    };
    child.on('error', (e) => done(null, null, e));
    child.on('close', (code, signal) => done(code, signal, null));
  });
}

/** Packets in a capture: bench-walk.mjs (which also brings the file into the page cache). */
function countPackets(file) {
  const r = spawnSync(NODE, [WALK, file, '--json'], { encoding: 'utf8' });
  if (r.status === 0) return JSON.parse(r.stdout).packets;
  const c = spawnSync('capinfos', ['-M', '-c', file], { encoding: 'utf8' });
  const m = c.status === 0 ? /Number of packets:\s*(\d+)/.exec(c.stdout) : null;
  if (m) return Number(m[1]);
  throw new Error(`cannot count the packets of ${file}: ${r.stderr.trim()}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

// ------------------------------------------------------------------------------- reporting
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtRatio = (r) => (r >= 10 ? r.toFixed(1) : r.toFixed(2)) + 'x';
const mib = (kib) => (kib == null ? '?' : (kib / 1024).toFixed(1));

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const right = rows[0].map((h, i) => i > 1 && h !== '' && h !== 'measured' && h !== 'verdict');
  return rows
    .map((r, ri) => {
      const line = r.map((c, i) => (right[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ').trimEnd()}` : line;
    })
    .join('\n');
}

function firstLine(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return ((r.stdout || '') + (r.stderr || '')).split('\n').find((l) => l && !/^Running as user/.test(l)) ?? '?';
}

function machine() {
  const cpus = os.cpus();
  const git = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString(),
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? '?',
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    tshark: have('tshark') ? firstLine('tshark', ['--version']) : 'not installed',
    tcpdump: have('tcpdump') ? firstLine('tcpdump', ['--version']) : 'not installed',
    minishark: git.status === 0 ? `${git.stdout.trim()}${dirty.stdout.trim() ? ' + uncommitted changes' : ''}` : '?',
    loadStart: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

// ------------------------------------------------------------------------------- main
async function main() {
  const opt = parseOptions(process.argv.slice(2));
  if (opt.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = (s = '') => process.stdout.write(s + '\n');
  // the bare-loop floor (scripts/bench-floor.mjs) runs in every mode that has one: not a target,
  // it shows how near a target is to what the runtime itself can do
  const tools = (mode, peers) => ['minishark', ...(mode === 'read' ? ['walk'] : [...peers.filter((p) => MODES[mode].peers[p]), ...(MODES[mode].floor && opt.floor ? ['floor'] : [])])];

  if (opt.dryRun) {
    out(`runs: ${opt.runs}, interleaved; modes: ${opt.only.join(', ')}; peers: ${opt.peers.join(', ')}; timeout ${opt.timeout} s`);
    for (const cap of opt.captures) {
      out(`\ncapture ${cap.name}: ${cap.file}${existsSync(cap.file) ? '' : '  (missing: sudo scripts/make-bench-captures.sh)'}`);
      if (cap.slice) out(`  memory growth check against ${cap.slice}${existsSync(cap.slice) ? '' : '  (missing)'}`);
      for (const mode of opt.only) {
        out(`  ${mode}: ${MODES[mode].title}`);
        for (const t of tools(mode, opt.peers)) out(`    ${t.padEnd(10)} ${showCommand(command(t, mode, cap.file))}`);
        if (cap.slice) out(`    ${'min@slice'.padEnd(10)} ${showCommand(command('minishark', mode, cap.slice))}`);
      }
    }
    return 0;
  }

  const missing = opt.captures.flatMap((c) => [c.file, ...(c.slice ? [c.slice] : [])]).filter((f) => !existsSync(f));
  if (missing.length) {
    process.stderr.write(`bench: missing capture(s):\n${missing.map((f) => `  ${f}\n`).join('')}make them with: sudo scripts/make-bench-captures.sh${opt.captures[0]?.file.startsWith(opt.dir) ? ` ${opt.dir}` : ''}\n`);
    return 2;
  }

  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'minishark-bench-'));
  emptyConfig = path.join(tmpDir, 'config');
  if (!opt.noSnapshot) BIN = snapshotBuild(path.join(tmpDir, 'build'));
  devNull = openSync('/dev/null', 'w');
  timeBin = gnuTime();
  const stop = () => {
    if (current) {
      try {
        process.kill(-current.pid, 'SIGKILL');
      } catch {}
    }
    rmSync(tmpDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const info = machine();
  const absent = opt.peers.filter((p) => p !== 'tshark-ref' && !have(p));
  if (opt.peers.includes('tshark-ref') && !have('tshark')) absent.push('tshark-ref');
  const peers = opt.peers.filter((p) => !absent.includes(p));
  const progress = (s) => process.stderr.write(s + '\n');

  const results = { machine: info, options: { runs: opt.runs, quick: opt.quick, only: opt.only, peers }, captures: [] };
  for (const cap of opt.captures) {
    const packets = countPackets(cap.file);
    const slicePackets = cap.slice ? countPackets(cap.slice) : null;
    const capRes = { name: cap.name, file: cap.file, bytes: statSync(cap.file).size, packets, slice: cap.slice ?? null, slicePackets, modes: {} };
    results.captures.push(capRes);
    for (const mode of opt.only) {
      // the tools of this mode, plus minishark on the slice (memory growth), interleaved
      const entries = tools(mode, peers).map((t) => ({
        tool: t, c: command(t, mode, cap.file), packets, runs: [], error: null,
      }));
      if (cap.slice) entries.push({ tool: 'minishark@slice', c: { ...command('minishark', mode, cap.slice), label: 'minishark (100k slice)' }, packets: slicePackets, runs: [], error: null });
      for (let r = 1; r <= opt.runs; r++) {
        for (const e of entries) {
          if (e.error) continue;
          const res = await runOnce(e.c, opt.timeout);
          if (res.error) {
            e.error = res.error;
            progress(`  ${cap.name} ${mode} ${e.c.label}: n/a (${res.error})`);
            continue;
          }
          e.runs.push(res);
          progress(`  ${cap.name} ${mode} ${e.c.label} run ${r}/${opt.runs}: ${res.seconds.toFixed(2)} s, ${fmtInt(e.packets / res.seconds)} packets/s, ${mib(res.rssKiB)} MiB`);
        }
      }
      capRes.modes[mode] = entries.map((e) => {
        const secs = e.runs.map((x) => x.seconds);
        const rss = e.runs.map((x) => x.rssKiB).filter((x) => x != null);
        const med = secs.length ? median(secs) : null;
        return {
          tool: e.tool,
          label: e.c.label,
          command: showCommand(e.tool === 'minishark@slice' ? e.c : command(e.tool, mode, 'FILE')),
          error: e.error,
          runs: secs,
          medianSeconds: med,
          pps: med ? e.packets / med : null,
          peakRssKiB: rss.length ? Math.max(...rss) : null,
        };
      });
    }
  }
  info.loadEnd = os.loadavg().map((x) => x.toFixed(2)).join(' ');

  // ---- report
  out(`minishark benchmark, ${info.date}`);
  out(`machine: ${info.cpus} CPUs (${info.cpuModel}), ${info.memGiB} GiB, ${info.kernel}`);
  out(`node ${info.node}; ${info.tshark}; ${info.tcpdump}; minishark ${info.minishark}`);
  out(`load average (1/5/15 min) at start ${info.loadStart}, at end ${info.loadEnd}${Number(info.loadStart.split(' ')[0]) > info.cpus * 0.5 ? '  -- a busy machine: the figures are noisy' : ''}`);
  out(`runs: ${opt.runs} per tool, interleaved; figure = median run; peak RSS = largest of the runs (${timeBin ? 'GNU time %M' : 'node: process.resourceUsage; others unknown'}); minishark = ${opt.noSnapshot ? 'dist/ in place' : 'a copy of dist/ taken at the start'}`);
  if (absent.length) out(`not installed, skipped: ${absent.join(', ')}`);
  const verdicts = [];
  const ratios100k = {};
  for (const cap of results.captures) {
    out(`\n${cap.name}: ${fmtInt(cap.packets)} packets, ${(cap.bytes / 2 ** 20).toFixed(1)} MiB (${cap.file})`);
    const rows = [['mode', 'tool', 'runs', 'median s', 'packets/s', 'minishark/peer', 'peak RSS MiB', '']];
    for (const mode of opt.only) {
      const entries = cap.modes[mode];
      const ms = entries.find((e) => e.tool === 'minishark');
      entries.forEach((e, i) => {
        const ratio = e.tool === 'minishark' || e.tool === 'minishark@slice' ? '' : ms.pps && e.pps ? fmtRatio(ms.pps / e.pps) : 'n/a';
        rows.push([
          i === 0 ? mode : '',
          e.label,
          e.runs.length,
          e.error ? 'n/a' : e.medianSeconds.toFixed(2),
          e.error ? '' : fmtInt(e.pps),
          ratio,
          e.error ? '' : mib(e.peakRssKiB),
          e.error ? `n/a (${e.error})` : '',
        ]);
      });
      for (const t of MODES[mode].targets) {
        const peer = entries.find((e) => e.tool === t.peer);
        const name = `${mode}: minishark ${t.text ?? `>= ${t.min}x ${t.peer === 'floor' ? 'the bare-loop floor' : (peer?.label ?? t.peer)}`}`;
        let measured;
        let met;
        if (!peer) (measured = `${t.peer} not run`), (met = 'n/a');
        else if (ms.error) (measured = `minishark n/a (${ms.error})`), (met = 'n/a');
        else if (peer.error) (measured = `${peer.label} n/a (${peer.error})`), (met = 'n/a');
        else {
          const r = ms.pps / peer.pps;
          measured = fmtRatio(r) + (t.peer === 'walk' ? ` (${(1 / r).toFixed(2)}x slower)` : '');
          met = r >= t.min ? 'met' : 'NOT MET';
        }
        // what the target asks for, as a share of the bare loop's packets/s (above 1: more than the floor)
        const floor = entries.find((e) => e.tool === 'floor');
        const need = peer && !peer.error && floor && !floor.error && t.peer !== 'walk' && t.peer !== 'floor' ? `${((t.min * peer.pps) / floor.pps).toFixed(2)}x floor` : '';
        verdicts.push([name, cap.name, measured, met, need]);
        if (t.median100k && peer && !ms.error && !peer.error && /-100k$/.test(cap.name)) (ratios100k[`${mode} ${t.peer} ${t.min}`] ??= { name, min: t.min, r: [] }).r.push(ms.pps / peer.pps);
      }
    }
    out(table(rows));
  }
  // the tshark-ref targets of issue 17 are on the median over the 100k-packet captures
  for (const { name, min, r } of Object.values(ratios100k)) {
    const m = median(r);
    verdicts.push([`${name} (median)`, `${r.length} x 100k`, fmtRatio(m), m >= min ? 'met' : 'NOT MET', '']);
  }
  // memory: on the capture with a slice (the 1M-packet bulk capture), every mode that ran
  for (const cap of results.captures.filter((c) => c.slice)) {
    for (const mode of opt.only) {
      const full = cap.modes[mode].find((e) => e.tool === 'minishark');
      const part = cap.modes[mode].find((e) => e.tool === 'minishark@slice');
      if (full.error) {
        verdicts.push([`${mode}: peak RSS <= ${RSS_MAX_MIB} MiB`, cap.name, `minishark n/a (${full.error})`, 'n/a', '']);
        continue;
      }
      const rss = full.peakRssKiB;
      verdicts.push([`${mode}: peak RSS <= ${RSS_MAX_MIB} MiB`, cap.name, `${mib(rss)} MiB`, rss == null ? 'n/a' : rss / 1024 <= RSS_MAX_MIB ? 'met' : 'NOT MET', '']);
      if (part.error || rss == null || part.peakRssKiB == null) {
        verdicts.push([`${mode}: RSS growth 100k -> full < ${RSS_GROWTH_MAX * 100}%`, cap.name, part.error ? `slice n/a (${part.error})` : 'RSS unknown', 'n/a', '']);
      } else {
        const g = rss / part.peakRssKiB - 1;
        verdicts.push([`${mode}: RSS growth 100k -> full < ${RSS_GROWTH_MAX * 100}%`, cap.name, `${mib(part.peakRssKiB)} -> ${mib(rss)} MiB (${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)}%)`, g < RSS_GROWTH_MAX ? 'met' : 'NOT MET', '']);
      }
    }
  }
  out(`\ntargets${opt.quick ? ' (--quick: 100k-packet slices, 1 run: a smoke check, not a measurement)' : ''}:`);
  out(table([['target', 'capture', 'measured', 'verdict', 'target needs'], ...verdicts]));
  if (verdicts.some((v) => v[4])) out(`(target needs: the packets/s the target asks for, as a share of the bare-loop floor's in the same run)`);
  results.targets = verdicts.map(([target, capture, measured, verdict, need]) => ({ target, capture, measured, verdict, ...(need ? { needs: need } : {}) }));
  out(`\ncommands (FILE = the capture):`);
  const seen = new Set();
  for (const cap of results.captures.slice(0, 1)) {
    for (const mode of opt.only) {
      for (const e of cap.modes[mode]) {
        if (e.tool === 'minishark@slice') continue;
        const line = `  ${mode.padEnd(8)} ${e.command}`;
        if (!seen.has(line)) seen.add(line), out(line);
      }
    }
  }
  if (opt.json) writeFileSync(opt.json, JSON.stringify(results, null, 2) + '\n');
  closeSync(devNull);
  rmSync(tmpDir, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${e.stack ?? e}\n`);
    process.exit(1);
  },
);
