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
