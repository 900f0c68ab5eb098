/**
 * Fails when an import in `src/` goes from a lower layer to a higher one, or when the folders
 * of `src/` import each other in a cycle. Data flows one way: kafka → wire → event → metrics →
 * exposition → http, and each mode composes them from above. Run with `deno task seam`
 * (together with the runtime seam check). Tests (`*_test.ts`) are not checked: a test may
 * reach across layers to set up what it tests.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import process from "node:process";

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * Each folder (or top-level file) of `src/` and its layer: a module may import its own layer
 * and those below. `config` resolves settings for the modes; `cli` is what the modes share
 * (the program, shared options, the command context) and imports none of them (`main.ts`
 * hands it the list). Modes share the top layer; the folder cycle check keeps them from
 * leaning on each other both ways.
 */
export const LAYERS: Record<string, number> = {
  "gen": 0,
  "util": 0,
  "runtime": 0,
  "errors.ts": 0,
  "exit_codes.ts": 0,
  "log.ts": 0,
  "build_info.ts": 0,
  "zstd": 1,
  "kafka": 2,
  "wire": 3,
  "event": 4,
  "metrics": 5,
  "exposition": 6,
  "pipeline": 6,
  "http": 7,
  "config": 7,
  "cli": 8,
  "serve": 9,
  "tail": 9,
  "replay": 9,
  "check": 9,
};

/**
 * Generated files that belong to the layer of the description they are generated from: they
 * live in `src/gen/` (never edited by hand) but import that layer and are imported by it.
 */
export const GENERATED_UNITS: Record<string, string> = {
  "gen/quality_reader.ts": "event",
};

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.ts$/.test(entry.name) && !/_test\.ts$/.test(entry.name)) yield path;
  }
}

/** `src/wire/framing.ts` → `wire`; `src/errors.ts` → `errors.ts`. */
function unitOf(path: string): string {
  const inSrc = relative("src", path);
  return GENERATED_UNITS[inSrc] ?? inSrc.split("/")[0];
}

const problems: string[] = [];
const edges = new Map<string, Set<string>>();
for (const path of files("src")) {
  const from = unitOf(path);
  if (!(from in LAYERS)) {
    problems.push(
      `${path}: src/${from} has no layer (add it to LAYERS in scripts/check_layers.ts)`,
    );
    continue;
  }
  const source = readFileSync(join(ROOT, path), "utf8");
  for (const match of source.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)) {
    const target = normalize(join(dirname(path), match[1]));
    if (target.startsWith("tests/")) {
      problems.push(`${path} imports ${target}: product code may not depend on test support`);
      continue;
    }
    if (!target.startsWith("src/")) continue;
    const to = unitOf(target);
    if (to === from) continue;
    if (!(to in LAYERS)) continue; // reported when its own files are read
    if (LAYERS[to] > LAYERS[from]) {
      problems.push(
        `${path} imports ${target}: ${from} (layer ${LAYERS[from]}) may not depend on ${to} ` +
          `(layer ${LAYERS[to]}); move the shared piece down, or pass it in from above`,
      );
    }
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  }
}

// Folder-level cycles (within a layer, where the order above allows both directions).
const state = new Map<string, "open" | "done">();
const stack: string[] = [];
function visit(unit: string): void {
  state.set(unit, "open");
  stack.push(unit);
  for (const next of edges.get(unit) ?? []) {
    if (state.get(next) === "open") {
      const cycle = [...stack.slice(stack.indexOf(next)), next].join(" → ");
      problems.push(`import cycle between folders: ${cycle}`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(unit, "done");
}
for (const unit of [...edges.keys()].sort()) if (!state.has(unit)) visit(unit);

if (problems.length > 0) {
  console.error("Layer order broken (kafka → wire → event → metrics → exposition → http → modes):");
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log("layer order ok");
