/**
 * Writes `src/gen/quality_reader.ts`, the field loops of the fast quality reader, from their
 * description in `src/event/quality_reader_fields.ts` (which says why they are generated).
 *
 * ```sh
 * deno task gen:reader            # rewrite the file
 * deno task gen:reader --check    # exit 1 when it is not what the description gives
 * ```
 * @module
 */

import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import {
  type FieldRead,
  type KeptField,
  type MessageReader,
  READERS,
} from "../src/event/quality_reader_fields.ts";
import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { file_dashstream } from "../src/gen/dashstream_pb.ts";
import * as fieldReads from "../src/wire/field_reads.ts";
import * as scratch from "../src/event/quality_scratch.ts";
import * as varint from "../src/wire/varint.ts";

/** Where the generated file goes, from the repository root. */
export const GENERATED_PATH = "src/gen/quality_reader.ts";

// The modules whose exports the code lines may name, as the generated file imports them.
const MODULES: readonly (readonly [string, Record<string, unknown>])[] = [
  ["../wire/varint.ts", varint],
  ["../wire/field_reads.ts", fieldReads],
  ["../event/quality_scratch.ts", scratch],
];

function hex(tag: number): string {
  return `0x${tag.toString(16).padStart(2, "0")}`;
}

// The statements that read one field: `pos` is after its tag, and after the field at the end.
function readField(read: FieldRead): string[] {
  const then = "then" in read ? read.then ?? [] : [];
  switch (read.as) {
    case "message":
      return [
        "pos = readLength(bytes, pos);",
        "if (pos < 0) return pos;",
        // A message running past the buffer always ends in a read past it (protobuf-es throws);
        // its length otherwise only ends its own loop.
        "if (pos + span.length > bytes.length) return ERR;",
        `pos = ${read.reader}(bytes, pos, pos + span.length);`,
        ...then,
      ];
    case "string":
      return ["pos = readString(bytes, pos);", ...then];
    case "raw string":
      return [
        "pos = readLength(bytes, pos);",
        "if (pos < 0) return pos;",
        "const start = pos;",
        "pos += span.length;",
        "if (pos > bytes.length) return ERR;",
        ...read.code,
      ];
    case "bytes":
      return ["pos = skipBytes(bytes, pos);", ...then];
    case "varint":
      return ["pos = skipKnownVarint(bytes, pos);"];
    case "code":
      return [...read.code];
  }
}

function comment(field: KeptField): string {
  return `// ${field.name}${field.note ? `: ${field.note}` : ""}`;
}

const WIDTH = 100;

// A JSDoc comment of `text`, wrapped within the line width as `deno fmt` leaves it.
function docComment(text: string): string[] {
  if (text.length + 7 <= WIDTH) return [`/** ${text} */`];
  const lines = ["/**"];
  let line = " *";
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " *";
    }
    line += ` ${word}`;
  }
  return [...lines, line, " */"];
}

// What the schema declares of a field: its name, its wire type, and what it holds ("string",
// "bytes", "varint", "fixed64", "fixed32", or a message by the name readers use).
interface SchemaField {
  readonly name: string;
  readonly wire: number;
  readonly type: string;
}

function scalarField(name: string, scalar: ScalarType): SchemaField {
  switch (scalar) {
    case ScalarType.STRING:
      return { name, wire: 2, type: "string" };
    case ScalarType.BYTES:
      return { name, wire: 2, type: "bytes" };
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return { name, wire: 1, type: "fixed64" };
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return { name, wire: 5, type: "fixed32" };
    default:
      return { name, wire: 0, type: "varint" };
  }
}

function schemaField(owner: string, field: DescField): SchemaField {
  switch (field.fieldKind) {
    case "scalar":
      return scalarField(field.name, field.scalar);
    case "enum":
      return { name: field.name, wire: 0, type: "varint" };
    case "message":
      return { name: field.name, wire: 2, type: field.message.name };
    case "list":
      if (field.listKind === "message") {
        return { name: field.name, wire: 2, type: field.message.name };
      }
      return field.listKind === "scalar"
        ? scalarField(field.name, field.scalar)
        : { name: field.name, wire: 0, type: "varint" };
    case "map":
      return { name: field.name, wire: 2, type: `${owner}.${field.name}` };
  }
}

