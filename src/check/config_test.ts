import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { resolveCheckConfig } from "./config.ts";

Deno.test("resolveCheckConfig() tells URLs, files and stdin apart, with defaults", () => {
  const url = resolveCheckConfig("http://127.0.0.1:9190/metrics", {});
  assert.deepEqual(url.target, { kind: "url", url: "http://127.0.0.1:9190/metrics" });
  assert.deepEqual(
    [url.accept, url.inputFormat, url.output, url.timeoutMs, url.waitMs, url.scrapes, url.lint],
    ["prometheus", "auto", "human", 10_000, 0, 1, true],
  );
  assert.deepEqual(resolveCheckConfig("metrics.txt", {}).target, {
    kind: "file",
    path: "metrics.txt",
  });
  assert.equal(resolveCheckConfig("-", {}).targetName, "<stdin>");
});

Deno.test("resolveCheckConfig() reads timing, auth and header flags", () => {
  const config = resolveCheckConfig("https://h/metrics", {
    timeout: "500ms",
    wait: "1m30s",
    scrapes: "3",
    interval: "2s",
    basicAuth: "user",
    header: ["X-Scope: team-a"],
    insecureSkipVerify: true,
    lint: false,
  }, { DASHFLOW_CHECK_PASSWORD: "pässword" });
  assert.deepEqual([config.timeoutMs, config.waitMs, config.scrapes, config.intervalMs], [
    500,
    90_000,
    3,
    2000,
  ]);
  assert.equal(config.headers["x-scope"], "team-a");
  assert.equal(
    config.headers.authorization,
    `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode("user:pässword")))}`,
  );
  assert.equal(config.lint, false);
  assert.equal(config.tls.insecureSkipVerify, true);
});

Deno.test("resolveCheckConfig() rejects bad usage with the flag and the fix", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["ftp://h/x", {}, /expected an http:\/\/ or https:\/\/ URL/],
    ["m.txt", { scrapes: "2" }, /--scrapes 2 needs an http\(s\) target/],
    ["http://h/", { caFile: "ca.pem" }, /need an https:\/\/ target/],
    ["https://h/", { certFile: "c.pem" }, /--cert-file and --key-file go together/],
    ["http://h/", { format: "xml" }, /Invalid --format 'xml': expected one of human, json, junit/],
    ["http://h/", { accept: "json" }, /Invalid --accept/],
    ["http://h/", { inputFormat: "om" }, /Invalid --input-format/],
    ["http://h/", { timeout: "soon" }, /Invalid --timeout 'soon'/],
    ["http://h/", { timeout: "0s" }, /expected more than 0/],
    ["http://h/", { scrapes: "0" }, /Invalid --scrapes/],
    ["http://h/", { basicAuth: "user" }, /DASHFLOW_CHECK_PASSWORD/],
    ["http://h/", { header: ["no colon"] }, /Invalid --header/],
    ["http://h/", { expectBuckets: "env" }, /--expect-buckets applies to --expect dashflow/],
  ];
  for (const [target, flags, pattern] of cases) {
    assert.throws(() => resolveCheckConfig(target, flags), (error: Error) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  }
});
