/**
 * The web-standard handler as a node:http request listener, for the HTTPS servers built on
 * node's modules, and their listening. Requests carry no body (the exporter serves GET and HEAD).
 * @module
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Server } from "node:net";
import type { Handler, ServeOptions } from "./types.ts";

/** Options for {@linkcode nodeRequestListener}. */
export interface NodeRequestListenerOptions {
  /** The origin requests are resolved against (the Host header is the client's to choose). */
  origin: () => string;
  /** False answers 403 without calling the handler (a connection that should not have got this far). */
  accept?: (request: IncomingMessage) => boolean;
}

/** Adapts `handler` to node's request and response. */
export function nodeRequestListener(
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
      const url = new URL(req.url ?? "/", options.origin());
      const response = await handler(new Request(url, { method: req.method ?? "GET", headers }));
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
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      resolve({ port: address.port, hostname: address.address });
    });
  });
}