/**
 * The fields of every message of `proto/dashstream.proto` by number, by message name, with each
 * map field's entry as "Message.field" (key 1, value 2).
 */
function schemaMessages(): Map<string, Map<number, SchemaField>> {
  const messages = new Map<string, Map<number, SchemaField>>();
  const add = (message: DescMessage) => {
    const fields = new Map<number, SchemaField>();
    for (const field of message.fields) {
      fields.set(field.number, schemaField(message.name, field));
      if (field.fieldKind !== "map") continue;
      const value = field.mapKind === "message"
        ? { name: "value", wire: 2, type: field.message.name }
        : field.mapKind === "enum"
        ? { name: "value", wire: 0, type: "varint" }
        : scalarField("value", field.scalar);
      messages.set(
        `${message.name}.${field.name}`,
        new Map([[1, scalarField("key", field.mapKey)], [2, value]]),
      );
    }
    messages.set(message.name, fields);
    message.nestedMessages.forEach(add);
  };
  file_dashstream.messages.forEach(add);
  return messages;
}

const SCHEMA = schemaMessages();

// The type a kept field must have in the schema to be read as `read` says.
function fits(read: FieldRead, field: SchemaField, readers: readonly MessageReader[]): boolean {
  switch (read.as) {
    case "string":
    case "raw string":
      return field.type === "string";
    case "bytes":
      return field.type === "bytes";
    case "varint":
      return field.type === "varint";
    case "code":
      return true; // its code reads the declared wire type
    case "message":
      return readers.find((reader) => reader.name === read.reader)?.message === field.type;
  }
}

/** The highest field number of `reader`'s message: above it, a field is unknown. */
function lastKnown(reader: MessageReader): number {
  return Math.max(...SCHEMA.get(reader.message)!.keys());
}

function checkReader(reader: MessageReader, readers: readonly MessageReader[]): void {
  const schema = SCHEMA.get(reader.message);
  if (!schema) {
    throw new Error(`${reader.name}: proto/dashstream.proto has no message ${reader.message}`);
  }
  const numbers = new Set<number>();
  for (const field of reader.fields) {
    const where = `${reader.name}, field ${field.number} (${field.name})`;
    const declared = schema.get(field.number);
    if (!declared) throw new Error(`${where}: ${reader.message} has no field ${field.number}`);
    if (declared.name !== field.name) {
      throw new Error(`${where}: field ${field.number} of ${reader.message} is ${declared.name}`);
    }
    if (numbers.has(field.number)) throw new Error(`${where}: the field is kept twice`);
    numbers.add(field.number);
    const read = field.read;
    if (read.as === "message" && !readers.some((other) => other.name === read.reader)) {
      throw new Error(`${where}: no reader named ${read.reader} in READERS`);
    }
    if (!fits(read, declared, readers)) {
      const how = read.as === "message" ? `message by ${read.reader}` : read.as;
      throw new Error(
        `${where}: cannot be read as ${how}: the schema declares ${declared.type} ` +
          `(wire type ${declared.wire})`,
      );
    }
  }
}

