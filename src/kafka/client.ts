import net from "node:net";
import tls from "node:tls";
import { Kafka, logLevel, type Mechanism, type SASLOptions } from "kafkajs";
import type { Logger } from "../log.ts";
import { registerCodecs } from "./codecs.ts";
import { kafkaLogCreator } from "./client_log.ts";
import { installFastFetchDecode } from "./fast_fetch.ts";
import { clampNegativeTimeouts } from "./timeout_quirk.ts";

/** TLS and SASL settings in kafkajs' shape, already loaded and checked (see security.ts). */
export interface KafkaSecurity {
  ssl?: tls.ConnectionOptions | boolean;
  sasl?: SASLOptions | Mechanism;
}

/** Options for {@linkcode createKafka}. */
export interface KafkaClientOptions {
  /** Bootstrap servers, `host:port` each. */
  brokers: string[];
  /** 0 lets the OS pick; 4 or 6 forces the address family (KAFKA_BROKER_ADDRESS_FAMILY). */
  addressFamily?: 0 | 4 | 6;
  clientId?: string;
  security?: KafkaSecurity;
  log: Logger;
  /** Called for every error the client logs, so callers can count them. */
  onError?: (message: string) => void;
  connectionTimeoutMs?: number;
  /**
   * Retries per request before an error surfaces. Long-running consumers keep it
   * low (failures are counted and logged early; the consumer restarts itself);
   * one-shot producers may want more. Default 3.
   */
  retries?: number;
}

/** Chooses the socket family as the original did: v4 when every broker is a loopback name. */
export function resolveAddressFamily(
  raw: string | undefined,
  brokers: string[],
): 0 | 4 | 6 | undefined {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "v4") return 4;
  if (value === "v6") return 6;
  if (value === "any") return 0;
  if (value !== "") return undefined;
  const loopback = brokers.every((b) => /^(localhost|127\.0\.0\.1)(:|$)/i.test(b));
  return loopback ? 4 : 0;
}

/**
 * Creates a kafkajs client whose log goes to our logger (at debug: see client_log.ts) and whose
 * sockets honour the address family.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  registerCodecs();
  clampNegativeTimeouts();
  installFastFetchDecode();
  const { log, onError } = options;
  const family = options.addressFamily ?? 0;
  return new Kafka({
    clientId: options.clientId ?? "dashflow-exporter",
    brokers: options.brokers,
    ssl: options.security?.ssl,
    sasl: options.security?.sasl,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: logLevel.INFO,
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: options.retries ?? 3 },
    socketFactory: ({ host, port, ssl, onConnect }) => {
      // SNI takes a host name only: both runtimes throw for an IP address.
      const servername = net.isIP(host) === 0 ? host : undefined;
      const socket = ssl
        // tls.connect passes socket.connect options such as `family` through; its types omit them.
        ? tls.connect(
          { host, port, family, servername, ...ssl } as tls.ConnectionOptions,
          onConnect,
        )
        : net.connect({ host, port, family }, onConnect);
      socket.setKeepAlive(true, 60_000);
      return socket;
    },
    logCreator: kafkaLogCreator(log, { onError }),
  });
}
