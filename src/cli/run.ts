// Process entry: run the CLI, exit with its code; a closed stdout (| head) ends quietly.
import { main } from './main.js';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
// Ctrl-C: stop reading, write what was dissected (and close a JSON array), exit 130; a second
// Ctrl-C exits at once (for a writer stuck on a full pipe)
const ac = new AbortController();
process.on('SIGINT', () => {
  if (ac.signal.aborted) process.exit(130);
  ac.abort();
  // a writer stuck on a full pipe never reaches the next packet: give the flush a second, then go
  setTimeout(() => process.exit(130), 1000).unref();
});

main(process.argv, { stdout: process.stdout, stderr: process.stderr, signal: ac.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // an internal error: one line, no stack trace (set MINISHARK_DEBUG=1 for the trace)
    process.stderr.write(`minishark: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.MINISHARK_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    process.exitCode = 3;
  },
);
