import bcrypt from "bcryptjs";
import { createHash } from "node:crypto";
import type { Handler } from "../runtime/mod.ts";

/** Options for {@linkcode withBasicAuth}. */
export interface BasicAuthOptions {
  /** Realm in the challenge. Default "dashflow-exporter". */
  realm?: string;
  /** Called with the user name after a refused request (never the password). */
  onRefused?: (user: string | undefined) => void;
}

// Compared against when the user is unknown, so an unknown user costs as much as a wrong password.
const DUMMY_HASH = "$2b$10$l8F3uBFskk8Jkm2bIuM03.B90TR8UPQurSSM8TON865K20zPRuo6G";
const CACHE_LIMIT = 256;

/**
 * Wraps `handler` so every request needs HTTP basic auth against `users` (user
 * name to bcrypt hash), as Prometheus' exporter-toolkit does: 401 with a
 * `WWW-Authenticate: Basic` challenge otherwise. A bcrypt check takes tens of
 * milliseconds in pure JS, so verified credentials are remembered (by a SHA-256
 * of user, password and hash, never the password itself) and a scrape every few
 * seconds costs one check per process.
 */
export function withBasicAuth(
  handler: Handler,
  users: ReadonlyMap<string, string>,
  options: BasicAuthOptions = {},
): Handler {
  const challenge = `Basic realm="${options.realm ?? "dashflow-exporter"}", charset="UTF-8"`;
  const verified = new Set<string>();
  const refuse = (user: string | undefined) => {
    options.onRefused?.(user);
    return new Response("Unauthorized\n", {
      status: 401,
      headers: { "www-authenticate": challenge, "content-type": "text/plain; charset=utf-8" },
    });
  };
  return async (request) => {
    const credentials = parseBasic(request.headers.get("authorization"));
    if (!credentials) return refuse(undefined);
    const { user, password } = credentials;
    const hash = users.get(user);
    const key = createHash("sha256").update(`${user}\0${password}\0${hash ?? ""}`).digest("hex");
    if (hash !== undefined && verified.has(key)) return handler(request);
    const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
    if (!ok || hash === undefined) return refuse(user);
    if (verified.size >= CACHE_LIMIT) verified.delete(verified.values().next().value!);
    verified.add(key);
    return handler(request);
  };
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
