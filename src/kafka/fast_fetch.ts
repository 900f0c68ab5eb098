/**
 * A faster decoder for kafkajs' Fetch v11 responses (the version kafkajs speaks to Kafka 2.1
 * and later), installed in place of kafkajs' own by {@linkcode installFastFetchDecode}.
 *
 * Why: draining a backlog, kafkajs spends about 1.3 µs per record decoding fetch responses
 * on Bun, most of it in BigInt arithmetic: every record's offset and timestamp go through
 * `Long` objects built from strings and back (docs/benchmarks.md, "serve inside a resource
 * envelope"). This decoder reads the same bytes with plain numbers while they are safe
 * integers and produces the same objects kafkajs does — same fields, same strings, same
 * `Buffer` views of the response for keys and values, one shared batch context per record
 * batch — so the consumer above it cannot tell the difference (`fast_fetch_test.ts` compares
 * the two on real and crafted responses).
 *
 * It takes only the common case: record batches (magic 2), whole or cut short at the end as
 * fetches are. Anything else — legacy message sets, a batch or record that runs past its
 * bounds, an offset or timestamp beyond 2^53, a length kafkajs would reject — hands the whole
 * response to kafkajs' own decoder, which decides exactly as before.
 * @module
 */
import { Buffer } from "node:buffer";
import fetchV11 from "kafkajs/src/protocol/requests/fetch/v11/response.js";
import compression from "kafkajs/src/protocol/message/compression/index.js";

/** A record as kafkajs' record decoder returns it. */
export interface FetchedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

/** What kafkajs tells every record of a record batch about the batch. */
export interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

/** One partition of a decoded Fetch v11 response, as kafkajs shapes it. */
export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  lastStartOffset: string;
  abortedTransactions: { producerId: string; firstOffset: string }[];
  preferredReadReplica: number;
  messages: unknown[];
}

/** A decoded Fetch v11 response, as kafkajs shapes it. */
export interface FetchResponse {
  throttleTime: number;
  clientSideThrottleTime: number;
  errorCode: number;
  sessionId: number;
  responses: { topicName: string; partitions: FetchedPartition[] }[];
}

type Decode = (payload: Buffer) => Promise<FetchResponse>;

/** kafkajs' own decoder, kept as the reference and the fallback. */
export const kafkajsFetchDecode: Decode = fetchV11.decode;

const MAGIC_RECORD_BATCH = 2;
const MAGIC_OFFSET = 16; // where every message format keeps its magic byte
const RECORD_BATCH_OVERHEAD = 49;
const TIMESTAMP_TYPE_FLAG = 0x8;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
const LOG_APPEND_TIME = 1;
const CREATE_TIME = 0;

/** Thrown inside the fast path for anything it leaves to kafkajs. */
const UNSUPPORTED = new Error("left to kafkajs");

let installed = false;

/**
 * Makes kafkajs decode Fetch v11 responses with {@linkcode decodeFetchResponse}, for every
 * consumer of the process. Idempotent.
 */
export function installFastFetchDecode(): void {
  if (installed) return;
  installed = true;
  fetchV11.decode = decodeFetchResponse;
}

/**
 * Decodes a Fetch v11 response body (after the correlation id) exactly as kafkajs does,
 * faster; falls back to kafkajs' decoder for anything outside the common case.
 */
export async function decodeFetchResponse(payload: Buffer): Promise<FetchResponse> {
  try {
    return await new Reader(payload).response();
  } catch (error) {
    if (error === UNSUPPORTED || error instanceof RangeError) return kafkajsFetchDecode(payload);
    throw error;
  }
}

class Reader {
  readonly buf: Buffer;
  pos = 0;
  end: number;

  constructor(buf: Buffer) {
    this.buf = buf;
    this.end = buf.length;
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw UNSUPPORTED;
  }

  int8(): number {
    this.need(1);
    const v = this.buf[this.pos++];
    return v > 127 ? v - 256 : v;
  }

  int16(): number {
    this.need(2);
    const b = this.buf;
    const v = (b[this.pos] << 8) | b[this.pos + 1];
    this.pos += 2;
    return v > 32767 ? v - 65536 : v;
  }

