import assert from "node:assert/strict";
import type { FileSink, Output } from "../runtime/mod.ts";
import { eventMessage } from "../../tests/support/sample/mod.ts";
import { readDelimited } from "../wire/record_file.ts";
import { parseTypeFilter } from "./filters.ts";
import { jsonLine } from "./json_format.ts";
import { TailPipeline } from "./pipeline.ts";
import { concatBytes } from "../util/concat_bytes.ts";
import { sampleQuality, testRecord } from "../../tests/support/tail_records.ts";

function memoryOutput(options: { failAfter?: number } = {}): Output & { text(): string } {
  let text = "";
  let writes = 0;
  return {
    write(data) {
      if (options.failAfter !== undefined && writes >= options.failAfter) {
        throw new Error("Broken pipe (os error 32)");
      }
      writes++;
      text += typeof data === "string" ? data : new TextDecoder().decode(data);
    },
    isTerminal: () => false,
    text: () => text,
  };
}

function memoryFile(options: { fail?: boolean } = {}): FileSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    write(data) {
      if (options.fail) throw new Error("No space left on device (os error 28)");
      chunks.push(data.slice());
    },
    close() {},
    bytes: () => concatBytes(chunks),
  };
}

Deno.test("TailPipeline prints a line per record, error lines included, and counts them", () => {
  const stdout = memoryOutput();
  const pipeline = new TailPipeline({ stdout, render: jsonLine });
  pipeline.handle(testRecord(sampleQuality(), { offset: "1" }));
  pipeline.handle(testRecord(new Uint8Array([0x00, 0xff]), { offset: "2" }));
  pipeline.handle(testRecord(eventMessage(), { offset: "3" }));
  const lines = stdout.text().trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.offset, l.type ?? l.error.reason]), [
    [1, "metrics"],
    [2, "protobuf"],
    [3, "event"],
  ]);
  assert.equal(
    pipeline.summary.line(),
    "tail: 3 records: 2 decoded (quality 1, event 1), 1 failed; 3 shown",
  );
  assert.equal(pipeline.done, false);
});

Deno.test("TailPipeline stops at --limit shown records; filtered-out ones do not count", () => {
  const stdout = memoryOutput();
  const pipeline = new TailPipeline({
    stdout,
    render: jsonLine,
    limit: 2,
    filters: { types: parseTypeFilter("quality", { source: "--type" }) },
  });
  for (let i = 0; i < 5; i++) {
    pipeline.handle(testRecord(i % 2 === 0 ? eventMessage() : sampleQuality(), { offset: `${i}` }));
  }
  assert.equal(pipeline.done, true);
  assert.equal(pipeline.stopReason, "limit");
  assert.equal(stdout.text().trimEnd().split("\n").length, 2);
  assert.equal(pipeline.summary.records, 4, "records after the limit are not even read");
  assert.equal(pipeline.summary.shown, 2);
});

Deno.test("TailPipeline writes shown records' exact values to --output, skipping tombstones", () => {
  const file = memoryFile();
  const stdout = memoryOutput();
  const pipeline = new TailPipeline({ stdout, file: { path: "f.bin", sink: file } });
  const records = [
    testRecord(sampleQuality()),
    testRecord(new Uint8Array([0x00, 0xff])),
    testRecord(null),
    testRecord(eventMessage()),
  ];
  for (const record of records) pipeline.handle(record);
  assert.equal(stdout.text(), "", "no render: --quiet");
  assert.deepEqual(
    [...readDelimited(file.bytes())].map((r) => r.value),
    [records[0].value, records[1].value, records[3].value],
  );
  assert.equal(pipeline.summary.shown, 4);
});

Deno.test("TailPipeline stops quietly when stdout is closed (| head)", () => {
  const stdout = memoryOutput({ failAfter: 1 });
  const pipeline = new TailPipeline({ stdout, render: jsonLine });
  pipeline.handle(testRecord(sampleQuality()));
  assert.equal(pipeline.done, false);
  pipeline.handle(testRecord(sampleQuality()));
  assert.equal(pipeline.done, true);
  assert.equal(pipeline.stopReason, "stdout_closed");
  assert.equal(pipeline.failure, undefined);
  assert.equal(pipeline.summary.shown, 1, "the line that could not be written is not counted");
});

Deno.test("TailPipeline turns an --output write failure into a RunError to report", () => {
  const pipeline = new TailPipeline({
    stdout: memoryOutput(),
    file: { path: "/full/f.bin", sink: memoryFile({ fail: true }) },
  });
  pipeline.handle(testRecord(sampleQuality()));
  assert.equal(pipeline.stopReason, "failure");
  assert.match(
    pipeline.failure!.message,
    /^Cannot write to --output '\/full\/f\.bin': No space left on device/,
  );
});

Deno.test("TailPipeline survives a renderer that throws, printing what went wrong", () => {
  const stdout = memoryOutput();
  const pipeline = new TailPipeline({
    stdout,
    render: () => {
      throw new Error("boom");
    },
  });
  pipeline.handle(testRecord(sampleQuality(), { partition: 1, offset: "5" }));
  assert.equal(stdout.text(), "p1@5 cannot render this record: boom\n");
  assert.equal(pipeline.done, false);
});
