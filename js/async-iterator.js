// Our own `for await` support, installed even where ReadableStream has one: some runtimes lack
// it (Safari before 18.x), and workerd's native iterator reports an unhandled rejection when
// the stream errors (workerd 1.20261117), which a reader loop does not.
// Not an async generator: next() hands on read()'s promise. With `direct` ({ready, nextBatch}),
// while ready() it takes whole batches from nextBatch() (an array, or undefined at the end).
export function addAsyncIterator(stream, direct) {
  stream[Symbol.asyncIterator] = function iterate() {
    const reader = this.getReader();
    let finished = false;
    let batch = [];
    let at = 0;
    // Leaving the loop early cancels the HTTP body, as native streams do.
    const finish = async () => {
      if (finished) return;
      finished = true;
      await reader.cancel().catch(() => {});
      reader.releaseLock();
    };
    const settled = (result) => {
      if (result.done && !finished) {
        finished = true;
        reader.releaseLock();
      }
      return result;
    };
    const failed = async (error) => {
      await finish();
      throw error;
    };
    const fromBatch = (chunks) => {
      if (chunks === undefined) return settled({ value: undefined, done: true });
      batch = chunks;
      at = 1;
      return { value: chunks[0], done: false };
    };
    return {
      next() {
        if (at < batch.length) return Promise.resolve({ value: batch[at++], done: false });
        if (finished) return Promise.resolve({ value: undefined, done: true });
        if (direct?.ready()) return direct.nextBatch().then(fromBatch, failed);
        return reader.read().then(settled, failed);
      },
      async return(value) {
        batch = [];
        await finish();
        return { value, done: true };
      },
      async throw(error) {
        batch = [];
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };
}
