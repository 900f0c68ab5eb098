/**
 * `--web.config.file`: TLS and basic auth for the HTTP server, in the format of
 * the Prometheus exporter-toolkit, so one file serves node_exporter and us:
 *
 * ```yaml
 * tls_server_config:
 *   cert_file: server.crt          # relative paths: from this file's directory
 *   key_file: server.key
 *   client_auth_type: RequireAndVerifyClientCert   # optional, with client_ca_file
 *   client_ca_file: clients-ca.crt
 *   client_allowed_sans: [prometheus.monitoring.svc]  # with RequireAndVerifyClientCert
 *   min_version: TLS12
 *   cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]   # TLS 1.2 and older
 *   curve_preferences: [X25519, CurveP256]
 * http_server_config:
 *   headers: {X-Content-Type-Options: nosniff}   # added to every response
 * basic_auth_users:
 *   prometheus: $2y$10$...         # bcrypt hash (docs/web_config.md says how to make one)
 * ```
 *
 * Everything is checked at start: a key the toolkit knows that we do not
 * implement, or that the runtime's TLS server cannot honour, is an error, never
 * silently ignored, since it would weaken what the file asks for. The whole
 * format, and what differs from the toolkit: docs/web_config.md.
 * @module
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { dirname, isAbsolute, join } from "node:path";
import { parseDocument } from "yaml";
import { UsageError } from "../errors.ts";
import type { Source } from "../config/parse.ts";
import { type ReadFile, readSettingText } from "../util/read_file.ts";
import type { ServeTlsSupport } from "../runtime/mod.ts";
import { CIPHER_SUITES, CURVES } from "./tls_names.ts";

/** Client certificate policies we implement (exporter-toolkit's names). */
export const CLIENT_AUTH_TYPES = [
  "NoClientCert",
  "RequestClientCert",
  "RequireAndVerifyClientCert",
] as const;

/** TLS protocol versions as the toolkit names them. */
export const TLS_VERSIONS = ["TLS10", "TLS11", "TLS12", "TLS13"] as const;

/** A TLS protocol version. */
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** Server TLS, files loaded. */
export interface WebTlsConfig {
  /** PEM certificate chain. */
  cert: string;
  /** PEM private key (unencrypted). */
  key: string;
  /** PEM CA certificates that sign client certificates. */
  clientCa?: string;
  clientAuth: (typeof CLIENT_AUTH_TYPES)[number];
  minVersion: TlsVersion;
  maxVersion?: TlsVersion;
  /** `cipher_suites`, toolkit names (keys of {@linkcode CIPHER_SUITES}). */
  cipherSuites?: string[];
  /** `curve_preferences`, toolkit names (keys of {@linkcode CURVES}), in order. */
  curvePreferences?: string[];
  /** `client_allowed_sans`: a client certificate needs one of these names. */
  clientAllowedSans?: string[];
}

/** A validated web config. */
export interface WebConfig {
  tls?: WebTlsConfig;
  /** User name to bcrypt hash. */
  basicAuthUsers?: Map<string, string>;
  /** `http_server_config.headers`: set on every response (blank ones left out). */
  headers?: Record<string, string>;
  /** What the file asks for that is served differently, for a warning at start. */
  notices?: string[];
  /** The other files it was loaded from (certificates, keys, CAs), watched for changes. */
  files?: string[];
}

/** Options for {@linkcode loadWebConfig}. */
export interface LoadWebConfigOptions {
  readFile: ReadFile;
  /** The runtime serving HTTP (e.g. "bun 1.2.3"), named in errors about what it cannot do. */
  runtime?: string;
  /** What the runtime's TLS server can honour; default: everything. */
  tlsSupport?: ServeTlsSupport;
}

/**
 * The response headers the toolkit lets a web config set (its names), and the values it
 * accepts for those it restricts (compared in lower case).
 */
export const WEB_HEADERS: Record<string, readonly string[] | undefined> = {
  "Content-Security-Policy": undefined,
  "X-Frame-Options": ["deny", "sameorigin"],
  "X-Content-Type-Options": ["nosniff"],
  "X-XSS-Protection": undefined,
  "Strict-Transport-Security": undefined,
};

