/**
 * Buffered output: text is collected and written in large chunks (never one write per field or per
 * line). A closed pipe (`| head`) ends the run quietly.
 */
export class Writer {
  private parts: string[] = [];
  private size = 0;
  /** set when the reader of our output went away (EPIPE) */
  closed = false;

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    private readonly highWater = 256 * 1024,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw e;
    });
  }

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  /** true when enough is buffered that the caller should `flush()` */
  get full(): boolean {
    return this.size >= this.highWater;
  }

  /** Write what is buffered; resolves when the stream can take more (back-pressure). */
  async flush(): Promise<void> {
    if (!this.parts.length || this.closed) {
      this.parts = [];
      this.size = 0;
      return;
    }
    const s = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const ok = this.stream.write(s);
    if (!ok && !this.closed) {
      await new Promise<void>((res) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', done);
          res();
        };
        this.stream.once('drain', done);
        this.stream.once('error', done);
        this.stream.once('close', done);
      });
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
