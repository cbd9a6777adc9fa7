/**
 * Several capture files in one run (`-r a.pcap -r b.pcap`, or a quoted glob `-r 'caps/*.pcap'`):
 * each file is dissected in a worker thread of its own (one per core at most), as an independent
 * capture (its own frame numbers and TCP conversations), and the outputs are written in the order
 * the files were named, whatever order the workers finish in. A worker writes to a temporary file,
 * so memory stays flat however far ahead the other workers get; the main thread copies each
 * finished file to stdout in turn.
 */
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { drained } from '../io/drain.js';
import { interruptedStatus } from './interrupt.js';

export interface ManyIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export interface ManyOptions {
  /** the command line: each worker parses it and reads its own file instead of the -r list */
  argv: string[];
  files: string[];
  /** -T json: the per-file arrays are merged into one */
  json: boolean;
  /** -T fields with -E header=y: the header line only once */
  fieldsHeader: boolean;
  /** -T fields with -E bom=y: the byte order mark only once (when there is no header line to drop) */
  bom?: boolean;
  /** workers at most (default: the number of cores) */
  parallel?: number;
}

/** Drops the first `skipLines` lines (or else the first `skipBytes` bytes) and holds back (and drops)
 * the last `dropTail` bytes. */
class Trim extends Transform {
  private held = Buffer.alloc(0);
  private skipping: number;
  constructor(
    skipLines: number,
    private readonly dropTail: number,
    private readonly prefix: string,
    private skipBytes = 0,
  ) {
    super();
    this.skipping = skipLines;
  }
  private started = false;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let b = chunk;
    while (this.skipping > 0 && b.length) {
      const nl = b.indexOf(10);
      if (nl < 0) {
        b = Buffer.alloc(0);
        break;
      }
      b = b.subarray(nl + 1);
      this.skipping--;
    }
    if (this.skipBytes > 0) {
      const n = Math.min(this.skipBytes, b.length);
      b = b.subarray(n);
      this.skipBytes -= n;
    }
    if (!b.length) return cb();
    const all = this.held.length ? Buffer.concat([this.held, b]) : b;
    const keep = Math.max(0, all.length - this.dropTail);
    if (keep > 0) {
      if (!this.started && this.prefix) this.push(this.prefix);
      this.started = true;
      this.push(all.subarray(0, keep));
    }
    this.held = Buffer.from(all.subarray(keep));
    cb();
  }
  /** whether anything was passed on */
  get wrote(): boolean {
    return this.started;
  }
}

/** the UTF-8 byte order mark's length */
const BOM_BYTES = 3;

/** Copy a stream to stdout with back-pressure (no listeners left behind on stdout). */
async function copyOut(src: AsyncIterable<Buffer>, dst: NodeJS.WritableStream): Promise<void> {
  for await (const chunk of src) {
    if (!dst.write(chunk)) {
      await drained(dst);
    }
  }
}

/** What a worker reports (./worker.ts); `stopped`: it did not read its file to the end (a signal) */
interface Result {
  code: number;
  stderr: string;
  stopped?: boolean;
}

interface Job {
  file: string;
  out: string;
  done: Promise<Result>;
}

/** Run every file; resolves to the worst exit code (0 ok, 1 usage, 2 file problems). */
export async function runMany(o: ManyOptions, io: ManyIO): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minishark-'));
  // the temporary outputs go with the process however it ends (| head exits at once on EPIPE,
  // a second Ctrl-C too): exit handlers run on process.exit()
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  process.once('exit', cleanup);
  const parallel = Math.max(1, Math.min(o.parallel ?? (os.availableParallelism?.() ?? os.cpus().length), o.files.length, 16));
  const workerUrl = new URL('./worker.js', import.meta.url);
  // the workers write to files: -V tables are drawn for the terminal this run prints to, if any
  const tty = io.stdout as { isTTY?: boolean; columns?: number };
  const env = tty.isTTY && tty.columns && !process.env.COLUMNS ? { ...process.env, COLUMNS: String(tty.columns) } : process.env;
  const running = new Set<Worker>();
  const starts: Array<() => void> = [];
  // a simple pool: a job starts when fewer than `parallel` workers run
  const slot = (): Promise<void> =>
    running.size < parallel ? Promise.resolve() : new Promise<void>((res) => starts.push(res));
  const jobs: Job[] = o.files.map((file, i) => {
    const out = path.join(tmp, `${i}.out`);
    return { file, out, done: null as unknown as Job['done'] };
  });
  let closing = false;
  const launch = async (job: Job): Promise<Result> => {
    await slot();
    if (closing || io.signal?.aborted) return { code: 0, stderr: '', stopped: true };
    return new Promise((resolve) => {
      const w = new Worker(workerUrl, { workerData: { argv: o.argv, file: job.file, out: job.out }, env });
      running.add(w);
      let result: Result | null = null;
      w.on('message', (m: Result) => (result = m));
      const finish = (r: Result) => {
        running.delete(w);
        starts.shift()?.();
        resolve(r);
      };
      w.on('error', (e) => finish({ code: 3, stderr: `minishark: internal error: ${e.message}\n` }));
      w.on('exit', () => finish(result ?? { code: 3, stderr: 'minishark: internal error: a worker stopped\n' }));
    });
  };
  // a signal: each running worker stops at its next batch and closes its output (a JSON array too);
  // the outputs are copied in order up to the first file that was not read to its end, that one's
  // partial output included
  const stopAll = () => {
    const reason: unknown = io.signal?.reason;
    for (const w of running) w.postMessage({ stop: typeof reason === 'string' ? reason : 'SIGINT' });
  };
  io.signal?.addEventListener('abort', stopAll, { once: true });
  for (const job of jobs) job.done = launch(job);

  let worst = 0;
  let wroteJson = false;
  try {
    if (o.json) io.stdout.write('[\n');
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      const r = await job.done;
      if (fs.existsSync(job.out)) {
        // json: each worker wrote "[\n" body "\n]\n" (or "[\n]\n"): keep the bodies, comma-separated
        // fields: the header line (which starts with the BOM, if any) or else the BOM, only from the first file
        const t = o.json
          ? new Trim(1, 3, wroteJson ? ',\n' : '')
          : new Trim(o.fieldsHeader && i > 0 ? 1 : 0, 0, '', o.bom && !o.fieldsHeader && i > 0 ? BOM_BYTES : 0);
        await copyOut(fs.createReadStream(job.out).pipe(t), io.stdout);
        if (o.json && t.wrote) wroteJson = true;
        fs.rmSync(job.out, { force: true });
      }
      if (r.stderr) io.stderr.write(r.stderr);
      if (r.code > worst) worst = r.code;
      if (r.stopped) break;
    }
    if (o.json) io.stdout.write(wroteJson ? '\n]\n' : ']\n');
  } finally {
    closing = true;
    io.signal?.removeEventListener('abort', stopAll);
    await Promise.all([...running].map((w) => w.terminate()));
    cleanup();
    process.off('exit', cleanup);
  }
  return io.signal?.aborted ? interruptedStatus(io.signal) : worst;
}
