// `tail` failure modes: records that fail to decode are error lines (never a
// crash) and counted; an unreachable broker and a missing topic fail fast with
// exit 1; bad flag values are usage errors with exit 2.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { encodeRecord } from "../src/wire/mod.ts";
import { zstdZeroBomb } from "./support/sample/mod.ts";
import { sampleQuality } from "./support/tail_records.ts";
import { kafkaClient, withTopic } from "./support/kafka.ts";
import { parseLines, produceRecords, runTail, summaryLine, topicToEnd } from "./support/tail.ts";

Deno.test("tail shows each undecodable record as an error line with its coordinates and reason", async () => {
  await withTopic("tail-err-decode", async (topic) => {
    await produceRecords(topic, [
      { value: sampleQuality() }, // 0
      { value: new Uint8Array([0x00, 0x0a, 0xff, 0xff]) }, // 1: not protobuf
      { value: new Uint8Array([0x01, 0x28, 0xb5, 0x2f]) }, // 2: corrupt zstd
      { value: null, key: "gone" }, // 3: tombstone
      { value: sampleQuality() }, // 4
    ]);
    // 5: an empty value (kafkajs writes it as is; the helper would make it a tombstone)
    const producer = kafkaClient().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: Buffer.alloc(0), partition: 0 }] });
    await producer.disconnect();
    // 6: a zstd bomb: decompresses past --max-payload-bytes
    await produceRecords(topic, [{ value: zstdZeroBomb(4096) }]);

    const base = topicToEnd(topic);
    const json = await runTail([...base, "--max-payload-bytes", "1024"]);
    assert.equal(json.code, 0, json.stderr);
    const lines = parseLines(json.lines);
    assert.deepEqual(
      lines.map((r) => [r.offset, r.type ?? r.error.reason]),
      [
        [0, "metrics"],
        [1, "protobuf"],
        [2, "zstd"],
        [3, "empty"],
        [4, "metrics"],
        [5, "empty"],
        [6, "decompressed_too_large"],
      ],
    );
    assert.equal(lines[3].key, "gone");
    assert.match(lines[6].error.message, /the 1024-byte limit; raise DASHSTREAM_MAX_PAYLOAD_BYTES/);
    assert.equal(
      summaryLine(json.stderr),
      "tail: 7 records: 2 decoded (quality 2), 5 failed; 7 shown",
    );

    const pretty = await runTail([...base, "--format", "pretty", "--max-payload-bytes", "1024"]);
    assert.equal(pretty.code, 0, pretty.stderr);
    assert.match(
      pretty.lines[1],
      /^\d{4}-\d\d-\d\dT[\d:.]+Z p0@1 decode_error {4}protobuf: Cannot decode record: /,
    );
    assert.match(
      pretty.lines[3],
      / p0@3 decode_error {4}empty: Cannot decode record: it has no value/,
    );
  });
  // The zstd bomb helper is sized by its argument; make sure it is what we think.
  assert.ok(zstdZeroBomb(4096).length < 1024);
});

Deno.test("tail fails fast with exit 1 when the broker is unreachable", async () => {
  const result = await runTail(["--topic", "t"], { env: { KAFKA_BROKERS: "127.0.0.1:1" } });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /dashflow-exporter: Cannot connect to Kafka at 127\.0\.0\.1:1: connection refused \(set KAFKA_BROKERS or --brokers\)\n$/,
  );
  assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
});

Deno.test("tail fails with exit 1 naming a topic that does not exist, and does not create it", async () => {
  const topic = `tail-missing-${Date.now()}`;
  const result = await runTail(["--topic", topic]);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    new RegExp(
      `dashflow-exporter: Topic '${topic}' does not exist on .*; set KAFKA_TOPIC or --topic`,
    ),
  );
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    assert.ok(!(await admin.listTopics()).includes(topic));
  } finally {
    await admin.disconnect();
  }
});

for (
  const [args, expected] of [
    [
      ["--from", "yesterday"],
      /^dashflow-exporter: Invalid --from 'yesterday': expected beginning, end, /,
    ],
    [["--limit", "0"], /^dashflow-exporter: Invalid --limit '0': expected a positive integer/],
    [
      ["--format", "xml"],
      /^dashflow-exporter: Invalid --format 'xml': expected one of auto, pretty, json/,
    ],
    [
      ["--type", "quality,bogus"],
      /^dashflow-exporter: Invalid --type 'bogus': expected one or more of/,
    ],
    [
      ["--partition", "x"],
      /^dashflow-exporter: Invalid --partition 'x': expected partition numbers/,
    ],
    [["--group", "g", "--from", "-5"], /^dashflow-exporter: Invalid --from '-5' with --group/],
    [
      ["--brokers", "nohost"],
      /^dashflow-exporter: Invalid --brokers entry 'nohost': expected host:port/,
    ],
    [["--log-level", "loud"], /^dashflow-exporter: Invalid --log-level 'loud'/],
    [
      ["--security-protocol", "bogus"],
      /^dashflow-exporter: Invalid --security-protocol 'bogus': expected one of plaintext, /,
    ],
    [["--bogus"], /^dashflow-exporter: unknown option '--bogus'/],
  ] as [string[], RegExp][]
) {
  Deno.test(`tail ${args.join(" ")} is a usage error: exit 2 and one line naming the flag`, async () => {
    // No broker is contacted: the brokers are unreachable and it must not matter.
    const result = await runTail(args, { env: { KAFKA_BROKERS: "127.0.0.1:1" } });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, expected);
    assert.equal(result.stdout, "");
  });
}

Deno.test("tail decodes records of a legacy (unframed) producer too", async () => {
  await withTopic("tail-err-legacy", async (topic) => {
    await produceRecords(topic, [{ value: encodeRecord(sampleQuality(), { legacy: true }) }]);
    const result = await runTail(topicToEnd(topic));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseLines(result.lines).map((r) => [r.framing, r.type]), [[
      "legacy",
      "metrics",
    ]]);
  });
});
