/** The errors the library throws: a bad display filter, an unknown field name; capture problems are
 * the readers' CaptureError (src/io/errors.ts), with the frame number the library adds. */
import { describeFilterError, FilterSyntaxError } from '../filter/index.js';

/**
 * A display filter that does not compile. The message is the CLI's (what `minishark -Y` prints after
 * "minishark: "): the error, then the filter and a caret line under the fault, e.g.
 *
 *     "70000" too big for this field, maximum 65535.
 *         tcp.port == 70000
 *                     ^~~~~
 */
export class FilterError extends Error {
  /** the filter as written */
  readonly filter: string;
  /** where in the filter the fault is (0-based), or -1 when it has no place (an unexpected end) */
  readonly position: number;
  /** how many characters the fault spans */
  readonly length: number;
  /** for a name that is neither a field nor a protocol: that name */
  readonly field?: string;

  constructor(filter: string, cause: unknown) {
    super(describeFilterError(filter, cause), { cause });
    this.name = 'FilterError';
    this.filter = filter;
    const e = cause instanceof FilterSyntaxError ? cause : null;
    this.position = e?.position ?? -1;
    this.length = e?.length ?? 0;
    const field = (cause as { field?: unknown }).field;
    if (typeof field === 'string') this.field = field;
  }
}

/**
 * A field name that minishark does not know, given to Packet.get/getAll/has. The message is the one
 * `minishark -T fields -e NAME` prints: "Some fields aren't valid: tcp.sek (did you mean tcp.seq?)".
 */
export class UnknownFieldError extends Error {
  constructor(
    /** the name as given */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnknownFieldError';
  }
}
