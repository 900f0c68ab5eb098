import bcrypt from "bcryptjs";
import { createHash } from "node:crypto";
import type { Handler } from "../runtime/mod.ts";
import { TokenBuckets } from "./token_buckets.ts";

/** Options for {@linkcode withBasicAuth}. */
export interface BasicAuthOptions {
  /** Realm in the challenge. Default "dashflow-exporter". */
  realm?: string;
  /** Called with the user name after a refused request (never the password). */
  onRefused?: (user: string | undefined) => void;
  /** Monotonic ms clock for the check budget; default performance.now. */
  now?: () => number;
}

// Compared against when the user is unknown, so an unknown user costs as much as a wrong password.
const DUMMY_HASH = "$2b$10$l8F3uBFskk8Jkm2bIuM03.B90TR8UPQurSSM8TON865K20zPRuo6G";
/** Credentials remembered as verified, and as refused. */
const CACHE_LIMIT = 1024;
/**
 * Password checks (bcrypt, ~150 ms of the one JS thread at cost 10) per source address: one a
 * second after a burst of 3; and for all sources together two a second after a burst of 4. At
 * most ~30% of the thread goes to checks, whatever the load, so ingestion keeps the rest.
 */
export const PASSWORD_CHECK_BUDGET = {
  perSource: { ratePerSecond: 1, burst: 3 },
  overall: { ratePerSecond: 2, burst: 4 },
} as const;

/**
 * Wraps `handler` so every request needs HTTP basic auth against `users` (user
 * name to bcrypt hash), as Prometheus' exporter-toolkit does: 401 with a
 * `WWW-Authenticate: Basic` challenge otherwise.
 *
 * A bcrypt check takes ~150 ms of the one JS thread, so a failed attempt must cost no more than
 * a successful one: credentials are remembered, verified and refused alike (by a SHA-256 of user,
 * password and hash, never the password itself; 1,024 of each), and a request whose credentials
 * are in neither set only gets a check within {@linkcode PASSWORD_CHECK_BUDGET}; beyond it the
 * answer is 429 with `Retry-After: 1` at once. A scraper with the right password is checked once
 * per process, then never waits on the budget (docs/semantics.md, "Rule: password checks").
 */
export function withBasicAuth(
  handler: Handler,
  users: ReadonlyMap<string, string>,
  options: BasicAuthOptions = {},
): Handler {
  const challenge = `Basic realm="${options.realm ?? "dashflow-exporter"}", charset="UTF-8"`;
  const verified = new Set<string>();
  const refused = new Set<string>();
  const now = options.now ?? (() => performance.now());
  const perSource = new TokenBuckets({ ...PASSWORD_CHECK_BUDGET.perSource, now });
  const overall = new TokenBuckets({ ...PASSWORD_CHECK_BUDGET.overall, now });
  const refuse = (user: string | undefined) => {
    options.onRefused?.(user);
    return new Response("Unauthorized\n", {
      status: 401,
      headers: { "www-authenticate": challenge, "content-type": "text/plain; charset=utf-8" },
    });
  };
  return async (request, info) => {
    const credentials = parseBasic(request.headers.get("authorization"));
    if (!credentials) return refuse(undefined);
    const { user, password } = credentials;
    const hash = users.get(user);
    const key = createHash("sha256").update(`${user}\0${password}\0${hash ?? ""}`).digest("hex");
    if (hash !== undefined && verified.has(key)) return handler(request, info);
    if (refused.has(key)) return refuse(user);
    // The per-source bucket first: a flood from one address must not spend everyone's budget.
    if (!perSource.take(info?.remoteAddress ?? "") || !overall.take("")) {
      options.onRefused?.(user);
      return new Response("Too many password checks: retry in a second\n", {
        status: 429,
        headers: { "retry-after": "1", "content-type": "text/plain; charset=utf-8" },
      });
    }
    const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
    if (!ok || hash === undefined) {
      remember(refused, key);
      return refuse(user);
    }
    remember(verified, key);
    return handler(request, info);
  };
}

function remember(set: Set<string>, key: string): void {
  if (set.size >= CACHE_LIMIT) set.delete(set.values().next().value!);
  set.add(key);
}

/** Parses `Authorization: Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasic(
  header: string | null,
): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  let decoded: string;
  try {
    const bytes = Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0));
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
