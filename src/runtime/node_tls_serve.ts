/**
 * HTTPS for Bun from node:net, node:tls and node:http: each accepted socket gets its own TLS
 * session from the settings in force when it arrives, and only a socket whose handshake (and
 * `acceptPeer`) succeeded reaches the HTTP server. This gives what `Bun.serve` lacks: the
 * client's certificate, and TLS material swapped for new connections (`setTls`). Bun's
 * node:tls (BoringSSL) honours a cipher list and a curve list.
 *
 * @module
 */
import { createServer as createHttpServer } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { createSecureContext, type SecureContext, TLSSocket } from "node:tls";
import { listenNode, nodeHttpServer, nodeTlsOptions, peerSubjectAltName } from "./node_handler.ts";
import type { HttpServer, ServeOptions, ServeTls } from "./types.ts";

/** A client that does not finish its handshake in this time is disconnected. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

interface Session {
  context: SecureContext;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  acceptPeer?: ServeTls["acceptPeer"];
}

// Throws (OpenSSL's message) on material or a cipher list it refuses.
function session(tls: ServeTls): Session {
  const { requestCert, rejectUnauthorized, ...context } = nodeTlsOptions(tls);
  return {
    context: createSecureContext(context),
    requestCert,
    rejectUnauthorized,
    ...(tls.acceptPeer && { acceptPeer: tls.acceptPeer }),
  };
}

/** Serves `options.handler` over HTTPS with `options.tls`. */
export function serveNodeTls(options: ServeOptions & { tls: ServeTls }): Promise<HttpServer> {
  let current = session(options.tls);
  const sockets = new Set<Socket | TLSSocket>();
  // Sockets reach the HTTP server once their handshake succeeded; it never listens itself.
  const http = nodeHttpServer(createHttpServer, {
    ...options,
    scheme: "https",
    listening: () => server,
  });
  const server = createNetServer((raw) => {
    sockets.add(raw);
    raw.on("close", () => sockets.delete(raw));
    raw.on("error", () => raw.destroy());
    const settings = current;
    const socket = new TLSSocket(raw, {
      isServer: true,
      secureContext: settings.context,
      requestCert: settings.requestCert,
      rejectUnauthorized: settings.rejectUnauthorized,
    });
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const timer = setTimeout(() => raw.destroy(), HANDSHAKE_TIMEOUT_MS);
    // A failed handshake (plain HTTP, no or an untrusted client certificate) closes only this.
    socket.on("error", () => {
      clearTimeout(timer);
      socket.destroy();
      raw.destroy();
    });
    socket.once("secure", () => {
      clearTimeout(timer);
      const refused = (settings.rejectUnauthorized && !socket.authorized) ||
        (settings.acceptPeer && !settings.acceptPeer(peerSubjectAltName(socket)));
      if (refused) {
        socket.destroy();
        raw.destroy();
        return;
      }
      http.emit("connection", socket);
    });
  });
  return listenNode(server, options).then((address) => ({
    ...address,
    setTls: (tls) => {
      current = session(tls);
    },
    // Open connections are cut, as Bun.serve's stop(true) does; nothing waits on them.
    shutdown: () => {
      server.close();
      http.close();
      for (const socket of sockets) socket.destroy();
      return Promise.resolve();
    },
  }));
}
