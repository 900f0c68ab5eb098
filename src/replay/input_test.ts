import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { RunError } from "../errors.ts";
import { readReplayInput } from "./input.ts";

const DATA = new TextEncoder().encode('{"value": null}\n');

function fakeRuntime(files: Record<string, Uint8Array>, stdin: Uint8Array[] = []) {
  return {
    readFile: (path: string) =>
      path in files ? Promise.resolve(files[path]) : Promise.reject(new Error("No such file")),
    stdin: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of stdin) controller.enqueue(chunk);
          controller.close();
        },
      }),
  };
}

Deno.test("readReplayInput() reads a file, gunzipping it when it is gzip", async () => {
  const runtime = fakeRuntime({ "a.jsonl": DATA, "a.jsonl.gz": gzipSync(DATA) });
  assert.deepEqual(await readReplayInput(runtime, "a.jsonl"), {
    name: "a.jsonl",
    bytes: DATA,
    gzip: false,
  });
  const gz = await readReplayInput(runtime, "a.jsonl.gz");
  assert.deepEqual([gz.bytes, gz.gzip], [DATA, true]);
});

Deno.test("readReplayInput() reads all of standard input for -", async () => {
  const runtime = fakeRuntime({}, [DATA.subarray(0, 5), DATA.subarray(5)]);
  const input = await readReplayInput(runtime, "-");
  assert.equal(input.name, "standard input");
  assert.deepEqual(input.bytes, DATA);
});

Deno.test("readReplayInput() fails with a RunError naming the input", async () => {
  const gz = gzipSync(DATA);
  const runtime = fakeRuntime({ "cut.gz": gz.subarray(0, gz.length - 4) });
  await assert.rejects(readReplayInput(runtime, "missing.bin"), (error: unknown) => {
    assert.ok(error instanceof RunError);
    assert.match(error.message, /^Cannot read replay input 'missing\.bin': No such file/);
    return true;
  });
  await assert.rejects(
    readReplayInput(runtime, "cut.gz"),
    /Cannot read replay input cut\.gz: the input starts like gzip .* truncated or corrupt/,
  );
});

Deno.test("readReplayInput() stops standard input and gunzipping at maxBytes, naming --max-input-bytes", async () => {
  const big = new Uint8Array(3 * 1024 * 1024);
  const runtime = fakeRuntime({ "big.bin.gz": gzipSync(big), "big.bin": big }, [big, big]);
  await assert.rejects(
    readReplayInput(runtime, "big.bin.gz", { maxBytes: 1024 * 1024 }),
    (e: Error) =>
      e instanceof RunError &&
      /^Cannot replay big\.bin\.gz: it is gzip and inflates to more than 1 MiB \(--max-input-bytes\); raise --max-input-bytes/
        .test(e.message),
  );
  await assert.rejects(
    readReplayInput(runtime, "-", { maxBytes: 4 * 1024 * 1024 }),
    /^RunError: Cannot replay standard input: it holds more than 4 MiB \(--max-input-bytes\)/,
  );
  // A plain file is read whole; within the limit, gzip is as before.
  assert.equal(
    (await readReplayInput(runtime, "big.bin", { maxBytes: 1024 })).bytes.length,
    big.length,
  );
  assert.equal(
    (await readReplayInput(runtime, "big.bin.gz", { maxBytes: 4 * 1024 * 1024 })).bytes.length,
    big.length,
  );
});
