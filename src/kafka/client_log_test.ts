import assert from "node:assert/strict";
import { type LogEntry, logLevel } from "kafkajs";
import { createLogger } from "../log.ts";
import { kafkaLogCreator } from "./client_log.ts";

function harness(level: "debug" | "info") {
  let out = "";
  const log = createLogger({ write: (s) => out += s, isTerminal: () => false }, { level });
  const errors: string[] = [];
  const write = kafkaLogCreator(log, { onError: (m) => errors.push(m) })();
  const entry = (lvl: logLevel, message: string, error?: string): LogEntry => ({
    namespace: "Connection",
    level: lvl,
    label: "ERROR",
    log: { timestamp: "", logger: "kafkajs", message, ...(error ? { error } : {}) },
  });
  return { write, entry, errors, lines: () => out.split("\n").filter(Boolean) };
}

Deno.test("kafkaLogCreator() keeps kafkajs' own lines out of the info log, still counting errors", () => {
  const h = harness("info");
  for (let i = 0; i < 4; i++) {
    h.write(h.entry(logLevel.ERROR, "Connection error: connect ECONNREFUSED 127.0.0.1:1"));
    h.write(h.entry(logLevel.ERROR, "Failed to connect to seed broker, trying another broker"));
  }
  h.write(h.entry(logLevel.WARN, "KafkaJS v2.0.0 switched default partitioner"));
  h.write(h.entry(logLevel.INFO, "Consumer has joined the group"));
  assert.deepEqual(h.lines(), []);
  assert.equal(h.errors.length, 8, "each error is still reported (serve counts them)");
});

Deno.test("kafkaLogCreator() writes kafkajs' lines at debug, with their kind", () => {
  const h = harness("debug");
  h.write(h.entry(logLevel.ERROR, "Connection error: connect ECONNREFUSED 127.0.0.1:1"));
  assert.equal(h.lines().length, 1);
  assert.match(
    h.lines()[0],
    /DEBUG Connection error: .* source=kafkajs\.Connection .*error_kind=unreachable/,
  );
});

Deno.test("kafkaLogCreator() explains a first run's conditions once, at info, uncounted", () => {
  const h = harness("info");
  for (let i = 0; i < 3; i++) {
    h.write(
      h.entry(
        logLevel.ERROR,
        "Response Metadata",
        "This server does not host this topic-partition",
      ),
    );
    h.write(
      h.entry(
        logLevel.ERROR,
        "Response GroupCoordinator",
        "The group coordinator is not available",
      ),
    );
    h.write(
      h.entry(
        logLevel.ERROR,
        "Response JoinGroup",
        "The group is rebalancing, so a rejoin is needed",
      ),
    );
  }
  const lines = h.lines();
  assert.equal(lines.length, 2, lines.join("\n"));
  assert.match(lines[0], /INFO {2}Waiting for the topic's partitions /);
  assert.match(lines[1], /INFO {2}Waiting for the group coordinator /);
  assert.doesNotMatch(lines.join("\n"), /WARN/);
  assert.deepEqual(h.errors, []);
});
