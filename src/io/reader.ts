import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { PacketRecord } from '../core/packet.js';
import { CaptureError } from './errors.js';
import { NEED, type FormatParser } from './parser.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import { isPcapngMagic, PcapngParser } from './pcapng.js';

export const CHUNK_SIZE = 1 << 20;
/** records per batch at most: a batch's records (an object, its timestamp and its byte view, about
 * 280 bytes each) are all alive until the batch is done, so each young-generation collection copies
 * the batch in progress: at 256 that was ~70 KB per collection, enough surviving bytes to make V8
 * grow the young generation to its maximum over a long run (peak RSS +16 MiB); at 16 it is ~5 KB. */
const BATCH_MAX = 16;

export interface CaptureReader extends AsyncIterable<PacketRecord> {
  readonly format: 'pcap' | 'pcapng';
  readonly compressed: boolean;
  /** Records in batches (at most 16, from one chunk read). A record's bytes stay valid after the batch. */
  batches(): AsyncGenerator<PacketRecord[], void, void>;
  /** bytes of the (decompressed) stream consumed so far */
  readonly bytesRead: number;
  /** the underlying format parser (link type, interfaces) */
  readonly parser: FormatParser;
}

function openError(e: unknown): CaptureError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CaptureError('missing', 'no such file');
  if (code === 'EISDIR') return new CaptureError('directory', 'is a directory');
  if (code === 'EACCES' || code === 'EPERM') return new CaptureError('permission', 'permission denied');
  return new CaptureError('open', (e as Error).message);
}

/** Open a file path ('-' for standard input) or a readable stream of capture bytes. */
export async function openCapture(
  input: string | NodeJS.ReadableStream | Uint8Array,
  opts: { chunkSize?: number; reuseBuffers?: boolean } = {},
): Promise<CaptureReader> {
  const chunkSize = opts.chunkSize ?? CHUNK_SIZE;
  const reuse = opts.reuseBuffers === true;
  let stream: AsyncIterable<Uint8Array>;
  if (typeof input === 'string') {
    if (input === '-') stream = process.stdin;
    else {
      let fd: number;
      try {
        fd = fs.openSync(input, 'r');
        if (fs.fstatSync(fd).isDirectory()) {
          fs.closeSync(fd);
          throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
        }
      } catch (e) {
        throw openError(e);
      }
      stream = fileChunks(fd, chunkSize, reuse);
    }
  } else if (input instanceof Uint8Array) {
    stream = (async function* () {
      for (let o = 0; o < input.length; o += chunkSize) yield input.subarray(o, o + chunkSize);
    })();
  } else {
    stream = input as AsyncIterable<Uint8Array>;
  }

  // Sniff the magic (gzip first, then pcap/pcapng) from the first bytes, without losing them.
  const it = stream[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  let srcDone = false;
  while (head.length < 4) {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await it.next();
    } catch (e) {
      throw openError(e);
    }
    if (r.done) {
      srcDone = true;
      break;
    }
    head = head.length ? concat(head, asU8(r.value)) : asU8(r.value);
  }
  const rest = (async function* () {
    // a consumer that stops early (a library caller's `break`) ends the source too: a file's
    // descriptor is closed, a stream destroyed
    let ended = srcDone;
    try {
      if (head.length) yield head;
      if (srcDone) return;
      for (;;) {
        const r = await it.next();
        if (r.done) {
          ended = true;
          return;
        }
        yield asU8(r.value);
      }
    } finally {
      if (!ended) await it.return?.();
    }
  })();

  if (head.length === 0) throw new CaptureError('empty', 'empty file');
  let compressed = false;
  let body: AsyncIterable<Uint8Array> = rest;
  let first = head;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    compressed = true;
    const src = Readable.from(rest);
    const gz = src.pipe(createGunzip({ chunkSize: 256 * 1024 }));
    const git = (gz as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    first = new Uint8Array(0);
    let gdone = false;
    try {
      while (first.length < 4) {
        const r = await git.next();
        if (r.done) {
          gdone = true;
          break;
        }
        first = first.length ? concat(first, asU8(r.value)) : asU8(r.value);
      }
    } catch {
      throw new CaptureError('cut-short', 'gzip stream ended early');
    }
    if (first.length === 0) throw new CaptureError('empty', 'empty file');
    const f0 = first;
    body = (async function* () {
      let ended = gdone;
      try {
        yield f0;
        if (gdone) return;
        for (;;) {
          let r: IteratorResult<Uint8Array>;
          try {
            r = await git.next();
          } catch {
            ended = true;
            throw new CaptureError('cut-short', 'gzip stream ended early');
          }
          if (r.done) {
            ended = true;
            return;
          }
          yield asU8(r.value);
        }
      } finally {
        // stopped early (see `rest`): the gunzip stream and the source under it are ended
        if (!ended) {
          gz.destroy();
          src.destroy();
          // `rest` may be waiting on a stream that sends nothing more, and a return() on a stream's
          // iterator waits for that: a stream given by the caller is destroyed itself
          const given = typeof input === 'string' || input instanceof Uint8Array ? null : (input as { destroy?: () => void });
          if (given?.destroy) given.destroy();
          else it.return?.()?.catch(() => {});
        }
      }
    })();
  }
  let parser: FormatParser;
  if (isPcapngMagic(first)) parser = new PcapngParser();
  else if (isPcapMagic(first)) parser = new PcapParser();
  else throw new CaptureError('unknown-format', 'unknown format');
  return new Reader(parser, body, compressed, reuse);
}

