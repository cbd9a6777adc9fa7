/**
 * Interrupts (Ctrl-C, `kill`): the process entry (./run.ts) turns SIGINT and SIGTERM into an abort
 * of the run's AbortSignal, with the signal's name as the reason. The run stops at its next read
 * batch, writes what was dissected (a JSON array closed) and exits with 128 + the signal's number,
 * as a shell reports it: 130 for SIGINT, 143 for SIGTERM.
 */
import os from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** The signals that stop a run. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The exit status of a run stopped by `sig` (a signal name; anything else counts as SIGINT). */
export function signalStatus(sig: unknown): number {
  const n = typeof sig === 'string' ? os.constants.signals[sig as NodeJS.Signals] : undefined;
  return 128 + (n ?? os.constants.signals.SIGINT);
}

/** The exit status of a run stopped through `signal`: 130 after SIGINT, 143 after SIGTERM. */
export function interruptedStatus(signal: AbortSignal): number {
  return signalStatus(signal.reason);
}

/**
 * Turns of the event loop for a run's main loop (a signal's handler, a worker's message run there).
 * Reading a file and writing to a file or a terminal are synchronous in Node, and an async generator
 * resolves in microtasks: without a turn, a signal would be handled only at the end of the run. A
 * turn is not free (one per 256-record batch made a 500,000-record `-q` read take 0.28 s of CPU
 * instead of 0.22 s): the loop asks for one between batches and after each flush of its output
 * (a batch of -V text for a terminal is 3.6 MB), and it is taken when `everyMs` have passed.
 *
 *   if (turns.due && (await turns.take(signal))) break;
 */
export class LoopTurns {
  private last = performance.now();
  constructor(private readonly everyMs = 10) {}

  /** true when the last turn is `everyMs` old */
  get due(): boolean {
    return performance.now() - this.last >= this.everyMs;
  }

  /** Let the event loop run once; true when `signal` is then aborted. */
  async take(signal?: AbortSignal): Promise<boolean> {
    await nextTurn();
    this.last = performance.now();
    return signal?.aborted === true;
  }
}

/**
 * The items of `source` until `signal` is aborted. A read that waits on a pipe (standard input fed by
 * a capture that has paused) would not see a signal until more data came: it ends at the abort.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T, void, void> {
  const it = source[Symbol.asyncIterator]();
  const aborted = new Promise<IteratorResult<T>>((res) => {
    const stop = () => res({ done: true, value: undefined });
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  for (;;) {
    const r = await Promise.race([it.next(), aborted]);
    if (r.done) return;
    yield r.value;
  }
}
