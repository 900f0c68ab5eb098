/**
 * The command line as users meet it: help, version, exit codes and one-line
 * errors. Runs against the source, or the binary named by DASHFLOW_EXPORTER_BIN.
 */
import assert from "node:assert/strict";
import { assertMentions } from "./support/assert_mentions.ts";
import { runProgram } from "./support/spawn.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const output = await runProgram(args, { env });
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

Deno.test("--help lists the modes and exits 0", async () => {
  const { code, stdout, stderr } = await run(["--help"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^Usage: dashflow-exporter /);
  for (const mode of ["serve", "tail", "replay", "check"]) {
    assert.match(stdout, new RegExp(`\\b${mode}\\b`));
  }
  assert.match(stdout, /Exit codes: 0 success, 1 failure, 2 usage error/);
});

Deno.test("serve --help teaches flags, env vars, endpoints and examples", async () => {
  const { code, stdout } = await run(["serve", "--help"]);
  assert.equal(code, 0);
  assertMentions(stdout, [
    "--brokers",
    "KAFKA_BROKERS",
    "KAFKA_TOPIC",
    "KAFKA_GROUP_ID",
    "KAFKA_AUTO_OFFSET_RESET",
    "METRICS_PORT",
    "METRICS_BIND_IP",
    "DASHSTREAM_MAX_PAYLOAD_BYTES",
    "PROMETHEUS_LATENCY_BUCKETS_MS",
    "/-/ready",
    "Examples:",
  ], "serve --help");
});

Deno.test("--version prints version, commit, build date and runtime", async () => {
  const { code, stdout } = await run(["--version"]);
  assert.equal(code, 0);
  assert.match(
    stdout,
    /^dashflow-exporter \d+\.\d+\.\d+ \(commit \S+, built \S+, (deno|bun) \d+\.\d+\.\d+\)\n$/,
  );
});

Deno.test("no arguments prints help on stderr and exits 2", async () => {
  const { code, stdout, stderr } = await run([]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.match(stderr, /Usage: dashflow-exporter/);
});

for (
  const [name, args, env, pattern] of [
    ["an unknown mode", ["frobnicate"], {}, /unknown command 'frobnicate'/],
    ["an unknown flag", ["serve", "--bogus"], {}, /unknown option '--bogus'/],
    [
      "a bad port",
      ["serve"],
      { METRICS_PORT: "abc" },
      /^dashflow-exporter: Invalid METRICS_PORT 'abc': expected a port number/,
    ],
    [
      "a bad broker list",
      ["serve", "--brokers", "kafka"],
      {},
      /Invalid --brokers entry 'kafka': expected host:port/,
    ],
    [
      "a bad offset reset",
      ["serve"],
      { KAFKA_AUTO_OFFSET_RESET: "oldest" },
      /expected one of earliest, latest/,
    ],
    [
      "a bad payload limit",
      ["serve"],
      { DASHSTREAM_MAX_PAYLOAD_BYTES: "10MB" },
      /Invalid DASHSTREAM_MAX_PAYLOAD_BYTES '10MB'/,
    ],
    ["a bad log level", ["serve", "--log-level", "loud"], {}, /Invalid --log-level 'loud'/],
    [
      "a decreasing bucket list (the original exits 1 on it)",
      ["serve"],
      { PROMETHEUS_RETRY_BUCKETS: "5,1" },
      /Invalid PROMETHEUS_RETRY_BUCKETS "5,1": 1 does not increase on 5/,
    ],
    [
      "a bad session timeout (the original silently used 300)",
      ["serve"],
      { PROMETHEUS_SESSION_TIMEOUT_SECS: "5m" },
      /Invalid PROMETHEUS_SESSION_TIMEOUT_SECS "5m": expected a whole number of seconds/,
    ],
    [
      "a RUST_LOG that does not parse (the original silently used info)",
      ["serve"],
      { RUST_LOG: "info,=debug" },
      /Invalid RUST_LOG 'info,=debug'/,
    ],
    [
      "a bad listen address",
      ["serve", "--web.listen-address", "9190"],
      {},
      /Invalid --web.listen-address '9190': expected host:port \(e\.g\. :9190/,
    ],
    [
      "a listen address with --port",
      ["serve", "--web.listen-address", ":9190", "--port", "9191"],
      {},
      /--port cannot be combined with --web.listen-address/,
    ],
    [
      "a bad telemetry path",
      ["serve", "--web.telemetry-path", "metrics"],
      {},
      /Invalid --web.telemetry-path 'metrics': expected a path starting with \//,
    ],
    [
      "a listen address without replay --serve",
      ["replay", "-", "--web.listen-address", ":9190"],
      {},
      /--web.listen-address applies to --serve only/,
    ],
  ] as const
) {
  Deno.test(`${name} is a one-line usage error with exit code 2, no stack trace`, async () => {
    const { code, stdout, stderr } = await run([...args], { ...env });
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, pattern);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    assert.ok(stderr.trim().split("\n").length <= 2, `too long:\n${stderr}`);
  });
}

Deno.test("serve fails with exit 1 and names the fix when the port is taken", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const { code, stderr } = await run(["serve", "--bind", "127.0.0.1", "--port", String(port)], {
      KAFKA_BROKERS: "127.0.0.1:1",
    });
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: .*\\(set METRICS_PORT`),
    );
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  } finally {
    listener.close();
  }
});
