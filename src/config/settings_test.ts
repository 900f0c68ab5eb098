import assert from "node:assert/strict";
import { Option } from "@commander-js/extra-typings";
import { undotFlags } from "../cli/undot_flags.ts";
import { pick } from "./parse.ts";
import { envNames, SETTINGS } from "./settings.ts";

Deno.test("SETTINGS: each key is the attribute commander (then undotFlags) gives its flag", () => {
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const attribute = new Option(`${setting.flag} ${setting.arg}`).attributeName();
    const [key] = Object.keys(undotFlags({ [attribute]: "x" }));
    assert.equal(setting.key, key, `SETTINGS.${name}`);
    assert.equal(name, setting.key, `SETTINGS.${name} is filed under its key`);
  }
});

Deno.test("SETTINGS: no flag and no env var is named by two settings", () => {
  const settings = Object.values(SETTINGS);
  const flags = settings.map((s) => s.flag);
  const envs = settings.flatMap((s) => envNames(s));
  assert.equal(new Set(flags).size, flags.length);
  assert.equal(new Set(envs).size, envs.length);
});

Deno.test("envNames() adds the _FILE form for a secret only", () => {
  assert.deepEqual(envNames(SETTINGS.saslPasswordFile), [
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SASL_PASSWORD_FILE",
  ]);
  assert.deepEqual(envNames(SETTINGS.brokers), ["KAFKA_BROKERS"]);
  assert.deepEqual(envNames(SETTINGS.webTelemetryPath), []);
});

Deno.test("pick() takes the flag, else a non-empty env var, and names where it came from", () => {
  const env = { KAFKA_BROKERS: "kafka:9092" };
  assert.deepEqual(pick(SETTINGS.brokers, { flags: { brokers: "a:1" }, env }), {
    raw: "a:1",
    source: "--brokers",
  });
  assert.deepEqual(pick(SETTINGS.brokers, { flags: {}, env }), {
    raw: "kafka:9092",
    source: "KAFKA_BROKERS",
  });
  assert.equal(pick(SETTINGS.brokers, { flags: {}, env: { KAFKA_BROKERS: " " } }), undefined);
  assert.equal(pick(SETTINGS.webTelemetryPath, { flags: {}, env }), undefined);
});
