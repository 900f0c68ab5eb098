/**
 * `check`: read an exposition from a URL, a file or stdin (repeatedly with `--scrapes`),
 * validate it, apply `--expect` expectations, and report. Returns the exit code: 0 valid with
 * no findings, 3 valid with lint findings, 1 invalid, failed expectation or unreachable target
 * (usage errors are thrown and exit 2).
 *
 * Deliberately imports nothing heavy (no Kafka client, no prom-client): `check` runs in CI
 * pipelines where start-up time adds up.
 *
 * @module
 */

import { checkExposition } from "./check_exposition.ts";
import { formatByteSize } from "../config/byte_size.ts";
import { InputLimitError, readAll } from "../util/read_all.ts";
import { type CheckFlags, resolveCheckConfig } from "./config.ts";
import type { CheckConfig } from "./config.ts";
import { type BodyFormat, formatFromContentType, sniffFormat } from "./content_type.ts";
import { checkExpectations, type Expectations } from "./expect.ts";
import { dashflowExpectations } from "./expect_dashflow.ts";
import { parseExpectationsFile } from "./expect_file.ts";
import { compareScrapes } from "./compare_scrapes.ts";
import type { Exposition } from "./exposition.ts";
import { looksLikeProtobuf, readProtobufExposition } from "./protobuf.ts";
import { textName } from "./exposition.ts";
import { type AddFinding, type Finding, sortFindings } from "./finding.ts";
import { findingKey } from "./finding_key.ts";
import { FindingSink } from "./finding_sink.ts";
import type { CheckReport, Reporter, ScrapeSummary } from "./report.ts";
import { renderHuman } from "./report_human.ts";
import { renderJson, renderJsonChunks } from "./report_json.ts";
import { renderJunit } from "./report_junit.ts";
import { scrapeTarget } from "./scrape.ts";
import { errorMessage, RunError, UsageError } from "../errors.ts";
import type { HttpClient, TlsClientOptions } from "../runtime/mod.ts";
import { sleep } from "../util/sleep.ts";
import type { CommandContext } from "../cli/context.ts";

export type { CheckFlags } from "./config.ts";

const REPORTERS: Record<CheckConfig["output"], Reporter> = {
  human: renderHuman,
  json: renderJson,
  junit: renderJunit,
};

/** Bytes read from the target, or why none could be. */
type Acquired =
  | { ok: true; body: Uint8Array; status?: number; contentType?: string | null }
  | { ok: false; finding: Finding };

async function readText(ctx: CommandContext, path: string, flag: string): Promise<string> {
  try {
    return new TextDecoder().decode(await ctx.runtime.readFile(path));
  } catch (error) {
    throw new UsageError(`Cannot read ${flag} '${path}': ${errorMessage(error)}`);
  }
}

async function loadExpectations(ctx: CommandContext, config: CheckConfig): Promise<Expectations[]> {
  const sets: Expectations[] = [];
  for (const source of config.expect) {
    if (source === "dashflow") {
      sets.push(dashflowExpectations({
        buckets: config.expectBuckets,
        env: ctx.env,
        warn: (message) => ctx.log.warn(message),
      }));
    } else {
      sets.push(await parseExpectationsFile(await readText(ctx, source, "--expect"), source));
    }
  }
  return sets;
}

async function tlsOptions(ctx: CommandContext, config: CheckConfig): Promise<TlsClientOptions> {
  const { caFile, certFile, keyFile, insecureSkipVerify } = config.tls;
  const tls: TlsClientOptions = {};
  if (caFile !== undefined) tls.caCerts = [await readText(ctx, caFile, "--ca-file")];
  if (certFile !== undefined) tls.cert = await readText(ctx, certFile, "--cert-file");
  if (keyFile !== undefined) tls.key = await readText(ctx, keyFile, "--key-file");
  if (insecureSkipVerify) tls.insecureSkipVerify = true;
  return tls;
}

