/**
 * Capture writing for -w: classic pcap (microsecond or nanosecond) and pcapng, streamed through a
 * buffer (records are copied into large chunks and handed to the file in few writes). A closed pipe
 * or a full disk surfaces as a WriteError from flush()/close().
 *
 *   const w = openCaptureWriter('out.pcapng', { format: 'pcapng' });
 *   for (const rec of records) { w.write(rec); if (w.full) await w.flush(); }
 *   await w.close();
 */
import * as fs from 'node:fs';
import type { PacketRecord } from '../core/packet.js';
import { drained } from './drain.js';

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureWriterOptions {
  /** output format (tshark's -F); default pcapng, like tshark */
  format?: CaptureFormat;
  /** pcap: the file's link type when no packet is written (default: the first record's, else 1) */
  linkType?: number;
  /** snapshot length written in the headers (default 262144) */
  snaplen?: number;
  /** pcap: nanosecond timestamps (magic a1b23c4d); default microseconds, as tshark -F pcap */
  nanosecond?: boolean;
  /** bytes buffered before `full` turns true (default 1 MiB) */
  bufferSize?: number;
  /** pcapng: the writing application, in the section header (shb_userappl) */
  application?: string;
}

import { WriteError } from './errors.js';

export { WriteError };

const MAX_SNAPLEN = 262144;