const TOP_KEYS = ["tls_server_config", "http_server_config", "basic_auth_users"];
const HTTP_KEYS = ["http2", "headers"];
const TLS_KEYS = [
  "cert_file",
  "key_file",
  "cert",
  "key",
  "client_auth_type",
  "client_ca_file",
  "client_ca",
  "min_version",
  "max_version",
  "prefer_server_cipher_suites",
  "cipher_suites",
  "curve_preferences",
  "client_allowed_sans",
];
const BCRYPT = /^\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * Reads, parses and checks a web config file, and the certificate and key files
 * it names. Throws {@linkcode UsageError} (exit 2) naming the file, the key and
 * the fix for anything wrong.
 */
export async function loadWebConfig(
  file: { path: string; source: Source },
  options: LoadWebConfigOptions,
): Promise<WebConfig> {
  const where = `${file.source} '${file.path}'`;
  const text = await readSettingText(options.readFile, file);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error.linePos?.[0].line;
    throw new UsageError(
      `${where} is not valid YAML${line ? ` (line ${line})` : ""}: ${error.message.split("\n")[0]}`,
    );
  }
  const root = doc.toJS() as unknown;
  if (root === null || root === undefined) return {};
  const top = mapping(root, where, "the file");
  checkKeys(top, TOP_KEYS, where, "");
  const config: WebConfig = {};
  const base = dirname(file.path);
  if (top.tls_server_config !== undefined && top.tls_server_config !== null) {
    const files: string[] = [];
    const notices: string[] = [];
    config.tls = await loadTls(
      mapping(top.tls_server_config, where, "tls_server_config"),
      { ...options, where, base, files, notices },
    );
    if (files.length > 0) config.files = files;
    if (notices.length > 0) config.notices = notices;
  }
  if (top.http_server_config !== undefined && top.http_server_config !== null) {
    const http = httpServer(mapping(top.http_server_config, where, "http_server_config"), where);
    if (http.headers) config.headers = http.headers;
    if (http.notices) config.notices = [...config.notices ?? [], ...http.notices];
  }
  if (top.basic_auth_users !== undefined && top.basic_auth_users !== null) {
    config.basicAuthUsers = users(mapping(top.basic_auth_users, where, "basic_auth_users"), where);
  }
  return config;
}

type Mapping = Record<string, unknown>;

function mapping(value: unknown, where: string, what: string): Mapping {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: ${what} must be a mapping of keys to values`);
  }
  return value as Mapping;
}

function checkKeys(map: Mapping, known: string[], where: string, prefix: string): void {
  for (const key of Object.keys(map)) {
    if (!known.includes(key)) {
      throw new UsageError(
        `${where}: unknown key ${prefix}${key} (expected ${known.join(", ")})`,
      );
    }
  }
}

function text(map: Mapping, key: string, where: string, prefix: string): string | undefined {
  const value = map[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    throw new UsageError(`${where}: ${prefix}${key} must be a string`);
  }
  return value;
}

/** `http_server_config`: response headers; `http2` is accepted, HTTP/1.1 is what we serve. */
function httpServer(map: Mapping, where: string): Pick<WebConfig, "headers" | "notices"> {
  const p = "http_server_config.";
  checkKeys(map, HTTP_KEYS, where, p);
  const out: Pick<WebConfig, "headers" | "notices"> = {};
  const http2 = map.http2;
  if (http2 !== undefined && http2 !== null && typeof http2 !== "boolean") {
    throw new UsageError(`${where}: ${p}http2 must be true or false`);
  }
  if (http2 === true) {
    out.notices = [
      `${p}http2: true: served over HTTP/1.1 (the runtime's HTTP server here has no HTTP/2; ` +
      `clients negotiate HTTP/1.1). Set http2: false to silence this`,
    ];
  }
  if (map.headers === undefined || map.headers === null) return out;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(mapping(map.headers, where, `${p}headers`))) {
    const known = Object.keys(WEB_HEADERS).find((h) => h.toLowerCase() === name.toLowerCase());
    if (known === undefined) {
      throw new UsageError(
        `${where}: ${p}headers.${name} cannot be configured (expected one of ` +
          `${Object.keys(WEB_HEADERS).join(", ")})`,
      );
    }
    if (value === null || value === undefined || value === "") continue; // blank: unset
    if (typeof value !== "string") {
      throw new UsageError(`${where}: ${p}headers.${name} must be a string`);
    }
    const allowed = WEB_HEADERS[known];
    if (allowed && !allowed.includes(value.toLowerCase())) {
      throw new UsageError(
        `${where}: ${p}headers.${name} '${value}' is not one of ${allowed.join(", ")}`,
      );
    }
    headers[known] = value;
  }
  if (Object.keys(headers).length > 0) out.headers = headers;
  return out;
}

