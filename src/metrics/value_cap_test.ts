import { equal, notEqual, ok } from "node:assert/strict";
import { capValue, CUT_MARKER, MAX_VALUE_BYTES } from "./value_cap.ts";

const bytes = (text: string) => new TextEncoder().encode(text).length;

Deno.test("capValue() returns a value of at most MAX_VALUE_BYTES bytes itself", () => {
  for (const value of ["", "gpt-4o", "x".repeat(MAX_VALUE_BYTES), "é".repeat(128)]) {
    equal(capValue(value), value);
  }
});

Deno.test("capValue() cuts a longer value to a prefix, the marker and a hash", () => {
  for (const unit of ["x", "é", "€", "😀"]) {
    const value = unit.repeat(1024 * 1024);
    const capped = capValue(value);
    ok(bytes(capped) <= MAX_VALUE_BYTES, `${unit}: ${bytes(capped)} bytes`);
    ok(bytes(capped) > MAX_VALUE_BYTES - 4, `${unit}: whole characters up to the limit`);
    ok(capped.startsWith(unit.repeat(10)), unit);
    ok(capped.includes(CUT_MARKER), unit);
    ok(/[0-9a-f]{16}$/.test(capped), capped.slice(-20));
    equal(capValue(value), capped, "deterministic");
  }
  // Values that differ only past the prefix stay apart.
  const base = "k".repeat(1000);
  notEqual(capValue(base + "a"), capValue(base + "b"));
  equal(capValue("x".repeat(MAX_VALUE_BYTES + 1)).length < MAX_VALUE_BYTES + 1, true);
});
