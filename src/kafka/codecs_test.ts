import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CompressionCodecs, CompressionTypes } from "kafkajs";
// kafkajs' own record batch encoder and decoder, to run the codecs exactly as
// the consumer and producer do.
import Decoder from "kafkajs/src/protocol/decoder.js";
import decodeRecordV0 from "kafkajs/src/protocol/recordBatch/record/v0/decoder.js";
import recordV0 from "kafkajs/src/protocol/recordBatch/record/v0/index.js";
import decodeRecordBatch from "kafkajs/src/protocol/recordBatch/v0/decoder.js";
import recordBatchV0 from "kafkajs/src/protocol/recordBatch/v0/index.js";
import { CodecError, type KafkaCodec, registerCodecs, zstdCodec } from "./codecs.ts";
import { b64, periodic, varied } from "../../tests/support/codec_inputs.ts";

// zstd CLI v1.5.4: `zstd -3` of varied(40) (content size and checksum), then
// the same followed by `zstd -19 --no-check` of periodic(1400): two frames.
const ZSTD_CLI = b64(
  "KLUv/WR2CUUOALbRMR1gZ9sBozC+dcL+x5mgR2QFQZRMkt1ks09gMHBaMDIAKAAkAH/fAG4kQpBSN1ikpdDBMEda" +
    "CyUWUiAwJGlByhAMIkEgR9GzJAKMYVQ6FMQQzDACaZmCf4h4b5fp/rnNrs3a+7vLp6mdeemLaKdoeJaUJMo6e/Kk" +
    "Q4GUARUDS6jea/mPZ5j4pth+fLiNjpuvio652obM7NZ+3tftmMuvt9anF4NFWgod2D+v3cyx3V2Z+3mV7XX1LjMx" +
    "E3PzTTv79d97z5l7ezmAiKiRxapu1NlYA+BiRMrOARJIMBAEkSChUJoSpgQODDAjaZSsDq2J8PBWG8q0gJD/wDIW" +
    "EYOjN7P0ZRAN9mQ8LyIpgBaW32QVwk5iq+rp4RjRz+UKA9Vxl/PkgYEIwQL1XUTXPhHtwJiDEEB4VjHB8dlhrUfv" +
    "N4gzqsbMC/tL7wCIw1wn3J+FIcUcHtaoanXCMBaGUhacusSunHA7D0o+qiCHqHCc87GHP6qecp9ABGWCF2rY69H7" +
    "7eE8qrzDqgMMU6UEjrpAmuTYS5X0OMZQtV1GrYZx5ajlhvoOhtGfE0iBfGc2wfutnRSsOFWyCgmEFQSgfyi4CUT+" +
    "FwKsKkPGjzo=",
);
const ZSTD_TWO_FRAMES = new Uint8Array([
  ...ZSTD_CLI,
  ...b64(
    "KLUv/aC4NwEAZQMA0kQSF4B3AwCw7cDkNpZ4JKYuYINNc2GDytEBxUH4nnOtMbaWUikhVNwBTvyMBe30Umvw" +
      "MrsYYv2JrQfH933kPdm0ysNwKz9vTWg5AxOoEOix/r8B0JvlEP5/RsD1/v8bezU9RmtDQNPJwU4B",
  ),
]);

