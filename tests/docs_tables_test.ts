/**
 * The README and docs/ stay true to the code: their metric tables equal the catalog, their flag
 * tables equal each mode's `--help`, the rule table of docs/check.md equals `check`'s rules, the
 * model normalization table of docs/semantics.md equals its rules, and docs/architecture.md
 * lists the folders of `src/` and the file of every rule. The README stays a front door (at most
 * 350 lines). Runs against the source, or the binary named by DASHFLOW_EXPORTER_BIN (the help
 * texts).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { RULES } from "../src/check/rules.ts";
import {
  BUCKET_ENV_VARS,
  CATALOG,
  DEFAULT_BUCKETS,
  type MetricSpec,
  PARTITION_METRICS,
} from "../src/metrics/catalog.ts";
import { PRECREATED_MODELS } from "../src/metrics/normalize_model.ts";
import MODEL_RULES from "../src/metrics/normalize_model.json" with { type: "json" };
import { ROOT } from "./support/paths.ts";
import { runProgram, text } from "./support/spawn.ts";

const README = "README.md";
const DOCS = readdirSync(`${ROOT}docs`).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);

function read(path: string): string {
  return readFileSync(`${ROOT}${path}`, "utf8");
}

/** One markdown table: its header cells, its rows' cells, and the marker comment before it. */
interface Table {
  file: string;
  line: number;
  marker: string | undefined;
  header: string[];
  rows: string[][];
}

function cells(line: string): string[] {
  // Split on pipes that are not escaped (`\|`) and not inside backticks.
  const out: string[] = [];
  let cell = "";
  let code = false;
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (c === "`") code = !code;
    if (c === "|" && !code && line[i - 1] !== "\\") {
      out.push(cell.trim());
      cell = "";
    } else cell += c;
  }
  return out;
}

function tables(file: string): Table[] {
  const lines = read(file).split("\n");
  const found: Table[] = [];
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("```")) fence = !fence;
    if (fence || !lines[i].startsWith("|") || !/^\|[\s-|]+\|$/.test(lines[i + 1] ?? "")) continue;
    let back = i - 1;
    while (back >= 0 && lines[back].trim() === "") back--;
    const marker = /^<!-- (.*) -->$/.exec(lines[back] ?? "")?.[1];
    const table: Table = { file, line: i + 1, marker, header: cells(lines[i]), rows: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j].startsWith("|"); j++) table.rows.push(cells(lines[j]));
    found.push(table);
    i = j;
  }
  return found;
}

const ALL_TABLES = [README, ...DOCS].flatMap(tables);

function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

Deno.test("README.md is a front door: at most 350 lines, linking every page of docs/", () => {
  const readme = read(README);
  const lines = readme.split("\n").length - 1;
  assert.ok(lines <= 350, `README.md has ${lines} lines; move details into docs/`);
  for (const doc of DOCS) {
    assert.ok(readme.includes(`](${doc})`), `README.md does not link ${doc}`);
  }
});

/**
 * The catalog table's bucket cell of `spec`: its default bounds, or the earlier metric it shares
 * them with, and the env var that overrides them; empty for a metric without buckets.
 */
function bucketCell(spec: MetricSpec): string {
  if (!spec.buckets) return "";
  const first = CATALOG.find((s) => s.buckets === spec.buckets)!;
  const bounds = first === spec ? DEFAULT_BUCKETS[spec.buckets].join(", ") : `as \`${first.name}\``;
  return `${bounds} (\`${BUCKET_ENV_VARS[spec.buckets]}\`)`;
}

