/**
 * Fails when `Deno.` or `Bun.` appears outside `src/runtime/`, main.ts and tests:
 * the runtime seam keeps the same source compiling with `deno compile` and
 * `bun build --compile`. Run with `deno task seam`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

const ROOT = new URL("..", import.meta.url).pathname;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.(ts|js|mjs)$/.test(entry.name)) yield path;
  }
}

const allowed = (path: string) =>
  path.startsWith("src/runtime/") || path.startsWith("src/gen/") || /_test\.ts$/.test(path);

const offenders: string[] = [];
for (const path of files("src")) {
  if (allowed(path)) continue;
  readFileSync(join(ROOT, path), "utf8").split("\n").forEach((line, index) => {
    const code = line.replace(/\/\/.*$/, "");
    if (/\b(Deno|Bun)\./.test(code)) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
  });
}
if (offenders.length > 0) {
  console.error(
    "Runtime seam broken: Deno.* / Bun.* used outside src/runtime/ (move it behind the Runtime interface):",
  );
  for (const line of offenders) console.error(`  ${line}`);
  process.exit(1);
}
console.log("runtime seam ok");
