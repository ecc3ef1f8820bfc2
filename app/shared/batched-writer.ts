/**
 * Coalesces the writes made within one turn of the event loop into one write, so a burst of small stream events
 * (a model can deliver many text deltas in one network read) costs one syscall and one chunk downstream instead of
 * one each. Nothing waits longer than the current turn: a lone event still goes out at once.
 */
export interface BatchedWriter {
  write(chunk: string): void;
  /** Writes whatever is pending now (before ending the response). */
  flush(): void;
}

export function batchedWriter(sink: { write(chunk: string): unknown }): BatchedWriter {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    sink.write(chunk);
  };
  return {
    write(chunk) {
      pending += chunk;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
