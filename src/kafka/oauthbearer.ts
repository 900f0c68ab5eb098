import { Buffer } from "node:buffer";
import kafkajs, { type Mechanism } from "kafkajs";

const SOH = "\u0001";

// kafkajs spreads its error classes into module.exports, which ESM named imports cannot
// see; and its typings declare this constructor without the message it takes.
const SaslAuthenticationError = kafkajs.KafkaJSSASLAuthenticationError as unknown as new (
  message: string,
) => Error;

/** The SASL bytes a mechanism sends: a 4-byte big-endian length, then the payload. */
function framed(text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  const out = Buffer.alloc(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/**
 * SASL/OAUTHBEARER (RFC 7628) with a token from `readToken`, called at every
 * (re)authentication so a rotated token file is picked up.
 *
 * kafkajs' built-in OAUTHBEARER treats the broker's error challenge (a JSON
 * status, sent instead of a failure code when it rejects a token) as success,
 * and the rejection then surfaces later as a closed connection. This one reads
 * the challenge, acknowledges it as the RFC requires, and fails with
 * KafkaJSSASLAuthenticationError naming the broker's status.
 */
export function oauthBearerMechanism(readToken: () => Promise<string>): Mechanism {
  return {
    mechanism: "OAUTHBEARER",
    authenticationProvider: ({ host, port, saslAuthenticate }) => ({
      async authenticate() {
        const token = await readToken();
        const challenge = await saslAuthenticate<Buffer>({
          request: { encode: () => framed(`n,,${SOH}auth=Bearer ${token}${SOH}${SOH}`) },
          response: { decode: (raw) => raw.subarray(4), parse: (data) => data },
        });
        if (!challenge || challenge.length === 0) return;
        // The broker waits for the client's acknowledgement, then fails the exchange.
        await saslAuthenticate({ request: { encode: () => framed(SOH) } }).catch(() => {});
        throw new SaslAuthenticationError(
          `SASL OAUTHBEARER authentication failed: the broker at ${host}:${port} rejected the ` +
            `token (${challengeStatus(challenge)})`,
        );
      },
    }),
  };
}

function challengeStatus(challenge: Buffer): string {
  const text = challenge.toString("utf8");
  try {
    const status = (JSON.parse(text) as { status?: unknown }).status;
    if (typeof status === "string") return `status ${status}`;
  } catch {
    // Not JSON: show it as text below.
  }
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
