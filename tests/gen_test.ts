import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { ROOT } from "./support/paths.ts";

Deno.test("src/gen is what `deno task gen` produces from proto/ (regenerate when this fails)", () => {
  const out = mkdtempSync(join(tmpdir(), "gen-"));
  try {
    const template = JSON.stringify({
      version: "v2",
      inputs: [{ directory: "proto" }],
      plugins: [{
        local: join(ROOT, "node_modules/.bin/protoc-gen-es"),
        out,
        opt: ["target=ts", "import_extension=ts"],
      }],
    });
    execFileSync(join(ROOT, "node_modules/.bin/buf"), ["generate", "--template", template], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    // buf writes the *_pb.ts files (in folders by proto path); src/gen/zstd_wasm.ts comes from
    // scripts/build_zstd_wasm.sh.
    const pbFiles = (dir: string) =>
      (readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.endsWith("_pb.ts"))
        .sort();
    const committed = pbFiles(join(ROOT, "src/gen"));
    assert.deepEqual(pbFiles(out), committed);
    for (const name of committed) {
      assert.equal(
        readFileSync(join(out, name), "utf8"),
        readFileSync(join(ROOT, "src/gen", name), "utf8"),
        `src/gen/${name} is stale: run 'deno task gen' and commit the result`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
