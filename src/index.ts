/**
 * minishark as a library: read captures as dissected packets, read their fields by display-filter
 * names, filter them with Wireshark's display filters, and get exactly what the CLI prints (the
 * summary line, the `-T jsonl` object, the `-V` details).
 *
 *     import { readPackets } from 'minishark';
 *     for await (const p of readPackets('x.pcap', { filter: 'tcp.flags.syn == 1' })) {
 *       console.log(p.number, p.get('tcp.options.mss_val'), p.summary);
 *     }
 *
 * The CLI is a client of the same core (src/api/session.ts).
 */

/** Read a capture packet by packet (an async iterable of Packet); see ReadOptions. */
export { readPackets } from './api/read.js';
/** Read a whole capture into an array of Packet. */
export { readCapture } from './api/read.js';
/** Options of readPackets/readCapture (filter, prefs, lang, signal) and what a capture is read from. */
export type { ReadOptions, PrefsInput, CaptureInput } from './api/read.js';
/** One dissected packet: fields by name, columns, summary, expert items, toJSON(), details(), bytes. */
export { Packet } from './api/packet.js';
/** A field value, a timestamp, the columns, an expert item and the options of Packet.details. */
export type { FieldValue, Timestamp, Columns, ExpertInfo, DetailsOptions } from './api/packet.js';
/** Compile a display filter into a predicate over packets (throws FilterError at once). */
export { compileFilter } from './api/filter.js';
/** What compileFilter returns: `f(packet)`, `f.text`, `f.fields`. */
export type { DisplayFilter } from './api/filter.js';
/** List every field and protocol minishark dissects. */
export { fields } from './api/fields.js';
/** One entry of fields(): name, label, type, repeats, protocol. */
export type { FieldInfo } from './api/fields.js';
/** Every name Packet.get accepts, for editors to complete (any string type-checks). */
export type { FieldName } from './api/field-names.js';
/** A bad display filter (FilterError) or an unknown field name given to Packet.get (UnknownFieldError). */
export { FilterError, UnknownFieldError } from './api/errors.js';
/** A capture that cannot be read: `kind`, byte `offset`, and `frame`, the first packet not delivered. */
export { CaptureError } from './io/errors.js';
/** The kinds of CaptureError: 'missing', 'directory', 'permission', 'open', 'empty', 'unknown-format', 'cut-short', 'corrupt'. */
export type { CaptureErrorKind } from './io/errors.js';

// Lower level (kept for existing callers; the API above is the supported surface): the reader,
// the engine and the registry the CLI is built from.

/** Lower level: open a capture and iterate its raw records (one iteration per reader). */
export { openCapture, type CaptureReader } from './io/reader.js';
/** Lower level: tshark's one-line message for a CaptureError, naming the file. */
export { describeCaptureError } from './io/errors.js';
/** Lower level: the dissection engine and its options (build what you read: `full`, `fields`, `columns`). */
export { Engine, type EngineOptions } from './dissect/engine.js';
/** Lower level: the per-capture state and the preferences (tshark 4.0's defaults). */
export { CaptureState, DEFAULT_PREFS, type Prefs } from './dissect/state.js';
/** Lower level: the field registry and the dissected tree's types. */
export { lookupField, allFields, type FieldDef, type FieldNode, type Layer, type Time, type ExpertItem } from './core/field.js';
/** Lower level: the engine's packet (as Engine.dissect returns it), a reader's record, a TCP header as read. */
export type { Packet as DissectedPacket, PacketRecord, TcpSegment } from './core/packet.js';
/** Lower level: a field node's value as `-T fields` prints it. */
export { formatFieldValue } from './output/format.js';
/** The command line: `main(process.argv)` resolves to the exit code. */
export { main } from './cli/main.js';

import { Engine, type EngineOptions } from './dissect/engine.js';
import type { PacketRecord } from './core/packet.js';

/** Lower level: dissect one record with a fresh engine (stateless use; for a capture, keep one Engine). */
export function dissect(rec: PacketRecord, opts: EngineOptions = {}) {
  return new Engine(opts).dissect(rec);
}
