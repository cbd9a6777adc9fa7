/** Errors a capture source or reader reports. Each becomes one line on stderr and exit code 2. */
export type CaptureErrorKind =
  | 'missing' // the file does not exist
  | 'directory'
  | 'permission'
  | 'open' // any other open/read failure
  | 'empty'
  | 'unknown-format' // not a capture file we understand
  | 'cut-short' // a record/block cut off by the end of the file
  | 'corrupt'; // a length or field that cannot be right

export class CaptureError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    message: string,
    /** byte offset in the (decompressed) stream where the fault is, when known */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'CaptureError';
  }

  /** the frame number of the first packet not delivered (every one before it was): set by the
   * library's readPackets; 1 when the file could not be opened or holds no complete packet */
  frame?: number;
}

/** tshark's wording for each kind, with the file name in it. */
export function describeCaptureError(e: CaptureError, name: string): string {
  const shown = name === '-' ? 'standard input' : `"${name}"`;
  switch (e.kind) {
    case 'missing':
      return `The file ${shown} doesn't exist.`;
    case 'directory':
      return `${shown} is a directory (folder), not a file.`;
    case 'permission':
      return `The file ${shown} could not be opened: permission denied.`;
    case 'empty':
      return `The file ${shown} is empty: it holds no capture file header.`;
    case 'unknown-format':
      return `The file ${shown} isn't a capture file in a format minishark understands.`;
    case 'cut-short':
      return `The file ${shown} appears to have been cut short in the middle of a packet.`;
    case 'corrupt':
      return `The file ${shown} appears to be damaged or corrupt (${e.message}${e.offset !== undefined ? ` at byte offset ${e.offset}` : ''}).`;
    default:
      return `The file ${shown} could not be read: ${e.message}.`;
  }
}

/** Writing a capture (-w) failed: one line on stderr and exit code 2. */
export class WriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteError';
  }
}