class Reader implements CaptureReader {
  bytesRead = 0;
  constructor(
    readonly parser: FormatParser,
    private readonly body: AsyncIterable<Uint8Array>,
    readonly compressed: boolean,
    /** records point into one working buffer that is reused: their bytes are valid until the
     * reader moves to the next chunk (the CLI, which copies what it keeps); memory stays flat
     * instead of leaving a dead 1 MiB buffer per chunk for the garbage collector */
    private readonly reuse = false,
  ) {}

  get format(): 'pcap' | 'pcapng' {
    return this.parser.format;
  }

  async *batches(): AsyncGenerator<PacketRecord[], void, void> {
    const p = this.parser;
    let buf: Uint8Array = new Uint8Array(0);
    let pos = 0;
    let base = 0; // stream offset of buf[0]
    let work: Uint8Array = new Uint8Array(0);
    for await (const chunk of this.body) {
      if (chunk.length === 0) continue;
      if (this.reuse) {
        // the unparsed tail moves to the front of the working buffer, the chunk goes after it
        const keep = buf.length - pos;
        if (work.length < keep + chunk.length) {
          const nw = Buffer.allocUnsafe(Math.max(keep + chunk.length, 2 * work.length, 2 * CHUNK_SIZE));
          nw.set(buf.subarray(pos), 0);
          work = nw;
        } else if (keep > 0) work.copyWithin(0, buf.byteOffset - work.byteOffset + pos, buf.byteOffset - work.byteOffset + buf.length);
        work.set(chunk, keep);
        buf = work.subarray(0, keep + chunk.length);
      } else if (pos < buf.length) {
        buf = concat(buf.subarray(pos), chunk);
      } else {
        buf = chunk;
      }
      base += pos;
      pos = 0;
      const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      let out: PacketRecord[] = [];
      const end = buf.length;
      let fault: unknown = null;
      for (;;) {
        let n: number;
        try {
          n = p.parse(buf, dv, pos, end, base, out);
        } catch (e) {
          fault = e;
          break;
        }
        if (n === NEED) break;
        pos += n;
        this.bytesRead = base + pos;
        // small batches: records are dropped while still young (see BATCH_MAX)
        if (out.length >= BATCH_MAX) {
          yield out;
          out = [];
        }
      }
      // every complete record before a fault is delivered, then the fault
      if (out.length) yield out;
      if (fault) throw fault;
    }
    if (pos < buf.length) {
      // The stream ended inside a header, record or block.
      throw new CaptureError('cut-short', 'cut short', base + pos);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<PacketRecord> {
    for await (const b of this.batches()) yield* b;
  }
}

async function* fileChunks(fd: number, size: number, reuse: boolean): AsyncGenerator<Uint8Array> {
  // with `reuse` the consumer copies each chunk before asking for the next: one buffer serves all
  let shared: Buffer | null = null;
  try {
    for (;;) {
      const b = reuse ? (shared ??= Buffer.allocUnsafe(size)) : Buffer.allocUnsafe(size);
      let n: number;
      try {
        // a synchronous read: from the page cache it takes microseconds, and the thread-pool
        // round trip of an asynchronous one costs more than the read (the loop yields per chunk)
        n = fs.readSync(fd, b, 0, size, null);
      } catch (e) {
        throw openError(e);
      }
      if (n === 0) return;
      yield n === size ? b : b.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function asU8(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'latin1');
  return new Uint8Array(v as ArrayBuffer);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a, 0);
  r.set(b, a.length);
  return r;
}
