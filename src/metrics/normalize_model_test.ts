import assert from "node:assert/strict";
import {
  MODEL_LABELS,
  ModelNormalizer,
  normalizeModel,
  normalizeModelUncached,
  PRECREATED_MODELS,
} from "./normalize_model.ts";

function check(table: ReadonlyArray<readonly [string, string]>): void {
  for (const [input, expected] of table) {
    assert.equal(
      normalizeModelUncached(input),
      expected,
      `normalizeModel(${JSON.stringify(input)})`,
    );
    assert.equal(normalizeModel(input), expected, `memoized ${JSON.stringify(input)}`);
  }
}

Deno.test("normalizeModel() maps gpt-4o-mini variants", () => {
  check([
    ["gpt-4o-mini", "gpt-4o-mini"],
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"],
    ["GPT-4o-Mini", "gpt-4o-mini"],
    ["  gpt-4o-mini\n", "gpt-4o-mini"],
    ["gpt4omini", "gpt-4o-mini"],
    ["GPT4OMINI", "gpt-4o-mini"],
    // "gpt4omini" is exact, not a prefix: the longer form falls to the gpt4o prefix.
    ["gpt4omini-2024", "gpt-4o"],
    ["gpt4o-mini", "gpt-4o"],
  ]);
});

Deno.test("normalizeModel() maps gpt-4o, gpt-4-turbo and gpt-4 by prefix in that order", () => {
  check([
    ["gpt-4o", "gpt-4o"],
    ["gpt-4o-2024-08-06", "gpt-4o"],
    ["gpt4o", "gpt-4o"],
    ["GPT-4O", "gpt-4o"],
    ["gpt-4-turbo", "gpt-4-turbo"],
    ["gpt-4-turbo-preview", "gpt-4-turbo"],
    ["gpt4turbo", "gpt-4-turbo"],
    ["gpt-4", "gpt-4"],
    ["gpt-4-0613", "gpt-4"],
    ["gpt-4-32k", "gpt-4"],
    ["gpt-4.1", "gpt-4"],
    ["gpt4", "gpt-4"],
    ["gpt4-turbo", "gpt-4"],
    // Prefix only: a vendor path in front is not OpenAI.
    ["openai/gpt-4o", "other"],
    ["azure-gpt-4", "other"],
  ]);
});

Deno.test("normalizeModel() maps gpt-3.5 variants", () => {
  check([
    ["gpt-3.5-turbo", "gpt-3.5-turbo"],
    ["gpt-3.5-turbo-0125", "gpt-3.5-turbo"],
    ["gpt35turbo", "gpt-3.5-turbo"],
    ["gpt-35-turbo", "gpt-3.5-turbo"],
    ["GPT-35-Turbo-16k", "gpt-3.5-turbo"],
    ["gpt-3.5", "gpt-3.5"],
    ["gpt-3.5-instruct", "gpt-3.5"],
    ["gpt35", "gpt-3.5"],
    // "gpt-35" is only listed with "-turbo".
    ["gpt-35", "other"],
    ["gpt-3", "other"],
  ]);
});

Deno.test("normalizeModel() maps o1 and o3", () => {
  check([
    ["o1-preview", "o1-preview"],
    ["o1-preview-2024-09-12", "o1-preview"],
    ["o1-mini", "o1-mini"],
    ["O1-Mini-2024", "o1-mini"],
    ["o1", "o1"],
    [" O1 ", "o1"],
    ["o1pro", "o1"],
    // Starts with "o1-" but is neither preview nor mini: no OpenAI rule matches.
    ["o1-2024-12-17", "other"],
    ["o1-pro", "other"],
    ["o3", "o3"],
    ["o3-mini", "o3"],
    ["o3-mini-high", "o3"],
    ["o2", "other"],
    ["o4-mini", "other"],
  ]);
});

