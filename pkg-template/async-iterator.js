// Our own `for await` support, installed even where ReadableStream has one: some runtimes lack
// it (Safari before 18.x), and workerd's native iterator reports an unhandled rejection when
// the stream errors (workerd 1.20261117), which a reader loop does not.
export function addAsyncIterator(stream) {
  stream[Symbol.asyncIterator] = async function* iterate() {
    const reader = this.getReader();
    let done = false;
    try {
      for (;;) {
        const result = await reader.read();
        if (result.done) {
          done = true;
          return;
        }
        yield result.value;
      }
    } finally {
      // Leaving the loop early (break, return, throw) cancels the HTTP body, as native streams do.
      if (!done) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  };
}
