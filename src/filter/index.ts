/**
 * Wireshark 4.0 display filters over minishark's field model:
 *
 *   const f = compileFilter('tcp.port in {80, 443} && !tcp.analysis.retransmission');
 *   const engine = new Engine({ full: f.needsFull, fields: [...f.fields, ...others] });
 *   if (f.matches(engine.dissect(rec))) ...
 *
 * compileFilter throws FilterSyntaxError (message, position, length; position -1 when the error has no
 * place, like "Unexpected end of filter expression.") or FilterFieldError (a subclass, with `field`, for
 * a name that is neither a field nor a protocol). formatFilterError renders either as tshark does.
 */
import type { FieldDef } from '../core/field.js';
import type { Packet } from '../core/packet.js';
import { unknownFieldHint } from '../core/suggest.js';
// every dissector's fields must be registered before names are resolved
import '../dissect/engine.js';
import { compile, FilterFieldError } from './eval.js';
import { FilterSyntaxError } from './lexer.js';
import type { NotDissected } from './not-dissected.js';

export { FilterSyntaxError } from './lexer.js';
export { FilterFieldError } from './eval.js';

export interface CompiledFilter {
  /** the filter as written */
  readonly text: string;
  /** every field and protocol the filter reads: an engine in non-full mode must keep these */
  readonly fields: FieldDef[];
  /** whether the filter needs the full tree (it never does: fields are kept flat when not full) */
  readonly needsFull: boolean;
  /** the names it reads of Wireshark protocols minishark does not dissect (they match nothing) */
  readonly notDissected: readonly NotDissected[];
  matches(pkt: Packet): boolean;
}

/** Compile a display filter once; `matches` then runs per packet without allocating. */
export function compileFilter(text: string): CompiledFilter {
  const { test, fields, collector, notDissected } = compile(text);
  return {
    text,
    fields,
    needsFull: false,
    notDissected,
    matches: test
      ? (pkt: Packet) => {
          collector.collect(pkt);
          return test(collector);
        }
      : () => true,
  };
}

/**
 * The error as tshark prints it (without the "tshark: " prefix): the message, then the filter and a
 * caret line under the fault, each indented by four spaces:
 *
 *   "70000" too big for this field, maximum 65535.
 *       tcp.port == 70000
 *                   ^~~~~
 */
export function formatFilterError(text: string, err: unknown): string {
  if (!(err instanceof FilterSyntaxError)) return err instanceof Error ? err.message : String(err);
  if (err.position < 0) return err.message;
  const caret = ' '.repeat(err.position) + '^' + '~'.repeat(Math.max(0, err.length - 1));
  return `${err.message}\n    ${text}\n    ${caret}`;
}

/** formatFilterError, and for an unknown name the nearest known ones after the message:
 * "tcp.sek is neither a field nor a protocol name. Did you mean tcp.seq?" (then the caret lines). */
export function describeFilterError(text: string, err: unknown): string {
  const s = formatFilterError(text, err);
  const hint = unknownFieldHint(err);
  if (!hint) return s;
  const nl = s.indexOf('\n');
  return nl < 0 ? `${s} ${hint}` : `${s.slice(0, nl)} ${hint}${s.slice(nl)}`;
}

export function isFilterError(err: unknown): err is FilterSyntaxError | FilterFieldError {
  return err instanceof FilterSyntaxError;
}
