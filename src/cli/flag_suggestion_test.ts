import assert from "node:assert/strict";
import { suggestFlag } from "./flag_suggestion.ts";

const SERVE = ["--brokers", "--web.listen-address", "--web.config.file", "--log-level"];

Deno.test("suggestFlag() maps exporter habits to our flags, where the mode has them", () => {
  assert.equal(suggestFlag("--web.config", { known: SERVE }), "did you mean --web.config.file?");
  assert.equal(suggestFlag("--kafka.server=k:9092", { known: SERVE }), "did you mean --brokers?");
  assert.equal(suggestFlag("--log.level", { known: SERVE }), "did you mean --log-level?");
  assert.equal(suggestFlag("--verbose", { known: SERVE }), "did you mean --log-level debug?");
  assert.equal(suggestFlag("--web.config", { known: ["--brokers"] }), undefined);
});

Deno.test("suggestFlag() finds dots, underscores and case as the same flag", () => {
  assert.equal(
    suggestFlag("--web_listen_address", { known: SERVE }),
    "did you mean --web.listen-address?",
  );
  assert.equal(suggestFlag("--LOG-LEVEL", { known: SERVE }), "did you mean --log-level?");
});

Deno.test("suggestFlag() names the modes that have a flag this one lacks", () => {
  const modes = { serve: SERVE, replay: ["--web.listen-address"] };
  assert.equal(
    suggestFlag("--web.listen-address", { known: ["--brokers"], modes }),
    "--web.listen-address is a flag of serve, replay, not of this mode",
  );
  assert.match(
    suggestFlag("--web.listen-address", { known: [], modes }) ?? "",
    /give the mode first, e\.g\. 'dashflow-exporter serve --web\.listen-address \.\.\.'/,
  );
  assert.equal(suggestFlag("--bogus", { known: SERVE, modes }), undefined);
});