// The compressed records of real batches written by the Kafka Java client
// 4.3.1 (kafka-console-producer --compression-codec lz4|snappy|zstd, 40 records
// "key-i" -> javaRecordValue(codec, i) in one batch), captured from a broker:
// LZ4 frame FLG 0x60 BD 0x40; snappy-java xerial stream with two blocks
// (32 KiB + the rest); zstd-jni streaming frame without a content size.
const JAVA_LZ4_BATCH = b64(
  "BCJNGGBAgvUCAAD/HsYRAAAACmtleS0wrhFqYXZhLWx6NC0wIHF1YWxpdHkgZXZlbnQgcGF5bG9hZBYA/////yhh" +
    "AMYRADYCZQQXMWUEHzFPBP////8oD5sIAwFlBBEEZQQXMmUEHzJlBP////9DEQZlBBczZQQfM2UE/////0MRCGUE" +
    "FzRlBB80ZQT/////QxEKZQQXNWUEHzVlBP////9DEQxlBBc2ZQQfNmUE/////0MRDmUEFzdlBB83ZQT/////QxEQ" +
    "ZQQXOGUEHzhlBP////9DERJlBBc5ZQQfOWUE/////z9gyhEANhQM8is2MTCw8ysfMfQr/////0AAZwQSFmcEGDFn" +
    "BA/2K/////9AAGcEEhhnBBgyZwQP+Cv/////QABnBBIaZwQYM2cED/or/////0AAZwQSHGcEGDRnBA/8K/////9A" +
    "AGcEEh5nBBg1ZwQP/iv/////QFLKEQA4IGcEGDZnBA8ALP////9AAGcEEiJnBBg3ZwQPAiz/////QABnBBIkZwQY" +
    "OGcEDwQs/////0AAZwQSJmcEGDlnBA8GLP////9DITgoZwQYMgYsHzIGLP////9DIjgqZwQIBiwfMgYs/////0Mi" +
    "OCxnBAgGLB8yBiz/////QyI4LmcECAYsHzIGLP////9DIjowZwQIBiwfMgYs/////0MiOjJnBAgGLB8yBiz/////" +
    "QyI6NGcECAYsHzIGLP////9DIjo2ZwQIBiwfMgYs/////0MiOjhnBAgGLB8yBiz/////QyI6OmcECAYsHzIGLP//" +
    "//9DITo8ZwQYMwYsHzMGLP////9DIjo+ZwQIBiwfMwYs/////0MiOkBnBAgGLB8zBiz/////QyI6QmcECAYsHzMG" +
    "LP////9EEkRnBAgGLB8zBiz/////RBJGZwQIBiwfMwYs/////0QSSGcECAYsHzMGLP////9EEkpnBAgGLB8zBiz/" +
    "////RBJMZwQIBiwfMwYs/////0QSTmcECAYsHzMGLP////87UG9hZCAAAAAAAA==",
);
const JAVA_SNAPPY_BATCH = b64(
  "glNOQVBQWQAAAAABAAAAAQAAB66AgALAzBEAAAAKa2V5LTC0EWphdmEtc25hcHB5LTAgcXVhbGl0eSBldmVudCBw" +
    "YXlsb2FkIP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WANYWABQAzBEAVAKF" +
    "aAAxNmgEADH+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aARGaAQABIVo" +
    "ADI2aAQAMv5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBEZoBAAGhWgA" +
    "MzZoBAAz/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgERmgEAAiFaAA0" +
    "NmgEADT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aARGaAQACoVoADU2" +
    "aAQANf5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBP5oBEZoBAAMhWgANjZo" +
    "BAA2/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgE/mgERmgEAA6FaAA3NmgE" +
    "ADf+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aAT+aARGaAQAEIVoADg2aAQE" +
    "OCD+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiP+KiPWKiNWNgQSQCMAEoVoADk2" +
    "aAQAOVoyAFZIAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAP4WAH4WABgA0BEA" +
    "VBQMDhAsCDEwtjIRLAAx/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs/hIs" +
    "OhIsgWoAFolqADE6agT+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCz+FCw6" +
    "FCwQ0BEAVhiJagAyOmoE/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs/hYs" +
    "OhYsgWoAGolqADM6agT+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCz+GCw6" +
    "GCyBagAciWoANDpqBP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLP4aLDoa" +
    "LIFqAB6JagA1OmoE/hws/hws/hws/hws/hws/hws/hws/hws/hws/hws/hws/hws/hws/hws/hws/hws/hwsOhws" +
    "ENARAFggiWoANjpqBP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLP4eLDoe" +
    "LIFqACKJagA3OmoE/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAs/iAsOiAs" +
    "gWoAJIlqADg6agQEOCD+jif+jif+jif+jif+jif+jif+jif+jif+jif+jif+jif+jif+jif+jif+jif+jid+jieu" +
    "IASFagAmiWoAOTpqBP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLEYk" +
    "LARYKIVqADI6JCwAMv4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLEYk" +
    "LARYKolqOiQsADL+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCxGJCwE" +
    "WiyJajokLAAy/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQsRiQsBFou" +
    "iWo6JCwAMv4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLEYkLARaMIlq" +
    "OiQsADL+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCxGJCwEWjKJajok" +
    "LAAy/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQs/iQsRiQsBFo0iWo6JCwA" +
    "Mv4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLEYkLARaNolqOiQsADL+" +
    "JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCz+JCxGJCwEWjiJajokLAgyOCCu" +
    "BCj+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAD+LAB+LAAOJCw4XDoMa2V5LTI5" +
    "thFqYXZhAAADBvxgfC1zbmFwcHktMjkgcXVhbGl0eSBldmVudCBwYXlsb2Fk/hYA/hYA/hYA/hYA/hYA/hYA/hYA" +
    "/hYA/hYA/hYA/hYA/hYA/hYA/hYA/hYA/hYA2hYASADQEQBcPAxrZXktMzC2EWphdmGRagQzMP5UBP5UBP5UBP5U" +
    "BP5UBP5UBP5UBP5UBP5UBP5UBP5UBP5UBP5UBP5UBP5UBP5UBNpUBFagCIVqAD6JagAxOmoEADFaNABWSgD+FgD+" +
    "FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgD+FgB+FgCFagBAiWoAMjpqBAAy/j4E/j4E" +
    "/j4E/j4E/j4E/j4E/j4E/j4E/j4E/j4E/j4E/j4E/j4E/j4E/j4E/j4Egj4Erl4IhWoAQolqADM6agQAM7JKAK52" +
    "AP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAP4sAM4sAIVqAESJagA0OmoEADT+EgT+" +
    "EgT+EgT+EgT+EgT+EgT+EgT+EgT+EgT+EgT+EgT+EgT+EgT+EgT+EgTSEgT+BgheBgiBagReRolqADU6agQANf52" +
    "AGJ2AP7OAF7OAP5YAP5YAP5YAP5YAP5YAP5YAP5YAP5YAP5YAP5YAP5YAP5YAP5YAP5YAG5YAIVqAEiJagA2OmoE" +
    "ADb+ugP+ugP+ugP+ugP+ugP+ugP+ugP+ugP+ugP+ugP+ugP+ugP+ugP+ugNyugP+Vgf+Vge+VgeFagBKiWoANzpq" +
    "BAA3/s4A/s4Aws4A/n4B/n4Bvn4B/rAA/rAA/rAA/rAA/rAA/rAA/rAA/rAA/rAA/rAA/rAArrAAhWoATIlqADg6" +
    "agQEOCD+CgP+CgP+CgP+CgP+CgP+CgP+CgP+CgP+CgP+CgP+CgOuCgP+7AL+7AL+7AL+7AL+7AJ+7AKFagBOiWoA" +
    "OTpqBP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLP4kLDokLA==",
);
const JAVA_ZSTD_BATCH = b64(
  "KLUv/QBYtAkA4osrK3BPOoD/+aqqqgeNRPPaIPKt+M/Rvu8ng8gkU0opxbXv8gXt+8vbvX0jUwbObfxrWFrLcMfo" +
    "vmC22K1QpcicwMW1VJyr/H9r7s7dyoy/K6EakQmBivrgnMN/g7fG4M66F5gVeDdBFSHzOVC1NnmC+RioWhvnCv4J" +
    "Whtwf7odZoHdAFUFyKSgWhp1eSCY6YUw6SPKRGySODCPRIQhdJFGSqCXeR3LBKEp8nCUUksTdqgRgJtq/c/gpZ01" +
    "EkDg6AQjNF74///7AUukJ3R3YvEJ1hOeJ/xPpE/EPHHKE0kinfA8cXoi88T1icUTUTqhPzH4BHtPOMafQJ5I4oT4" +
    "E+MnmE/44YT+iegnSmucXZkIYMmVq+GhlojxCYGfgPPE+ScgP4H+E+3shA5PbElJQ/6bhiTsKgEAAA==",
);

