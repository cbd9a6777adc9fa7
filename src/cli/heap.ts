/**
 * Keeps V8's heap close to what minishark really holds. Dissecting a capture makes a few KB of
 * short-lived objects per packet and keeps little: the heap after a full collection is under
 * 10 MiB on a million-packet capture. V8's defaults size the heap for throughput instead, and on a
 * long run that is most of minishark's peak memory:
 *
 * - the young generation (two semi-spaces) grows to 32 MiB: every scavenge that finds live objects
 *   counts towards growing it, and a batch of packets is always alive;
 * - the old generation is collected only when it has grown by a large factor over what was live
 *   after the last full collection, so promoted garbage piles up in between.
 *
 * Node takes the young generation's maximum only on its command line (--max-semi-space-size),
 * which `node bin/minishark.js` does not have. V8 does read two flags while running: the young
 * generation's growth factor (set to 1 once it has reached `youngMiB`, so it grows no more) and the
 * old generation's growing percent (the limit is set at 1 + percent/100 of the live size after each
 * full collection). Both only change how often the collector runs, not what it keeps.
 *
 * The flags belong to the whole process, so only the main thread sets them: the worker threads of a
 * several-file run (./multi.ts) leave them alone, rather than have several threads change V8's flags
 * at once.
 */
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

export interface HeapTuning {
  /** the young generation's size (both semi-spaces) at which it stops growing */
  youngMiB: number;
  /** the old generation may grow by this percent over the live size before a full collection */
  oldGrowingPercent: number;
}

export class HeapKeeper {
  private done = false;

  constructor(private readonly tuning: HeapTuning) {
    // a user's own GC settings on the command line win; worker threads leave the process's flags alone
    if (!isMainThread || process.execArgv.some((a) => /semi-space|heap-growing|old-space/.test(a))) this.done = true;
    else v8.setFlagsFromString(`--heap-growing-percent=${tuning.oldGrowingPercent}`);
  }

  /** Call once per read batch: cheap (a few objects), and a no-op once the cap is set. */
  check(): void {
    if (this.done) return;
    for (const s of v8.getHeapSpaceStatistics()) {
      if (s.space_name !== 'new_space') continue;
      if (s.space_size >= this.tuning.youngMiB * 1024 * 1024) {
        v8.setFlagsFromString('--semi-space-growth-factor=1');
        this.done = true;
      }
      return;
    }
    this.done = true; // no new space reported: nothing to do
  }
}
