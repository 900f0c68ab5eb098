import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { ROOT } from "./support/paths.ts";
import { generate, GENERATED_PATH } from "../scripts/gen_quality_reader.ts";
import { type MessageReader, READERS } from "../src/event/quality_reader_fields.ts";

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

Deno.test("the reader generator refuses a description it cannot turn into loops", () => {
  const [entry, metrics] = READERS;
  const field = metrics.fields[2]; // scope_id, a string
  const cases: [string, readonly MessageReader[], RegExp][] = [
    ["a field above lastKnown", [{ ...metrics, lastKnown: 0 }], /must be 1\.\.lastKnown \(0\)/],
    [
      "a field kept twice",
      [{ ...metrics, fields: [field, field] }],
      /scope_id\): the number is kept twice/,
    ],
    ["a reader that does not exist", [entry], /no reader named readMetrics in READERS/],
    ["two readers of one name", [metrics, metrics], /two readers share a name/],
  ];
  for (const [what, readers, message] of cases) {
    assert.throws(() => generate(readers), message, what);
  }
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
