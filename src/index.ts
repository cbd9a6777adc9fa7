/** minishark as a library: read captures, dissect packets, read fields. */
export { openCapture, type CaptureReader } from './io/reader.js';
export { CaptureError, describeCaptureError } from './io/errors.js';
export { Engine, type EngineOptions } from './dissect/engine.js';
export { CaptureState, DEFAULT_PREFS, type Prefs } from './dissect/state.js';
export { lookupField, allFields, type FieldDef, type FieldNode, type Layer, type Time, type ExpertItem } from './core/field.js';
export type { Packet, PacketRecord, TcpSegment } from './core/packet.js';
export { formatFieldValue } from './output/format.js';
export { main } from './cli/main.js';

import { Engine, type EngineOptions } from './dissect/engine.js';
import type { PacketRecord } from './core/packet.js';

/** Dissect one record with a fresh engine (stateless use; for a capture, keep one Engine). */
export function dissect(rec: PacketRecord, opts: EngineOptions = {}) {
  return new Engine(opts).dissect(rec);
}
