/**
 * ANSI colors for `tail --format pretty`, and when to use them: only on a
 * terminal, and never when NO_COLOR is set (https://no-color.org), unless
 * `--color always` asks for them.
 * @module
 */

/** Styles text; the plain palette returns it unchanged. */
export interface Palette {
  /** Whether this palette emits escape codes. */
  readonly enabled: boolean;
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

/** `--color` values. */
export const COLOR_MODES = ["auto", "always", "never"] as const;

/** When to color: `auto` is on a terminal without NO_COLOR. */
export type ColorMode = (typeof COLOR_MODES)[number];

const style = (open: number, close: number) => (text: string) =>
  text === "" ? text : `\x1b[${open}m${text}\x1b[${close}m`;

/** A palette that writes ANSI escape codes. */
export const COLORS: Palette = {
  enabled: true,
  dim: style(2, 22),
  bold: style(1, 22),
  red: style(31, 39),
  green: style(32, 39),
  yellow: style(33, 39),
  blue: style(34, 39),
  magenta: style(35, 39),
  cyan: style(36, 39),
};

const same = (text: string) => text;

/** A palette that leaves text unchanged. */
export const NO_COLORS: Palette = {
  enabled: false,
  dim: same,
  bold: same,
  red: same,
  green: same,
  yellow: same,
  blue: same,
  magenta: same,
  cyan: same,
};

/**
 * Picks the palette: `always` and `never` are explicit; `auto` colors only when
 * the output is a terminal and NO_COLOR is unset or empty.
 */
export function choosePalette(
  mode: ColorMode,
  options: { isTerminal: boolean; env: Record<string, string | undefined> },
): Palette {
  if (mode === "always") return COLORS;
  if (mode === "never") return NO_COLORS;
  const noColor = options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== "";
  return options.isTerminal && !noColor ? COLORS : NO_COLORS;
}
