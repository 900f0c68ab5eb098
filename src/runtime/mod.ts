/**
 * The runtime seam: the only module tree that touches `Deno.*` or `Bun.*`.
 * @module
 */
export type {
  FileSink,
  Handler,
  HttpClient,
  HttpServer,
  Output,
  RequestInfo,
  Runtime,
  ServeOptions,
  ServeTls,
  ServeTlsSupport,
  ShutdownSignal,
  TlsClientOptions,
  TlsProtocolVersion,
} from "./types.ts";

/**
 * Returns the implementation for the runtime we are running on. Both
 * implementations only use globals and `node:` built-ins, so either compiler can
 * bundle both files without resolving the other runtime's modules.
 */
export async function loadRuntime(): Promise<import("./types.ts").Runtime> {
  if ("Bun" in globalThis) return (await import("./bun.ts")).bunRuntime();
  return (await import("./deno.ts")).denoRuntime();
}
