/**
 * `check` reads the delimited protobuf exposition: the crafted fixtures are reproducible, a URL
 * asked with `--accept protobuf` is read as protobuf (native histograms included), and broken
 * native histograms fail at the right family. (The invalid fixtures' rules and message numbers
 * are asserted with the others in check_invalid_test.ts.)
 */
import assert from "node:assert/strict";
import { FIXTURES, jsonFindings, runCheck, serveHttp, withServer } from "./support/check.ts";
import { protobufFixtures } from "./support/protobuf_fixtures.ts";
import { newTestCore } from "./support/metrics_core.ts";
import { viaWire } from "./support/sample/metrics_message.ts";
import { qualityMessage } from "./support/sample/builders.ts";
import { createMetricsHandler } from "../src/http/metrics_handler.ts";
import { PROTOBUF_CONTENT_TYPE } from "../src/exposition/protobuf.ts";

Deno.test("the crafted protobuf fixtures are what tests/support/protobuf_fixtures.ts writes", () => {
  for (const fixture of protobufFixtures()) {
    assert.deepEqual(
      Deno.readFileSync(`${FIXTURES}${fixture.path}`),
      fixture.bytes,
      `${fixture.path} is stale: run deno run -A tests/support/protobuf_fixtures.ts`,
    );
  }
});

Deno.test("check --accept protobuf reads the exporter's protobuf exposition", async () => {
  const { core } = newTestCore();
  for (const latencyMs of [5, 80, 80, 1200]) {
    core.applyMessage(viaWire(qualityMessage({ bare: true, latencyMs, model: "gpt-4o" })));
  }
  const accepts: (string | null)[] = [];
  const handler = createMetricsHandler(core, { ready: () => true, version: "test" });
  await withServer(
    serveHttp((request) => {
      accepts.push(request.headers.get("accept"));
      return handler(request);
    }),
    async (server) => {
      const url = `${server.origin}/metrics`;
      const proto = await runCheck([
        url,
        "--accept",
        "protobuf",
        "--expect",
        "dashflow",
        "--format",
        "json",
      ]);
      const text = await runCheck([url, "--expect", "dashflow", "--format", "json"]);
      assert.match(accepts[0] ?? "", /^application\/vnd\.google\.protobuf;/);
      const report = JSON.parse(proto.stdout);
      assert.equal(report.scrapes[0].format, "protobuf");
      assert.equal(report.scrapes[0].contentType, PROTOBUF_CONTENT_TYPE);
      assert.deepEqual(jsonFindings(proto).filter((f) => f.severity === "error"), []);
      assert.equal(proto.code, text.code, proto.stdout);
      // The same families and samples as the text format (the endpoint histogram aside, it grows).
      assert.deepEqual(report.families, JSON.parse(text.stdout).families);
    },
  );
});

Deno.test("check fails a URL's broken native histogram at its family", async () => {
  const broken = protobufFixtures().find((f) => f.rule === "native-negative-count")!;
  await withServer(
    serveHttp(() =>
      new Response(broken.bytes.slice(), { headers: { "content-type": PROTOBUF_CONTENT_TYPE } })
    ),
    async (server) => {
      const run = await runCheck([
        `${server.origin}/metrics`,
        "--accept",
        "protobuf",
        "--format",
        "json",
      ]);
      assert.equal(run.code, 1, run.stdout);
      const hit = jsonFindings(run).find((f) => f.rule === "native-negative-count");
      assert.equal(hit?.metric, "request_duration_seconds");
      assert.equal(hit?.line, 2);
    },
  );
});
