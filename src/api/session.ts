/**
 * One capture being read and dissected: the reader, the engine, the taps and the display filter.
 * Both the CLI's loop (src/cli/main.ts) and the library's readPackets (./read.ts) go through it, so
 * a packet is dissected, tapped, filtered and marked displayed by one piece of code.
 *
 * Only types are imported from the engine: a CLI run that dissects nothing (a plain `-q` read) must
 * not load the dissectors (test/startup.test.ts); the engine module is loaded when one is asked for.
 */
import type { Packet, PacketRecord } from '../core/packet.js';
import type { Engine, EngineOptions } from '../dissect/engine.js';
import { openCapture, type CaptureReader } from '../io/reader.js';

/** What a capture can be read from: a path ('-' is standard input), the bytes, or a stream. */
export type CaptureInput = string | Uint8Array | NodeJS.ReadableStream;

/** A tap: sees every dissected packet, before the display filter (tshark's taps ignore -Y). */
export interface SessionTap {
  packet(pkt: Packet): void;
}

/** The display filter as the session uses it. */
export interface SessionFilter {
  matches(pkt: Packet): boolean;
}

export interface SessionOptions {
  /** how the engine runs (the CLI: reuse, only the fields and columns its output reads; the
   * library: fresh packets with the whole tree); null: records are read, nothing is dissected */
  engine: EngineOptions | null;
  filter?: SessionFilter | null;
  taps?: readonly SessionTap[] | null;
  /** the reader's records share one working buffer (valid until the next chunk: the CLI copies
   * what it keeps); off for callers that keep packets */
  reuseBuffers?: boolean;
}

export class Session {
  private readonly filter: SessionFilter | null;
  private readonly taps: readonly SessionTap[];

  constructor(
    readonly reader: CaptureReader,
    /** null when nothing is dissected (see SessionOptions.engine) */
    readonly engine: Engine | null,
    o: Pick<SessionOptions, 'filter' | 'taps'> = {},
  ) {
    this.filter = o.filter ?? null;
    this.taps = o.taps ?? [];
  }

  /** The records in batches, as the reader gives them (one chunk read each). */
  batches(): AsyncGenerator<PacketRecord[], void, void> {
    return this.reader.batches();
  }

  /**
   * Dissect one record: the engine, then every tap, then the display filter. A packet the filter
   * rejects gives null; one it passes is marked displayed (frame.time_delta_displayed of the next
   * one counts from it) and returned. Needs an engine.
   */
  dissect(rec: PacketRecord): Packet | null {
    const eng = this.engine!;
    const pkt = eng.dissect(rec);
    const taps = this.taps;
    for (let i = 0; i < taps.length; i++) taps[i]!.packet(pkt);
    if (this.filter && !this.filter.matches(pkt)) return null;
    eng.displayed(pkt);
    return pkt;
  }
}

/** Open a capture and, when engine options are given, the engine that dissects it. */
export async function openSession(input: CaptureInput, o: SessionOptions): Promise<Session> {
  const reader = await openCapture(input, { reuseBuffers: o.reuseBuffers });
  // loaded here, not at the top: see the module comment
  const engine = o.engine ? new (await import('../dissect/engine.js')).Engine(o.engine) : null;
  return new Session(reader, engine, o);
}