  int32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  }

  /** A signed 64-bit integer as a number; beyond ±2^53 it is left to kafkajs. */
  int64(): number {
    const high = this.int32();
    const low = this.int32() >>> 0;
    if (high >= 0x200000 || high < -0x200000) throw UNSUPPORTED;
    return high * 0x100000000 + low;
  }

  /** kafkajs' zigzag varint, bit for bit (including what it does with 5-byte values). */
  varint(): number {
    const b = this.buf;
    let result = 0;
    let shift = 0;
    let byte;
    do {
      if (this.pos >= this.end || shift > 28) throw UNSUPPORTED;
      byte = b[this.pos++];
      result += (byte & 0x7f) << shift;
      shift += 7;
    } while (byte >= 0x80);
    return (result >>> 1) ^ -(result & 1);
  }

  /** A zigzag varlong as a number, if it has at most 7 bytes (49 bits); else kafkajs decides. */
  varlong(): number {
    const b = this.buf;
    let result = 0;
    let scale = 1;
    let byte;
    let count = 0;
    do {
      if (this.pos >= this.end || ++count > 7) throw UNSUPPORTED;
      byte = b[this.pos++];
      result += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte >= 0x80);
    // zigzag: even -> n / 2, odd -> -(n + 1) / 2
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  /** Bytes with a varint length (-1 is null), as a view of the response like kafkajs' slice. */
  varBytes(): Buffer | null {
    const length = this.varint();
    if (length === -1) return null;
    if (length < 0) throw UNSUPPORTED;
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }

  string16(): string {
    const length = this.int16();
    if (length < 0) throw UNSUPPORTED; // null topic names are kafkajs' business
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return this.buf.toString("utf8", start, this.pos);
  }

  int64String(): string {
    return String(this.int64());
  }

  async response(): Promise<FetchResponse> {
    const clientSideThrottleTime = this.int32();
    const errorCode = this.int16();
    const sessionId = this.int32();
    const topics = this.int32();
    if (topics < 0) throw UNSUPPORTED;
    const responses = [];
    for (let t = 0; t < topics; t++) {
      const topicName = this.string16();
      const count = this.int32();
      if (count < 0) throw UNSUPPORTED;
      const partitions: FetchedPartition[] = [];
      for (let p = 0; p < count; p++) partitions.push(await this.partition());
      responses.push({ topicName, partitions });
    }
    return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
  }

  // The partition header in wire order, as kafkajs' decodePartition() reads it (an object
  // literal's members are evaluated in order), then the record set.
  async partition(): Promise<FetchedPartition> {
    return {
      partition: this.int32(),
      errorCode: this.int16(),
      highWatermark: this.int64String(),
      lastStableOffset: this.int64String(),
      lastStartOffset: this.int64String(),
      abortedTransactions: this.abortedTransactions(),
      preferredReadReplica: this.int32(),
      messages: await this.recordSet(),
    };
  }

  abortedTransactions(): FetchedPartition["abortedTransactions"] {
    const count = this.int32();
    if (count < -1) throw UNSUPPORTED; // -1 (a null array) reads as none, as in kafkajs
    const transactions = [];
    for (let i = 0; i < count; i++) {
      transactions.push({ producerId: this.int64String(), firstOffset: this.int64String() });
    }
    return transactions;
  }

  async recordSet(): Promise<FetchedRecord[]> {
    const size = this.int32();
    if (size <= 0 || this.pos + size > this.end) return [];
    if (size <= MAGIC_OFFSET || this.buf[this.pos + MAGIC_OFFSET] !== MAGIC_RECORD_BATCH) {
      throw UNSUPPORTED; // a legacy message set (or too short to tell): kafkajs' decoder
    }
    const setEnd = this.pos + size;
    const records: FetchedRecord[] = [];
    const outerEnd = this.end;
    while (setEnd - this.pos >= RECORD_BATCH_OVERHEAD) {
      this.end = setEnd;
      const firstOffset = this.int64();
      const length = this.int32();
      if (length < 0) throw UNSUPPORTED;
      if (setEnd - this.pos < length) {
        this.pos = setEnd; // the last batch, cut short by the fetch size: kafkajs drops it too
        break;
      }
      const batchEnd = this.pos + length;
      this.end = batchEnd;
      await this.recordBatch(firstOffset, records);
      this.pos = batchEnd;
    }
    this.end = outerEnd;
    this.pos = setEnd;
    return records;
  }

  async recordBatch(firstOffset: number, into: FetchedRecord[]): Promise<void> {
    const partitionLeaderEpoch = this.int32();
    const magicByte = this.int8();
    this.int32(); // CRC: kafkajs does not check it either
    const attributes = this.int16();
    const lastOffsetDelta = this.int32();
    const firstTimestamp = this.int64();
    const maxTimestamp = this.int64String();
    const producerId = this.int64String();
    const producerEpoch = this.int16();
    const firstSequence = this.int32();
    const isControlBatch = (attributes & CONTROL_FLAG) > 0;
    const timestampType = (attributes & TIMESTAMP_TYPE_FLAG) > 0 ? LOG_APPEND_TIME : CREATE_TIME;
    const batchContext: BatchContext = {
      firstOffset: String(firstOffset),
      firstTimestamp: String(firstTimestamp),
      partitionLeaderEpoch,
      inTransaction: (attributes & TRANSACTIONAL_FLAG) > 0,
      isControlBatch,
      lastOffsetDelta,
      producerId,
      producerEpoch,
      firstSequence,
      maxTimestamp,
      timestampType,
      magicByte,
    };
    const codec = compression.lookupCodecByAttributes(attributes);
    let count = this.int32();
    if (codec) {
      if (count <= 0) return;
      const compressed = this.buf.subarray(this.pos, this.end);
      const inner = new Reader(await codec.decompress(compressed));
      inner.records(count, firstOffset, firstTimestamp, batchContext, into);
      return;
    }
    if (count === -1) count = 0;
    if (count < 0) throw UNSUPPORTED;
    this.records(count, firstOffset, firstTimestamp, batchContext, into);
  }

  records(
    count: number,
    firstOffset: number,
    firstTimestamp: number,
    batchContext: BatchContext,
    into: FetchedRecord[],
  ): void {
    const { isControlBatch, magicByte, maxTimestamp } = batchContext;
    // kafkajs takes maxTimestamp when it is truthy: as a decimal string it always is.
    const appendTime = batchContext.timestampType === LOG_APPEND_TIME;
    for (let i = 0; i < count; i++) {
      const length = this.varint();
      if (length < 0) throw UNSUPPORTED;
      this.need(length);
      const recordEnd = this.pos + length;
      const outerEnd = this.end;
      this.end = recordEnd;
      const attributes = this.int8();
      const timestampDelta = this.varlong();
      const offsetDelta = this.varint();
      const offset = firstOffset + offsetDelta;
      const timestamp = firstTimestamp + timestampDelta;
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(timestamp)) throw UNSUPPORTED;
      const key = this.varBytes();
      const value = this.varBytes();
      const headerCount = this.varint();
      if (headerCount < -1) throw UNSUPPORTED; // kafkajs fails on it; let it
      const headers: FetchedRecord["headers"] = {};
      for (let h = 0; h < headerCount; h++) {
        const keyLength = this.varint();
        if (keyLength < 0) throw UNSUPPORTED; // a null header key: kafkajs' business
        this.need(keyLength);
        const name = this.buf.toString("utf8", this.pos, this.pos + keyLength);
        // kafkajs defines it as an own property; an assignment would set the prototype.
        if (name === "__proto__") throw UNSUPPORTED;
        this.pos += keyLength;
        const headerValue = this.varBytes();
        const existing = headers[name];
        headers[name] = existing === undefined
          ? headerValue
          : Array.isArray(existing)
          ? existing.concat([headerValue])
          : [existing, headerValue];
      }
      this.pos = recordEnd;
      this.end = outerEnd;
      into.push({
        magicByte,
        attributes,
        timestamp: appendTime ? maxTimestamp : String(timestamp),
        offset: String(offset),
        key,
        value,
        headers,
        isControlRecord: isControlBatch,
        batchContext,
      });
    }
  }
}
