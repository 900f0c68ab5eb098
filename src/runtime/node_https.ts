/**
 * HTTPS for Deno through its `node:https`, which has what `Deno.serve` lacks:
 * client certificate verification (`requestCert`, `ca`), a TLS version range, the peer's
 * certificate (for `acceptPeer`) and a secure context swapped in place (`setTls`). Its TLS is
 * rustls: it takes no cipher list nor curve list (`DENO_TLS_SUPPORT`).
 *
 * @module
 */
import https from "node:https";
import { listenNode, nodeHttpServer, nodeTlsOptions, peerSubjectAltName } from "./node_handler.ts";
import type { HttpServer, ServeOptions, ServeTls, ServeTlsSupport } from "./types.ts";

/** What Deno's node:https honours of ServeTls' optional settings. */
export const DENO_TLS_SUPPORT: ServeTlsSupport = { ciphers: false, ecdhCurve: false };

// Silently dropping a cipher or curve list would serve weaker TLS than asked for.
function refuseUnsupported(tls: ServeTls): void {
  for (const key of ["ciphers", "ecdhCurve"] as const) {
    if (tls[key] !== undefined && !DENO_TLS_SUPPORT[key]) {
      throw new Error(`Deno's TLS server cannot be given ${key}`);
    }
  }
}

/** Serves `options.handler` over HTTPS with `options.tls`. */
export function serveNodeHttps(options: ServeOptions & { tls: ServeTls }): Promise<HttpServer> {
  refuseUnsupported(options.tls);
  let acceptPeer = options.tls.acceptPeer;
  const sockets = new Set<{ destroy(): void }>();
  const server = nodeHttpServer(
    (http, listener) => https.createServer({ ...nodeTlsOptions(options.tls), ...http }, listener),
    {
      ...options,
      scheme: "https",
      // Also checked per request: a keep-alive connection meets the allowed SANs now in force.
      accept: (req) => !acceptPeer || acceptPeer(peerSubjectAltName(req.socket)),
    },
  );
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket) => {
    if (acceptPeer && !acceptPeer(peerSubjectAltName(socket))) socket.destroy();
  });
  // A failed handshake (plain HTTP, no client certificate) only closes that connection.
  server.on("tlsClientError", (_error, socket) => socket.destroy());
  const setTls = (tls: ServeTls) => {
    refuseUnsupported(tls);
    const next = nodeTlsOptions(tls);
    server.setSecureContext(next);
    // Read by node:tls for each new connection.
    Object.assign(server, {
      requestCert: next.requestCert,
      rejectUnauthorized: next.rejectUnauthorized,
    });
    acceptPeer = tls.acceptPeer;
  };
  return listenNode(server, options).then((address) => ({
    ...address,
    setTls,
    shutdown: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  }));
}
