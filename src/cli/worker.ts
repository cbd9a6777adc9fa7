// A worker thread of a several-file run (src/cli/multi.ts): runs the CLI on one file, its output to
// a temporary file, and posts back the exit code and what it wrote on stderr. A `stop` message (a
// signal in the main thread) stops it at its next batch, its output closed as a single run's.
import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { main } from './main.js';

const { argv, file, out } = workerData as { argv: string[]; file: string; out: string };
const ac = new AbortController();
parentPort!.on('message', (m: { stop?: string }) => {
  if (m.stop) ac.abort(m.stop);
});
// the port does not keep the thread alive once the run is over
parentPort!.unref();
const stdout = fs.createWriteStream(out, { highWaterMark: 1 << 20 });
let err = '';
const stderr = new Writable({
  write(chunk: Buffer | string, _enc, cb) {
    err += chunk.toString();
    cb();
  },
});
let code: number;
try {
  code = await main(argv, { stdout, stderr, signal: ac.signal }, { readFile: file });
} catch (e) {
  err += `minishark: internal error: ${(e as Error)?.message ?? String(e)}\n`;
  code = 3;
}
// main() ends the stream it was given; wait until the file is complete
await new Promise<void>((res) => {
  if (stdout.writableFinished || stdout.destroyed) return res();
  stdout.once('finish', () => res());
  stdout.once('close', () => res());
  if (!stdout.writableEnded) stdout.end();
});
parentPort!.postMessage({ code, stderr: err, stopped: ac.signal.aborted });
