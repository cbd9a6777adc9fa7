/**
 * A progress line for long -q runs: "minishark: 12.3 MB read, 45,678 packets, 51,234 packets/s",
 * redrawn in place on a TTY stderr at most a few times a second, erased at the end. Prints nothing
 * when the stream is not a terminal (pipes, files, CI logs).
 */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

function group(n: number): string {
  return Math.floor(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function size(b: number): string {
  if (b < 1000) return `${b} B`;
  const u = ['kB', 'MB', 'GB', 'TB'];
  let v = b / 1000;
  let i = 0;
  while (v >= 1000 && i < u.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${u[i]}`;
}

export class Progress {
  readonly enabled: boolean;
  private readonly start: number;
  private last = 0;
  private shown = false;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly opts: { intervalMs?: number; total?: number; now?: () => number; force?: boolean } = {},
  ) {
    this.enabled = opts.force ?? stream.isTTY === true;
    this.start = this.now();
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : performance.now();
  }

  /** The text of the line (also used by tests). */
  line(bytes: number, packets: number, elapsedMs: number): string {
    const secs = elapsedMs / 1000;
    const rate = secs > 0 ? packets / secs : 0;
    let s = `minishark: ${size(bytes)} read`;
    if (this.opts.total) s += ` of ${size(this.opts.total)} (${Math.min(100, Math.floor((bytes / this.opts.total) * 100))}%)`;
    s += `, ${group(packets)} packets, ${group(rate)} packets/s`;
    return s;
  }

  /** Call as often as you like (e.g. once per batch); redraws at most every intervalMs. */
  update(bytes: number, packets: number): void {
    if (!this.enabled) return;
    const t = this.now();
    if (this.shown && t - this.last < (this.opts.intervalMs ?? 250)) return;
    if (!this.shown && t - this.start < (this.opts.intervalMs ?? 250)) return;
    this.last = t;
    this.shown = true;
    let s = this.line(bytes, packets, t - this.start);
    const cols = this.stream.columns;
    if (cols && s.length >= cols) s = s.slice(0, cols - 1);
    this.stream.write(`\r\x1b[2K${s}`);
  }

  /** Erase the line (before the statistics are printed). */
  done(): void {
    if (!this.enabled || !this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
