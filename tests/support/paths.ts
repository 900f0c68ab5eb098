/**
 * Where things are in the repository, for tests and their support modules.
 *
 * @module
 */

/** Repository root, with a trailing slash. */
export const ROOT = new URL("../..", import.meta.url).pathname;

/** Where scripts/tools.sh puts Debian's prometheus and promtool, with a trailing slash. */
export const BIN = `${ROOT}.cache/bin/`;
