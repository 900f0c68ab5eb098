import { UsageError } from "../errors.ts";
import type { Setting } from "./settings.ts";

/** The environment settings are read from. */
export type Env = Record<string, string | undefined>;

/**
 * Where a setting came from, for error messages: a flag like `--port`, or an env
 * var like `METRICS_PORT`.
 */
export type Source = string;

/** Parses a TCP port (1-65535; 0 when `allowZero`, meaning "any free port"). */
export function parsePort(raw: string, options: { source: Source; allowZero?: boolean }): number {
  const value = Number(raw.trim());
  const min = options.allowZero ? 0 : 1;
  if (!/^\d+$/.test(raw.trim()) || value < min || value > 65535) {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': expected a port number ${min}-65535 (e.g. 9190)`,
    );
  }
  return value;
}

/** Parses a positive integer, such as a byte limit. */
export function parsePositiveInt(
  raw: string,
  options: { source: Source; example: string },
): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0) {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': expected a positive integer (e.g. ${options.example})`,
    );
  }
  return value;
}

/** Parses one of a fixed set of words, case-insensitively. */
export function parseChoice<T extends string>(
  raw: string,
  choices: readonly T[],
  options: { source: Source },
): T {
  const value = raw.trim().toLowerCase();
  const match = choices.find((c) => c === value);
  if (match === undefined) {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': expected one of ${choices.join(", ")}`,
    );
  }
  return match;
}

/** Parses `host:port[,host:port...]` bootstrap servers. */
export function parseBrokers(raw: string, options: { source: Source }): string[] {
  const brokers = raw.split(",").map((b) => b.trim()).filter((b) => b !== "");
  if (brokers.length === 0) {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': expected host:port[,host:port...] (e.g. localhost:9092)`,
    );
  }
  for (const broker of brokers) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s/]+):(\d+)$/.exec(broker);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      throw new UsageError(
        `Invalid ${options.source} entry '${broker}': expected host:port (e.g. localhost:9092)`,
      );
    }
  }
  return brokers;
}

/** Parses an IP address to bind to. */
export function parseBindAddress(raw: string, options: { source: Source }): string {
  const value = raw.trim();
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  const ok = ipv4 ? ipv4.slice(1).every((o) => Number(o) <= 255) : /^[0-9a-fA-F:]+$/.test(value) &&
    value.includes(":");
  if (!ok && value !== "localhost") {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': expected an IP address such as 0.0.0.0, 127.0.0.1 or ::`,
    );
  }
  return value;
}

/**
 * Picks a setting of the table (./settings.ts): its flag when given, else its env var when set
 * and non-empty, else undefined. Returns the value and the flag or env var it came from.
 */
export function pick<Key extends string>(
  setting: Setting<string, string, Key>,
  from: { flags: { readonly [K in Key]?: string }; env: Env },
): { raw: string; source: Source } | undefined {
  const flag = from.flags[setting.key];
  if (flag !== undefined) return { raw: flag, source: setting.flag };
  if (setting.env === undefined) return undefined;
  const fromEnv = from.env[setting.env];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return { raw: fromEnv, source: setting.env };
  return undefined;
}

/** Validates a Kafka topic name (the broker's own rule: 1-249 of [a-zA-Z0-9._-]). */
export function parseTopic(raw: string, options: { source: Source }): string {
  const value = raw.trim();
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(value) || value === "." || value === "..") {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': a topic name is 1-249 characters of a-z A-Z 0-9 . _ - ` +
        `(e.g. dashstream-quality)`,
    );
  }
  return value;
}
