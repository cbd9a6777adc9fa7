import * as fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { openSession } from '../api/session.js';
import type { EngineOptions } from '../dissect/engine.js';
import type { CompiledFilter } from '../filter/index.js';
import { DEFAULT_PREFS, type Prefs, setPref } from '../dissect/state.js';
import { LANG_NAMES, parseLang } from '../analysis/lang.js';
import { CaptureError, describeCaptureError, WriteError } from '../io/errors.js';
import type { CaptureFormat, CaptureWriter } from '../io/writer.js';
import type { ColorMode } from '../output/color.js';
import { DEFAULT_FIELDS_OPTIONS, parseFieldsOption, type FieldsOptions } from '../output/fields.js';
import { OutputOptionError, outputWidth } from '../output/options.js';
import type { TimeFormat } from '../output/time-format.js';
import type { OutputFormat, PacketOutput } from '../output/printer.js';
import { Writer } from '../output/writer.js';
import { HeapKeeper } from './heap.js';
import { interruptedStatus, LoopTurns, untilAborted } from './interrupt.js';
import { expandGlob } from './glob.js';
import { Progress } from '../stats/progress.js';
import { StatError, type Stat } from '../stats/types.js';

/** Exit codes, as tshark: 0 ok, 1 bad usage/option, 2 a capture file problem. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_FILE = 2;

export class UsageError extends Error {}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** environment for NO_COLOR / COLUMNS (default process.env) */
  env?: NodeJS.ProcessEnv;
  /** aborting it (Ctrl-C) stops reading at the next batch: what was dissected is written, JSON is
   * closed; the exit status is 130, or 143 when the abort's reason is 'SIGTERM' (./interrupt.ts) */
  signal?: AbortSignal;
  /** the progress line's redraw interval (default 250 ms; tests use 0 to see it on a small file) */
  progressIntervalMs?: number;
}

interface Opts {
  displayFilter?: string;
  readFile?: string[];
  count?: string;
  V?: boolean;
  O?: string[];
  x?: boolean;
  T?: string;
  e: string[];
  E: string[];
  o: string[];
  q?: boolean;
  l?: boolean;
  n?: boolean;
  z: string[];
  w?: string;
  F?: string;
  P?: boolean;
  color: ColorMode;
  lang?: string;
  t?: string;
  G?: string | true;
  version?: boolean;
  details: 'table' | 'tree';
}