Deno.test("every metric table in README.md and docs/ matches src/metrics/catalog.ts", () => {
  const known = new Map<string, MetricSpec>(
    [...CATALOG, ...Object.values(PARTITION_METRICS)].map((spec) => [spec.name, spec]),
  );
  const metricTables = ALL_TABLES.filter((t) => t.header[0] === "metric");
  assert.ok(metricTables.length >= 2, "the catalog and partition tables of docs/semantics.md");
  for (const table of metricTables) {
    const where = `${table.file}:${table.line}`;
    const typeColumn = table.header.indexOf("type");
    const labelColumn = table.header.findIndex((h) => h.startsWith("labels"));
    const helpColumn = table.header.indexOf("help");
    const bucketColumn = table.header.findIndex((h) => h.startsWith("default buckets"));
    const names: string[] = [];
    for (const row of table.rows) {
      for (const name of codeSpans(row[0])) {
        const spec = known.get(name);
        assert.ok(spec, `${where}: ${name} is not in the catalog`);
        names.push(name);
        if (typeColumn >= 0) assert.equal(row[typeColumn], spec.type, `${where}: type of ${name}`);
        if (labelColumn >= 0) {
          // Label names are the code spans outside parentheses (values may follow in them).
          const labels = codeSpans(row[labelColumn].replace(/\([^)]*\)/g, ""));
          assert.deepEqual(labels, [...spec.labelNames], `${where}: labels of ${name}`);
        }
        if (helpColumn >= 0) assert.equal(row[helpColumn], spec.help, `${where}: help of ${name}`);
        if (bucketColumn >= 0) {
          assert.equal(row[bucketColumn], bucketCell(spec), `${where}: buckets of ${name}`);
        }
      }
    }
    // A table with help texts is the catalog itself: every row, in exposition order.
    if (helpColumn >= 0) {
      assert.deepEqual(names, CATALOG.map((s) => s.name), `${where}: the catalog's rows`);
    }
    const partition = Object.values(PARTITION_METRICS).map((s) => s.name);
    if (names.some((n) => partition.includes(n))) {
      assert.deepEqual(names, partition, `${where}: the partition metrics`);
    }
  }
});

/** The long flags of `<mode> --help`'s Options section, `--help` left out. */
async function helpFlags(mode: string): Promise<Set<string>> {
  const { code, stdout } = await runProgram([mode, "--help"]);
  assert.equal(code, 0);
  const options = text(stdout).split("\nOptions:\n")[1].split("\n\n")[0];
  const flags = [...options.matchAll(/^ {2}(?:-\w, )?(--[\w.-]+)/gm)].map((m) => m[1]);
  return new Set(flags.filter((f) => f !== "--help"));
}

for (const mode of ["serve", "tail", "replay", "check"]) {
  Deno.test(`the flag tables for ${mode} in docs/ list exactly '${mode} --help''s flags`, async () => {
    const documented = new Set<string>();
    const marked = ALL_TABLES.filter((t) =>
      t.marker?.startsWith("flags:") &&
      t.marker.slice("flags:".length).split(",").map((m) => m.trim()).includes(mode)
    );
    assert.ok(marked.length > 0, `no table marked <!-- flags: ${mode} --> in README.md or docs/`);
    for (const table of marked) {
      assert.equal(table.header[0], "flag", `${table.file}:${table.line}`);
      for (const row of table.rows) {
        for (const span of codeSpans(row[0])) {
          const flag = /^--[\w.-]+/.exec(span)?.[0];
          if (flag) documented.add(flag);
        }
      }
    }
    const help = await helpFlags(mode);
    const missing = [...help].filter((f) => !documented.has(f));
    const extra = [...documented].filter((f) => !help.has(f));
    assert.deepEqual(
      { missing, extra },
      { missing: [], extra: [] },
      `flags of '${mode} --help' missing from its docs tables, or documented but not in --help`,
    );
  });
}

Deno.test("the rule table of docs/check.md equals check's rules", () => {
  const [table] = ALL_TABLES.filter((t) => t.marker === "rules: check");
  assert.ok(table, "docs/check.md has a table marked <!-- rules: check -->");
  const documented = table.rows.map((row) => ({
    rule: codeSpans(row[0])[0],
    severity: row[1],
    summary: row[2],
  }));
  const actual = Object.entries(RULES).map(([rule, { severity, summary }]) => ({
    rule,
    severity,
    // The table escapes what markdown would read as formatting.
    summary,
  }));
  const unescape = (s: string) => s.replace(/\\\|/g, "|");
  assert.deepEqual(
    documented.map((d) => ({ ...d, summary: unescape(d.summary).replace(/`/g, "") })),
    actual.map((a) => ({ ...a, summary: a.summary.replace(/`/g, "") })),
  );
});

