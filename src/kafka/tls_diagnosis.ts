/**
 * Says exactly what is wrong after a TLS failure, the same on every runtime:
 * one extra handshake that does not verify (it only reads the broker's
 * certificate, sends nothing and closes) and local checks of that certificate
 * against the CA, the clock and the host name. Deno reports an expired or
 * foreign certificate alike as "unable to verify the first certificate"; this
 * tells them apart. Also tells a TLS listener from a SASL one when a broker
 * drops a plaintext client at its first request.
 * @module
 */
import { X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import type { KafkaSecuritySettings } from "./settings.ts";
import type { KafkaFailure } from "./errors.ts";

/** Options for {@linkcode diagnoseKafkaFailure}. */
export interface DiagnoseOptions {
  /** Bootstrap servers; the first is probed when the error names no broker. */
  brokers: string[];
  addressFamily?: 0 | 4 | 6;
  security?: KafkaSecuritySettings;
  /** The loaded CA certificates (PEM), as given to the client. */
  ca?: string[];
  /** Wall clock in ms. Default `Date.now`. */
  clock?: () => number;
  /** Probe deadline, default 3000 ms. */
  timeoutMs?: number;
}

/**
 * Refines a failure that asked for a probe (`failure.probe`); returns it
 * unchanged when the probe cannot say more. Never throws.
 */
export async function diagnoseKafkaFailure(
  failure: KafkaFailure,
  options: DiagnoseOptions,
): Promise<KafkaFailure> {
  if (!failure.probe) return failure;
  const target = parseHostPort(failure.broker ?? options.brokers[0] ?? "");
  if (!target) return failure;
  const probe = await probeTls(target.host, target.port, options);
  if (failure.probe === "certificate") {
    return probe.cert ? explainCertificate(failure, probe.cert, target.host, options) : failure;
  }
  return explainClosed(failure, probe, options.security?.protocol ?? "plaintext");
}

interface ProbeResult {
  /** TCP connected. */
  reached: boolean;
  /** The TLS handshake completed (without verification). */
  tls: boolean;
  cert?: X509Certificate;
}

function probeTls(host: string, port: number, options: DiagnoseOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let reached = false;
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = tls.connect({
      host,
      port,
      family: options.addressFamily || undefined,
      servername: net.isIP(host) === 0 ? host : undefined,
      // Read-only look at the certificate: nothing is sent over this connection.
      rejectUnauthorized: false,
    } as tls.ConnectionOptions, () => {
      finish({ reached: true, tls: true, cert: socket.getPeerX509Certificate() });
    });
    socket.on("connect", () => (reached = true));
    socket.on("error", () => finish({ reached, tls: false }));
    socket.on("close", () => finish({ reached, tls: false }));
    const timer = setTimeout(() => finish({ reached, tls: false }), options.timeoutMs ?? 3000);
  });
}

function explainCertificate(
  failure: KafkaFailure,
  cert: X509Certificate,
  host: string,
  options: DiagnoseOptions,
): KafkaFailure {
  const problems: { text: string; fix: string }[] = [];
  const now = (options.clock ?? Date.now)();
  const tlsSettings = options.security?.tls;
  const cas = (options.ca ?? []).flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  if (cas.length > 0) {
    const trusted = cas.some((ca) => {
      try {
        return cert.checkIssued(ca) && cert.verify(ca.publicKey);
      } catch {
        return false;
      }
    });
    if (!trusted && !cas.some((ca) => ca.subject === cert.issuer)) {
      const where = tlsSettings?.ca ? `${tlsSettings.ca.source} '${tlsSettings.ca.path}'` : "";
      problems.push({
        text: `is issued by '${oneLine(cert.issuer)}', which is not a CA in ${where} ` +
          `(${cas.map((ca) => `'${oneLine(ca.subject)}'`).join(", ")})`,
        fix: "set KAFKA_SSL_CA_LOCATION (or --ssl-ca) to the CA that signed the broker's " +
          "certificate",
      });
    }
  } else if (/not signed by a CA/.test(failure.reason)) {
    problems.push({
      text: `is issued by '${oneLine(cert.issuer)}', which is not in the system trust store`,
      fix: "set KAFKA_SSL_CA_LOCATION (or --ssl-ca) to the CA that signed it",
    });
  }
  const notAfter = Date.parse(cert.validTo);
  const notBefore = Date.parse(cert.validFrom);
  if (now > notAfter) {
    problems.push({
      text: `expired on ${new Date(notAfter).toISOString()}`,
      fix: "renew the broker's certificate",
    });
  } else if (now < notBefore) {
    problems.push({
      text: `is not valid before ${new Date(notBefore).toISOString()}`,
      fix: "check the clocks of this machine and the broker",
    });
  }
  if (tlsSettings?.verifyHostname !== false) {
    const matches = net.isIP(host) === 0 ? cert.checkHost(host) : cert.checkIP(host);
    if (matches === undefined) {
      problems.push({
        text: `names ${cert.subjectAltName ?? oneLine(cert.subject)}, not '${host}'`,
        fix: "connect with a name the certificate lists (KAFKA_BROKERS, the broker's " +
          "advertised.listeners), or set KAFKA_SSL_ENDPOINT_ALGORITHM=none to skip the " +
          "hostname check",
      });
    }
  }
  if (problems.length === 0) return failure;
  return {
    ...failure,
    reason: `the broker's certificate (${oneLine(cert.subject)}) ` +
      problems.map((p) => p.text).join(", and "),
    fix: problems[0].fix,
    probe: undefined,
  };
}

function explainClosed(
  failure: KafkaFailure,
  probe: ProbeResult,
  protocol: KafkaSecuritySettings["protocol"],
): KafkaFailure {
  if (!probe.reached) return failure;
  const usesTls = protocol === "ssl" || protocol === "sasl_ssl";
  if (!usesTls && probe.tls) {
    const want = protocol === "sasl_plaintext" ? "sasl_ssl" : "ssl (or sasl_ssl if it also " +
      "requires SASL)";
    return {
      ...failure,
      kind: "tls",
      reason: `the listener speaks TLS, but the security protocol is ${protocol}`,
      fix: `set KAFKA_SECURITY_PROTOCOL=${want}`,
      probe: undefined,
    };
  }
  if (protocol === "plaintext" || protocol === "ssl") {
    const want = protocol === "ssl" ? "sasl_ssl" : "sasl_plaintext";
    return {
      ...failure,
      kind: "authentication",
      reason: "the broker closed the connection at the first request: the listener " +
        `probably requires SASL, but the security protocol is ${protocol}`,
      fix: `set KAFKA_SECURITY_PROTOCOL=${want} and KAFKA_SASL_MECHANISM, or use the ` +
        `broker's ${protocol} listener`,
      probe: undefined,
    };
  }
  return failure;
}

function oneLine(name: string): string {
  return name.replace(/\n/g, ", ");
}

function parseHostPort(broker: string): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(broker.trim());
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}
