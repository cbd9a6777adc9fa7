/**
 * The -z registry: parse tshark's statistics arguments into taps (Stat) that the CLI feeds with
 * every dissected packet and draws at the end.
 *
 *   const stats = parseStats(zArgs, { compileFilter, referenced: [...-Y/-e fields] });
 *   engine options: full ||= stats.some(s => s.needsFull); fields += stats.flatMap(s => s.fields)
 *   for each packet (all of them: tshark's taps ignore -Y, but stop at -c): for (const s of stats) s.packet(pkt)
 *   at the end: drawStats(stats, write)   // tshark draws taps in reverse order of the -z options
 *
 * Throws StatError (message in tshark's wording, without the program prefix; .exitCode 1 or 10).
 */
import '../dissectors/index.js';
import { lookupField, type FieldDef } from '../core/field.js';
import { orList } from '../core/suggest.js';
import type { AddrTapKind } from './addrtap.js';
import { ConvStat } from './conv.js';
import { EndpointsStat } from './endpoints.js';
import { ExpertStat } from './expert.js';
import { FlowStat } from './flow.js';
import { FollowStat, parseFollow } from './follow.js';
import { IoStat } from './iostat.js';
import { PhsStat } from './phs.js';
import { SeqGraphStat } from './seqgraph.js';
import { StatError, tapFilterError, type CompiledFilter, type Stat, type StatOptions } from './types.js';

export { StatError, type Stat, type StatOptions, type CompileFilter, type CompiledFilter } from './types.js';
export { ConvStat } from './conv.js';
export { EndpointsStat } from './endpoints.js';
export { PhsStat } from './phs.js';
export { IoStat } from './iostat.js';
export { ExpertStat } from './expert.js';
export { FollowStat, parseFollow } from './follow.js';
export { FlowStat } from './flow.js';
export { SeqGraphStat } from './seqgraph.js';
export { Progress } from './progress.js';

/** The -z arguments minishark understands (for the "it must be one of" list). */
export const STAT_NAMES = [
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
  'expert',
  'flow,tcp',
  'follow,tcp',
  'follow,udp',
  'io,phs',
  'io,stat',
  'seqgraph,tcp',
];

