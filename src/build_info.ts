/**
 * Build stamp. `scripts/compile.sh` rewrites this file's values in the
 * bundled copy; in a source checkout they say "dev".
 * @module
 */

/** Version, commit and build date shown by `--version` and `dashflow_build_info`. */
export const BUILD_INFO = {
  version: "0.1.0",
  commit: "dev",
  buildDate: "dev",
} as const;
