import { equal, ok, throws } from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { PayloadLimitConfigError } from "./errors.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES, parseMaxPayloadBytes } from "./limits.ts";

Deno.test("parseMaxPayloadBytes() defaults to 10 MiB when unset or blank", () => {
  equal(DEFAULT_MAX_PAYLOAD_BYTES, 10 * 1024 * 1024);
  equal(parseMaxPayloadBytes(undefined), 10_485_760);
  equal(parseMaxPayloadBytes(""), 10_485_760);
  equal(parseMaxPayloadBytes("  "), 10_485_760);
});

Deno.test("parseMaxPayloadBytes() reads a positive whole number of bytes", () => {
  equal(parseMaxPayloadBytes("1048576"), 1_048_576);
  equal(parseMaxPayloadBytes(" 42 "), 42);
  equal(parseMaxPayloadBytes("1"), 1);
  equal(parseMaxPayloadBytes("2147483647"), 2_147_483_647);
});

Deno.test("parseMaxPayloadBytes() rejects anything else with a UsageError", () => {
  for (const raw of ["0", "-1", "1.5", "10MB", "1e6", "abc", "0x10", "2147483648", "1 000"]) {
    throws(() => parseMaxPayloadBytes(raw), (error: unknown) => {
      ok(error instanceof PayloadLimitConfigError, raw);
      ok(error instanceof UsageError, raw);
      equal(error.value, raw);
      ok(error.message.includes(`DASHSTREAM_MAX_PAYLOAD_BYTES '${raw}'`), error.message);
      ok(error.message.includes("e.g. 10485760"), error.message);
      return true;
    });
  }
  throws(
    () => parseMaxPayloadBytes("big", { source: "--max-payload-bytes" }),
    /Invalid --max-payload-bytes 'big'/,
  );
});
