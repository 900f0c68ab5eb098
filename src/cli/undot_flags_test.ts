import assert from "node:assert/strict";
import { undotFlags } from "./undot_flags.ts";

Deno.test("undotFlags() renames dotted attributes and keeps the others", () => {
  const flags = {
    "web.config.file": "web.yml",
    "web.listenAddress": [":9190"],
    "web.maxRequests": "0",
    topic: "t",
    logLevel: undefined,
  };
  const undotted: {
    webConfigFile: string;
    webListenAddress: string[];
    webMaxRequests: string;
    topic: string;
    logLevel: undefined;
  } = undotFlags(flags);
  assert.deepEqual(undotted, {
    webConfigFile: "web.yml",
    webListenAddress: [":9190"],
    webMaxRequests: "0",
    topic: "t",
    logLevel: undefined,
  });
});