const KINDS: AddrTapKind[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

function invalid(arg: string): StatError {
  return new StatError(`Invalid -z argument "${arg}"; it must be one of:\n${STAT_NAMES.map((n) => `     ${n}`).join('\n')}`);
}

/** How each of minishark's taps is written: its types (the word after the tap's name), an example. */
const USAGE: Record<string, { forms: string[]; types: readonly string[]; example: string }> = {
  conv: { forms: ['conv,TYPE[,FILTER]'], types: KINDS, example: 'conv,tcp' },
  endpoints: { forms: ['endpoints,TYPE[,FILTER]'], types: KINDS, example: 'endpoints,ip' },
  io: { forms: ['io,phs[,FILTER]', 'io,stat,INTERVAL[,FILTER…]'], types: ['phs', 'stat'], example: 'io,stat,1' },
  follow: { forms: ['follow,tcp|udp,ascii|hex|raw|ebcdic,STREAM'], types: ['tcp', 'udp'], example: 'follow,tcp,ascii,0' },
  flow: { forms: ['flow,tcp[,STREAM]'], types: ['tcp'], example: 'flow,tcp' },
  seqgraph: { forms: ['seqgraph,tcp,STREAM[,FILE.svg]'], types: ['tcp'], example: 'seqgraph,tcp,0' },
};

/** One line that says what is wrong with a -z argument of a known tap, how it is written and an example. */
function usage(arg: string, problem: string): StatError {
  const u = USAGE[arg.split(',')[0]!]!;
  return new StatError(`-z ${arg}: ${problem}; use ${u.forms.map((f) => `-z ${f}`).join(' or ')}, e.g. -z ${u.example}`);
}

/** A -z argument that is no tap: for a known tap's name, what its type should be; else tshark's list. */
function unknownStat(arg: string): StatError {
  const [head, type] = arg.split(',');
  const u = USAGE[head!];
  if (!u) return invalid(arg);
  const types = orList(u.types);
  return usage(arg, type === undefined ? `the type is missing (${types})` : `"${type}" is not a type of ${head} (${types})`);
}

/** What is wrong with a seqgraph,tcp argument that is not seqgraph,tcp,STREAM[,FILE.svg]. */
function seqgraphProblem(arg: string): string {
  const stream = arg.slice('seqgraph,tcp,'.length).split(',')[0]!;
  if (stream === '') return 'the TCP stream number is missing';
  if (!/^\d+$/.test(stream)) return `"${stream}" is not a TCP stream number`;
  return 'the file name after the stream number is empty';
}

function compile(text: string, opts: StatOptions, what: string): CompiledFilter {
  if (!opts.compileFilter) throw new StatError(`Couldn't register ${what} tap: Filter "${text}" is invalid - display filters are not available`);
  try {
    return opts.compileFilter(text);
  } catch (e) {
    throw tapFilterError(what, text, e);
  }
}

/** Parse one -z argument. */
export function parseStat(arg: string, opts: StatOptions = {}): Stat {
  const parts = arg.split(',');
  const head = parts[0];
  if ((head === 'conv' || head === 'endpoints') && parts.length >= 2) {
    const kind = parts[1] as AddrTapKind;
    if (!KINDS.includes(kind)) throw unknownStat(arg);
    const prefix = `${head},${kind}`;
    const filterText = arg.length > prefix.length + 1 ? arg.slice(prefix.length + 1) : null;
    const what = head === 'conv' ? 'conversations' : 'endpoint';
    const filter = filterText ? compile(filterText, opts, what) : null;
    return head === 'conv' ? new ConvStat(arg, kind, filterText, filter, opts.thousandsGrouping) : new EndpointsStat(arg, kind, filterText, filter);
  }
  if (arg === 'io,phs' || arg.startsWith('io,phs,')) {
    const filterText = arg.length > 7 ? arg.slice(7) : null;
    const s = new PhsStat(arg, filterText, filterText ? compile(filterText, opts, 'io,phs') : null);
    s.setReferenced(referencedIds([s], opts));
    return s;
  }
  if (arg === 'io,stat' || arg.startsWith('io,stat,')) {
    const s = new IoStat(arg, opts.compileFilter);
    s.setReferenced(referencedIds([s], opts, false));
    return s;
  }
  if (arg === 'expert' || arg.startsWith('expert,')) {
    let rest = arg.slice(6);
    let level: 'comment' | 'chat' | 'note' | 'warn' | 'error' = 'comment';
    const lower = rest.toLowerCase();
    for (const [p, l] of [[',error', 'error'], [',warn', 'warn'], [',note', 'note'], [',chat', 'chat'], [',comment', 'comment']] as const) {
      if (lower.startsWith(p)) {
        level = l;
        rest = rest.slice(p.length);
        break;
      }
    }
    const filterText = rest.startsWith(',') ? rest.slice(1) : null;
    let filter: CompiledFilter | null = null;
    if (filterText) {
      try {
        filter = compile(filterText, opts, 'expert');
      } catch (e) {
        // tshark: Expert tap error (Filter "x" is invalid - ...)!
        throw new StatError(`Expert tap error (${(e as Error).message.replace(/^Couldn't register expert tap: /, '')})!`);
      }
    }
    return new ExpertStat(arg, level, filter);
  }
  if (arg.startsWith('follow,')) {
    if (!/^follow,(tcp|udp)(,|$)/.test(arg)) throw unknownStat(arg);
    return new FollowStat(arg, parseFollow(arg));
  }
  if (arg === 'flow,tcp' || arg.startsWith('flow,tcp,')) {
    const rest = arg.slice(9);
    let stream = -1;
    if (rest !== '') {
      if (!/^\d+$/.test(rest)) throw usage(arg, `"${rest}" is not a TCP stream number`);
      stream = Number(rest);
    }
    return new FlowStat(arg, stream, opts);
  }
  if (arg === 'seqgraph,tcp' || arg.startsWith('seqgraph,tcp,')) {
    const m = /^seqgraph,tcp,(\d+)(?:,(.+))?$/.exec(arg);
    if (!m) throw usage(arg, seqgraphProblem(arg));
    return new SeqGraphStat(arg, Number(m[1]), m[2] ?? null, opts);
  }
  throw unknownStat(arg);
}

/**
 * Parse every -z argument of a command line. io,stat sees a field's values only when some filter
 * (any tap's, or -Y/-R/-e passed in opts.referenced) names it, as tshark 4.0 does with -q.
 */
export function parseStats(args: readonly string[], opts: StatOptions = {}): Stat[] {
  const stats = args.map((a) => parseStat(a, opts));
  const ids = referencedIds(stats, opts);
  const primed = referencedIds(stats, opts, false);
  for (const s of stats) {
    if (s instanceof PhsStat) s.setReferenced(ids);
    else if (s instanceof IoStat) s.setReferenced(primed);
  }
  return stats;
}

/**
 * The fields tshark would build with -q: those named by any tap filter and -Y/-R (opts.referenced);
 * null when every field counts (fakeUnreferenced: false; or, with `tree`, opts.treeVisible, i.e. -V).
 * io,stat passes tree = false: tshark 4.0 reads its values from the "interesting fields" arrays,
 * which hold only filter-referenced fields even when -V builds the whole tree (MAX(tcp.len) is 0
 * with -V or with -e tcp.len).
 */
function referencedIds(stats: readonly Stat[], opts: StatOptions, tree = true): Set<number> | null {
  if ((tree && opts.treeVisible) || opts.fakeUnreferenced === false) return null;
  const ids = new Set<number>();
  for (const a of opts.referenced ?? []) {
    const d = lookupField(a);
    if (d) ids.add(d.id);
  }
  for (const s of stats) for (const d of (s as { filterFields?: FieldDef[] }).filterFields ?? []) ids.add(d.id);
  return ids;
}

/** Every field the stats need built (add to the engine's wanted set). */
export function statFields(stats: readonly Stat[]): FieldDef[] {
  const out = new Set<FieldDef>();
  for (const s of stats) for (const f of s.fields) out.add(f);
  return [...out];
}

/** Draw all stats the way tshark does: in reverse order of their -z options. */
export function drawStats(stats: readonly Stat[], out: (s: string) => void): void {
  for (let i = stats.length - 1; i >= 0; i--) stats[i]!.finish(out);
}
