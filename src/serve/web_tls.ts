/**
 * The web config's TLS (exporter-toolkit names) in the runtime's terms.
 * @module
 */
import type { ServeTls } from "../runtime/mod.ts";
import type { WebTlsConfig } from "./web_config.ts";

const TLS_VERSION = {
  TLS10: "TLSv1",
  TLS11: "TLSv1.1",
  TLS12: "TLSv1.2",
  TLS13: "TLSv1.3",
} as const;

/** Maps `tls_server_config` to the TLS options of the runtime's HTTP server. */
export function serveTls(tls: WebTlsConfig): ServeTls {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.clientCa !== undefined && { clientCa: tls.clientCa }),
    clientAuth: tls.clientAuth === "RequireAndVerifyClientCert"
      ? "require"
      : tls.clientAuth === "RequestClientCert"
      ? "request"
      : "none",
    minVersion: TLS_VERSION[tls.minVersion],
    ...(tls.maxVersion && { maxVersion: TLS_VERSION[tls.maxVersion] }),
  };
}
