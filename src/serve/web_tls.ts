/**
 * The web config's TLS (exporter-toolkit names) in the runtime's terms.
 * @module
 */
import type { ServeTls } from "../runtime/mod.ts";
import { allowsClient } from "./client_sans.ts";
import { CIPHER_SUITES, CURVES } from "./tls_names.ts";
import type { WebTlsConfig } from "./web_config.ts";

const TLS_VERSION = {
  TLS10: "TLSv1",
  TLS11: "TLSv1.1",
  TLS12: "TLSv1.2",
  TLS13: "TLSv1.3",
} as const;

/** Options for {@linkcode serveTls}. */
export interface ServeTlsOptions {
  /** Told of each client certificate `client_allowed_sans` turns away (its SANs, or "none"). */
  onRefused?: (subjectAltName: string) => void;
}

/** Maps `tls_server_config` to the TLS options of the runtime's HTTP server. */
export function serveTls(tls: WebTlsConfig, options: ServeTlsOptions = {}): ServeTls {
  const out: ServeTls = {
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
  if (tls.cipherSuites) {
    const tls12 = tls.cipherSuites.flatMap((name) => CIPHER_SUITES[name] ?? []);
    // Only TLS 1.3 suites listed: no TLS 1.2 suite is allowed, so neither is TLS 1.2 (as in Go).
    if (tls12.length === 0) out.minVersion = "TLSv1.3";
    else out.ciphers = tls12.join(":");
  }
  if (tls.curvePreferences) out.ecdhCurve = tls.curvePreferences.map((c) => CURVES[c]).join(":");
  const allowed = tls.clientAllowedSans;
  if (allowed) {
    out.acceptPeer = (subjectAltName) => {
      const ok = allowsClient(allowed, subjectAltName);
      if (!ok) options.onRefused?.(subjectAltName ?? "none");
      return ok;
    };
  }
  return out;
}