function emitReader(reader: MessageReader, exported: boolean): string[] {
  const schema = SCHEMA.get(reader.message)!;
  // Fields read alike share one case.
  const cases = new Map<string, { labels: [string, string][]; body: string[] }>();
  for (const field of reader.fields) {
    const body = readField(field.read);
    const key = body.join("\n");
    const label = `case ${hex((field.number << 3) | schema.get(field.number)!.wire)}:`;
    const known = cases.get(key);
    if (known) known.labels.push([label, comment(field)]);
    else cases.set(key, { labels: [[label, comment(field)]], body });
  }
  const lines = [
    ...docComment(reader.doc),
    `${exported ? "export " : ""}function ${reader.name}(` +
    "bytes: Uint8Array, pos: number, end: number): number {",
    ...(reader.before ?? []).map((line) => `  ${line}`),
    "  while (pos < end) {",
    // The one-byte tag of every field below 16 is read inline: a call per field costs ~10% on
    // Bun. Field 0 and wire types 6 and 7 then fall to otherField(), which refuses them; a longer
    // tag is read and checked by varint.ts, as the header peek reads it.
    "    let tag = bytes[pos];",
    "    if (tag < 0x80) pos++;",
    "    else {",
    "      pos = readTag(bytes, pos);",
    "      if (pos < 0) return pos;",
    "      tag = varint64.lo;",
    "    }",
    "    switch (tag) {",
  ];
  for (const { labels, body } of cases.values()) {
    // A declaration needs a block of its own.
    const block = body.some((line) => /^(const|let) /.test(line));
    labels.forEach(([label, note], i) => {
      lines.push(`      ${label}${block && i === labels.length - 1 ? " {" : ""} ${note}`);
    });
    for (const line of body) lines.push(`        ${line}`);
    lines.push("        break;");
    if (block) lines.push("      }");
  }
  lines.push(
    "      default:",
    `        pos = otherField(bytes, pos, tag, ${lastKnown(reader)});`,
    "    }",
    "    if (pos < 0) return pos;",
    "  }",
    ...(reader.after ?? []).map((line) => `  ${line}`),
    "  return pos;",
    "}",
  );
  return lines;
}

// The imports of the names the generated code uses, each from the one module that exports it.
function imports(code: string): string[] {
  const used = new Set(code.match(/[A-Za-z_$][\w$]*/g));
  const lines: string[] = [];
  const bindings: string[] = [];
  const owner = new Map<string, string>();
  for (const [path, module] of MODULES) {
    const names = Object.keys(module).filter((name) => used.has(name)).sort();
    for (const name of names) {
      if (owner.has(name)) {
        throw new Error(`${name} is exported by both ${owner.get(name)} and ${path}: rename one`);
      }
      owner.set(name, path);
    }
    if (names.length === 0) continue;
    const alias = path.replace(/^.*\/|\.ts$/g, "").replace(/_(\w)/g, (_, c) => c.toUpperCase());
    lines.push(`import * as ${alias} from "${path}";`);
    const oneLine = `const { ${names.join(", ")} } = ${alias};`;
    if (oneLine.length <= WIDTH) bindings.push(oneLine);
    else bindings.push("const {", ...names.map((name) => `  ${name},`), `} = ${alias};`);
  }
  return [
    ...lines,
    "",
    "// Local bindings: Bun (JSC) reads an imported binding through the module record at every use.",
    ...bindings,
  ];
}

/** The text of the generated file for `readers` (default: the description's). */
export function generate(readers: readonly MessageReader[] = READERS): string {
  const names = new Set(readers.map((reader) => reader.name));
  if (names.size !== readers.length) throw new Error("two readers share a name");
  for (const reader of readers) checkReader(reader, readers);
  const body = readers.flatMap((reader, i) => ["", ...emitReader(reader, i === 0)]);
  return [
    "// @generated by scripts/gen_quality_reader.ts from src/event/quality_reader_fields.ts:",
    "// edit that description, then run `deno task gen:reader`. Never edit this file.",
    "// The field loops of the fast quality reader (src/event/fast_quality.ts); each returns the",
    "// position after the message, or ERR / FALLBACK (wire/field_reads.ts).",
    "",
    ...imports(body.join("\n")),
    ...body,
    "",
  ].join("\n");
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg !== "--check")) {
    console.error(
      `gen_quality_reader: unknown argument ${args.find((arg) => arg !== "--check")}\n` +
        "usage: deno task gen:reader [--check]  (--check: exit 1 when the file is stale)",
    );
    process.exit(2);
  }
  const path = new URL(`../${GENERATED_PATH}`, import.meta.url);
  const text = generate();
  if (args.includes("--check")) {
    if (readFileSync(path, "utf8") !== text) {
      console.error(`${GENERATED_PATH} is stale: run deno task gen:reader`);
      process.exit(1);
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${GENERATED_PATH}`);
  }
}