export function buildProgram(): Command {
  const p = new Command();
  p.name('minishark')
    .description('Dissect pcap/pcapng captures like tshark: Ethernet, IPv4/IPv6, TCP/UDP, with Wireshark 4.0 TCP analysis.')
    .addOption(new Option('-r, --read-file <file>', 'read packets from a capture file (pcap, pcapng, optionally gzip-compressed); "-" for standard input; several -r (or a quoted glob) are dissected in parallel, output in order').argParser(collect))
    .addOption(new Option('-Y, --display-filter <filter>', 'show only packets matching a Wireshark display filter, e.g. "tcp.analysis.retransmission || tcp.port in {80, 443}"'))
    .addOption(new Option('-c, --count <n>', 'stop after n packets'))
    .addOption(new Option('-V', 'print the details of each packet: one block per layer, a table of its fields (text, filter name, bytes)'))
    .addOption(new Option('-O <protocols>', 'like -V, but only these protocols (comma separated, e.g. tcp,ip) in detail; the others as one line').argParser(collect))
    .addOption(new Option('-x', 'print a hex and ASCII dump of each packet (with -V: coloured by layer on a colour terminal)'))
    .addOption(new Option('-T <format>', 'output format: text (summary lines, or -V/-x), fields, json (one array), jsonl (one object per line), ek (Elasticsearch bulk lines, as tshark)').choices(['text', 'fields', 'json', 'jsonl', 'ek']))
    .addOption(new Option('-e <field>', 'a field to print with -T fields, or to keep with -T json/jsonl/ek (repeatable)').default([]).argParser(collect))
    .addOption(new Option('-E <option>', 'fields formatting: bom=y|n, header=y|n, separator=/t|/s|<char> (tab, space or any character), occurrence=f|l|a, aggregator=,|/s|<char>, quote=d|s|n').default([]).argParser(collect))
    .addOption(new Option('-t <format>', 'output format of time stamps (def: r: rel. to first): a|ad|adoy (absolute local time, alone or with YYYY-MM-DD or YYYY/DOY date), u|ud|udoy (the same in UTC), d (delta), dd (delta displayed), e (epoch), r'))
    .addOption(new Option('-o <pref>', 'set a preference, e.g. tcp.relative_sequence_numbers:FALSE (repeatable)').default([]).argParser(collect))
    .addOption(new Option('-q', 'quiet: print no per-packet output'))
    .addOption(new Option('-l', 'flush standard output after each packet'))
    .addOption(new Option('-z <statistics>', 'statistics, printed after the packets (repeatable): conv,eth|ip|ipv6|tcp|udp[,FILTER], endpoints,eth|ip|ipv6|tcp|udp[,FILTER], io,phs[,FILTER], io,stat,INTERVAL[,FILTER…], expert[,LEVEL][,FILTER], follow,tcp|udp,ascii|hex|raw|ebcdic,N, flow,tcp[,N], seqgraph,tcp,N[,FILE.svg]').default([]).argParser(collect))
    .addOption(new Option('-w <file>', 'write the packets that pass -Y/-c to a capture file ("-" for standard output); no per-packet output unless -P, -V, -x, -O or -T'))
    .addOption(new Option('-F <format>', 'capture file format for -w: pcapng (default), pcap, nsecpcap'))
    .addOption(new Option('-P', 'print the packet summary even when writing a capture file with -w'))
    .addOption(new Option('-n', 'numeric addresses and ports (always the case; accepted for tshark habits)'))
    .addOption(new Option('-G [report]', 'dump one of several available reports and exit: fields (default), protocols; must be the first option'))
    .addOption(new Option('-v, --version', 'display version info and exit'))
    .addOption(new Option('--color <when>', 'colour output: auto (a colour terminal, unless NO_COLOR is set), always, never').choices(['auto', 'always', 'never']).default('auto'))
    .addOption(new Option('--lang <lang>', 'language of the TCP explanations and the flow diagram\'s phases: en, zh (Simplified Chinese, as zh-CN), zh-TW (Traditional)').choices([...LANG_NAMES]))
    .addOption(new Option('--details <style>', 'how -V/-O print the details: table (text, filter name, bytes), tree (exactly as tshark -V)').choices(['table', 'tree']).default('table'))
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) })
    .allowExcessArguments(false);
  return p;
}

