/**
 * `deno task compile:bun` installs only what the build needs: Deno, Bun and the project's
 * dependencies, never Prometheus, kcat, Chromium or Java (which a non-root user cannot get and
 * the build does not use).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT } from "./support/paths.ts";
import { run, text } from "./support/spawn.ts";

Deno.test("compile:bun's tool step installs Deno, Bun and node_modules only", async () => {
  const tasks = JSON.parse(readFileSync(`${ROOT}deno.json`, "utf8")).tasks;
  const step = /^(scripts\/tools\.sh[^>&]*)/.exec(tasks["compile:bun"])?.[1]?.trim();
  assert.ok(step, `compile:bun starts with scripts/tools.sh: ${tasks["compile:bun"]}`);
  const { code, stdout, stderr } = await run(["bash", "-c", step], { cwd: ROOT });
  const out = text(stdout) + text(stderr);
  assert.equal(code, 0, out);
  assert.match(out, /deno [\d.]+, bun [\d.]+/);
  assert.match(out, /project deps/);
  assert.doesNotMatch(out, /promtool|prometheus|kcat|chromium|java|mvn|apt-get/i, out);
});

Deno.test("scripts/tools.sh refuses an unknown argument with exit 2", async () => {
  const { code, stdout } = await run(["bash", `${ROOT}scripts/tools.sh`, "--bogus"]);
  assert.equal(code, 2);
  assert.match(text(stdout), /unknown argument '--bogus': expected nothing or --only-runtimes/);
});