async function acquire(
  ctx: CommandContext,
  config: CheckConfig,
  client: HttpClient | undefined,
): Promise<Acquired> {
  const { target, maxBytes } = config;
  if (target.kind === "stdin") {
    try {
      return { ok: true, body: await readAll(ctx.runtime.stdin(), { maxBytes }) };
    } catch (error) {
      if (error instanceof InputLimitError) throw tooLarge("standard input", maxBytes);
      throw error;
    }
  }
  if (target.kind === "file") {
    try {
      // A regular file's size is known before reading it (a pipe's is not: it reads whole).
      if (await ctx.runtime.fileSize(target.path) > maxBytes) throw tooLarge(target.path, maxBytes);
      return { ok: true, body: await ctx.runtime.readFile(target.path) };
    } catch (error) {
      if (error instanceof RunError) throw error;
      return {
        ok: false,
        finding: {
          severity: "error",
          rule: "target-unreachable",
          message: `cannot read ${target.path}: ${errorMessage(error)}`,
        },
      };
    }
  }
  const result = await scrapeTarget(target.url, {
    accept: config.accept,
    timeoutMs: config.timeoutMs,
    waitMs: config.waitMs,
    headers: config.headers,
    fetch: client!.fetch,
    signal: ctx.signal,
    clock: ctx.clock,
    maxBytes,
  });
  if (!result.ok) {
    return {
      ok: false,
      finding: { severity: "error", rule: result.rule, message: result.message },
    };
  }
  return { ok: true, body: result.body, status: result.status, contentType: result.contentType };
}

function tooLarge(name: string, maxBytes: number): RunError {
  return new RunError(
    `${name} holds more than ${formatByteSize(maxBytes)} (--max-bytes); raise --max-bytes if ` +
      "the exposition is really that large",
  );
}

/** Picks the grammar; a finding instead when the Content-Type is not an exposition format. */
function chooseFormat(
  config: CheckConfig,
  acquired: Extract<Acquired, { ok: true }>,
): { format: BodyFormat; findings: Finding[] } | { finding: Finding } {
  if (config.inputFormat !== "auto") return { format: config.inputFormat, findings: [] };
  if (config.target.kind !== "url") return { format: sniffBody(acquired.body), findings: [] };
  const verdict = formatFromContentType(acquired.contentType ?? null);
  if (verdict.kind === "unsupported") {
    return {
      finding: {
        severity: "error",
        rule: "target-content-type",
        message: `Content-Type ${JSON.stringify(acquired.contentType)} is not an exposition ` +
          `format: expected text/plain; version=0.0.4, application/openmetrics-text or ` +
          `application/vnd.google.protobuf (--input-format text|openmetrics|protobuf reads the ` +
          `body anyway)`,
      },
    };
  }
  const format = verdict.kind === "format" ? verdict.format : sniffBody(acquired.body);
  const findings: Finding[] = [];
  const wanted: BodyFormat = config.accept === "prometheus" ? "text" : config.accept;
  if (format !== wanted) {
    findings.push({
      severity: "notice",
      rule: "content-negotiation",
      message: `asked for ${FORMAT_NAMES[wanted]} (--accept ${config.accept}), got ` +
        `Content-Type ${acquired.contentType ?? "(none)"}: read as ${FORMAT_NAMES[format]}`,
    });
  }
  return { format, findings };
}

const FORMAT_NAMES: Record<BodyFormat, string> = {
  text: "the text format",
  openmetrics: "OpenMetrics",
  protobuf: "protobuf",
};

// A file's format: protobuf by its first bytes, else the text grammars by `# EOF`.
function sniffBody(body: Uint8Array): BodyFormat {
  return looksLikeProtobuf(body) ? "protobuf" : sniffFormat(new TextDecoder().decode(body));
}

/**
 * Checks a body, handing each finding to `add`: protobuf is decoded and its native parts
 * checked, then read as text.
 */
function checkBody(
  body: Uint8Array,
  format: BodyFormat,
  options: { lint: boolean; add: AddFinding; settle?: () => void },
): Exposition {
  const { lint, add, settle } = options;
  if (format !== "protobuf") return checkExposition(body, { format, lint, add, settle }).exposition;
  const decoded = readProtobufExposition(body);
  for (const finding of decoded.findings) add(finding);
  // Lines of the text written from protobuf mean nothing to the reader: the family says where.
  const fromText: AddFinding = ({ line: _line, column: _column, ...f }) => add(f);
  return checkExposition(decoded.text, { format: "text", lint, add: fromText, settle })
    .exposition;
}

/**
 * Bodies above this size are checked with a garbage collection between phases: a full
 * collection costs tens of ms, which a large exposition's resident set is worth, and a small
 * one's start-up time is not.
 */
const SETTLE_BYTES = 1024 * 1024;

/** Findings between two garbage collections (see `keep` in {@link check}). */
const SETTLE_FINDINGS = 100_000;

/** Names an expectation set fixes (the catalog): lint findings on them become notices. */
function fixedNames(sets: readonly Expectations[]): Set<string> {
  return new Set(sets.filter((s) => s.namesFixed).flatMap((s) => s.metrics.map((m) => m.name)));
}

