/** A byte sink such as stdout or stderr. Writes are synchronous so output ordering is exact. */
export interface Output {
  /** Writes text (UTF-8) or bytes completely before returning. */
  write(data: string | Uint8Array): void;
  /** True when the sink is an interactive terminal (colors, progress). */
  isTerminal(): boolean;
}

/** A file opened for writing by {@linkcode Runtime.createFile}. Writes are synchronous. */
export interface FileSink {
  /** Writes all of `data` before returning. */
  write(data: Uint8Array): void;
  /** Closes the file; later writes throw. */
  close(): void;
}

/** Who sent a request, as the server saw the connection. */
export interface RequestInfo {
  /** The peer's IP address (the proxy's, behind one); "" when the runtime cannot tell. */
  remoteAddress: string;
}

/**
 * A request handler in the web-standard shape both runtimes serve natively. The server passes
 * `info`; a handler that wraps another passes it on (tests may leave it out).
 */
export type Handler = (request: Request, info?: RequestInfo) => Response | Promise<Response>;

/** Options for {@linkcode Runtime.serve}. */
export interface ServeOptions {
  hostname: string;
  port: number;
  handler: Handler;
  /** Serve HTTPS instead of HTTP. */
  tls?: ServeTls;
  /** Open connections at once; one more is closed as it arrives. Absent or 0: no limit. */
  maxConnections?: number;
}

/** A TLS protocol version, as node:tls names it. */
export type TlsProtocolVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/** Server TLS for {@linkcode ServeOptions}. */
export interface ServeTls {
  /** PEM certificate chain. */
  cert: string;
  /** PEM private key, unencrypted. */
  key: string;
  /**
   * Client certificates: "none" (default); "request" asks for one but accepts
   * any or none; "require" refuses the handshake without one signed by `clientCa`.
   */
  clientAuth?: "none" | "request" | "require";
  /** PEM CA certificates that sign client certificates. */
  clientCa?: string;
  /** Oldest version accepted (the runtime's own floor may be higher). Default TLSv1.2. */
  minVersion?: TlsProtocolVersion;
  /** Newest version accepted. Default: the newest the runtime has. */
  maxVersion?: TlsProtocolVersion;
  /**
   * TLS 1.2 and older cipher suites, an OpenSSL cipher list (`ECDHE-RSA-AES128-GCM-SHA256:…`);
   * TLS 1.3 suites stay the runtime's. Only where {@linkcode Runtime.serveTlsSupport} says so.
   */
  ciphers?: string;
  /** Key exchange groups, an OpenSSL list (`P-256:X25519`). Only where supported, as `ciphers`. */
  ecdhCurve?: string;
  /**
   * Called once a connection's client certificate is verified, with its subjectAltName in
   * node:tls' form (`DNS:a, IP Address:10.0.0.1`; undefined without one). False closes the
   * connection before any request is read.
   */
  acceptPeer?: (subjectAltName: string | undefined) => boolean;
}

/** Which optional {@linkcode ServeTls} settings a runtime's HTTPS server honours. */
export interface ServeTlsSupport {
  ciphers: boolean;
  ecdhCurve: boolean;
}

/** A running HTTP server. */
export interface HttpServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  readonly hostname: string;
  /** Stops accepting connections and closes the listener. */
  shutdown(): Promise<void>;
  /**
   * Serves new connections with `tls` from now on (open ones keep theirs). Only on a server
   * started with TLS; throws, leaving the TLS in force, when the runtime refuses `tls`.
   */
  setTls?(tls: ServeTls): void;
}

/** Signals the exporter reacts to. */
export type ShutdownSignal = "SIGINT" | "SIGTERM";

/**
 * Everything runtime-specific the program needs. One implementation per runtime
 * lives beside this file; nothing else in `src/` touches `Deno.*` or `Bun.*`.
 */
export interface Runtime {
  /** "deno" or "bun". */
  readonly name: string;
  /** The runtime's own version, e.g. "2.9.6". */
  readonly version: string;
  /** Command-line arguments after the program name. */
  args(): string[];
  /** All environment variables (read once; callers treat it as immutable). */
  env(): Record<string, string | undefined>;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Standard input as a byte stream. */
  stdin(): ReadableStream<Uint8Array>;
  readFile(path: string): Promise<Uint8Array>;
  /** The size in bytes of the file at `path`; rejects with the OS error. */
  fileSize(path: string): Promise<number>;
  /**
   * A small text file (under /proc or /sys) read at once, or `undefined` if it cannot be read:
   * for the few facts the process reads about itself while it runs (memory limit, resident set).
   */
  readTextSync(path: string): string | undefined;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Creates (or truncates) `path` for streaming writes; throws the OS error if it cannot. */
  createFile(path: string): FileSink;
  /** Binds an HTTP server; rejects with the OS error if the address is taken. */
  serve(options: ServeOptions): Promise<HttpServer>;
  /** What {@linkcode serve} can honour of {@linkcode ServeTls}'s optional settings. */
  readonly serveTlsSupport: ServeTlsSupport;
  /** An HTTP client with custom TLS settings; with none, plain `fetch`. */
  httpClient(tls: TlsClientOptions): HttpClient;
  /** Calls `listener` on each delivery of `signal`; returns a function that unregisters it. */
  onSignal(signal: ShutdownSignal, listener: () => void): () => void;
  /** Ends the process. Only `main.ts` calls this. */
  exit(code: number): never;
  /** The process's resident set size in bytes. */
  residentBytes(): number;
  /**
   * Runs a full garbage collection now, so garbage the engine would let pile up is freed
   * before it counts against a memory limit. With `idle` (the work has stopped), also gives
   * the engine's spare memory back to the system where the engine can (Bun: compiled code and
   * free heap pages, 7–14 MB after a drain). Returns false where the engine offers no
   * collection.
   */
  collectGarbage(options?: { idle?: boolean }): boolean;
}

/** TLS settings of an {@linkcode HttpClient}. */
export interface TlsClientOptions {
  /** PEM root certificates to trust in addition to the system's. */
  caCerts?: string[];
  /** PEM client certificate, for mutual TLS (with `key`). */
  cert?: string;
  /** PEM private key of `cert`. */
  key?: string;
  /** Skip server certificate verification (self-signed test endpoints only). */
  insecureSkipVerify?: boolean;
}

/** `fetch` with its own TLS settings (Deno and Bun configure TLS for fetch differently). */
export interface HttpClient {
  /** The web-standard fetch, with this client's TLS settings. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Releases the client's connections. */
  close(): void;
}
