/**
 * The librarian rule: which application types are librarian requests (they also feed the
 * `dashstream_librarian_*` metrics). Exact and case-sensitive, as in the original exporter.
 *
 * @module
 */

/** Application types that are librarian requests (exact, case-sensitive). */
export const LIBRARIAN_APP_TYPES = Object.freeze(
  ["librarian", "code_assistant", "document_search", "document_search_streaming"] as const,
);

const LIBRARIAN = new Set<string>(LIBRARIAN_APP_TYPES);

/** Whether a quality event's application type is a librarian request. */
export function isLibrarian(applicationType: string): boolean {
  return LIBRARIAN.has(applicationType);
}
