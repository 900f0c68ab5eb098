// Golden files for `tail`'s renderings of every message type: one pretty line
// (no colors) and one JSON line per type, plus all types in color. The JSON
// goldens are `.jsonl` (what `--format json` writes: JSON Lines), which also
// keeps `deno fmt` from reformatting them. Regenerate
// after an intended change with:
//   UPDATE_GOLDEN=1 deno test -A tests/tail_golden_test.ts
// and review the diff of tests/golden/tail/.
import assert from "node:assert/strict";
import { COLORS, NO_COLORS } from "../src/tail/colors.ts";
import { jsonLine } from "../src/tail/json_format.ts";
import { MESSAGE_KINDS } from "../src/tail/message_kind.ts";
import { prettyLine } from "../src/tail/pretty_format.ts";
import { decodeTailRecord } from "../src/tail/tail_record.ts";
import { assertGolden } from "./support/golden.ts";
import { ROOT } from "./support/paths.ts";
import { goldenRecords } from "./support/tail_records.ts";

const DIR = `${ROOT}tests/golden/tail/`;

function golden(name: string, actual: string): void {
  assertGolden(`${DIR}${name}`, actual, `${name} differs (UPDATE_GOLDEN=1 regenerates it)`);
}

const records = goldenRecords();

for (const [name, record] of records) {
  Deno.test(`tail golden: ${name} renders as tests/golden/tail/${name}.pretty.txt`, async () => {
    await golden(
      `${name}.pretty.txt`,
      prettyLine(decodeTailRecord(record), { palette: NO_COLORS }) + "\n",
    );
  });
  Deno.test(`tail golden: ${name} renders as tests/golden/tail/${name}.jsonl`, async () => {
    await golden(`${name}.jsonl`, jsonLine(decodeTailRecord(record)) + "\n");
  });
}

Deno.test("tail golden: every type in color renders as tests/golden/tail/all.pretty.color.txt", async () => {
  const lines = records.map(([, record]) =>
    prettyLine(decodeTailRecord(record), { palette: COLORS }) + "\n"
  );
  await golden("all.pretty.color.txt", lines.join(""));
});

Deno.test("tail golden: there is a golden file for every kind of message", () => {
  const names = records.map(([name]) => name);
  // Every kind tail tells apart (but a message with no member, which has no sample), and the
  // line for a record that does not decode.
  const kinds = [...MESSAGE_KINDS.filter((kind) => kind !== "empty"), "decode_error"];
  for (const kind of kinds) {
    assert.ok(names.includes(kind), kind);
  }
});
