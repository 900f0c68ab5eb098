/**
 * Build stamp. A compiled binary's entry (written by scripts/compile.ts) sets
 * `globalThis.__DASHFLOW_BUILD__` before loading main.ts; a source checkout
 * says "dev".
 * @module
 */

declare global {
  var __DASHFLOW_BUILD__: { version: string; commit: string; buildDate: string } | undefined;
}

const stamp = globalThis.__DASHFLOW_BUILD__;

/** Version, commit and build date shown by `--version` and `dashflow_build_info`. */
export const BUILD_INFO: { version: string; commit: string; buildDate: string } = {
  version: stamp?.version ?? "0.1.0",
  commit: stamp?.commit ?? "dev",
  buildDate: stamp?.buildDate ?? "dev",
};
