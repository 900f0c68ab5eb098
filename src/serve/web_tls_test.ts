import assert from "node:assert/strict";
import type { WebTlsConfig } from "./web_config.ts";
import { serveTls } from "./web_tls.ts";

const BASE: WebTlsConfig = { cert: "C", key: "K", clientAuth: "NoClientCert", minVersion: "TLS12" };

Deno.test("serveTls() gives the runtime OpenSSL's names for the toolkit's suites and curves", () => {
  const tls = serveTls({
    ...BASE,
    cipherSuites: [
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    ],
    curvePreferences: ["X25519", "CurveP384"],
  });
  assert.equal(tls.ciphers, "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305");
  assert.equal(tls.ecdhCurve, "X25519:P-384");
  assert.equal(tls.minVersion, "TLSv1.2");
  const only13 = serveTls({ ...BASE, cipherSuites: ["TLS_AES_256_GCM_SHA384"] });
  assert.equal(only13.ciphers, undefined);
  assert.equal(only13.minVersion, "TLSv1.3", "no TLS 1.2 suite allowed: no TLS 1.2");
  assert.equal(serveTls(BASE).acceptPeer, undefined);
});

Deno.test("serveTls() lets in a client certificate with an allowed SAN, reports the others", () => {
  const refused: string[] = [];
  const tls = serveTls(
    { ...BASE, clientAuth: "RequireAndVerifyClientCert", clientAllowedSans: ["prom", "::1"] },
    { onRefused: (san) => refused.push(san) },
  );
  assert.equal(tls.acceptPeer!("DNS:prom"), true);
  assert.equal(tls.acceptPeer!("IP Address:0:0:0:0:0:0:0:1"), true);
  assert.equal(tls.acceptPeer!("DNS:grafana"), false);
  assert.equal(tls.acceptPeer!(undefined), false);
  assert.deepEqual(refused, ["DNS:grafana", "none"]);
});
