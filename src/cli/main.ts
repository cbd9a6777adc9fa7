import { Command, CommanderError, Option } from 'commander';
import type { FieldDef } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { Engine } from '../dissect/engine.js';
import { DEFAULT_PREFS, type Prefs, setPref } from '../dissect/state.js';
import { CaptureError, describeCaptureError } from '../io/errors.js';
import { openCapture } from '../io/reader.js';
import { DEFAULT_FIELDS_OPTIONS, FieldsPrinter, parseFieldsOption, resolveFields, type FieldsOptions } from '../output/fields.js';
import { summaryLine } from '../output/summary.js';
import { Writer } from '../output/writer.js';

/** Exit codes, as tshark: 0 ok, 1 bad usage/option, 2 a capture file problem. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_FILE = 2;

export class UsageError extends Error {}

const collect = (v: string, prev: string[]) => [...prev, v];

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface Opts {
  readFile?: string;
  count?: string;
  V?: boolean;
  x?: boolean;
  T?: string;
  e: string[];
  E: string[];
  o: string[];
  q?: boolean;
  n?: boolean;
  color?: string;
}

export function buildProgram(): Command {
  const p = new Command();
  p.name('minishark')
    .description('Dissect pcap/pcapng captures like tshark: Ethernet, IPv4/IPv6, TCP/UDP, with Wireshark 4.0 TCP analysis.')
    .addOption(new Option('-r, --read-file <file>', 'read packets from a capture file (pcap, pcapng, optionally gzip-compressed); "-" for standard input'))
    .addOption(new Option('-c, --count <n>', 'stop after n packets'))
    .addOption(new Option('-V', 'print the details of each packet (one block per layer)'))
    .addOption(new Option('-x', 'print a hex and ASCII dump of each packet'))
    .addOption(new Option('-T <format>', 'output format: text, fields').choices(['text', 'fields']))
    .addOption(new Option('-e <field>', 'a field to print with -T fields (repeatable)').default([]).argParser(collect))
    .addOption(new Option('-E <option>', 'fields formatting: header=y|n, separator=/t|/s|c, occurrence=f|l|a, aggregator=c, quote=d|s|n').default([]).argParser(collect))
    .addOption(new Option('-o <pref>', 'set a preference, e.g. tcp.relative_sequence_numbers:FALSE (repeatable)').default([]).argParser(collect))
    .addOption(new Option('-q', 'quiet: print no per-packet output'))
    .addOption(new Option('-n', 'numeric addresses and ports (always the case; accepted for tshark habits)'))
    .addOption(new Option('--color <when>', 'colour output: auto, always, never').choices(['auto', 'always', 'never']).default('auto'))
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) })
    .allowExcessArguments(false);
  return p;
}

/** Run the CLI; resolves to the exit code. Never throws for user errors. */
export async function main(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = buildProgram();
  const err = (s: string) => io.stderr.write(`minishark: ${s}\n`);
  let opts: Opts;
  try {
    program.parse(argv);
    opts = program.opts<Opts>();
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_OK;
      err(e.message.replace(/^error: /, ''));
      return EXIT_USAGE;
    }
    throw e;
  }
  try {
    return await run(opts, io);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      return EXIT_USAGE;
    }
    throw e;
  }
}

async function run(opts: Opts, io: CliIO): Promise<number> {
  const err = (s: string) => io.stderr.write(`minishark: ${s}\n`);
  if (!opts.readFile) throw new UsageError('no capture file given: use -r FILE (or -r - for standard input)');
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
  const format = opts.T ?? 'text';
  const fopts: FieldsOptions = { ...DEFAULT_FIELDS_OPTIONS };
  for (const e of opts.E) {
    const msg = parseFieldsOption(fopts, e);
    if (msg) throw new UsageError(msg);
  }
  let fieldsPrinter: FieldsPrinter | null = null;
  const wanted: FieldDef[] = [];
  let full = !!opts.V;
  if (format === 'fields') {
    if (!opts.e.length) throw new UsageError('-T fields was given, but no fields were specified with -e');
    const { refs, unknown } = resolveFields(opts.e);
    if (unknown.length) throw new UsageError(`Some fields aren't valid: ${unknown.join(', ')}`);
    fieldsPrinter = new FieldsPrinter(refs, fopts);
    for (const r of refs) {
      if (r.def) {
        wanted.push(r.def);
        if (r.def.type === 'protocol') full = true;
      }
    }
  } else if (opts.e.length) {
    throw new UsageError('-e requires -T fields');
  }
  const needColumns = format === 'text' || (fieldsPrinter !== null && opts.e.some((e) => e.startsWith('_ws.col.')));
  const engine = new Engine({ prefs, full, fields: wanted, columns: needColumns || full });
  const out = new Writer(io.stdout);
  if (fieldsPrinter && fopts.header) out.write(fieldsPrinter.header());

  let shown = 0;
  let code = EXIT_OK;
  try {
    const reader = await openCapture(opts.readFile);
    outer: for await (const batch of reader.batches()) {
      for (const rec of batch) {
        const pkt: Packet = engine.dissect(rec);
        engine.displayed(pkt);
        if (!opts.q) {
          if (fieldsPrinter) out.write(fieldsPrinter.line(pkt));
          else out.write(summaryLine(pkt));
        }
        if (++shown >= count) break outer;
      }
      if (out.full) await out.flush();
      if (out.closed) break;
    }
  } catch (e) {
    await out.flush();
    if (e instanceof CaptureError) {
      err(describeCaptureError(e, opts.readFile));
      code = EXIT_FILE;
    } else throw e;
  }
  await out.end();
  return code;
}