Deno.test("docs/semantics.md's pre-created models equal PRECREATED_MODELS, in order", () => {
  const item = /^- `dashstream_queries_by_model_total` for ([^(]*)\(/m.exec(
    read("docs/semantics.md").replaceAll(/\n {2}/g, " "),
  );
  assert.ok(item, "docs/semantics.md lacks the queries_by_model_total item of pre-created series");
  const listed = [...item[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  assert.deepEqual(listed, PRECREATED_MODELS);
});

Deno.test("docs/architecture.md describes every folder of src/", () => {
  const architecture = read("docs/architecture.md");
  const folders = readdirSync(`${ROOT}src`, { withFileTypes: true })
    .filter((e) => e.isDirectory()).map((e) => `src/${e.name}/`);
  for (const folder of folders) {
    assert.match(architecture, new RegExp(`^- \`${folder}\``, "m"), `${folder} is not described`);
  }
  const described = [...architecture.matchAll(/^- `(src\/\w+\/)`/gm)].map((m) => m[1]);
  for (const folder of described) assert.ok(folders.includes(folder), `${folder} is gone`);
});

Deno.test("docs/semantics.md's model normalization table is normalize_model.json, rule for rule", () => {
  const [table] = ALL_TABLES.filter((t) => t.marker === "model normalization");
  assert.ok(table, "docs/semantics.md has a table marked <!-- model normalization -->");
  // A row reads "starts with `a` or `b`", "contains `a`", "…, or is exactly `c`", "… but not
  // `d`" (an unless prefix), or "contains `a` / `b`" with "the same text": one rule each.
  const documented = table.rows.filter((row) => row[0] !== "—").flatMap(([, match, label]) => {
    if (label === "the same text") {
      return codeSpans(match).map((s) => ({ label: s, substring: [s] }));
    }
    const [main, exact] = match.split(", or is exactly ");
    const [listed, unless] = main.split(" but not ");
    const rule: Record<string, unknown> = { label: codeSpans(label)[0] };
    rule[listed.startsWith("starts with") ? "prefix" : "substring"] = codeSpans(listed);
    if (exact !== undefined) rule.exact = codeSpans(exact);
    if (unless !== undefined) rule.unless = codeSpans(unless)[0];
    return [rule];
  });
  assert.deepEqual(documented, MODEL_RULES);
});

Deno.test("docs/architecture.md's rule table names each rule's file as its heading does", () => {
  const fromRules: string[] = [];
  for (const doc of ["semantics.md", "wire_format.md"]) {
    const lines = read(`docs/${doc}`).split("\n");
    lines.forEach((line, i) => {
      const rule = /^### Rule: (.*)$/.exec(line)?.[1];
      if (!rule) return;
      const file = lines.slice(i + 1, i + 4).map((l) => /^Implemented in: `([^`]+)`/.exec(l))
        .find((m) => m)?.[1];
      assert.ok(file, `docs/${doc}: "Rule: ${rule}" names no file`);
      fromRules.push(`${file} ${doc} ${rule}`);
    });
  }
  const [table] = ALL_TABLES.filter((t) =>
    t.file === "docs/architecture.md" && t.marker === "rules"
  );
  assert.ok(table, "docs/architecture.md has a table marked <!-- rules -->");
  const listed = table.rows.map((row) => {
    const link = /^\[(.*)\]\((\w+\.md)#/.exec(row[1]);
    assert.ok(link, `docs/architecture.md: '${row[1]}' is not a link to a rule`);
    return `${codeSpans(row[0])[0]} ${link[2]} ${link[1]}`;
  });
  assert.deepEqual(listed.toSorted(), fromRules.toSorted());
});

Deno.test("the repository stands on its own: no file cites a contract outside it", () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(`${ROOT}${dir}`, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "gen") walk(path);
      } else if (/\.(ts|md|sh|ya?ml)$/.test(entry.name)) {
        if (/shared\/(spec|seeds)\b/.test(read(path))) offenders.push(path);
      }
    }
  };
  for (const dir of ["src", "docs", "scripts", "deploy"]) walk(dir);
  if (/shared\/(spec|seeds)\b/.test(read(README))) offenders.push(README);
  assert.deepEqual(offenders, [], "cite the docs/ heading instead (docs/semantics.md)");
});
