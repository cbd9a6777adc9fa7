/** Resolves when a stream that refused more data (write() returned false) can take more again —
 * or has failed or closed, which the caller's own error handling then reports. No listener stays. */
export function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((res) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      res();
    };
    stream.once('drain', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}
