/**
 * A minimal `fetch` over `node:http`/`node:https`, for the one TLS setting Deno's fetch cannot
 * take: skipping certificate verification (`Deno.createHttpClient` has no such option, while
 * Deno's `node:https` honours `rejectUnauthorized: false`).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import http from "node:http";
import https from "node:https";
import { gunzipSync } from "node:zlib";
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
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const status = response.statusCode ?? 500;
          let body: Uint8Array = Buffer.concat(chunks);
          const out = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
          }
          if (out.get("content-encoding") === "gzip") {
            body = gunzipSync(body);
            out.delete("content-encoding");
          }
          resolve(
            new Response(NULL_BODY.has(status) ? null : new Uint8Array(body), {
              status,
              statusText: response.statusMessage,
              headers: out,
            }),
          );
        });
      });
      request.on("error", reject);
      request.end();
    });
}
