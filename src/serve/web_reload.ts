/**
 * Re-reading `--web.config.file` while `serve` runs. The exporter-toolkit reads the file on every
 * request; we check it on a request at most once a second (so a scrape every few seconds sees a
 * change at its next scrape), comparing the file's bytes. A change to `basic_auth_users` or
 * `http_server_config.headers` applies from that request on. A file that no longer loads is
 * logged with the same message as at start, and the last good configuration stays in force. A
 * change to `tls_server_config` is logged as needing a restart: neither runtime's TLS server
 * here can swap its certificate or policy in place.
 * @module
 */
import { errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Handler } from "../runtime/mod.ts";
import type { WebConfig } from "./web_config.ts";

/** How often, at most, a request checks the file. */
export const WEB_CONFIG_CHECK_MS = 1_000;

/** Options for {@linkcode reloadingHandler}. */
export interface ReloadingHandlerOptions {
  /** The configuration in force at start, and the file text it came from. */
  initial: { config: WebConfig; text: string };
  /** Reads the file's text (throws when it cannot be read). */
  readText: () => Promise<string>;
  /** Loads and checks the file, as at start (throws UsageError with the message). */
  load: () => Promise<WebConfig>;
  /** Builds the handler for a configuration (basic auth, headers). */
  build: (config: WebConfig) => Handler;
  log: Logger;
  /** The web config path, for log lines. */
  path: string;
  /** ms clock; default Date.now. */
  now?: () => number;
}

/**
 * A handler that serves with the web config's current users and headers, checking the file for a
 * change on a request at most every {@linkcode WEB_CONFIG_CHECK_MS}.
 */
export function reloadingHandler(options: ReloadingHandlerOptions): Handler {
  const now = options.now ?? Date.now;
  const { log, path } = options;
  let handler = options.build(options.initial.config);
  let tls = tlsKey(options.initial.config);
  // undefined: the file could not be read at the last check.
  let seen: string | undefined = options.initial.text;
  let checkedAt = now();
  let checking: Promise<void> | undefined;

  const check = async () => {
    let text: string;
    try {
      text = await options.readText();
    } catch (error) {
      if (seen !== undefined) {
        log.error(`${errorMessage(error)}; keeping the web config in force`, { web_config: path });
      }
      seen = undefined;
      return;
    }
    if (text === seen) return;
    seen = text;
    try {
      const config = await options.load();
      handler = options.build(config);
      const changedTls = tlsKey(config) !== tls;
      log.info("Web config reloaded: basic auth users and headers apply from now on", {
        web_config: path,
      });
      if (changedTls) {
        log.warn(
          "Web config: tls_server_config changed; restart the exporter to apply it (the TLS " +
            "server keeps its certificate and settings until then)",
          { web_config: path },
        );
        tls = tlsKey(config);
      }
    } catch (error) {
      log.error(`${errorMessage(error)}; keeping the web config in force`, { web_config: path });
    }
  };

  return async (request, info) => {
    if (now() - checkedAt >= WEB_CONFIG_CHECK_MS) {
      checkedAt = now();
      checking ??= check().finally(() => (checking = undefined));
    }
    if (checking) await checking;
    return handler(request, info);
  };
}

function tlsKey(config: WebConfig): string {
  return JSON.stringify(config.tls ?? null);
}
