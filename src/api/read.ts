/** readPackets and readCapture: a capture as library packets, through the CLI's session. */
import { LANG_NAMES, parseLang } from '../analysis/lang.js';
import type { EngineOptions } from '../dissect/engine.js';
import { DEFAULT_PREFS, setPref, type Prefs } from '../dissect/state.js';
import type { CompiledFilter } from '../filter/index.js';
import { CaptureError } from '../io/errors.js';
import { compileInternalFilter } from './filter.js';
import { Packet, PacketViews } from './packet.js';
import { openSession, type CaptureInput } from './session.js';

export type { CaptureInput } from './session.js';

/** Preferences by their `-o` names: `{ 'tcp.relative_sequence_numbers': false }`. */
export type PrefsInput = { [K in keyof Prefs]?: Prefs[K] | string };

/** Options of readPackets and readCapture. */
export interface ReadOptions {
  /** a display filter: only matching packets are yielded (the TCP analysis still sees every packet) */
  filter?: string;
  /** preferences, as `-o name:value` sets them */
  prefs?: PrefsInput;
  /** language of the TCP explanations (minishark.tcp.explain): 'en' (default), 'zh' (as 'zh-CN'), 'zh-TW' */
  lang?: 'en' | 'zh' | 'zh-CN' | 'zh-TW';
  /** stops the read: the loop rejects with the signal's reason before the next packet */
  signal?: AbortSignal;
}

/**
 * How the library's engine runs: every packet new (no `reuse`: a caller keeps what it likes), the
 * whole tree with the details texts (get/getAll/has and toJSON read the tree, details() the texts,
 * which the dissectors compose while they run: they cannot be made later), the columns (summary)
 * and the TCP analysis.
 */
function engineOptions(prefs: Prefs): EngineOptions {
  return { prefs, full: true, texts: true, columns: true, analysis: true, reuse: false };
}

/** The options checked and turned into what the session takes; throws on a bad filter, preference
 * or language (at once, before anything is read). */
function prepare(opts: ReadOptions): { prefs: Prefs; filter: CompiledFilter | null } {
  const prefs: Prefs = { ...DEFAULT_PREFS };
  for (const [name, value] of Object.entries(opts.prefs ?? {})) {
    if (value === undefined) continue;
    const msg = setPref(prefs, `${name}:${String(value)}`);
    if (msg) throw new RangeError(msg);
  }
  if (opts.lang !== undefined) {
    const lang = parseLang(opts.lang);
    if (!lang) throw new RangeError(`lang "${opts.lang}": must be ${LANG_NAMES.join(', ')}`);
    prefs['minishark.lang'] = lang;
  }
  const filter = opts.filter !== undefined ? compileInternalFilter(opts.filter) : null;
  return { prefs, filter };
}

/**
 * Read a capture packet by packet:
 *
 *     for await (const p of readPackets('x.pcap', { filter: 'tcp' })) console.log(p.summary);
 *
 * `input` is a path, the file's bytes, or a readable stream (pcap or pcapng, gzip-compressed or not).
 * A bad filter, preference or language throws at once (FilterError, RangeError). Each iteration of
 * the returned object reads the capture afresh (a stream can be read once). Leaving the loop early
 * (`break`, `return`, an exception) closes the file. A capture problem rejects the loop with a
 * CaptureError after every complete packet before it was yielded; its `frame` is the number of the
 * first packet not delivered.
 */
export function readPackets(input: CaptureInput, opts: ReadOptions = {}): AsyncIterable<Packet> {
  const setup = prepare(opts);
  let streamRead = false;
  return {
    [Symbol.asyncIterator]: () => {
      if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
        if (streamRead) throw new Error('readPackets: a stream can be read once; pass a path or the bytes to read a capture again');
        streamRead = true;
      }
      return packets(input, setup.prefs, setup.filter, opts.signal);
    },
  };
}

async function* packets(input: CaptureInput, prefs: Prefs, filter: CompiledFilter | null, signal: AbortSignal | undefined): AsyncGenerator<Packet, void, undefined> {
  // the last frame read: a capture error is about the one after it
  let last = 0;
  try {
    signal?.throwIfAborted();
    const session = await openSession(input, { engine: engineOptions(prefs), filter });
    const views = new PacketViews();
    for await (const batch of session.batches()) {
      for (const rec of batch) {
        signal?.throwIfAborted();
        last = rec.num;
        const pkt = session.dissect(rec);
        if (pkt !== null) yield new Packet(pkt, views);
      }
    }
  } catch (e) {
    if (e instanceof CaptureError) e.frame = last + 1;
    throw e;
  }
}

/** Read a whole capture into an array (readPackets, collected). */
export async function readCapture(input: CaptureInput, opts: ReadOptions = {}): Promise<Packet[]> {
  const out: Packet[] = [];
  for await (const p of readPackets(input, opts)) out.push(p);
  return out;
}
