/**
 * Commander keeps the dots of a flag like `--web.config.file` in the attribute name
 * (`"web.config.file"`); the modes' settings name it `webConfigFile`.
 * @module
 */

import type { Undot } from "../config/settings.ts";

/** `Flags` with every dotted attribute name undotted. */
export type UndottedFlags<Flags> = {
  [Key in keyof Flags as Key extends string ? Undot<Key> : Key]: Flags[Key];
};

/** Copies `flags`, renaming each dotted attribute as {@linkcode Undot} does. */
export function undotFlags<Flags extends object>(flags: Flags): UndottedFlags<Flags> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flags)) {
    out[name.replace(/\.(.)/g, (_dot, next: string) => next.toUpperCase())] = value;
  }
  return out as UndottedFlags<Flags>;
}
