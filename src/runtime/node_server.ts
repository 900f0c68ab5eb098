/**
 * The HTTP server of both runtimes (and Deno's HTTPS), on `node:http` / `node:https`, which have
 * what `Deno.serve` and `Bun.serve` lack: a hook on a request the parser refuses (so an oversized request line gets 414 and oversized
 * headers 431, the status written before the connection closes), client certificate
 * verification and a TLS version range.
 * The web-standard handler is adapted to node's request and response; requests carry no body (the
 * exporter serves GET and HEAD).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { HttpServer, ServeOptions, ServeTls } from "./types.ts";

/** Most bytes of request head the parser takes (the handler's own limits are lower). */
const MAX_HEAD_BYTES = 16 * 1024;
/** Longest request line taken for a header overflow; longer: the URL is what is too long. */
const MAX_REQUEST_LINE = 8 * 1024 + 32;
/** How long a refused connection is read (and dropped) so the client sees the status. */
const DRAIN_MS = 1_000;

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

/**
 * The status for a request the parser refused: 414 for the request line, 431 for headers. The
 * chunk it refused at tells, when it is the connection's first (a client sends its request at
 * once, and the limit is under one read): no line end in it, or a late one, is a long URL.
 * Refused at a later chunk (a client trickling its head), the line cannot be seen: 431.
 */
function refusal(error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): string {
  if (error.code !== "HPE_HEADER_OVERFLOW") return "400 Bad Request";
  const chunk = error.rawPacket;
  if (chunk === undefined || (socket.bytesRead ?? 0) > chunk.length) {
    return "431 Request Header Fields Too Large";
  }
  const end = chunk.indexOf("\r\n");
  return end < 0 || end > MAX_REQUEST_LINE
    ? "414 URI Too Long"
    : "431 Request Header Fields Too Large";
}

/** Serves `options.handler` over HTTP, or HTTPS with `options.tls`. */
export function serveNode(options: ServeOptions): Promise<HttpServer> {
  const sockets = new Set<Socket>();
  const listener: http.RequestListener = async (req, res) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      // The Host header is the client's to choose; only the path matters to the handler. A
      // request target that is no path (`*`) is kept out of the URL.
      const target = req.url?.startsWith("/") ? req.url : "/";
      const scheme = options.tls ? "https" : "http";
      const url = `${scheme}://${
        options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname
      }:${port()}${target}`;
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
  };
  const serverOptions = { maxHeaderSize: MAX_HEAD_BYTES };
  const server = options.tls
    ? https.createServer({ ...nodeTlsOptions(options.tls), ...serverOptions }, listener)
    : http.createServer(serverOptions, listener);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const refused = new WeakSet<Socket>();
  server.on("clientError", (error: Error, socket: Socket) => {
    // The parser may report the same head again as more of it arrives: answer the first.
    if (refused.has(socket)) return;
    refused.add(socket);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(
      `HTTP/1.1 ${refusal(error, socket)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
    // Reading on while the client still sends lets it read the status instead of a reset.
    socket.resume();
    setTimeout(() => socket.destroy(), DRAIN_MS).unref?.();
  });
  // node hands CONNECT to this event, never to the handler (a Request cannot carry it).
  server.on("connect", (_req: http.IncomingMessage, socket: Socket) => {
    socket.end(
      "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\n" +
        "Content-Length: 0\r\n\r\n",
    );
  });
  // A failed handshake (plain HTTP, no client certificate) only closes that connection.
  server.on("tlsClientError", (_error: Error, socket: Socket) => socket.destroy());
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
