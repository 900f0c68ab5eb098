/**
 * `check`'s settings from its flags: the target (URL, file or stdin), formats, timing, TLS
 * and auth, expectations. Bad values are usage errors (exit 2) naming the flag and the fix.
 *
 * @module
 */

import { parseByteSize } from "../config/byte_size.ts";
import { parseChoice, parsePositiveInt } from "../config/parse.ts";
import { UsageError } from "../errors.ts";
import type { AcceptChoice } from "./content_type.ts";
import { parseDuration } from "./duration.ts";
import { DEFAULT_MAX_FINDINGS_PER_RULE } from "./finding_sink.ts";
import type { BucketMode } from "./expect_dashflow.ts";

/** Flags as commander gives them. */
export interface CheckFlags {
  accept?: string;
  inputFormat?: string;
  format?: string;
  timeout?: string;
  wait?: string;
  scrapes?: string;
  interval?: string;
  expect?: string[];
  expectBuckets?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
  basicAuth?: string;
  header?: string[];
  /** False with `--no-lint`. */
  lint?: boolean;
  maxBytes?: string;
  maxFindingsPerRule?: string;
}

/** Where the exposition comes from. */
export type CheckTarget =
  | { kind: "url"; url: string }
  | { kind: "file"; path: string }
  | { kind: "stdin" };

/** Output formats. */
export type OutputFormat = "human" | "json" | "junit";

/** Everything `check` needs to know, validated. */
export interface CheckConfig {
  target: CheckTarget;
  /** How the target is named in the report. */
  targetName: string;
  accept: AcceptChoice;
  inputFormat: "auto" | "text" | "openmetrics" | "protobuf";
  output: OutputFormat;
  timeoutMs: number;
  waitMs: number;
  scrapes: number;
  intervalMs: number;
  expect: string[];
  expectBuckets: BucketMode;
  tls: { caFile?: string; certFile?: string; keyFile?: string; insecureSkipVerify: boolean };
  headers: Record<string, string>;
  lint: boolean;
  /** `--max-bytes`: the most an exposition may hold, after decompression. */
  maxBytes: number;
  /** `--max-findings-per-rule`: findings of one rule listed; the rest are only counted. */
  maxFindingsPerRule: number;
}

/**
 * Default `--max-bytes`: 16 MiB, far above a real exposition (a busy node_exporter writes a few
 * hundred KiB), while what a hostile target can make `check` hold stays bounded.
 */
export const DEFAULT_CHECK_MAX_BYTES = 16 * 1024 * 1024;

/** Environment variable holding the basic-auth password when `--basic-auth` has none. */
export const PASSWORD_ENV_VAR = "DASHFLOW_CHECK_PASSWORD";

function parseTarget(raw: string): CheckTarget {
  if (raw === "-") return { kind: "stdin" };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: "file", path: raw };
  if (scheme !== "http" && scheme !== "https") {
    throw new UsageError(
      `Invalid TARGET '${raw}': expected an http:// or https:// URL, a file, or - for stdin`,
    );
  }
  try {
    return { kind: "url", url: new URL(raw).href };
  } catch {
    throw new UsageError(`Invalid TARGET '${raw}': not a valid URL`);
  }
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function parseHeaders(
  raw: readonly string[],
  basicAuth: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of raw) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(entry);
    if (match === null) {
      throw new UsageError(`Invalid --header '${entry}': expected 'Name: value'`);
    }
    headers[match[1].toLowerCase()] = match[2];
  }
  if (basicAuth !== undefined) {
    const colon = basicAuth.indexOf(":");
    const user = colon === -1 ? basicAuth : basicAuth.slice(0, colon);
    const password = colon === -1 ? env[PASSWORD_ENV_VAR] : basicAuth.slice(colon + 1);
    if (user === "" || password === undefined) {
      throw new UsageError(
        `Invalid --basic-auth '${user === "" ? basicAuth : user}': expected USER:PASSWORD, or ` +
          `USER with the password in ${PASSWORD_ENV_VAR}`,
      );
    }
    headers.authorization = `Basic ${base64(`${user}:${password}`)}`;
  }
  return headers;
}

