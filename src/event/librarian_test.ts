import assert from "node:assert/strict";
import { isLibrarian, LIBRARIAN_APP_TYPES } from "./librarian.ts";

Deno.test("isLibrarian() accepts exactly the librarian application types", () => {
  for (const type of LIBRARIAN_APP_TYPES) assert.equal(isLibrarian(type), true, type);
  for (const type of ["", "unknown", "Librarian", "LIBRARIAN", " librarian", "chat"]) {
    assert.equal(isLibrarian(type), false, JSON.stringify(type));
  }
});