interface TlsContext extends LoadWebConfigOptions {
  where: string;
  base: string;
  /** Collects the paths read. */
  files: string[];
  /** Collects what is served differently from what the file says. */
  notices: string[];
}

async function loadTls(map: Mapping, context: TlsContext): Promise<WebTlsConfig> {
  const { where } = context;
  const p = "tls_server_config.";
  checkKeys(map, TLS_KEYS, where, p);
  const read = async (key: string): Promise<{ pem: string; what: string } | undefined> => {
    const path = text(map, key, where, p);
    if (path === undefined) return undefined;
    const full = isAbsolute(path) ? path : join(context.base, path);
    context.files.push(full);
    const what = `${p}${key} '${full}' (in ${where})`;
    return {
      pem: await readSettingText(context.readFile, { path: full, source: `${p}${key}` }),
      what,
    };
  };
  const inline = (key: string) => {
    const pem = text(map, key, where, p);
    return pem === undefined ? undefined : { pem, what: `${p}${key} (in ${where})` };
  };
  const certFile = await read("cert_file");
  const keyFile = await read("key_file");
  const cert = certFile ?? inline("cert");
  const key = keyFile ?? inline("key");
  if ((certFile && inline("cert")) || (keyFile && inline("key"))) {
    throw new UsageError(`${where}: give cert_file or cert, key_file or key, not both`);
  }
  if (!cert || !key) {
    throw new UsageError(
      `${where}: tls_server_config needs cert_file and key_file (the server certificate and ` +
        `its key)`,
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert.pem);
  } catch {
    throw new UsageError(`${cert.what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key.pem);
  } catch {
    throw new UsageError(
      `${key.what} holds no unencrypted PEM private key (an encrypted key is not supported: ` +
        `decrypt it with 'openssl pkey -in KEY -out KEY.plain')`,
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new UsageError(`${cert.what} and ${key.what} are not a pair: the key does not match`);
  }

  const authRaw = text(map, "client_auth_type", where, p) ?? "NoClientCert";
  const clientAuth = CLIENT_AUTH_TYPES.find((t) => t === authRaw);
  if (!clientAuth) {
    const toolkitOnly = ["RequireAnyClientCert", "VerifyClientCertIfGiven"].includes(authRaw);
    throw new UsageError(
      `${where}: ${p}client_auth_type '${authRaw}' ` +
        (toolkitOnly
          ? "is not supported by dashflow-exporter: use RequireAndVerifyClientCert or NoClientCert"
          : `is not one of ${CLIENT_AUTH_TYPES.join(", ")}`),
    );
  }
  const caFile = await read("client_ca_file");
  const ca = caFile ?? inline("client_ca");
  if (caFile && inline("client_ca")) {
    throw new UsageError(`${where}: give client_ca_file or client_ca, not both`);
  }
  if (clientAuth === "RequireAndVerifyClientCert" && !ca) {
    throw new UsageError(
      `${where}: client_auth_type RequireAndVerifyClientCert needs ${p}client_ca_file (or ` +
        `client_ca, inline), the CA that signs client certificates`,
    );
  }
  if (ca && clientAuth === "NoClientCert") {
    throw new UsageError(
      `${where}: ${p}${caFile ? "client_ca_file" : "client_ca"} is set but client_auth_type ` +
        `is NoClientCert: set client_auth_type: RequireAndVerifyClientCert, or remove it`,
    );
  }
  if (ca && !/-----BEGIN CERTIFICATE-----/.test(ca.pem)) {
    throw new UsageError(`${ca.what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  const version = (key: string, fallback?: TlsVersion): TlsVersion | undefined => {
    const raw = text(map, key, where, p);
    if (raw === undefined) return fallback;
    const match = TLS_VERSIONS.find((v) => v === raw);
    if (!match) {
      throw new UsageError(
        `${where}: ${p}${key} '${raw}' is not one of ${TLS_VERSIONS.join(", ")}`,
      );
    }
    return match;
  };
  const minVersion = version("min_version", "TLS12")!;
  const maxVersion = version("max_version");
  if (maxVersion && TLS_VERSIONS.indexOf(maxVersion) < TLS_VERSIONS.indexOf(minVersion)) {
    throw new UsageError(`${where}: ${p}max_version ${maxVersion} is below min_version`);
  }
  const cipherSuites = names(map, "cipher_suites", CIPHER_SUITES, context);
  const tls13 = cipherSuites?.filter((name) => CIPHER_SUITES[name] === null) ?? [];
  if (tls13.length > 0) {
    context.notices.push(
      `${p}cipher_suites: ${tls13.join(", ")} ${tls13.length > 1 ? "are" : "is a"} TLS 1.3 ` +
        `suite${tls13.length > 1 ? "s" : ""}, which cannot be chosen (as in Go): TLS 1.3 ` +
        `always offers its own; list only TLS 1.2 suites to silence this`,
    );
  }
  const curvePreferences = names(map, "curve_preferences", CURVES, context);
  const clientAllowedSans = strings(map, "client_allowed_sans", where);
  if (clientAllowedSans && clientAuth !== "RequireAndVerifyClientCert") {
    throw new UsageError(
      `${where}: ${p}client_allowed_sans needs client_auth_type: RequireAndVerifyClientCert ` +
        `(client_auth_type is ${clientAuth}: the SANs of a certificate nobody checked prove nothing)`,
    );
  }
  return {
    cert: cert.pem,
    key: key.pem,
    ...(ca && { clientCa: ca.pem }),
    clientAuth,
    minVersion,
    ...(maxVersion && { maxVersion }),
    ...(cipherSuites && { cipherSuites }),
    ...(curvePreferences && { curvePreferences }),
    ...(clientAllowedSans && { clientAllowedSans }),
  };
}

/** A list of strings; an empty list is an error (it would let nothing, or everything, through). */
function strings(map: Mapping, key: string, where: string): string[] | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  const p = "tls_server_config.";
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) {
    throw new UsageError(`${where}: ${p}${key} must be a list of names`);
  }
  if (value.length === 0) {
    throw new UsageError(`${where}: ${p}${key} is empty: list at least one, or remove the key`);
  }
  return value as string[];
}

// cipher_suites, curve_preferences: toolkit names, each known, each one the runtime can honour.
function names(
  map: Mapping,
  key: "cipher_suites" | "curve_preferences",
  known: Readonly<Record<string, string | null>>,
  context: TlsContext,
): string[] | undefined {
  const { where } = context;
  const p = "tls_server_config.";
  const list = strings(map, key, where);
  if (!list) return undefined;
  for (const name of list) {
    if (!(name in known)) {
      throw new UsageError(
        `${where}: ${p}${key}: unknown ${key === "cipher_suites" ? "cipher suite" : "curve"} ` +
          `'${name}' (expected one of ${Object.keys(known).join(", ")})`,
      );
    }
  }
  const option = key === "cipher_suites" ? "ciphers" : "ecdhCurve";
  if (context.tlsSupport?.[option] === false && list.some((name) => known[name] !== null)) {
    throw new UsageError(
      `${where}: ${p}${key} cannot be honoured on ${context.runtime ?? "this runtime"}: its TLS ` +
        `server takes no ${key === "cipher_suites" ? "cipher" : "curve"} list. Run the Bun ` +
        `build (the released dashflow-exporter binary, or 'bun main.ts'), or remove ${key}`,
    );
  }
  return list;
}

function users(map: Mapping, where: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [user, hash] of Object.entries(map)) {
    if (user.includes(":") || user === "") {
      throw new UsageError(
        `${where}: basic_auth_users: '${user}' cannot be a user name (empty, or has a ':')`,
      );
    }
    if (typeof hash !== "string" || !BCRYPT.test(hash)) {
      throw new UsageError(
        `${where}: basic_auth_users.${user} is not a bcrypt hash (make one with ` +
          `'htpasswd -nBC 10 ${user}' and keep the part after the colon; without htpasswd, ` +
          `the command in docs/web_config.md)`,
      );
    }
    out.set(user, hash);
  }
  if (out.size === 0) {
    throw new UsageError(`${where}: basic_auth_users is empty: add a user, or remove the key`);
  }
  return out;
}
