/**
 * A minimal `fetch` over `node:http`/`node:https`, for the one TLS setting Deno's fetch cannot
 * take: skipping certificate verification (`Deno.createHttpClient` has no such option, while
 * Deno's `node:https` honours `rejectUnauthorized: false`).
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { TlsClientOptions } from "./types.ts";

const NULL_BODY = new Set([101, 204, 205, 304]);

/** `fetch(url, init)` through node's HTTP client with `tls` applied. GET/HEAD without a body. */
export function nodeFetch(
  tls: TlsClientOptions,
): (url: string, init?: RequestInit) => Promise<Response> {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const client = target.protocol === "https:" ? https : http;
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => headers[name] = value);
      const request = client.request(target, {
        method: init.method ?? "GET",
        headers,
        ca: tls.caCerts,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: !tls.insecureSkipVerify,
        signal: init.signal ?? undefined,
      }, (response) => {
        const status = response.statusCode ?? 500;
        const out = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
        }
        // Streamed, inflated as read: the reader decides how much it takes (and cancels).
        let source: Readable = response;
        if (out.get("content-encoding") === "gzip") {
          source = response.pipe(createGunzip());
          out.delete("content-encoding");
        }
        resolve(
          new Response(NULL_BODY.has(status) ? null : toWebStream(source, response), {
            status,
            statusText: response.statusMessage,
            headers: out,
          }),
        );
      });
      request.on("error", reject);
      request.end();
    });
}

/** A web stream over `source` that pauses it while unread and destroys `socket` on cancel. */
function toWebStream(source: Readable, socket: Readable): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      source.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.on("end", () => controller.close());
      source.on("error", (error) => controller.error(error));
      socket.on("error", (error) => controller.error(error));
    },
    pull() {
      source.resume();
    },
    cancel() {
      source.destroy();
      socket.destroy();
    },
  });
}
