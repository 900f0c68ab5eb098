import v8 from "node:v8";
import vm from "node:vm";
import { nodeFetch } from "./node_fetch.ts";
import { DENO_TLS_SUPPORT, serveNodeHttps } from "./node_https.ts";
import { serveNodeHttp } from "./node_server.ts";
import { syncFileSink, syncOutput } from "./sync_file.ts";
import type { Runtime } from "./types.ts";

function output(file: typeof Deno.stdout) {
  return syncOutput(file, {
    isTerminal: () => file.isTerminal(),
    isBrokenPipe: (error) => error instanceof Deno.errors.BrokenPipe,
  });
}

const createFile: Runtime["createFile"] = (path) =>
  syncFileSink(Deno.openSync(path, { write: true, create: true, truncate: true }));

const serve: Runtime["serve"] = (options) => {
  // Deno.serve cannot answer a refused request head with its status (it closes or says 400),
  // verify client certificates nor bound the TLS version; Deno's node:http and node:https can.
  if (options.tls) return serveNodeHttps({ ...options, tls: options.tls });
  return serveNodeHttp(options);
};

const httpClient: Runtime["httpClient"] = (tls) => {
  // Deno's fetch cannot skip verification; its node:https can.
  if (tls.insecureSkipVerify) return { fetch: nodeFetch(tls), close() {} };
  if (tls.caCerts === undefined && tls.cert === undefined) {
    return { fetch: (url, init) => fetch(url, init), close() {} };
  }
  const options: Deno.CreateHttpClientOptions & Partial<Deno.TlsCertifiedKeyPem> = {};
  if (tls.caCerts !== undefined) options.caCerts = tls.caCerts;
  if (tls.cert !== undefined && tls.key !== undefined) {
    options.cert = tls.cert;
    options.key = tls.key;
  }
  const client = Deno.createHttpClient(options as Deno.CreateHttpClientOptions);
  return {
    fetch: (url, init) => fetch(url, { ...init, client }),
    close: () => client.close(),
  };
};

let gc: (() => void) | undefined;

// V8 hands out its collector only behind --expose-gc; the flag still works once started,
// and a new context then carries `gc` (the same trick as on Node).
function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString("--expose-gc");
    const found = vm.runInNewContext("typeof gc === 'function' ? gc : undefined");
    return typeof found === "function" ? found : undefined;
  } catch {
    return undefined;
  }
}

/** The Deno implementation of {@linkcode Runtime}. */
export function denoRuntime(): Runtime {
  return {
    name: "deno",
    version: Deno.version.deno,
    args: () => [...Deno.args],
    env: () => Deno.env.toObject(),
    stdout: output(Deno.stdout),
    stderr: output(Deno.stderr),
    stdin: () => Deno.stdin.readable,
    readFile: (path) => Deno.readFile(path),
    fileSize: async (path) => (await Deno.stat(path)).size,
    readTextSync: (path) => {
      try {
        return Deno.readTextFileSync(path);
      } catch {
        return undefined;
      }
    },
    writeFile: (path, data) => Deno.writeFile(path, data),
    createFile,
    serve,
    serveTlsSupport: DENO_TLS_SUPPORT,
    httpClient,
    onSignal(signal, listener) {
      Deno.addSignalListener(signal, listener);
      return () => Deno.removeSignalListener(signal, listener);
    },
    exit: (code) => Deno.exit(code),
    residentBytes: () => Deno.memoryUsage().rss,
    collectGarbage() {
      gc ??= exposeGc();
      gc?.();
      return gc !== undefined;
    },
  };
}