Deno.test("normalizeModel() maps Anthropic models by substring", () => {
  check([
    ["claude-3-5-sonnet-20241022", "claude-3.5-sonnet"],
    ["claude-3.5-sonnet", "claude-3.5-sonnet"],
    ["anthropic/claude-3-5-sonnet", "claude-3.5-sonnet"],
    ["claude-3-5-haiku-latest", "claude-3.5-haiku"],
    ["claude-3.5-haiku", "claude-3.5-haiku"],
    ["claude-3-opus-20240229", "claude-3-opus"],
    ["claude-3-sonnet-20240229", "claude-3-sonnet"],
    ["claude-3-haiku-20240307", "claude-3-haiku"],
    ["claude-2", "claude-2"],
    ["claude-2.1", "claude-2"],
    ["CLAUDE-INSTANT-1", "claude-other"],
    ["claude-sonnet-4", "claude-other"],
    ["claude-3-7-sonnet", "claude-other"],
    ["bedrock:claude", "claude-other"],
  ]);
});

Deno.test("normalizeModel() maps Google models by substring", () => {
  check([
    ["gemini-2.0-flash", "gemini-2"],
    ["models/gemini-2.5-pro", "gemini-2"],
    ["gemini-1.5-pro", "gemini-1.5-pro"],
    ["gemini-1.5-pro-002", "gemini-1.5-pro"],
    ["gemini-1.5-flash", "gemini-1.5-flash"],
    ["Gemini-1.5-Flash-8B", "gemini-1.5-flash"],
    ["gemini-pro", "gemini-pro"],
    ["gemini-pro-vision", "gemini-pro"],
    ["gemini-1.0-pro", "gemini-pro"],
    ["gemini-ultra", "gemini-other"],
    ["gemini-1.5", "gemini-other"],
  ]);
});

Deno.test("normalizeModel() maps local models, codellama before llama and mixtral before mistral", () => {
  check([
    ["codellama", "codellama"],
    ["codellama-3-70b", "codellama"],
    ["ollama/codellama:7b", "codellama"],
    ["llama-3", "llama-3"],
    ["meta-llama-3.1-8b", "llama-3"],
    ["llama3:70b", "llama-3"],
    ["llama-2-13b-chat", "llama-2"],
    ["llama2", "llama-2"],
    ["llama", "llama-other"],
    ["tinyllama", "llama-other"],
    ["ollama/llama", "llama-other"],
    ["mixtral-8x7b", "mixtral"],
    ["mixtral-mistral", "mixtral"],
    ["mistral-7b-instruct", "mistral"],
    ["open-mistral-nemo", "mistral"],
  ]);
});

Deno.test("normalizeModel() applies vendor groups in order: OpenAI, Anthropic, Google, local", () => {
  check([
    ["gpt-4-claude", "gpt-4"],
    ["my-claude-gpt-4", "claude-other"],
    ["claude-gemini-2", "claude-other"],
    ["gemini-llama-3", "gemini-other"],
    ["llama-mistral", "llama-other"],
  ]);
});

Deno.test("normalizeModel() maps anything else to other", () => {
  check([
    ["", "other"],
    ["   ", "other"],
    ["unknown-model", "other"],
    ["command-r-plus", "other"],
    ["deepseek-v3", "other"],
    ["gpt", "other"],
    ["GPT-5", "other"],
  ]);
});

Deno.test("normalizeModel() only returns labels from MODEL_LABELS", () => {
  for (const label of MODEL_LABELS) {
    assert.equal(normalizeModelUncached(label), label, `a label maps to itself: ${label}`);
  }
  assert.equal(new Set(MODEL_LABELS).size, MODEL_LABELS.length);
});

// The list itself is checked against docs/semantics.md in tests/docs_tables_test.ts.
Deno.test("PRECREATED_MODELS lists 14 distinct normalized labels", () => {
  assert.equal(PRECREATED_MODELS.length, 14);
  assert.equal(new Set(PRECREATED_MODELS).size, 14);
  for (const model of PRECREATED_MODELS) assert.ok(MODEL_LABELS.includes(model));
});

Deno.test("ModelNormalizer() keeps its cache bounded", () => {
  const normalizer = new ModelNormalizer({ maxEntries: 8 });
  for (let i = 0; i < 100_000; i++) {
    assert.equal(normalizer.normalize(`gpt-4o-${i}`), "gpt-4o");
    assert.ok(normalizer.size <= 8);
  }
  assert.equal(normalizer.normalize("  Claude-2 "), "claude-2");
  assert.equal(normalizer.normalize("  Claude-2 "), "claude-2");
});
