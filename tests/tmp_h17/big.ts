import { produce, withAdmin } from "../support/kafka.ts";
const N = 5_000_000;
const inner = new Uint8Array(2 * N);
for (let i = 0; i < N; i++) inner[2 * i] = 0x12;
const len: number[] = [];
for (let v = inner.length; ; ) { if (v < 0x80) { len.push(v); break; } len.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); }
const value = new Uint8Array(1 + 1 + len.length + inner.length);
value.set([0x00, 0x42, ...len]); value.set(inner, 2 + len.length);
const topic = Deno.args[0];
await withAdmin((a) => a.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: "20000000" }] }] }));
await produce(topic, [{ value }]);
console.log("produced", value.length);
