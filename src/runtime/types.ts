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

/** A request handler in the web-standard shape both runtimes serve natively. */
export type Handler = (request: Request) => Response | Promise<Response>;

/** Options for {@linkcode Runtime.serve}. */
export interface ServeOptions {
  hostname: string;
  port: number;
  handler: Handler;
}

/** A running HTTP server. */
export interface HttpServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  readonly hostname: string;
  /** Stops accepting connections and closes the listener. */
  shutdown(): Promise<void>;
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
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Creates (or truncates) `path` for streaming writes; throws the OS error if it cannot. */
  createFile(path: string): FileSink;
  /** Binds an HTTP server; rejects with the OS error if the address is taken. */
  serve(options: ServeOptions): Promise<HttpServer>;
  /** Calls `listener` on each delivery of `signal`; returns a function that unregisters it. */
  onSignal(signal: ShutdownSignal, listener: () => void): () => void;
  /** Ends the process. Only `main.ts` calls this. */
  exit(code: number): never;
}
