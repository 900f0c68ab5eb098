import assert from "node:assert/strict";
import { formatFromContentType, sniffFormat } from "./content_type.ts";

Deno.test("formatFromContentType() reads the media type only", () => {
  assert.deepEqual(formatFromContentType("text/plain; version=0.0.4; charset=utf-8"), {
    kind: "format",
    format: "text",
  });
  assert.deepEqual(
    formatFromContentType("Application/OpenMetrics-Text; version=1.0.0; charset=utf-8"),
    { kind: "format", format: "openmetrics" },
  );
  assert.deepEqual(formatFromContentType(null), { kind: "missing" });
  assert.deepEqual(formatFromContentType("application/vnd.google.protobuf; proto=x"), {
    kind: "format",
    format: "protobuf",
  });
  assert.deepEqual(formatFromContentType("application/json"), {
    kind: "unsupported",
    mediaType: "application/json",
  });
});

Deno.test("sniffFormat() says OpenMetrics when a line is # EOF", () => {
  assert.equal(sniffFormat("up 1\n# EOF\n"), "openmetrics");
  assert.equal(sniffFormat("# EOF"), "openmetrics");
  assert.equal(sniffFormat("up 1\n# EOF\nmore 2\n"), "openmetrics");
  assert.equal(sniffFormat("up 1\n# EOFX\n"), "text");
  assert.equal(sniffFormat(""), "text");
});
