import { readFile, writeFile } from "node:fs/promises";
import { closeSync, openSync, writeSync } from "node:fs";
import process from "node:process";
import { isatty } from "node:tty";
import { Readable } from "node:stream";
import { constants } from "node:crypto";
import { serveNode } from "./node_server.ts";
import type {
  FileSink,
  HttpClient,
  HttpServer,
  Output,
  Runtime,
  ServeOptions,
  ServeTls,
  ShutdownSignal,
  TlsClientOptions,
} from "./types.ts";

// Only the slice of Bun's API we use; declared here so `deno check` needs no Bun types.
interface BunServer {
  port: number;
  hostname: string;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
  requestIP(request: Request): { address: string } | null;
}
interface BunTls {
  cert: string;
  key: string;
  ca?: string;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
  secureOptions?: number;
}
declare const Bun: {
  version: string;
  gc(force: boolean): void;
  /** Frees JavaScriptCore's compiled code and returns free heap pages to the system. */
  shrink(): void;
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: BunServer) => Response | Promise<Response>;
    error?: (error: Error) => Response;
    tls?: BunTls;
  }): BunServer;
};

const TLS_ORDER = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
const TLS_OFF = [
  constants.SSL_OP_NO_TLSv1,
  constants.SSL_OP_NO_TLSv1_1,
  constants.SSL_OP_NO_TLSv1_2,
  constants.SSL_OP_NO_TLSv1_3,
];

// Bun.serve has no version range option; OpenSSL's "no TLS 1.x" flags express it.
function bunTls(tls: ServeTls): BunTls {
  const min = TLS_ORDER.indexOf(tls.minVersion ?? "TLSv1.2");
  const max = tls.maxVersion ? TLS_ORDER.indexOf(tls.maxVersion) : TLS_ORDER.length - 1;
  const secureOptions = TLS_OFF.reduce(
    (flags, flag, i) => i < min || i > max ? flags | flag : flags,
    0,
  );
  const clientAuth = tls.clientAuth ?? "none";
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.clientCa !== undefined && { ca: tls.clientCa }),
    requestCert: clientAuth !== "none",
    rejectUnauthorized: clientAuth === "require",
    secureOptions,
  };
}

function output(fd: number): Output {
  const encoder = new TextEncoder();
  return {
    write(data) {
      let bytes = typeof data === "string" ? encoder.encode(data) : data;
      while (bytes.length > 0) bytes = bytes.subarray(writeSync(fd, bytes));
    },
    isTerminal: () => isatty(fd),
  };
}

function createFile(path: string): FileSink {
  const fd = openSync(path, "w");
  return {
    write(data) {
      let bytes = data;
      while (bytes.length > 0) bytes = bytes.subarray(writeSync(fd, bytes));
    },
    close: () => closeSync(fd),
  };
}

function serve(options: ServeOptions): Promise<HttpServer> {
  // Plain HTTP on Bun's node:http, as on Deno: Bun.serve answers 431 to any request head over
  // 16 KiB, a long URL included, where node:http lets us say 414. Its TLS stays on Bun.serve,
  // whose TLS options are proven here.
  if (!options.tls) return serveNode(options);
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    fetch: (request, server) =>
      options.handler(request, { remoteAddress: server.requestIP(request)?.address ?? "" }),
    error: (error) => new Response(`internal error: ${error.message}\n`, { status: 500 }),
    ...(options.tls && { tls: bunTls(options.tls) }),
  });
  return Promise.resolve({
    port: server.port,
    hostname: server.hostname,
    shutdown: async () => {
      await server.stop(true);
    },
  });
}

function httpClient(tls: TlsClientOptions): HttpClient {
  // Bun's fetch takes TLS settings per request, in a `tls` member Deno's types do not know.
  const options = {
    ca: tls.caCerts,
    cert: tls.cert,
    key: tls.key,
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
  return {
    fetch: (url, init) => fetch(url, { ...init, tls: options } as RequestInit),
    close() {},
  };
}

/** The Bun implementation of {@linkcode Runtime}. */
export function bunRuntime(): Runtime {
  return {
    name: "bun",
    version: Bun.version,
    args: () => process.argv.slice(2),
    env: () => ({ ...process.env }),
    stdout: output(1),
    stderr: output(2),
    stdin: () => Readable.toWeb(process.stdin) as unknown as ReadableStream<Uint8Array>,
    readFile: async (path) => new Uint8Array(await readFile(path)),
    writeFile: (path, data) => writeFile(path, data),
    createFile,
    serve,
    httpClient,
    onSignal(signal: ShutdownSignal, listener: () => void) {
      process.on(signal, listener);
      return () => process.off(signal, listener);
    },
    exit: (code) => process.exit(code),
    residentBytes: () => process.memoryUsage.rss(),
    collectGarbage(options) {
      Bun.gc(true);
      // Only when idle: it also drops compiled code, which a busy process would recompile.
      if (options?.idle) Bun.shrink();
      return true;
    },
  };
}
