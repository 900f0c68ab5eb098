/**
 * A newcomer's first commands: help that lists the modes once and shows examples that paste,
 * usage errors that point at the mode's own help and the nearest flag (exporter habits
 * included), `... | head -1` that ends quietly, and a bcrypt command that works here. Runs
 * against the source, or the binary named by DASHFLOW_EXPORTER_BIN.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import bcrypt from "bcryptjs";
import { ROOT } from "./support/paths.ts";
import { run, runProgram, runProgramStdoutClosed, text } from "./support/spawn.ts";

const MODES = ["serve", "tail", "replay", "check"];

async function program(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await runProgram(args);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("--help lists each mode once, under Modes:", async () => {
  const { code, stdout } = await program(["--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^Modes:$/m);
  for (const mode of MODES) {
    const listed = stdout.split("\n").filter((line) => new RegExp(`^ {2}${mode}\\b`).test(line));
    assert.equal(listed.length, 1, `${mode} is listed ${listed.length} times:\n${stdout}`);
  }
  assert.doesNotMatch(stdout, /^ {2}help \[command\]/m);
});

for (const mode of MODES) {
  Deno.test(`${mode} --help: every example line ending in '\\' continues on the next`, async () => {
    const { code, stdout } = await program([mode, "--help"]);
    assert.equal(code, 0);
    const examples = stdout.split("\nExamples:\n")[1] ?? "";
    const lines = examples.split("\n\n")[0].split("\n");
    assert.ok(lines.length > 1, `${mode} --help has examples`);
    lines.forEach((line, i) => {
      // A continuation collapsed into one line shows as a run of spaces inside a command.
      assert.doesNotMatch(line.trim(), / {3,}/, `collapsed continuation: ${line}`);
      if (line.endsWith("\\")) assert.match(lines[i + 1] ?? "", /^ {4}\S/, `after: ${line}`);
    });
  });
}

for (
  const [args, hint] of [
    [["serve", "--web.config", "web.yml"], "(did you mean --web.config.file?)"],
    [["serve", "--web.config=web.yml"], "(did you mean --web.config.file?)"],
    [["serve", "--log.level", "debug"], "(did you mean --log-level?)"],
    [["tail", "--kafka.server", "k:9092"], "(did you mean --brokers?)"],
    [["replay", "f.bin", "--web.listen_address", ":1"], "(did you mean --web.listen-address?)"],
    [["tail", "--web.listen-address", ":9190"], "(--web.listen-address is a flag of serve, replay"],
    [["--web.listen-address", ":9190"], "give the mode first"],
  ] as [string[], string][]
) {
  Deno.test(`'${args.join(" ")}' suggests the flag meant and names the right help`, async () => {
    const { code, stdout, stderr } = await program(args);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.ok(stderr.includes(hint), `no '${hint}' in:\n${stderr}`);
    const mode = MODES.includes(args[0]) ? `${args[0]} ` : "";
    assert.ok(
      stderr.endsWith(`(run 'dashflow-exporter ${mode}--help' for usage)\n`),
      `the usage error names the wrong help:\n${stderr}`,
    );
  });
}

Deno.test("a usage error inside a mode names that mode's help", async () => {
  for (const mode of MODES) {
    const { code, stderr } = await program([mode, "--bogus", "x"]);
    assert.equal(code, 2);
    assert.match(stderr, new RegExp(`\\(run 'dashflow-exporter ${mode} --help' for usage\\)\\n$`));
  }
});

Deno.test("--web.listen-address is a flag of serve (the exporter habit works as is)", async () => {
  const { code, stdout } = await program(["serve", "--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^ {2}--web\.listen-address <address>/m);
});

for (
  const args of [
    ["--help"],
    ...MODES.map((mode) => [mode, "--help"]),
    ["--version"],
    ["replay", `${ROOT}tests/fixtures/replay/sample.bin`],
    ["check", `${ROOT}tests/golden/replay/sample.prom`, "--format", "json"],
    ["check", `${ROOT}tests/golden/replay/sample.prom`],
  ]
) {
  Deno.test(`'${args.join(" ")} | head' ends quietly with exit 0 (EPIPE)`, async () => {
    const { code, signal, stderr } = await runProgramStdoutClosed(args);
    assert.equal(signal, null);
    assert.equal(stderr.replace(/^replay: .*\n/m, ""), "", "nothing on stderr but the summary");
    // check exits 3 on lint findings of a valid exposition whether or not stdout is read.
    assert.ok(code === 0 || (args[0] === "check" && code === 3), `exit ${code}: ${stderr}`);
  });
}

Deno.test("no help text or doc suggests htpasswd; the documented bcrypt command works here", async () => {
  for (const mode of MODES) {
    const { stdout } = await program([mode, "--help"]);
    assert.doesNotMatch(stdout, /htpasswd/, `${mode} --help`);
  }
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const doc = readFileSync(`${ROOT}docs/web_config.md`, "utf8");
  assert.doesNotMatch(readme + doc, /htpasswd -/);
  const command = /<!-- bcrypt-command -->\s*```sh\n(.*)\n```/.exec(doc)?.[1];
  assert.ok(command, "docs/web_config.md has a bcrypt command");
  const { code, stdout, stderr } = await run(["bash", "-c", command], {
    cwd: ROOT,
    stdin: "s3cret\n",
    env: { PATH: `${ROOT}.tools/node_modules/.bin:${Deno.env.get("PATH")}` },
  });
  assert.equal(code, 0, text(stderr));
  const hash = text(stdout).trim().split("\n").at(-1) ?? "";
  assert.match(hash, /^\$2[aby]\$10\$/);
  assert.ok(bcrypt.compareSync("s3cret", hash), "the hash checks the password");
});

Deno.test("the README's 'Use the CLI' commands put dashflow-exporter on PATH, from source", async () => {
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const section = readme.split("\n## Use the CLI\n")[1] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, "README.md's 'Use the CLI' has a command block");
  const { code, stdout, stderr } = await run(["bash", "-ec", block], {
    cwd: ROOT,
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin", HOME: Deno.env.get("HOME") ?? "/tmp" },
  });
  assert.equal(code, 0, text(stderr));
  assert.match(text(stdout), /^Usage: dashflow-exporter <mode> \[options\]/);
  const task = await run([Deno.execPath(), "task", "--quiet", "cli", "--version"], { cwd: ROOT });
  assert.equal(task.code, 0, text(task.stderr));
  assert.match(text(task.stdout), /^dashflow-exporter \d+\.\d+\.\d+ /);
});
