/**
 * Sizes as Kubernetes and systemd write them, the one syntax of every size setting
 * (`--max-memory`, `check --max-bytes`, `replay --max-input-bytes`, `tail --max-line-bytes`).
 * @module
 */
import { UsageError } from "../errors.ts";

const KIB = 1024;
const MIB = 1024 * KIB;

const UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  kb: 1e3,
  ki: KIB,
  kib: KIB,
  m: 1e6,
  mb: 1e6,
  mi: MIB,
  mib: MIB,
  g: 1e9,
  gb: 1e9,
  gi: 1024 * MIB,
  gib: 1024 * MIB,
};

/**
 * Parses a size: bytes, or a number with a unit, `Ki`/`Mi`/`Gi` (powers of 1024) or
 * `K`/`M`/`G`/`KB`/`MB`/`GB` (powers of 1000). Throws {@linkcode UsageError} naming `source`.
 */
export function parseByteSize(raw: string, options: { source: string }): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?|[kmg]i?b?)?\s*$/.exec(raw);
  const unit = UNITS[(match?.[2] ?? "").toLowerCase()];
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isFinite(bytes)) {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': expected a size such as 256Mi, 200MB or 268435456`,
    );
  }
  return bytes;
}

/** `bytes` for messages: `16 MiB` when whole mebibytes, else the byte count. */
export function formatByteSize(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= KIB && bytes % KIB === 0) return `${bytes / KIB} KiB`;
  return `${bytes} bytes`;
}
