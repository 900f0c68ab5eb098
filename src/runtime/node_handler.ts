/**
 * What the servers built on node's modules share (plain HTTP, and HTTPS on each runtime): the
 * web-standard handler as a node:http server, its listening, and the TLS options. Requests carry
 * no body (the exporter serves GET and HEAD).
 * @module
 */
import { Buffer } from "node:buffer";
import type {
  IncomingMessage,
  RequestListener,
  Server as HttpServerNode,
  ServerResponse,
} from "node:http";
import type { AddressInfo, Server, Socket } from "node:net";
import type { TlsOptions } from "node:tls";
import type { Handler, ServeOptions, ServeTls } from "./types.ts";

/** Options for {@linkcode nodeRequestListener}. */
interface NodeRequestListenerOptions {
  /** The origin requests are resolved against (the Host header is the client's to choose). */
  origin: () => string;
  /** False answers 403 without calling the handler (a connection that should not have got this far). */
  accept?: (request: IncomingMessage) => boolean;
}

/** `scheme://host:port` for a listen address (an IPv6 host in brackets), to resolve paths against. */
function originOf(scheme: "http" | "https", hostname: string, port: number): string {
  return `${scheme}://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/** Adapts `handler` to node's request and response. */
function nodeRequestListener(
  handler: Handler,
  options: NodeRequestListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      if (options.accept && !options.accept(req)) {
        res.writeHead(403, { "content-type": "text/plain", connection: "close" });
        res.end("forbidden: client certificate not allowed\n");
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      // A request target that is no path (`*`) is kept out of the URL.
      const url = new URL(req.url?.startsWith("/") ? req.url : "/", options.origin());
      const response = await handler(new Request(url, { method: req.method ?? "GET", headers }), {
        remoteAddress: req.socket.remoteAddress ?? "",
      });
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
}

/** The subjectAltName of a TLS socket's peer certificate, in node's form; undefined without one. */
export function peerSubjectAltName(socket: unknown): string | undefined {
  const get = (socket as { getPeerCertificate?: () => { subjectaltname?: string } | null })
    .getPeerCertificate;
  if (typeof get !== "function") return undefined;
  return get.call(socket)?.subjectaltname || undefined;
}

/**
 * Starts `server` listening where `options` say: resolves with the bound address (the port
 * chosen for port 0), or rejects with the listen error (address in use, permission).
 */
export function listenNode(
  server: Server,
  options: ServeOptions,
): Promise<{ port: number; hostname: string }> {
  // node closes a connection beyond the bound as it arrives, before any byte is read.
  if (options.maxConnections) server.maxConnections = options.maxConnections;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      resolve({ port: address.port, hostname: address.address });
    });
  });
}

/** Most bytes of request head the parser takes (the handler's own limits are lower). */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Longest request line taken for a header overflow; longer: the URL is what is too long. */
const MAX_REQUEST_LINE = 8 * 1024 + 32;
/** How long a refused connection is read (and dropped) so the client sees the status. */
const DRAIN_MS = 1_000;

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

/**
 * Answers what never reaches the handler (docs/semantics.md, "Rule: HTTP limits"): a request
 * head the parser refused gets 414 or 431 written before the connection closes (instead of a
 * reset), and CONNECT, which node hands to an event of its own, gets 405. Give the server
 * `maxHeaderSize: MAX_HEAD_BYTES`.
 */
export function guardNodeServer(server: HttpServerNode): void {
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
  server.on("connect", (_req: IncomingMessage, socket: Socket) => {
    socket.end(
      "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\n" +
        "Content-Length: 0\r\n\r\n",
    );
  });
}

/** Options for {@linkcode nodeHttpServer}. */
export interface NodeHttpServerOptions extends ServeOptions {
  /** The scheme of the origin requests are resolved against. */
  scheme: "http" | "https";
  /** The server whose bound port is the origin's (default: the HTTP server itself). */
  listening?: () => Server;
  /** False answers 403 without calling the handler (see {@linkcode NodeRequestListenerOptions}). */
  accept?: (request: IncomingMessage) => boolean;
}

/**
 * The HTTP server every node-built server has: `options.handler` behind node's request and
 * response, paths resolved against `scheme://hostname:port` (the port the server got, for port
 * 0), the request head bounded and a refused head answered ({@linkcode guardNodeServer}).
 * `create` is `http.createServer`, or `https.createServer` given its TLS options too.
 */
export function nodeHttpServer<S extends HttpServerNode>(
  create: (options: { maxHeaderSize: number }, listener: RequestListener) => S,
  options: NodeHttpServerOptions,
): S {
  const port = (): number => {
    const address = (options.listening?.() ?? server).address() as AddressInfo | null;
    return address?.port ?? options.port;
  };
  const server = create(
    { maxHeaderSize: MAX_HEAD_BYTES },
    nodeRequestListener(options.handler, {
      origin: () => originOf(options.scheme, options.hostname, port()),
      ...(options.accept && { accept: options.accept }),
    }),
  );
  guardNodeServer(server);
  return server;
}

/**
 * node:tls options for {@linkcode ServeTls}: the certificate and key, the client CA, client
 * authentication as `requestCert` and `rejectUnauthorized`, TLS 1.2 or later unless told, and
 * the cipher and curve lists when given.
 */
export function nodeTlsOptions(
  tls: ServeTls,
): TlsOptions & { requestCert: boolean; rejectUnauthorized: boolean } {
  const clientAuth = tls.clientAuth ?? "none";
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.clientCa !== undefined && { ca: tls.clientCa }),
    requestCert: clientAuth !== "none",
    rejectUnauthorized: clientAuth === "require",
    minVersion: tls.minVersion ?? "TLSv1.2",
    ...(tls.maxVersion !== undefined && { maxVersion: tls.maxVersion }),
    ...(tls.ciphers !== undefined && { ciphers: tls.ciphers }),
    ...(tls.ecdhCurve !== undefined && { ecdhCurve: tls.ecdhCurve }),
  };
}
