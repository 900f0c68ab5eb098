/**
 * Headless Chromium (Debian's `chromium` package; scripts/tools.sh installs it) for tests
 * that look at a page as a browser renders it: the DOM after load and a screenshot.
 */
import { run, text } from "./spawn.ts";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome"];

/**
 * The Chromium executable: `$CHROMIUM_BIN`, else the first of chromium, chromium-browser,
 * google-chrome on PATH; undefined when there is none (the caller skips and says why).
 */
export function findChromium(): string | undefined {
  const configured = Deno.env.get("CHROMIUM_BIN");
  if (configured) return configured;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of CANDIDATES) {
      const path = `${dir}/${name}`;
      try {
        if (Deno.statSync(path).isFile) return path;
      } catch {
        // Not there.
      }
    }
  }
  return undefined;
}

/** Why a Chromium test is skipped, for the skip message. */
export const CHROMIUM_MISSING = "Chromium not found (set CHROMIUM_BIN or put chromium on PATH); " +
  "as root: apt-get install -y chromium (scripts/tools.sh does when run as root)";

/**
 * Runs headless Chromium on `url` with `args` (e.g. `--dump-dom`) in a throwaway profile,
 * JavaScript as the page wants it, and returns its stdout; throws with its stderr on failure.
 */
export async function headlessChromium(
  chromium: string,
  url: string,
  args: string[],
): Promise<string> {
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  try {
    const result = await run([
      chromium,
      "--headless",
      // Root (CI) cannot use Chromium's sandbox; the page is our own.
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      ...args,
      url,
    ], { env: { HOME: profile } });
    if (result.code !== 0) {
      throw new Error(
        `${chromium} ${args.join(" ")} ${url}: exit ${result.code}\n${text(result.stderr)}`,
      );
    }
    return text(result.stdout);
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}
