/**
 * Turns validated security settings into kafkajs' `ssl` and `sasl` options:
 * reads the CA, certificate, key, password and token files, and checks them
 * locally so what can be known before connecting fails at start (exit 2) with
 * the file and the fix: unreadable files, no PEM inside, an encrypted key
 * without (or with the wrong) password, a certificate and key that are not a
 * pair, an expired client certificate. Secrets stay in memory: an encrypted key
 * is decrypted here, so the TLS layer never sees the password.
 * @module
 */
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import type tls from "node:tls";
import type {
  FileSetting,
  KafkaSaslSettings,
  KafkaSecuritySettings,
  KafkaTlsSettings,
  SecretSetting,
} from "./settings.ts";
import { type ReadFile, readSettingText } from "../util/read_file.ts";
import { UsageError } from "../errors.ts";
import type { KafkaSecurity } from "./client.ts";
import { oauthBearerMechanism } from "./oauthbearer.ts";

/** Options for {@linkcode loadKafkaSecurity}. */
export interface LoadKafkaSecurityOptions {
  /** Reads a file (the Runtime's `readFile`). */
  readFile: ReadFile;
  /** Wall clock in ms, to check certificate validity. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Loads and checks the files the settings name; returns kafkajs' `ssl`/`sasl`
 * options for `createKafka`, or undefined for plaintext. Throws
 * {@linkcode UsageError} for anything wrong with the files.
 */
export async function loadKafkaSecurity(
  settings: KafkaSecuritySettings | undefined,
  options: LoadKafkaSecurityOptions,
): Promise<KafkaSecurity | undefined> {
  if (!settings) return undefined;
  const security: KafkaSecurity = {};
  if (settings.tls) security.ssl = await loadTls(settings.tls, options);
  if (settings.sasl) security.sasl = await loadSasl(settings.sasl, options);
  return security;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

async function loadTls(
  settings: KafkaTlsSettings,
  options: LoadKafkaSecurityOptions,
): Promise<tls.ConnectionOptions> {
  const ssl: tls.ConnectionOptions = { rejectUnauthorized: true };
  if (settings.ca) {
    const blocks = certificates(await readSettingText(options.readFile, settings.ca), settings.ca);
    ssl.ca = blocks.map((b) => b.pem);
  }
  if (settings.cert && settings.key) {
    const certText = await readSettingText(options.readFile, settings.cert);
    const [leaf] = certificates(certText, settings.cert);
    checkValidity(leaf.cert, settings.cert, (options.clock ?? Date.now)());
    const key = await privateKey(settings.key, settings.keyPassword, options.readFile);
    if (!leaf.cert.checkPrivateKey(key)) {
      throw new UsageError(
        `The certificate in ${describe(settings.cert)} and the key in ${describe(settings.key)} ` +
          `are not a pair (the key does not match the certificate's public key): point both ` +
          `at the same client identity`,
      );
    }
    ssl.cert = certText;
    ssl.key = key.export({ format: "pem", type: "pkcs8" }) as string;
  }
  if (!settings.verifyHostname) {
    // Still verifies the chain against the CA; only the name check is skipped.
    ssl.checkServerIdentity = () => undefined;
  }
  return ssl;
}

function describe(file: FileSetting): string {
  return `${file.source} '${file.path}'`;
}

function certificates(text: string, file: FileSetting): { pem: string; cert: X509Certificate }[] {
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0) {
    throw new UsageError(
      `${describe(file)} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----; ` +
        `convert DER with 'openssl x509 -inform der -in FILE -out FILE.pem')`,
    );
  }
  return blocks.map((pem, index) => {
    try {
      return { pem, cert: new X509Certificate(pem) };
    } catch {
      throw new UsageError(
        `${describe(file)}: certificate ${index + 1} cannot be parsed (a damaged PEM block?)`,
      );
    }
  });
}

function checkValidity(cert: X509Certificate, file: FileSetting, now: number): void {
  const notAfter = Date.parse(cert.validTo);
  const notBefore = Date.parse(cert.validFrom);
  if (now > notAfter) {
    throw new UsageError(
      `${describe(file)}: the client certificate (${cert.subject.replace(/\n/g, ", ")}) ` +
        `expired on ${new Date(notAfter).toISOString()}: renew it`,
    );
  }
  if (now < notBefore) {
    throw new UsageError(
      `${describe(file)}: the client certificate is not valid before ` +
        `${new Date(notBefore).toISOString()} (is this machine's clock right?)`,
    );
  }
}

async function privateKey(
  file: FileSetting,
  password: SecretSetting | undefined,
  readFile: ReadFile,
): Promise<KeyObject> {
  const text = await readSettingText(readFile, file);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new UsageError(
      `${describe(file)} holds no PEM private key (expected -----BEGIN PRIVATE KEY-----, ` +
        `-----BEGIN ENCRYPTED PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)`,
    );
  }
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/.test(text);
  if (encrypted && !password) {
    throw new UsageError(
      `${describe(file)} is encrypted: set KAFKA_SSL_KEY_PASSWORD, KAFKA_SSL_KEY_PASSWORD_FILE ` +
        `or --ssl-key-password-file`,
    );
  }
  const passphrase = encrypted && password ? await readSecret(password, readFile) : undefined;
  try {
    return createPrivateKey({ key: text, format: "pem", passphrase });
  } catch {
    if (encrypted && password) {
      throw new UsageError(
        `${describe(file)} cannot be decrypted with the password from ${password.source} ` +
          `(wrong password?)`,
      );
    }
    throw new UsageError(`${describe(file)} holds a private key that cannot be parsed`);
  }
}

/** A secret's value; a file's trailing newline is not part of it. */
async function readSecret(secret: SecretSetting, readFile: ReadFile): Promise<string> {
  if (secret.kind === "value") return secret.value;
  const value = (await readSettingText(readFile, secret)).replace(/[\r\n]+$/, "");
  if (value === "") {
    throw new UsageError(`${secret.source} '${secret.path}' is empty: put the secret in it`);
  }
  return value;
}

async function loadSasl(
  settings: KafkaSaslSettings,
  options: LoadKafkaSecurityOptions,
): Promise<KafkaSecurity["sasl"]> {
  if (settings.mechanism === "OAUTHBEARER") {
    const tokenFile = settings.tokenFile!;
    const readToken = () => readSecret({ kind: "file", ...tokenFile }, options.readFile);
    await readToken(); // fails at start when missing or empty
    return oauthBearerMechanism(async () => (await readToken()).trim());
  }
  const username = settings.username!;
  const password = await readSecret(settings.password!, options.readFile);
  switch (settings.mechanism) {
    case "PLAIN":
      return { mechanism: "plain", username, password };
    case "SCRAM-SHA-256":
      return { mechanism: "scram-sha-256", username, password };
    case "SCRAM-SHA-512":
      return { mechanism: "scram-sha-512", username, password };
  }
}
