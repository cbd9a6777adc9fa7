/**
 * Names Wireshark knows and minishark does not dissect. tshark accepts `-Y http` or `-e http.host` on
 * any capture, and (as tshark-ref, with those dissectors off) shows no packet or an empty column;
 * minishark does the same: such a name is a field that is never present, and the CLI says so on
 * stderr.
 *
 * Protocol names come from `tshark -G protocols` (./wireshark-protocols.ts, ~3,000 names). tshark's
 * field list (`-G fields`: 236,000 lines, 19 MB) is too large to ship, so a field is taken as one of
 * such a protocol when its name starts with that protocol's name and a dot (`http.host`): its type is
 * unknown, so a relation that reads it is false, whatever its operator and other side (as tshark's
 * relations on an absent field are), and a misspelled field of such a protocol is not caught.
 */
import { lookupField } from '../core/field.js';
import { WIRESHARK_PROTOCOLS } from './wireshark-protocols.js';

const PROTOCOLS: ReadonlySet<string> = new Set(WIRESHARK_PROTOCOLS);

/** What a name minishark does not register is to Wireshark. */
export interface NotDissected {
  name: string;
  /** the Wireshark protocol: the name itself, or the protocol the field belongs to */
  proto: string;
}

/**
 * The Wireshark protocol `name` is or belongs to, when minishark does not dissect it; null for a name
 * minishark registers, a field of a protocol minishark dissects (`tcp.nosuch`) or an unknown name.
 */
export function notDissected(name: string): NotDissected | null {
  if (lookupField(name)) return null;
  // the longest dotted prefix that is a protocol: tcp.options.tfo.x belongs to tcp.options.tfo
  for (let end = name.length; end > 0; end = name.lastIndexOf('.', end - 1)) {
    const prefix = name.slice(0, end);
    if (end < name.length && lookupField(prefix)) return null;
    if (PROTOCOLS.has(prefix)) return { name, proto: prefix };
  }
  return null;
}

/** The stderr line for such a name; `use` says what it does here. */
export function notDissectedNote(n: NotDissected, use: 'filter' | 'column'): string {
  const what = n.name === n.proto ? `"${n.name}" is a Wireshark protocol` : `"${n.name}" is a field of ${n.proto}, a Wireshark protocol`;
  return `${what} minishark does not dissect: ${use === 'filter' ? 'it matches no packet' : 'its column is empty'}`;
}