function acceptFixedName(f: Finding, fixed: ReadonlySet<string>): Finding {
  return f.severity === "warning" && f.rule.startsWith("lint-") && f.metric !== undefined &&
      fixed.has(f.metric)
    ? {
      ...f,
      severity: "notice",
      message: `${f.message} (accepted: the name is fixed by the dashflow catalog)`,
    }
    : f;
}

/** `dashflow-exporter check TARGET`. Writes the report to stdout; returns the exit code. */
export async function check(
  ctx: CommandContext,
  rawTarget: string,
  flags: CheckFlags,
): Promise<number> {
  const config = resolveCheckConfig(rawTarget, flags, ctx.env);
  const expectations = await loadExpectations(ctx, config);
  const client = config.target.kind === "url"
    ? ctx.runtime.httpClient(await tlsOptions(ctx, config))
    : undefined;

  // Every finding is counted, at most --max-findings-per-rule of each rule are held.
  const sink = new FindingSink({ maxPerRule: config.maxFindingsPerRule });
  const fixed = fixedNames(expectations);
  // Keys of the findings of earlier scrapes (finding_key.ts), and of this one: with --scrapes,
  // a finding an earlier scrape reported is not reported again. A single read holds none.
  const reported = new Set<number>();
  let current = new Set<number>();
  let added = 0;
  const keep = (f: Finding, scrape: number) => {
    // Findings the sink drops are still garbage to collect: Bun lets it pile up (800k lint
    // findings added 270 MB to the resident set), so it is collected every so often.
    if (++added % SETTLE_FINDINGS === 0) ctx.runtime.collectGarbage();
    const accepted = acceptFixedName(f, fixed);
    if (config.scrapes === 1) return sink.add(accepted);
    const key = findingKey(f);
    if (reported.has(key)) return;
    current.add(key);
    sink.add({ ...accepted, scrape });
  };
  const scrapes: ScrapeSummary[] = [];
  let previous: Exposition | undefined;
  let families: string[] = [];
  try {
    for (let scrape = 1; scrape <= config.scrapes; scrape++) {
      if (scrape > 1) {
        await sleep(config.intervalMs, ctx.signal);
        if (ctx.signal.aborted) break;
      }
      const acquired = await acquire(ctx, config, client);
      const summary: ScrapeSummary = { scrape };
      scrapes.push(summary);
      if (!acquired.ok) {
        keep(acquired.finding, scrape);
        break;
      }
      if (acquired.status !== undefined) {
        summary.status = acquired.status;
        summary.contentType = acquired.contentType ?? undefined;
      }
      const chosen = chooseFormat(config, acquired);
      if ("finding" in chosen) {
        keep(chosen.finding, scrape);
        break;
      }
      const add: AddFinding = (f) => keep(f, scrape);
      for (const f of chosen.findings) add(f);
      const settle = acquired.body.length > SETTLE_BYTES
        ? () => void ctx.runtime.collectGarbage()
        : undefined;
      const exposition = checkBody(acquired.body, chosen.format, {
        lint: config.lint,
        add,
        settle,
      });
      Object.assign(summary, {
        format: chosen.format,
        lines: exposition.lines,
        families: exposition.families.length,
        samples: exposition.families.reduce((n, f) => n + f.samples.length, 0),
      });
      families = exposition.families.map((f) => textName(f, exposition.format));
      for (const set of expectations) {
        for (const f of checkExpectations(exposition, set)) add(f);
      }
      if (previous !== undefined) {
        for (const f of compareScrapes(previous, exposition, { scrape })) add(f);
      }
      // Only a next scrape compares with it: a single read lets the parsed exposition go.
      if (scrape < config.scrapes) previous = exposition;
      for (const key of current) reported.add(key);
      current = new Set();
    }
  } finally {
    client?.close();
  }

  const sorted = sortFindings(sink.kept);
  const report: CheckReport = {
    target: config.targetName,
    scrapes,
    expectations: config.expect,
    families,
    findings: sorted,
    counts: sink.counts,
    exitCode: sink.exitCode(),
    leftOut: sink.leftOut(),
    maxFindingsPerRule: sink.maxPerRule,
  };
  if (config.output === "json") {
    // In chunks: with many findings the whole text would be hundreds of MB at once.
    for (const chunk of renderJsonChunks(report)) ctx.stdout.write(chunk);
  } else {
    ctx.stdout.write(REPORTERS[config.output](report));
  }
  return report.exitCode;
}
