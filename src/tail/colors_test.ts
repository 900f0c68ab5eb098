import assert from "node:assert/strict";
import { choosePalette, COLORS, NO_COLORS } from "./colors.ts";

Deno.test("choosePalette() colors only a terminal without NO_COLOR, unless told", () => {
  assert.equal(choosePalette("auto", { isTerminal: true, env: {} }), COLORS);
  assert.equal(choosePalette("auto", { isTerminal: false, env: {} }), NO_COLORS);
  assert.equal(choosePalette("auto", { isTerminal: true, env: { NO_COLOR: "1" } }), NO_COLORS);
  assert.equal(
    choosePalette("auto", { isTerminal: true, env: { NO_COLOR: "" } }),
    COLORS,
    "an empty NO_COLOR does not count (no-color.org)",
  );
  assert.equal(choosePalette("always", { isTerminal: false, env: { NO_COLOR: "1" } }), COLORS);
  assert.equal(choosePalette("never", { isTerminal: true, env: {} }), NO_COLORS);
});

Deno.test("COLORS wraps text in ANSI codes and NO_COLORS leaves it alone", () => {
  assert.equal(COLORS.red("x"), "\x1b[31mx\x1b[39m");
  assert.equal(COLORS.red(""), "");
  assert.equal(NO_COLORS.red("x"), "x");
});
