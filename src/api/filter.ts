/** compileFilter: a Wireshark display filter as a predicate over the library's packets. */
import { compileFilter as compileInternal, type CompiledFilter } from '../filter/index.js';
import { FilterError } from './errors.js';
import { rawPacket, type Packet } from './packet.js';

/** A compiled display filter: call it on a packet. */
export interface DisplayFilter {
  /** whether the packet matches */
  (packet: Packet): boolean;
  /** the filter as written */
  readonly text: string;
  /** the field and protocol names it reads, each once, in the order written */
  readonly fields: readonly string[];
}

/** Compile the filter for the engine (readPackets runs it in the session), or throw FilterError
 * with the CLI's message. */
export function compileInternalFilter(text: string): CompiledFilter {
  try {
    return compileInternal(text);
  } catch (e) {
    throw new FilterError(text, e);
  }
}

/**
 * Compile a display filter once (Wireshark 4.0's language: `tcp.port == 20000 && tcp.len > 0`) and
 * use it on any number of packets. Throws FilterError at once for a filter that does not compile,
 * with the message `minishark -Y` prints.
 */
export function compileFilter(text: string): DisplayFilter {
  const f = compileInternalFilter(text);
  const fn = (packet: Packet) => f.matches(rawPacket(packet));
  const names = [...new Set(f.fields.map((d) => d.abbrev))];
  return Object.assign(fn, { text, fields: Object.freeze(names) });
}
