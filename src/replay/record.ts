/**
 * One record read from a replay input, whatever its format.
 * @module
 */

/** A record of the replay input: a Kafka record value, and what the input knew about it. */
export interface InputRecord {
  /** 1-based record number. */
  index: number;
  /** Byte offset where the record starts in the (decompressed) input. */
  offset: number;
  /** The exact Kafka record value; null for a record without one (tombstone). */
  value: Uint8Array | null;
  /** The Kafka key, when the input records it (JSON Lines envelopes); null: no key. */
  key?: string | Uint8Array | null;
  /** The Kafka record timestamp in ms since the epoch, when the input records it. */
  timestampMs?: number;
}