/** Open a file ("-" for standard output) or wrap a stream. Opening a file fails synchronously. */
export function openCaptureWriter(target: string | NodeJS.WritableStream, opts: CaptureWriterOptions = {}): CaptureWriter {
  let stream: NodeJS.WritableStream;
  let owned = false;
  if (typeof target === 'string') {
    if (target === '-') stream = process.stdout;
    else {
      let fd: number;
      try {
        fd = fs.openSync(target, 'w');
      } catch (e) {
        // tshark's wording (ui/failure_message.c)
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'ENOENT') throw new WriteError(`The path to the file "${target}" doesn't exist.`);
        if (err.code === 'EISDIR') throw new WriteError(`"${target}" is a directory (folder), not a file.`);
        if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS') throw new WriteError(`You don't have permission to create or write to the file "${target}".`);
        throw new WriteError(`The file "${target}" could not be created: ${err.message}.`);
      }
      stream = fs.createWriteStream('', { fd, highWaterMark: 1 << 20 });
      owned = true;
    }
  } else stream = target;
  return new CaptureWriter(stream, opts, owned);
}

export class CaptureWriter {
  readonly format: CaptureFormat;
  /** records written */
  count = 0;
  /** bytes handed to the stream (headers included) */
  bytes = 0;
  /** records that could not be stored in this format (pcapng custom blocks) */
  skipped = 0;
  private parts: Buffer[] = [];
  private size = 0;
  private started = false;
  private linkType = -1;
  private readonly snaplen: number;
  private readonly bufferSize: number;
  /** pcapng: (input interface, link type, resolution) → interface index in the output section */
  private readonly ifaces = new Map<string, number>();
  private error: Error | null = null;
  private closed = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly opts: CaptureWriterOptions = {},
    private readonly owned = false,
  ) {
    this.format = opts.format ?? 'pcapng';
    this.snaplen = opts.snaplen ?? MAX_SNAPLEN;
    this.bufferSize = opts.bufferSize ?? 1 << 20;
    stream.on('error', (e: Error) => {
      this.error ??= e;
    });
  }

  private push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
  }

  /** true when enough is buffered that the caller should `await flush()` */
  get full(): boolean {
    return this.size >= this.bufferSize;
  }

  private start(linkType: number): void {
    this.started = true;
    if (this.format === 'pcap') {
      this.linkType = linkType;
      const h = Buffer.alloc(24);
      h.writeUInt32LE(this.opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
      h.writeUInt16LE(2, 4);
      h.writeUInt16LE(4, 6);
      h.writeInt32LE(0, 8);
      h.writeUInt32LE(0, 12);
      h.writeUInt32LE(this.snaplen, 16);
      h.writeUInt32LE(linkType >>> 0, 20);
      this.push(h);
    } else {
      this.push(this.shb());
    }
  }

  private shb(): Buffer {
    const opts: Buffer[] = [];
    const app = this.opts.application ?? 'minishark';
    opts.push(option(4, Buffer.from(app, 'utf8')));
    opts.push(Buffer.alloc(4)); // opt_endofopt
    const body = Buffer.concat([Buffer.alloc(16), ...opts]);
    body.writeUInt32LE(0x1a2b3c4d, 0);
    body.writeUInt16LE(1, 4);
    body.writeUInt16LE(0, 6);
    // section length unknown (-1): the file is streamed
    body.writeInt32LE(-1, 8);
    body.writeInt32LE(-1, 12);
    return block(0x0a0d0d0a, body);
  }

  private idb(linkType: number, name: string | undefined, usec: boolean): Buffer {
    const opts: Buffer[] = [];
    if (name) opts.push(option(2, Buffer.from(name, 'utf8')));
    // if_tsresol: nanoseconds; microseconds (the default) need no option, as tshark writes them
    if (!usec) opts.push(option(9, Buffer.from([9])));
    opts.push(Buffer.alloc(4));
    const head = Buffer.alloc(8);
    head.writeUInt16LE(linkType & 0xffff, 0);
    head.writeUInt16LE(0, 2);
    head.writeUInt32LE(this.snaplen, 4);
    return block(0x00000001, Buffer.concat([head, ...opts]));
  }

  /** Queue one record (its bytes are copied). */
  write(rec: PacketRecord): void {
    if (this.closed) throw new WriteError('write after close');
    if (rec.linkType < 0) {
      this.skipped++;
      return;
    }
    if (!this.started) this.start(rec.linkType);
    const data = rec.data;
    const sec = rec.tsAbsent ? 0 : rec.ts.sec;
    const nsec = rec.tsAbsent ? 0 : rec.ts.nsec;
    if (this.format === 'pcap') {
      if (rec.linkType !== this.linkType) {
        throw new WriteError(`The capture file being read can't be written as a "pcap" file (frame ${rec.num} has link type ${rec.linkType}, earlier frames ${this.linkType}).`);
      }
      const h = Buffer.allocUnsafe(16);
      h.writeUInt32LE(sec >>> 0, 0);
      h.writeUInt32LE(this.opts.nanosecond ? nsec : Math.floor(nsec / 1000), 4);
      h.writeUInt32LE(data.length, 8);
      h.writeUInt32LE(Math.max(rec.origLen, data.length), 12);
      this.push(h);
      this.push(Buffer.from(data));
    } else {
      // keep the source's microsecond resolution (so the Time column prints 6 digits, as for the
      // source); anything else is written in nanoseconds, which hold every decimal resolution
      const usec = rec.tsPrec === 6 && nsec % 1000 === 0;
      const key = `${rec.interfaceId}|${rec.linkType}|${usec ? 6 : 9}`;
      let ifIdx = this.ifaces.get(key);
      if (ifIdx === undefined) {
        ifIdx = this.ifaces.size;
        this.ifaces.set(key, ifIdx);
        this.push(this.idb(rec.linkType, rec.interfaceName, usec));
      }
      const pad = (4 - (data.length % 4)) % 4;
      const opts: Buffer[] = [];
      if (rec.comment?.length) {
        for (const c of rec.comment) opts.push(option(1, Buffer.from(c, 'utf8')));
        opts.push(Buffer.alloc(4));
      }
      const optLen = opts.reduce((n, b) => n + b.length, 0);
      const total = 12 + 20 + data.length + pad + optLen;
      const h = Buffer.allocUnsafe(28);
      h.writeUInt32LE(0x00000006, 0);
      h.writeUInt32LE(total, 4);
      h.writeUInt32LE(ifIdx, 8);
      const ts = usec ? BigInt(sec) * 1_000_000n + BigInt(nsec / 1000) : BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      h.writeUInt32LE(Number((ts >> 32n) & 0xffffffffn), 12);
      h.writeUInt32LE(Number(ts & 0xffffffffn), 16);
      h.writeUInt32LE(data.length, 20);
      h.writeUInt32LE(Math.max(rec.origLen, data.length), 24);
      this.push(h);
      this.push(Buffer.from(data));
      if (pad) this.push(Buffer.alloc(pad));
      for (const o of opts) this.push(o);
      const t = Buffer.allocUnsafe(4);
      t.writeUInt32LE(total, 0);
      this.push(t);
    }
    this.count++;
  }

  /** Hand what is buffered to the stream; resolves when it can take more. */
  async flush(): Promise<void> {
    this.check();
    if (!this.parts.length) return;
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.bytes += buf.length;
    const ok = this.stream.write(buf);
    if (!ok) {
      await drained(this.stream);
    }
    this.check();
  }

  private check(): void {
    const e = this.error as Error | null;
    if (e) throw new WriteError(`error writing the capture file: ${e.message}`);
  }

  /** Write the header if nothing was written, flush, and close the file (not stdout). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.started) this.start(this.opts.linkType ?? 1);
    await this.flush();
    this.closed = true;
    await new Promise<void>((res) => {
      if (this.owned) this.stream.end(() => res());
      else this.stream.write('', () => res());
    });
    this.check();
  }
}

function option(code: number, value: Buffer): Buffer {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(value.length, 2);
  value.copy(b, 4);
  return b;
}

function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(total, 4);
  body.copy(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}
