// Process entry: run the CLI, exit with its code; a closed stdout (| head) ends quietly.
import { main } from './main.js';
import { signalStatus, STOP_SIGNALS } from './interrupt.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
// Ctrl-C (SIGINT) or SIGTERM: the run stops at its next read batch, writes what was dissected (a
// JSON array closed) and exits 130 or 143; a second signal exits at once
const ac = new AbortController();
for (const sig of STOP_SIGNALS) {
  process.on(sig, () => {
    if (ac.signal.aborted) process.exit(signalStatus(sig));
    ac.abort(sig);
    exitWhenStuck(signalStatus(sig));
  });
}

/**
 * A write into a pipe whose reader stopped reading never completes, and the run waits on it: once
 * stopping, exit when standard output has had bytes waiting without one going out for half a second.
 * (A file or a terminal is written synchronously: nothing waits there.)
 */
function exitWhenStuck(code: number): void {
  const out = process.stdout as NodeJS.WriteStream & { bytesWritten?: number };
  let sent = -1;
  setInterval(() => {
    const now = out.bytesWritten ?? 0;
    if (out.writableLength > 0 && now === sent) process.exit(code);
    sent = now;
  }, 500).unref();
}

main(process.argv, { stdout: process.stdout, stderr: process.stderr, signal: ac.signal }).then(
  (code) => {
    process.exitCode = code;
    // interrupted while reading standard input, which still holds the process: all is written
    if (ac.signal.aborted) process.exit(code);
  },
  (e: unknown) => {
    // an internal error: one line, no stack trace (set MINISHARK_DEBUG=1 for the trace)
    process.stderr.write(`minishark: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.MINISHARK_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    process.exitCode = 3;
  },
);
