/**
 * A throwaway test PKI, made by `scripts/kafka.sh pki` (openssl) in a temp dir
 * once per test process and removed when it ends: the same files the secured
 * test broker uses (ca.crt, broker.{crt,key} for localhost/127.0.0.1,
 * client.{crt,key}, client.enc.key + client.key.password, client-expired.*,
 * other-ca.*, untrusted-client.*), for TLS tests that need no broker.
 *
 * @module
 */

import { ROOT } from "./paths.ts";
import { run } from "./spawn.ts";

let made: Promise<string> | undefined;

/** The PKI's directory; `join(dir, "ca.crt")` etc. */
export function testPki(): Promise<string> {
  made ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "dashflow-pki-" });
    const out = await run(["bash", `${ROOT}scripts/kafka.sh`, "pki", `${dir}/pki`]);
    if (out.code !== 0) {
      await Deno.remove(dir, { recursive: true });
      throw new Error(`scripts/kafka.sh pki failed:\n${new TextDecoder().decode(out.stderr)}`);
    }
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch {
        // Already gone.
      }
    });
    return `${dir}/pki`;
  })();
  return made;
}

/** Options for {@linkcode issueCert}. */
export interface IssueCertOptions {
  /** Subject alternative names in openssl's form: `DNS:x`, `IP:10.0.0.1`, `email:a@b`, `URI:…`. */
  sans: string[];
  /** The PKI's CA that signs it: "ca" (default, trusted by the test servers) or "other-ca". */
  ca?: string;
  /** Extended key usage: "clientAuth" (default) or "serverAuth". */
  usage?: "clientAuth" | "serverAuth";
}

/**
 * Issues `NAME.crt` and `NAME.key` (EC P-256) in the test PKI, for certificates the fixed set
 * lacks (a client certificate with given SANs, a second server certificate). Returns the paths.
 */
export async function issueCert(
  name: string,
  options: IssueCertOptions,
): Promise<{ cert: string; key: string }> {
  const dir = await testPki();
  const ca = options.ca ?? "ca";
  const [key, csr, ext, cert] = ["key", "csr", "ext", "crt"].map((e) => `${dir}/${name}.${e}`);
  await Deno.writeTextFile(
    ext,
    `subjectAltName=${options.sans.join(",")}\nextendedKeyUsage=${options.usage ?? "clientAuth"}\n`,
  );
  const steps = [
    ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key],
    ["openssl", "req", "-new", "-key", key, "-subj", `/CN=${name}`, "-out", csr],
    [
      ...["openssl", "x509", "-req", "-in", csr, "-extfile", ext, "-days", "2", "-out", cert],
      ...["-CA", `${dir}/${ca}.crt`, "-CAkey", `${dir}/${ca}.key`],
      ...["-set_serial", `0x${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`],
    ],
  ];
  for (const step of steps) {
    const out = await run(step);
    if (out.code !== 0) {
      throw new Error(`${step.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
    }
  }
  return { cert, key };
}
