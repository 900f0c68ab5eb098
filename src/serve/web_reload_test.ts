import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { WebConfig } from "./web_config.ts";
import { watchWebConfig, WEB_CONFIG_CHECK_MS } from "./web_reload.ts";

function recorder(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return {
    log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
    lines,
  };
}

const tls = (cert: string) => ({ cert }) as WebConfig["tls"];

Deno.test("watchWebConfig() applies a changed file at most once a second, keeps the last good one", async () => {
  let clock = 0;
  let text = "a";
  const configs: Record<string, WebConfig> = {
    a: { headers: { "X-Frame-Options": "deny" } },
    b: { headers: { "X-Frame-Options": "sameorigin" } },
    c: { headers: { "X-Frame-Options": "sameorigin" }, tls: tls("c") },
  };
  const { log, lines } = recorder();
  let loads = 0;
  const { handler } = watchWebConfig({
    initial: { config: configs.a, state: "a" },
    readState: () => Promise.resolve(text),
    load: () => {
      loads++;
      const config = configs[text];
      return config ? Promise.resolve(config) : Promise.reject(new UsageError(`bad file ${text}`));
    },
    build: (config: WebConfig) => () => new Response(config.headers?.["X-Frame-Options"]),
    log,
    path: "web.yml",
    now: () => clock,
  });
  const get = async () => await (await handler(new Request("http://x/"))).text();
  assert.equal(await get(), "deny");
  text = "b";
  assert.equal(await get(), "deny", "not checked again within a second");
  clock += WEB_CONFIG_CHECK_MS;
  assert.equal(await get(), "sameorigin", "the request that finds the change is served by it");
  assert.match(lines.at(-1)!, /^info Web config reloaded/);
  text = "broken";
  clock += WEB_CONFIG_CHECK_MS;
  assert.equal(await get(), "sameorigin", "a bad file keeps the last good config");
  assert.match(lines.at(-1)!, /^error bad file broken; keeping the web config in force/);
  clock += WEB_CONFIG_CHECK_MS;
  await get();
  assert.equal(loads, 2, "an unchanged bad file is not loaded (nor logged) again");
  text = "c";
  clock += WEB_CONFIG_CHECK_MS;
  await get();
  assert.match(lines.at(-1)!, /^warn Web config: tls_server_config was added; restart/);
});

Deno.test("watchWebConfig() gives changed TLS to new connections, on its timer, or keeps the old", async () => {
  let clock = 0;
  let state = "one";
  const configs: Record<string, WebConfig> = {
    one: { tls: tls("one") },
    two: { tls: tls("two") },
    refused: { tls: tls("refused") },
  };
  const { log, lines } = recorder();
  const applied: string[] = [];
  const watch = watchWebConfig({
    initial: { config: configs.one, state },
    readState: () => Promise.resolve(state),
    load: () => Promise.resolve(configs[state]),
    build: () => () => new Response("ok"),
    applyTls: (config) => {
      if (config.tls!.cert === "refused") throw new Error("no cipher match");
      applied.push(config.tls!.cert);
    },
    log,
    path: "web.yml",
    now: () => clock,
  });
  state = "two"; // e.g. the certificate file was replaced: no request needed.
  clock += WEB_CONFIG_CHECK_MS;
  await watch.check();
  assert.deepEqual(applied, ["two"]);
  assert.match(lines.at(-1)!, /^info Web config reloaded: .*, TLS to new connections/);
  clock += WEB_CONFIG_CHECK_MS;
  await watch.check();
  assert.deepEqual(applied, ["two"], "unchanged: not applied again");
  state = "refused";
  clock += WEB_CONFIG_CHECK_MS;
  await watch.check();
  assert.match(lines.at(-1)!, /^error no cipher match; keeping the web config in force/);
  state = "one";
  clock += WEB_CONFIG_CHECK_MS;
  await watch.check();
  assert.deepEqual(applied, ["two", "one"], "compared with the TLS in force, not the refused one");
});
