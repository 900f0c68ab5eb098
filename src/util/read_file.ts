import { UsageError } from "../errors.ts";

/** Reads a whole file; the Runtime's `readFile` fits. */
export type ReadFile = (path: string) => Promise<Uint8Array>;

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a parent is not a directory",
};

/**
 * Reads a file named by a setting at start. A file that cannot be read is a
 * usage error (exit 2) naming the setting, the path and why, e.g.
 * `Cannot read KAFKA_SSL_CA_LOCATION '/etc/kafka/ca.pem': no such file`.
 */
export async function readSettingFile(
  readFile: ReadFile,
  setting: { path: string; source: string },
): Promise<Uint8Array> {
  if (setting.path === "") {
    throw new UsageError(`Invalid ${setting.source} '': expected the path of a file`);
  }
  try {
    return await readFile(setting.path);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    const reason = REASONS[code] ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(
      `Cannot read ${setting.source} '${setting.path}': ${reason} ` +
        `(check the path, and that the file is mounted and readable)`,
    );
  }
}

/** {@linkcode readSettingFile} as UTF-8 text. */
export async function readSettingText(
  readFile: ReadFile,
  setting: { path: string; source: string },
): Promise<string> {
  return new TextDecoder().decode(await readSettingFile(readFile, setting));
}
