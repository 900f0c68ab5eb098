import { parseMaxPayloadBytes } from "../wire/limits.ts";
import { pick } from "./parse.ts";
import { SETTINGS } from "./settings.ts";

/**
 * Resolves the record size limit (`serve`, `tail`, `replay`): `--max-payload-bytes`, else
 * `DASHSTREAM_MAX_PAYLOAD_BYTES`, else the default of `parseMaxPayloadBytes`.
 */
export function resolveMaxPayloadBytes(
  flags: { maxPayloadBytes?: string },
  env: Record<string, string | undefined>,
): number {
  const setting = pick(SETTINGS.maxPayloadBytes, { flags, env });
  return parseMaxPayloadBytes(setting?.raw, { source: setting?.source });
}
