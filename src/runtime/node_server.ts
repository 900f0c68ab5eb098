/**
 * Plain HTTP for both runtimes on `node:http`, which has what `Deno.serve` and `Bun.serve` lack: a
 * hook on a request head the parser refuses, so an oversized request line gets 414 and oversized
 * headers 431, the status written before the connection closes (`guardNodeServer`). HTTPS is
 * `node_https.ts` (Deno) and `node_tls_serve.ts` (Bun).
 *
 * @module
 */
import http from "node:http";
import type { Socket } from "node:net";
import { listenNode, nodeHttpServer } from "./node_handler.ts";
import type { HttpServer, ServeOptions } from "./types.ts";

/** Serves `options.handler` over plain HTTP. */
export function serveNodeHttp(options: ServeOptions): Promise<HttpServer> {
  const sockets = new Set<Socket>();
  const server = nodeHttpServer(http.createServer, { ...options, scheme: "http" });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return listenNode(server, options).then((address) => ({
    ...address,
    shutdown: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  }));
}