/** Validates `target` and `flags`; throws {@link UsageError} on the first bad one. */
export function resolveCheckConfig(
  rawTarget: string,
  flags: CheckFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): CheckConfig {
  const target = parseTarget(rawTarget);
  const targetName = target.kind === "url"
    ? target.url
    : target.kind === "file"
    ? target.path
    : "<stdin>";
  const scrapes = flags.scrapes === undefined
    ? 1
    : parsePositiveInt(flags.scrapes, { source: "--scrapes", example: "3" });
  if (scrapes > 1 && target.kind !== "url") {
    throw new UsageError(
      `--scrapes ${scrapes} needs an http(s) target: a file or stdin is read once`,
    );
  }
  const tls = {
    caFile: flags.caFile,
    certFile: flags.certFile,
    keyFile: flags.keyFile,
    insecureSkipVerify: flags.insecureSkipVerify === true,
  };
  const usesTls = tls.caFile || tls.certFile || tls.keyFile || tls.insecureSkipVerify;
  if (usesTls && !(target.kind === "url" && target.url.startsWith("https:"))) {
    throw new UsageError(
      "--ca-file, --cert-file, --key-file and --insecure-skip-verify need an https:// target",
    );
  }
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new UsageError(
      "--cert-file and --key-file go together (a client certificate and its key)",
    );
  }
  const expect = flags.expect ?? [];
  const expectBuckets = parseChoice(
    flags.expectBuckets ?? "default",
    ["default", "env", "any"] as const,
    { source: "--expect-buckets" },
  );
  if (flags.expectBuckets !== undefined && !expect.includes("dashflow")) {
    throw new UsageError("--expect-buckets applies to --expect dashflow; add it or drop the flag");
  }
  return {
    target,
    targetName,
    accept: parseChoice(
      flags.accept ?? "prometheus",
      ["prometheus", "openmetrics", "protobuf"] as const,
      {
        source: "--accept",
      },
    ),
    inputFormat: parseChoice(
      flags.inputFormat ?? "auto",
      ["auto", "text", "openmetrics", "protobuf"] as const,
      {
        source: "--input-format",
      },
    ),
    output: parseChoice(flags.format ?? "human", ["human", "json", "junit"] as const, {
      source: "--format",
    }),
    timeoutMs: positiveDuration(flags.timeout ?? "10s", "--timeout"),
    waitMs: flags.wait === undefined ? 0 : parseDuration(flags.wait, { source: "--wait" }),
    scrapes,
    intervalMs: parseDuration(flags.interval ?? "1s", { source: "--interval" }),
    expect,
    expectBuckets,
    tls,
    headers: parseHeaders(flags.header ?? [], flags.basicAuth, env),
    lint: flags.lint !== false,
    maxBytes: flags.maxBytes === undefined
      ? DEFAULT_CHECK_MAX_BYTES
      : positiveSize(flags.maxBytes, "--max-bytes"),
    maxFindingsPerRule: flags.maxFindingsPerRule === undefined
      ? DEFAULT_MAX_FINDINGS_PER_RULE
      : parsePositiveInt(flags.maxFindingsPerRule, {
        source: "--max-findings-per-rule",
        example: "1000",
      }),
  };
}

function positiveSize(raw: string, source: string): number {
  const bytes = parseByteSize(raw, { source });
  if (bytes <= 0) {
    throw new UsageError(`Invalid ${source} '${raw}': expected more than 0 (e.g. 64Mi)`);
  }
  return bytes;
}

function positiveDuration(raw: string, source: string): number {
  const ms = parseDuration(raw, { source });
  if (ms <= 0) throw new UsageError(`Invalid ${source} '${raw}': expected more than 0 (e.g. 10s)`);
  return ms;
}