function javaRecordValue(codec: string, i: number): string {
  return `java-${codec}-${i} ` + "quality event payload ".repeat(50);
}

function codec(type: number): KafkaCodec {
  return (CompressionCodecs as Record<number, () => KafkaCodec>)[type]();
}

// deno-lint-ignore no-explicit-any
type Untyped = any;

async function roundTripBatch(compression: number, values: string[]): Promise<string[]> {
  const { RecordBatch } = recordBatchV0 as Untyped;
  const records = values.map((value, offsetDelta) =>
    (recordV0 as Untyped)({
      offsetDelta,
      key: Buffer.from(`key-${offsetDelta}`),
      value: Buffer.from(value),
    })
  );
  const encoded = await RecordBatch({ compression, records, lastOffsetDelta: values.length - 1 });
  const batch = await (decodeRecordBatch as Untyped)(new (Decoder as Untyped)(encoded.buffer));
  return batch.records.map((record: { value: Buffer }) => record.value.toString());
}

Deno.test("registerCodecs() installs snappy, LZ4 and zstd into kafkajs", async () => {
  registerCodecs();
  for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
    const packed = await codec(type).compress({ buffer: Buffer.from(varied(40)) });
    ok(Buffer.isBuffer(packed), `${type}: compress returns a Buffer`);
    ok(packed.length < 2678, `${type}: compressed to ${packed.length} bytes`);
    const unpacked = await codec(type).decompress(packed);
    ok(Buffer.isBuffer(unpacked), `${type}: decompress returns a Buffer`);
    deepStrictEqual(new Uint8Array(unpacked), varied(40));
  }
});

