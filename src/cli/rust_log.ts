/**
 * The original exporter's `RUST_LOG` (a tracing-subscriber `EnvFilter`), read as one level for
 * our single logger. @module
 */
import type { LogLevel } from "../log.ts";

/** The original binary's own tracing targets: its directives set our level. */
const OWN_TARGETS = ["prometheus_exporter", "dashflow_prometheus_exporter", "dashflow_streaming"];

type Level = LogLevel | "quiet";

// tracing's level names (any case) and numbers 0 (off) to 5 (trace); trace is our debug.
const LEVELS: Record<string, Level> = {
  off: "quiet",
  "0": "quiet",
  error: "error",
  "1": "error",
  warn: "warn",
  "2": "warn",
  info: "info",
  "3": "info",
  debug: "debug",
  "4": "debug",
  trace: "debug",
  "5": "debug",
};
const VERBOSITY: Record<Level, number> = { quiet: 0, error: 1, warn: 2, info: 3, debug: 4 };
// A target (module path), optionally with a span filter in brackets.
const DIRECTIVE = /^([A-Za-z_][\w:.-]*)?(\[[^\]]*\])?(?:=(\w+))?$/;

/**
 * Reads `RUST_LOG` as the original does for its own events, e.g. `info`, `warn`,
 * `prometheus_exporter=debug,rdkafka=warn`, `debug,hyper=off`: a directive naming one of the
 * original's targets wins (the most verbose of them), else the bare level, else `quiet` (the
 * filter enables nothing else). `trace` is `debug`, `off` is `quiet`. Returns undefined when a
 * directive does not parse (the original then fell back to `info` silently).
 */
export function parseRustLog(raw: string): Level | undefined {
  let bare: Level | undefined;
  let own: Level | undefined;
  for (const part of raw.split(",")) {
    const directive = part.trim();
    if (directive === "") continue;
    const lone = LEVELS[directive.toLowerCase()];
    if (lone !== undefined) {
      bare = lone;
      continue;
    }
    const match = DIRECTIVE.exec(directive);
    if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
    const level = match[3] === undefined ? "debug" : LEVELS[match[3].toLowerCase()];
    if (level === undefined) return undefined;
    const target = match[1] ?? "";
    if (OWN_TARGETS.some((t) => target === t || target.startsWith(`${t}::`))) {
      own = own === undefined || VERBOSITY[level] > VERBOSITY[own] ? level : own;
    }
  }
  return own ?? bare ?? "quiet";
}
