import type { Prefs } from '../dissect/state.js';

/** The TCP conversation tracker: the one stateful stage, after dissection (see spec/tcp-analysis.md). */
export class TcpTracker {
  constructor(readonly prefs: Prefs) {}
}
