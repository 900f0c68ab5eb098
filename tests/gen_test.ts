import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { ROOT } from "./support/paths.ts";
import { generate, GENERATED_PATH } from "../scripts/gen_quality_reader.ts";
import { type KeptField, type MessageReader, READERS } from "../src/event/quality_reader_fields.ts";

Deno.test("src/gen is what `deno task gen` produces from proto/ (regenerate when this fails)", () => {
  const out = mkdtempSync(join(tmpdir(), "gen-"));
  try {
    const template = JSON.stringify({
      version: "v2",
      inputs: [{ directory: "proto" }],
      plugins: [{
        local: join(ROOT, "node_modules/.bin/protoc-gen-es"),
        out,
        opt: ["target=ts", "import_extension=ts"],
      }],
    });
    execFileSync(join(ROOT, "node_modules/.bin/buf"), ["generate", "--template", template], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    // buf writes the *_pb.ts files (in folders by proto path); src/gen/zstd_wasm.ts comes from
    // scripts/build_zstd_wasm.sh.
    const pbFiles = (dir: string) =>
      (readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.endsWith("_pb.ts"))
        .sort();
    const committed = pbFiles(join(ROOT, "src/gen"));
    assert.deepEqual(pbFiles(out), committed);
    for (const name of committed) {
      assert.equal(
        readFileSync(join(out, name), "utf8"),
        readFileSync(join(ROOT, "src/gen", name), "utf8"),
        `src/gen/${name} is stale: run 'deno task gen' and commit the result`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

Deno.test(`${GENERATED_PATH} is what \`deno task gen:reader\` writes from its description`, () => {
  assert.equal(
    readFileSync(join(ROOT, GENERATED_PATH), "utf8"),
    generate(),
    `${GENERATED_PATH} is stale: run 'deno task gen:reader' and commit the result`,
  );
});

Deno.test("the reader generator refuses a description the schema or itself contradicts", () => {
  const [entry, metrics, header] = READERS;
  const scopeId = metrics.fields[2]; // scope_id, a string
  // The description with `old` replaced by `field`.
  const withField = (field: KeptField, old = scopeId): MessageReader[] =>
    READERS.map((reader) => ({
      ...reader,
      fields: reader.fields.map((kept) => kept === old ? field : kept),
    }));
  const timestamp = header.fields[1]; // timestamp_us, an int64
  const cases: [string, readonly MessageReader[], RegExp][] = [
    [
      "a message the schema lacks",
      [{ ...metrics, message: "Metric" }],
      /readMetrics: proto\/dashstream\.proto has no message Metric$/,
    ],
    [
      "a field number the message lacks",
      withField({ ...scopeId, number: 6 }),
      /readMetrics, field 6 \(scope_id\): Metrics has no field 6$/,
    ],
    [
      "a field under another name",
      withField({ ...scopeId, name: "scope_name" }),
      /field 3 \(scope_name\): field 3 of Metrics is scope_id$/,
    ],
    [
      "a string read as a varint",
      withField({ ...scopeId, read: { as: "varint" } }),
      /field 3 \(scope_id\): cannot be read as varint: the schema declares string \(wire type 2\)$/,
    ],
    [
      "a varint read as a string",
      withField({ ...timestamp, read: { as: "string" } }, timestamp),
      /field 2 \(timestamp_us\): cannot be read as string: the schema declares varint/,
    ],
    [
      "a message read by the reader of another",
      [entry, metrics, { ...header, name: "readHeader", message: "MetricValue" }],
      /field 1 \(header\): cannot be read as message by readHeader: the schema declares Header/,
    ],
    ["a field kept twice", [{ ...metrics, fields: [scopeId, scopeId] }], /kept twice/],
    ["a reader that does not exist", [entry], /no reader named readMetrics in READERS/],
    ["two readers of one name", [metrics, metrics], /two readers share a name/],
  ];
  for (const [what, readers, message] of cases) {
    assert.throws(() => generate(readers), message, what);
  }
});

Deno.test("the reader generator falls back above no field the schema declares", () => {
  // DashStreamMessage declares members 1..9: a member not kept (not 6) falls back, not skipped.
  assert.match(generate(), /function readDashStreamMessage[^]*?otherField\(bytes, pos, tag, 9\)/);
});

Deno.test("the reader generator gives fields read alike one case, and a declaration a block", () => {
  const text = generate(READERS);
  // Header: message_id (1) and parent_id (7) are both skipped bytes.
  assert.match(
    text,
    /case 0x0a: \/\/ message_id\n {6}case 0x3a: \/\/ parent_id\n {8}pos = skipBytes/,
  );
  assert.match(text, /case 0x12: \{ \/\/ scope: /);
  // Only the entry point is exported; every reader is generated once.
  assert.equal(text.match(/^export function /gm)?.length, 1);
  assert.equal(text.match(/^(export )?function /gm)?.length, READERS.length);
});
