/**
 * HTTPS for Deno through its `node:https`, which has what `Deno.serve` lacks:
 * client certificate verification (`requestCert`, `ca`) and a TLS version
 * range. The web-standard handler is adapted to node's request and response;
 * requests carry no body (the exporter serves GET and HEAD).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { HttpServer, ServeOptions, ServeTls } from "./types.ts";

/** node:tls options for {@linkcode ServeTls}. */
export function nodeTlsOptions(tls: ServeTls): https.ServerOptions {
  const clientAuth = tls.clientAuth ?? "none";
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.clientCa !== undefined && { ca: tls.clientCa }),
    requestCert: clientAuth !== "none",
    rejectUnauthorized: clientAuth === "require",
    minVersion: tls.minVersion ?? "TLSv1.2",
    ...(tls.maxVersion !== undefined && { maxVersion: tls.maxVersion }),
  };
}

/** Serves `options.handler` over HTTPS with `options.tls`. */
export function serveNodeHttps(options: ServeOptions & { tls: ServeTls }): Promise<HttpServer> {
  const sockets = new Set<{ destroy(): void }>();
  const server = https.createServer(nodeTlsOptions(options.tls), async (req, res) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      // The Host header is the client's to choose; only the path matters to the handler.
      const url = new URL(req.url ?? "/", `https://${options.hostname}:${port()}`);
      const response = await options.handler(
        new Request(url, { method: req.method ?? "GET", headers }),
        { remoteAddress: req.socket.remoteAddress ?? "" },
      );
      const body = req.method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer());
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => (out[name] = value));
      res.writeHead(response.status, response.statusText, out);
      res.end(body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`internal error: ${(error as Error).message}\n`);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A failed handshake (plain HTTP, no client certificate) only closes that connection.
  server.on("tlsClientError", (_error, socket) => socket.destroy());
  const port = () => (server.address() as AddressInfo | null)?.port ?? options.port;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      resolve({
        port: address.port,
        hostname: address.address,
        shutdown: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}
