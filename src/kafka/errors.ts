/**
 * Turns a kafkajs or socket error into a short human reason, e.g.
 * "connection refused" for ECONNREFUSED, so messages read
 * `Cannot connect to Kafka at localhost:9092: connection refused (...)`.
 */
export function describeKafkaError(error: unknown): string {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  const text = chain.map((e) =>
    `${(e as { code?: string }).code ?? ""} ${(e as Error).message ?? e}`
  )
    .join(" ");
  for (const [pattern, reason] of REASONS) {
    if (pattern.test(text)) return reason;
  }
  return error instanceof Error ? error.message : String(error);
}

const REASONS: [RegExp, string][] = [
  [/does not host this topic-partition|UNKNOWN_TOPIC/i, "topic not found"],
  [/ECONNREFUSED/, "connection refused"],
  [/ENOTFOUND|EAI_AGAIN/, "host not found"],
  [/ETIMEDOUT|Connection timeout|Request timed out/i, "connection timed out"],
  [/EHOSTUNREACH|ENETUNREACH/, "host unreachable"],
  [/ECONNRESET|Connection closed/i, "connection reset by the broker"],
  [/SASL|authentication/i, "authentication failed"],
  [/certificate|self.signed|SSL|TLS|EPROTO/i, "TLS handshake failed"],
];
