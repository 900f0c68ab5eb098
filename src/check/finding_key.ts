/**
 * What makes two findings "the same" for `check --scrapes`, which reports each finding once, at
 * its first scrape: the rule, the metric and the message. Held as a 53-bit hash rather than the
 * text, so remembering every finding costs a number each, not a copy of its message (a hostile
 * exposition yields hundreds of thousands of findings; see finding_sink.ts).
 *
 * @module
 */

import type { Finding } from "./finding.ts";

/**
 * The key of `finding`: cyrb53 (a public-domain string hash of two 32-bit lanes) of its rule,
 * metric and message. Two different findings share a key with odds of about n²/2⁵⁴: for a
 * million findings, about one run in 18,000 would merge two of them.
 */
export function findingKey(finding: Finding): number {
  return cyrb53(`${finding.rule}\u0000${finding.metric ?? ""}\u0000${finding.message}`);
}

function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
