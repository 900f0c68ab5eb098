/** One Kafka record as the commands see it, independent of the client library. */
export interface KafkaRecord {
  topic: string;
  partition: number;
  /** Offset as a decimal string (int64). */
  offset: string;
  key: Uint8Array | null;
  /** Null for a record with no value (tombstone). */
  value: Uint8Array | null;
  /** Record timestamp, ms since epoch as a decimal string. */
  timestamp: string;
}