Deno.test("registerCodecs() is idempotent", async () => {
  registerCodecs();
  const first = codec(CompressionTypes.LZ4);
  registerCodecs();
  registerCodecs();
  const packed = await first.compress({ buffer: Buffer.from("same") });
  equal((await codec(CompressionTypes.LZ4).decompress(packed)).toString(), "same");
});

Deno.test("registered codecs round trip a kafkajs record batch", async () => {
  registerCodecs();
  const values = Array.from({ length: 120 }, (_, i) => `quality event ${i} `.repeat(1 + (i % 7)));
  const types = [
    CompressionTypes.GZIP,
    CompressionTypes.Snappy,
    CompressionTypes.LZ4,
    CompressionTypes.ZSTD,
  ];
  for (const type of types) deepStrictEqual(await roundTripBatch(type, values), values, `${type}`);
});

Deno.test("zstdCodec() reads zstd CLI frames, including concatenated ones", async () => {
  const zstd = zstdCodec();
  deepStrictEqual(new Uint8Array(await zstd.decompress(ZSTD_CLI)), varied(40));
  const both = new Uint8Array(await zstd.decompress(ZSTD_TWO_FRAMES));
  deepStrictEqual(both, new Uint8Array(Buffer.concat([varied(40), periodic(1400)])));
});

Deno.test("codecs reject corrupt or oversized batches with a CodecError", async () => {
  registerCodecs();
  for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
    await rejects(
      codec(type).decompress(Buffer.from("definitely not compressed")),
      (error: unknown) => error instanceof CodecError && error.reason === "corrupt",
    );
  }
  await rejects(
    zstdCodec().decompress(ZSTD_CLI.subarray(0, 100)),
    (error: unknown) => error instanceof CodecError && /truncated/.test(error.message),
  );
  registerCodecs({ maxBatchBytes: 1000 });
  try {
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
      const packed = await codec(type).compress({ buffer: Buffer.from(varied(40)) });
      await rejects(
        codec(type).decompress(packed),
        (error: unknown) => error instanceof CodecError && error.reason === "too_large",
      );
    }
  } finally {
    registerCodecs();
  }
});

Deno.test("codecs read record batches written by the Kafka Java client", async () => {
  registerCodecs();
  const batches: [number, string, Uint8Array][] = [
    [CompressionTypes.LZ4, "lz4", JAVA_LZ4_BATCH],
    [CompressionTypes.Snappy, "snappy", JAVA_SNAPPY_BATCH],
    [CompressionTypes.ZSTD, "zstd", JAVA_ZSTD_BATCH],
  ];
  for (const [type, name, compressed] of batches) {
    const records = new (Decoder as Untyped)(await codec(type).decompress(compressed));
    for (let i = 0; i < 40; i++) {
      const bytes = records.readVarIntBytes();
      const record = (decodeRecordV0 as Untyped)(new (Decoder as Untyped)(bytes), {
        firstOffset: "0",
        firstTimestamp: "0",
        magicByte: 2,
      });
      equal(record.key.toString(), `key-${i}`, name);
      equal(record.value.toString(), javaRecordValue(name, i), name);
    }
    equal(records.offset, records.buffer.length, `${name}: nothing left over`);
  }
});
