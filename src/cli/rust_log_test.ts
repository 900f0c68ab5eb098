import assert from "node:assert/strict";
import { parseRustLog } from "./rust_log.ts";
import { assertCases } from "../../tests/support/assert_cases.ts";

Deno.test("parseRustLog() reads the original's RUST_LOG as one level", () => {
  assertCases(parseRustLog, [
    ["info", "info"],
    ["WARN", "warn"],
    ["error", "error"],
    ["debug", "debug"],
    ["trace", "debug"],
    ["off", "quiet"],
    ["4", "debug"],
    ["warn,rdkafka=debug", "warn"],
    ["info,prometheus_exporter=debug", "debug"],
    ["debug,prometheus_exporter=error", "error"],
    ["prometheus_exporter::metrics=warn,prometheus_exporter=info", "info"],
    ["prometheus_exporter", "debug"],
    ["rdkafka=debug", "quiet"],
    // A lone word that is no level is a target, as in the original: nothing of ours is enabled.
    ["loud", "quiet"],
    ["info,", "info"],
    ["hyper[request]=off,info", "info"],
  ]);
});

Deno.test("parseRustLog() returns undefined for what the original could not parse", () => {
  for (const raw of ["info,=debug", "rdkafka=loud", "a=b=c", "info;debug"]) {
    assert.equal(parseRustLog(raw), undefined, raw);
  }
});
