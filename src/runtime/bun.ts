import { readFile, stat, writeFile } from "node:fs/promises";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import process from "node:process";
import { isatty } from "node:tty";
import { Readable } from "node:stream";
import { serveNodeHttp } from "./node_server.ts";
import type { Runtime } from "./types.ts";
import { serveNodeTls } from "./node_tls_serve.ts";
import { syncFileSink, syncOutput } from "./sync_file.ts";

// Only the slice of Bun's API we use; declared here so `deno check` needs no Bun types.
declare const Bun: {
  version: string;
  gc(force: boolean): void;
  /** Frees JavaScriptCore's compiled code and returns free heap pages to the system. */
  shrink(): void;
};

/** stdout (1) or stderr (2). */
function output(fd: number) {
  return syncOutput({ writeSync: (bytes) => writeSync(fd, bytes) }, {
    isTerminal: () => isatty(fd),
    isBrokenPipe: (error) => (error as NodeJS.ErrnoException)?.code === "EPIPE",
  });
}

const createFile: Runtime["createFile"] = (path) => {
  const fd = openSync(path, "w");
  return syncFileSink({ writeSync: (bytes) => writeSync(fd, bytes), close: () => closeSync(fd) });
};

const serve: Runtime["serve"] = (options) => {
  // Not Bun.serve: its TLS cannot show the client's certificate nor swap its material in place,
  // and it answers 431 to any request head over 16 KiB, a long URL included, where node:http
  // lets us say 414 (docs/semantics.md, "Rule: HTTP limits").
  if (options.tls) return serveNodeTls({ ...options, tls: options.tls });
  return serveNodeHttp(options);
};

const httpClient: Runtime["httpClient"] = (tls) => {
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
};

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
    fileSize: async (path) => (await stat(path)).size,
    readTextSync: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    writeFile: (path, data) => writeFile(path, data),
    createFile,
    serve,
    serveTlsSupport: { ciphers: true, ecdhCurve: true },
    httpClient,
    onSignal(signal, listener) {
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
