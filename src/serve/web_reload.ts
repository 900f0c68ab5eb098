/**
 * Re-reading `--web.config.file` while `serve` runs. The exporter-toolkit reads the file, and the
 * certificate, key and CA files it names, for every request and every new TLS connection; we
 * check them at most once a second, on a request and on a timer (so a change applies even when
 * no client gets through, e.g. after a certificate expired), comparing the files' bytes.
 * A change to `basic_auth_users` or `http_server_config.headers` applies from that request on; a
 * change to `tls_server_config` (or to the files it names) to every new connection, open ones
 * keeping theirs, as in the toolkit. A file that no longer loads is logged with the same message
 * as at start, and the last good configuration stays in force. Adding or removing
 * `tls_server_config` is logged as needing a restart: a listener does not change between HTTP and
 * HTTPS. See docs/web_config.md, "Reload".
 * @module
 */
import { errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Handler } from "../runtime/mod.ts";
import type { WebConfig } from "./web_config.ts";

/** How often, at most, the files are checked. */
export const WEB_CONFIG_CHECK_MS = 1_000;

/** Options for {@linkcode watchWebConfig}. */
export interface WatchWebConfigOptions {
  /** The configuration in force at start, and {@linkcode readState} of it then. */
  initial: { config: WebConfig; state: string };
  /**
   * What a change is judged by: the text of the file and of the files `config` names (throws
   * when one cannot be read).
   */
  readState: (config: WebConfig) => Promise<string>;
  /** Loads and checks the file, as at start (throws UsageError with the message). */
  load: () => Promise<WebConfig>;
  /** Builds the handler for a configuration (basic auth, headers). */
  build: (config: WebConfig) => Handler;
  /** Serves new connections with a changed TLS configuration; throws to keep the old one. */
  applyTls?: (config: WebConfig) => void;
  log: Logger;
  /** The web config path, for log lines. */
  path: string;
  /** ms clock; default Date.now. */
  now?: () => number;
}

/** The served handler, and the check a timer calls. */
export interface WebConfigWatch {
  /** Serves with the current users and headers, checking the files first when due. */
  handler: Handler;
  /** Checks the files when due (at most every {@linkcode WEB_CONFIG_CHECK_MS}). */
  check(): Promise<void>;
}

/**
 * Serves with the web config's current users, headers and TLS, checking its files for a change
 * at most every {@linkcode WEB_CONFIG_CHECK_MS}.
 */
export function watchWebConfig(options: WatchWebConfigOptions): WebConfigWatch {
  const now = options.now ?? Date.now;
  const { log, path } = options;
  let config = options.initial.config;
  let handler = options.build(config);
  // undefined: the files could not be read at the last check.
  let seen: string | undefined = options.initial.state;
  let checkedAt = now();
  let checking: Promise<void> | undefined;

  const reload = async () => {
    let state: string;
    try {
      state = await options.readState(config);
    } catch (error) {
      if (seen !== undefined) {
        log.error(`${errorMessage(error)}; keeping the web config in force`, { web_config: path });
      }
      seen = undefined;
      return;
    }
    if (state === seen) return;
    seen = state;
    try {
      const next = await options.load();
      const tlsChanged = tlsKey(next) !== tlsKey(config);
      const schemeChanged = !next.tls !== !config.tls;
      if (tlsChanged && !schemeChanged) options.applyTls?.(next);
      handler = options.build(next);
      log.info(
        `Web config reloaded: basic auth users and headers apply from now on${
          tlsChanged && !schemeChanged ? ", TLS to new connections" : ""
        }`,
        { web_config: path },
      );
      if (schemeChanged) {
        log.warn(
          `Web config: tls_server_config was ${next.tls ? "added" : "removed"}; restart the ` +
            `exporter to serve ${next.tls ? "HTTPS" : "plain HTTP"} (the listeners keep ` +
            `${config.tls ? "their TLS settings" : "serving plain HTTP"} until then)`,
          { web_config: path },
        );
        // The TLS in force stays what the listeners serve.
        next.tls = config.tls;
      }
      config = next;
    } catch (error) {
      log.error(`${errorMessage(error)}; keeping the web config in force`, { web_config: path });
    }
  };

  const check = () => {
    if (now() - checkedAt >= WEB_CONFIG_CHECK_MS) {
      checkedAt = now();
      checking ??= reload().finally(() => (checking = undefined));
    }
    return checking ?? Promise.resolve();
  };

  return {
    handler: async (request, info) => {
      await check();
      return handler(request, info);
    },
    check,
  };
}

function tlsKey(config: WebConfig): string {
  return JSON.stringify(config.tls ?? null);
}
