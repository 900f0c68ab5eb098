import type { Output } from "./runtime/mod.ts";

/** Log severities, least to most severe. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel | "quiet", number> = { debug: 0, info: 1, warn: 2, error: 3, quiet: 4 };

/** Structured fields appended to a log line as key=value. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** A small leveled logger writing one line per entry to stderr. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Options for {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Entries below this level are dropped; "quiet" drops everything. Default "info". */
  level?: LogLevel | "quiet";
  /** Timestamp source (ms since epoch). */
  clock?: () => number;
}

function quote(value: string): string {
  return /[\s"=]/.test(value) || value === "" ? JSON.stringify(value) : value;
}

/** Creates a logger: `2026-11-24T03:00:00.000Z INFO message key=value`. */
export function createLogger(sink: Output, options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? "info"];
  const clock = options.clock ?? Date.now;
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    let line = `${new Date(clock()).toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
    if (fields) {
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) line += ` ${key}=${quote(String(value))}`;
      }
    }
    sink.write(line + "\n");
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

/** Parses a `--log-level` value. Returns undefined when it is not a level. */
export function parseLogLevel(raw: string): LogLevel | "quiet" | undefined {
  const value = raw.toLowerCase();
  return value in RANK ? value as LogLevel | "quiet" : undefined;
}
