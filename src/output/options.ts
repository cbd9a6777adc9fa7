/**
 * What the CLI needs from the output side before it knows whether anything will be printed: the
 * usage error the printers raise and the output width. Kept apart from the printers so that a run
 * that prints nothing (`-q`) loads none of them.
 */

/** A bad output option (-e, -O, -T fields without -e): a usage error, exit status 1. */
export class OutputOptionError extends Error {}

/** The width -V tables must fit: the terminal's columns, else $COLUMNS, else 80 on a terminal that
 * does not say; null when stdout is not a terminal and there is no COLUMNS (a pipe or a file): the
 * tables are then drawn at their natural width, one line per field, so grep finds every line. */
export function outputWidth(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): number | null {
  const s = stream as { isTTY?: boolean; columns?: number };
  if (s.isTTY && s.columns && s.columns > 0) return s.columns;
  const n = Number(env.COLUMNS);
  if (Number.isInteger(n) && n > 0) return n;
  return s.isTTY ? 80 : null;
}