/** Run the CLI; resolves to the exit code. Never throws for user errors. */
export async function main(
  argv: string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr },
  /** a worker of a several-file run reads this one file instead of the -r list */
  only?: { readFile: string },
): Promise<number> {
  const program = buildProgram();
  const err = (s: string) => io.stderr.write(`minishark: ${s}\n`);
  let opts: Opts;
  try {
    program.parse(argv);
    opts = program.opts<Opts>();
    if (only) opts.readFile = [only.readFile];
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_OK;
      // a word without an option (`minishark x.pcap`): what to type instead
      const hint = e.code === 'commander.excessArguments' ? (await import('./hints.js')).strayArgumentMessage(program, argv.slice(2)) : null;
      err(hint ?? e.message.replace(/^error: /, ''));
      return EXIT_USAGE;
    }
    throw e;
  }
  try {
    // -v and -G print and exit (their module is loaded only for them)
    if (opts.version) return (await import('./info.js')).printVersion(io.stdout);
    if (opts.G !== undefined) return await (await import('./info.js')).printReport(opts.G, argv, io);
    if (opts.t !== undefined) {
      const tf = await import('../output/time-format.js');
      if (!tf.isTimeFormat(opts.t)) throw new UsageError(tf.timeFormatError(opts.t));
    }
    const files = (opts.readFile ?? []).flatMap((f) => (f === '-' ? [f] : expandGlob(f)));
    if (files.length > 1) return await runSeveral(opts, files, argv, io);
    return await run(opts, files[0], io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof OutputOptionError) {
      err(e.message);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** The output of a `-q` run without output options: nothing per packet, nothing built for it. */
const NO_OUTPUT: PacketOutput = {
  full: false,
  texts: false,
  fields: [],
  columns: false,
  flushEachPacket: false,
  colorLevel: 0,
  header: () => '',
  packet: () => '',
  footer: () => '',
};

/** how large V8 lets the heap grow between collections (see ./heap.ts) */
const HEAP_TUNING = { youngMiB: 8, oldGrowingPercent: 50 };

/** -F values: tshark's names for the formats the capture writer can produce */
const CAPTURE_FORMATS: Record<string, { format: CaptureFormat; nanosecond?: boolean; text: string }> = {
  pcap: { format: 'pcap', text: 'Wireshark/tcpdump/... - pcap' },
  pcapng: { format: 'pcapng', text: 'Wireshark/... - pcapng' },
  nsecpcap: { format: 'pcap', nanosecond: true, text: 'Wireshark/tcpdump/... - nanosecond pcap' },
};

/** Several capture files: each in a worker thread (src/cli/multi.ts), outputs in the order given. */
async function runSeveral(opts: Opts, files: string[], argv: string[], io: CliIO): Promise<number> {
  if (files.includes('-')) throw new UsageError('-r -: standard input can only be read alone');
  if (opts.z.length) throw new UsageError('-z reads one capture: run once per file, or merge the files first (mergecap)');
  if (opts.w !== undefined) throw new UsageError('-w writes one capture from one -r file: merge the files first (mergecap)');
  if (opts.count !== undefined) throw new UsageError('-c counts the packets of one capture: give a single -r file');
  const fopts: FieldsOptions = { ...DEFAULT_FIELDS_OPTIONS };
  for (const e of opts.E) {
    const msg = parseFieldsOption(fopts, e);
    if (msg) throw new UsageError(msg);
  }
  // loaded only here: worker threads and file merging are not needed for one file
  const { runMany } = await import('./multi.js');
  return runMany(
    { argv, files, json: opts.T === 'json' && !opts.q, fieldsHeader: opts.T === 'fields' && fopts.header && !opts.q, bom: opts.T === 'fields' && !!fopts.bom },
    { stdout: io.stdout, stderr: io.stderr, signal: io.signal },
  );
}

async function run(opts: Opts, readFile: string | undefined, io: CliIO): Promise<number> {
  const err = (s: string) => io.stderr.write(`minishark: ${s}\n`);
  if (!readFile) throw new UsageError('no capture file given: use -r FILE (or -r - for standard input)');
  const prefs: Prefs = { ...DEFAULT_PREFS };
  for (const o of opts.o) {
    const msg = setPref(prefs, o);
    if (msg) throw new UsageError(msg);
  }
  let count = Infinity;
  if (opts.count !== undefined) {
    count = Number(opts.count);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`invalid -c count "${opts.count}": must be a positive integer`);
  }
  const fopts: FieldsOptions = { ...DEFAULT_FIELDS_OPTIONS };
  for (const e of opts.E) {
    const msg = parseFieldsOption(fopts, e);
    if (msg) throw new UsageError(msg);
  }
  // -w / -F, as tshark: per-packet output with -w only when asked for (-P, -V, -x, -O, -T)
  const fmt = CAPTURE_FORMATS[opts.F ?? 'pcapng'];
  if (!fmt) {
    const list = Object.entries(CAPTURE_FORMATS).map(([k, v]) => `    ${k} - ${v.text}`);
    throw new UsageError(`"${opts.F}" isn't a valid capture file type\nThe available capture file types for the "-F" flag are:\n${list.join('\n')}`);
  }
  const printInfo = !!(opts.P || opts.V || opts.x || opts.O?.length || opts.T);
  if (opts.w === '-' && printInfo) throw new UsageError("You can't write both raw packet data and dissected packets to the standard output.");
  const quiet = !!opts.q || (opts.w !== undefined && !printInfo);
  const env = io.env ?? process.env;
  const width = outputWidth(io.stdout, env);
  // -q with no output option (-e, -O, -T, -V, -x, which are checked even with -q) prints nothing per
  // packet: the printers are not loaded. A plain read (that, and nothing that reads a dissection: no
  // tap, filter or -w) dissects nothing: the dissectors and the engine are not loaded either.
  const noOutput = quiet && !opts.e.length && !opts.O?.length && !opts.T && !opts.V && !opts.x;
  const plainRead = noOutput && !opts.z.length && opts.displayFilter === undefined && opts.w === undefined;
  // the dissectors (with the field registry that -e, -Y and -z names are looked up in) and the engine
  const engineMod = plainRead ? null : await import('../dissect/engine.js');
  // what is printed per packet, and what the engine must build for it (src/output/printer.ts)
  const output: PacketOutput = noOutput ? NO_OUTPUT : (await import('../output/printer.js')).makeOutput({
    format: (opts.T ?? 'text') as OutputFormat,
    details: !!opts.V,
    detailsStyle: opts.details,
    only: opts.O?.length ? opts.O : null,
    hex: !!opts.x,
    fields: opts.e,
    neverPresent: opts.e.length ? (await import('../filter/not-dissected.js')).notDissected : undefined,
    fieldsOptions: fopts,
    timeFormat: opts.t as TimeFormat | undefined,
    color: opts.color,
    quiet,
    stdout: io.stdout,
    env,
    width,
  });
  // --lang, else -o minishark.lang:…, else English
  if (opts.lang !== undefined) prefs['minishark.lang'] = parseLang(opts.lang) ?? 'en';
  const lang = prefs['minishark.lang'];
  // display filter: compiled once; the engine keeps every field it reads (single pass: the tracker
  // sees every packet, the filter only chooses what is shown)
  let filter: CompiledFilter | null = null;
  // the filter language is loaded only when a filter is given (-Y, or a tap's filter argument)
  const filterMod = opts.displayFilter !== undefined || opts.z.length ? await import('../filter/index.js') : null;
  if (opts.displayFilter !== undefined && filterMod) {
    try {
      filter = filterMod.compileFilter(opts.displayFilter);
    } catch (e) {
      if (e instanceof filterMod.FilterSyntaxError) {
        io.stderr.write(`minishark: ${filterMod.describeFilterError(opts.displayFilter, e)}\n`);
        return EXIT_FILE;
      }
      throw e;
    }
  }
  // -z taps: fed every dissected packet (tshark's taps ignore -Y), up to -c; drawn after the packets
  let stats: Stat[] | null = null;
  const tapFilters: CompiledFilter[] = [];
  // the taps are loaded only when asked for (less code to load and hold for a plain read)
  const statsMod = opts.z.length ? await import('../stats/index.js') : null;
  if (statsMod && filterMod) {
    try {
      stats = statsMod.parseStats(opts.z, {
        compileFilter: (text) => {
          const f = filterMod.compileFilter(text);
          tapFilters.push(f);
          return f;
        },
        referenced: filter?.fields.map((d) => d.abbrev) ?? [],
        // tshark builds the whole tree for -V, -O, -T fields and JSON (io,phs then shows "frame")
        treeVisible: !!opts.V || !!opts.O?.length || opts.T === 'json' || opts.T === 'jsonl' || opts.T === 'ek' || opts.T === 'fields',
        width: width ?? 80,
        height: Math.max(16, ((io.stdout as { rows?: number }).rows ?? 32) - 8),
        color: (await import('../output/color.js')).colorLevel(opts.color, io.stdout, env) > 0,
        lang,
      });
    } catch (e) {
      if (e instanceof StatError) {
        err(e.message);
        return e.exitCode;
      }
      throw e;
    }
  }
  // names of Wireshark protocols minishark does not dissect: accepted, never present, said on stderr
  if (filterMod || opts.e.length) {
    const { notDissectedNotes } = await import('./hints.js');
    for (const line of notDissectedNotes(filter ? [filter, ...tapFilters] : tapFilters, opts.e)) err(line);
  }
  // the engine builds what is printed (nothing with -q, or -w without -P/-V/…), filtered and tapped
  const print = !quiet;
  const wanted = print ? [...output.fields] : [];
  if (filter) wanted.push(...filter.fields);
  if (stats && statsMod) wanted.push(...statsMod.statFields(stats));
  const full = (print && output.full) || (filter?.needsFull ?? false) || (stats?.some((s) => s.needsFull) ?? false);
  const columns = (print && output.columns) || (stats?.some((s) => s.needsColumns) ?? false);
  const engineOptions: EngineOptions | null = engineMod && {
    prefs,
    full,
    fields: wanted,
    columns,
    // the details texts only for an output that shows them (-V); JSON reads values
    texts: print && output.texts,
    // the TCP analysis only when something reads it (conversation and endpoint tables need only
    // the stream index; -T fields of header fields none)
    analysis: full || columns || engineMod.analysisNeeded(wanted) || (stats?.some((s) => s.needsAnalysis !== false) ?? false),
    // each packet is printed, counted by the taps (which copy what they keep) and dropped before
    // the next: the engine reuses its packet and layer objects
    reuse: true,
  };
  let capture: CaptureWriter | null = null;
  if (opts.w !== undefined) {
    // opening the output truncates it: never when it is the capture being read
    if (opts.w !== '-' && readFile !== '-' && sameFile(opts.w, readFile)) throw new UsageError(`"${opts.w}" is the capture file being read; it can't also be the output of -w.`);
    try {
      const { openCaptureWriter } = await import('../io/writer.js');
      capture = openCaptureWriter(opts.w === '-' ? io.stdout : opts.w, { format: fmt.format, nanosecond: fmt.nanosecond });
    } catch (e) {
      if (e instanceof WriteError) {
        err(e.message);
        return EXIT_FILE;
      }
      throw e;
    }
  }
  const out = new Writer(io.stdout);
  // -l: each packet's output is handed on at once, as tshark's fflush after each packet
  const flushEachPacket = !!opts.l;
  out.write(output.header());
  let progress: Progress | null = null;

  let shown = 0;
  let seen = 0;
  let code = EXIT_OK;
  try {
    // nothing reads the dissection (-q alone): the records are only counted, nothing is dissected
    const dissecting = print || stats !== null || capture !== null || filter !== null;
    // the reader, the engine, the taps and the filter: the library's readPackets runs the same
    const session = await openSession(readFile, { engine: dissecting ? engineOptions : null, filter, taps: stats, reuseBuffers: true });
    const reader = session.reader;
    // a progress line on a terminal stderr, for long -q runs (statistics over a large file)
    if (opts.q) progress = new Progress(io.stderr, { total: reader.compressed ? undefined : fileSize(readFile), intervalMs: io.progressIntervalMs });
    const heap = new HeapKeeper(HEAP_TUNING);
    const turns = new LoopTurns();
    // standard input may keep the loop waiting for data: a signal ends the wait (a file never waits)
    const batches = readFile === '-' && io.signal ? untilAborted(session.batches(), io.signal) : session.batches();
    outer: for await (const batch of batches) {
      // the young generation is capped in a plain read too: its records are garbage by the next batch
      heap.check();
      if (!session.engine) shown += batch.length;
      else for (const rec of batch) {
        // engine, taps, display filter (null: filtered out)
        const pkt = session.dissect(rec);
        if (pkt === null) continue;
        let flushed = false;
        if (capture) {
          capture.write(rec);
          if (capture.full) {
            await capture.flush();
            flushed = true;
          }
        }
        if (print) {
          out.write(output.packet(pkt));
          // large writes: flush when 256 KiB are buffered (and after each batch, below)
          if (out.full || flushEachPacket) {
            await out.flush();
            if (out.closed) break outer;
            flushed = true;
          }
        }
        if (++shown >= count) break outer;
        // a signal is handled after a flush as between batches (a batch of -V text is megabytes)
        if (flushed && turns.due && (await turns.take(io.signal))) break outer;
      }
      // jsonl: what a batch (one read) gave is handed on at once, for a consumer reading a live pipe
      if (output.flushEachPacket && print) await out.flush();
      if (out.closed || shown >= count) break;
      if (progress?.enabled) progress.update(reader.bytesRead, (seen += batch.length));
      // a signal is handled here, between batches, whatever stdout is (./interrupt.ts)
      if (turns.due && (await turns.take(io.signal))) break;
    }
    if (io.signal?.aborted) code = interruptedStatus(io.signal);
  } catch (e) {
    if (e instanceof CaptureError) {
      await out.flush();
      err(describeCaptureError(e, readFile));
      code = EXIT_FILE;
    } else if (e instanceof WriteError) {
      await out.flush();
      err(e.message);
      code = EXIT_FILE;
    } else throw e;
  } finally {
    progress?.done();
    // close a JSON array even when the file ended badly, so what was written still parses
    out.write(output.footer());
  }
  if (capture) {
    try {
      await capture.close();
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      if (code === EXIT_OK) {
        err(e.message);
        code = EXIT_FILE;
      }
    }
  }
  if (stats && statsMod && !out.closed) {
    // with -w - the capture is on stdout: the statistics go to stderr, so the file stays readable
    if (opts.w === '-') statsMod.drawStats(stats, (s) => io.stderr.write(s));
    else statsMod.drawStats(stats, (s) => out.write(s));
    for (const s of stats) {
      if (s instanceof statsMod.SeqGraphStat && s.error) {
        err(`seqgraph: ${s.error}`);
        if (code === EXIT_OK) code = EXIT_FILE;
      }
    }
  }
  await out.end();
  return code;
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** The size of a regular capture file (for the progress line's percentage), else undefined. */
function fileSize(file: string): number | undefined {
  if (file === '-') return undefined;
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}
