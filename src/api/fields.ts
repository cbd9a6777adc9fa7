/** fields(): the field registry as the library shows it. */
import { allFields, type FieldType } from '../core/field.js';
// every dissector declares its fields when loaded
import '../dissect/engine.js';

/** One field minishark dissects (what `-G fields` lists). */
export interface FieldInfo {
  /** the display-filter name: 'tcp.seq' */
  name: string;
  /** Wireshark's label: 'Sequence Number' */
  label: string;
  /** the value's type: 'uint', 'int', 'bool', 'string', 'bytes', 'ipv4', 'ipv6', 'ether',
   * 'abstime', 'reltime', 'framenum', 'none' (a flag), 'protocol' */
  type: FieldType;
  /** can occur more than once in its layer (Packet.getAll; an array in the JSON object) */
  repeats: boolean;
  /** the protocol it belongs to: 'tcp' */
  protocol: string;
}

/** Every field and protocol minishark dissects, in registration order. */
export function fields(): FieldInfo[] {
  return allFields().map((d) => ({ name: d.abbrev, label: d.name, type: d.type, repeats: !!d.repeats, protocol: d.proto }));
}
