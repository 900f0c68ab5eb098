import assert from "node:assert/strict";
import { InputLimitError, readAll } from "./read_all.ts";

Deno.test("readAll() joins the chunks of a stream", async () => {
  const stream = ReadableStream.from([new Uint8Array([1, 2]), new Uint8Array([3])]);
  assert.deepEqual(await readAll(stream), new Uint8Array([1, 2, 3]));
});

Deno.test("readAll() stops an endless stream past maxBytes and cancels it", async () => {
  let cancelled = false;
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(1000));
    },
    cancel() {
      cancelled = true;
    },
  });
  await assert.rejects(readAll(endless, { maxBytes: 10_500 }), (e: Error) => {
    return e instanceof InputLimitError && e.maxBytes === 10_500;
  });
  assert.ok(cancelled, "the stream was not cancelled");
  assert.ok(pulled < 20, `pulled ${pulled} chunks`);
});
