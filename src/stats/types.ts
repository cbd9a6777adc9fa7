import type { Lang } from '../analysis/lang.js';
import type { FieldDef } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { unknownFieldHint } from '../core/suggest.js';

/**
 * A tap: a capture-wide view fed with every dissected packet (like a Wireshark tap listener) that
 * prints its table at the end. State is bounded by conversations / intervals, never by packets
 * (the stream views — follow, flow, seqgraph — keep what they draw of one stream).
 */
export interface Stat {
  /** the -z argument this came from */
  readonly arg: string;
  /** needs every field built (Engine { full: true }) */
  readonly needsFull: boolean;
  /** fields this stat reads (and its filter references), to add to the engine's wanted set */
  readonly fields: FieldDef[];
  /** needs the columns (Info) built */
  readonly needsColumns?: boolean;
  /** reads nothing of the TCP analysis stage beyond tcp.stream (false: the stage may be skipped);
   * taps that read expert items, flags or relative numbers leave it undefined */
  readonly needsAnalysis?: boolean;
  packet(pkt: Packet): void;
  finish(out: (s: string) => void): void;
}

/** What the display-filter module gives back for a filter text (src/filter). */
export interface CompiledFilter {
  matches(pkt: Packet): boolean;
  /** every field the filter names (they must be built, and they count as "referenced") */
  fields: FieldDef[];
}

export type CompileFilter = (text: string) => CompiledFilter;

export interface StatOptions {
  /** compiles tap filters ("conv,tcp,FILTER", io,stat columns); without it, a filter is an error */
  compileFilter?: CompileFilter;
  /**
   * Abbrevs of fields referenced elsewhere on the command line (-Y, -R; not -e). tshark 4.0
   * does not build fields nobody references, so io,stat COUNT/SUM/MIN/MAX/AVG/LOAD over a field only
   * see it when some filter names it, and io,phs shows a "frame" level only when a frame
   * field is referenced; set `fakeUnreferenced: false` to always see the values.
   */
  referenced?: Iterable<string>;
  /** emulate tshark's unreferenced-field behaviour in io,stat and io,phs (default true) */
  fakeUnreferenced?: boolean;
  /** the whole tree is built anyway (tshark -V, -O, -T fields/json): io,phs shows "frame"
   * (io,stat still sees only filter-referenced fields, as tshark 4.0) */
  treeVisible?: boolean;
  /** terminal width for flow / seqgraph (default: process.stdout.columns or 100) */
  width?: number;
  /** terminal height for seqgraph (default: process.stdout.rows - 8, at least 16) */
  height?: number;
  /** colour (ANSI) output for flow / seqgraph */
  color?: boolean;
  /** the language of the flow diagram's phase and step labels (default en) */
  lang?: Lang;
  /** conv byte counts with thousands separators, as tshark prints them in an en_US locale
   * ("1,234 bytes"); default off, as in the C locale that scripts/tshark-ref uses */
  thousandsGrouping?: boolean;
}

/** A bad -z argument; the message follows tshark's wording (without the "tshark: " prefix). */
export class StatError extends Error {
  constructor(
    message: string,
    /** tshark's exit status for this error (1, or 10 for io,stat field errors) */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'StatError';
  }
}

/** A tap's filter that does not compile, as tshark words it ("Couldn't register conversations tap:
 * Filter "x" is invalid - …"), with the nearest known names after an unknown field's message. */
export function tapFilterError(tap: string, text: string, e: unknown): StatError {
  const msg = (e as Error).message;
  const hint = unknownFieldHint(e);
  return new StatError(`Couldn't register ${tap} tap: ${msg.startsWith('Filter "') ? msg : `Filter "${text}" is invalid - ${msg}`}${hint ? ` ${hint}` : ''}`);
}
