import { parseTopic, pick } from "./parse.ts";
import { SETTINGS } from "./settings.ts";

/** The topic `serve` consumes and `tail` reads when neither `--topic` nor `KAFKA_TOPIC` says. */
export const DEFAULT_TOPIC = "dashstream-quality";

/** Resolves the topic to read (`serve`, `tail`): `--topic`, else `KAFKA_TOPIC`, else the default. */
export function resolveTopic(
  flags: { topic?: string },
  env: Record<string, string | undefined>,
): string {
  const setting = pick(SETTINGS.topic, { flags, env });
  return parseTopic(setting?.raw ?? DEFAULT_TOPIC, {
    source: setting?.source ?? SETTINGS.topic.env,
  });
}
