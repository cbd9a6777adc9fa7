/**
 * Buffered output: text is collected and written in large chunks (never one write per field or per
 * line). A closed pipe (`| head`) ends the run quietly.
 */
import { drained } from '../io/drain.js';

export class Writer {
  /** what is buffered, already UTF-8 encoded (each piece is encoded while it is fresh in cache) */
  private buf: Buffer;
  private used = 0;
  /** set when the reader of our output went away (EPIPE) */
  closed = false;

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    private readonly highWater = 256 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(highWater + 64 * 1024);
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw e;
    });
  }

  write(s: string): void {
    // a UTF-16 unit is at most 3 bytes in UTF-8
    if (this.used + s.length * 3 > this.buf.length) this.grow(Buffer.byteLength(s));
    // Buffer#utf8Write: what buf.write(s, off, 'utf8') calls after checking its arguments
    this.used += (this.buf as Buffer & { utf8Write(s: string, off: number): number }).utf8Write(s, this.used);
  }

  private grow(extra: number): void {
    if (this.used + extra <= this.buf.length) return;
    const nb = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + extra));
    this.buf.copy(nb, 0, 0, this.used);
    this.buf = nb;
  }

  /** true when enough is buffered that the caller should `flush()` */
  get full(): boolean {
    return this.used >= this.highWater;
  }

  /** Write what is buffered; resolves when the stream can take more (back-pressure). */
  async flush(): Promise<void> {
    if (!this.used || this.closed) {
      this.used = 0;
      return;
    }
    const s = this.buf.subarray(0, this.used);
    this.used = 0;
    const ok = this.stream.write(s);
    // a stream that wrote the chunk at once (stdout to a file or a pipe on Linux) gives the buffer
    // back; one that queued it keeps it, and the next text goes into a new buffer
    if ((this.stream as { writableLength?: number }).writableLength !== 0) this.buf = Buffer.allocUnsafe(this.buf.length);
    if (!ok && !this.closed) {
      await drained(this.stream);
    }
  }

  /** Flush and wait until everything has been handed to the OS. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    await new Promise<void>((res) => {
      if (this.stream === process.stdout || this.stream === process.stderr) {
        // stdout is never ended; write an empty string and wait for its callback
        (this.stream as NodeJS.WritableStream).write('', () => res());
      } else {
        this.stream.end(() => res());
      }
    });
  }
}
