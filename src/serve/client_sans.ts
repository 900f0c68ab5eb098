/**
 * `client_allowed_sans`: a verified client certificate is let in only when one of its subject
 * alternative names (DNS, IP, email, URI) is in the list, compared exactly as the
 * exporter-toolkit compares them (Go's string forms: an IPv6 address compressed, `::1`). See
 * docs/web_config.md, "Rule: client_allowed_sans".
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";

// node's subjectaltname: `DNS:a, IP Address:::1, email:x, URI:y`; a value with a comma or quote
// is JSON-quoted (`DNS:"a,b"`).
const ENTRY = /(DNS|IP Address|email|URI|[A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/y;
const KINDS: Record<string, boolean> = { DNS: true, "IP Address": true, email: true, URI: true };

/** The DNS, IP, email and URI names of a subjectAltName in node:tls' form, as Go prints them. */
export function subjectAltNames(subjectAltName: string | undefined): string[] {
  const out: string[] = [];
  if (!subjectAltName) return out;
  ENTRY.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (ENTRY.lastIndex < subjectAltName.length && (match = ENTRY.exec(subjectAltName))) {
    const [, kind, raw] = match;
    if (!KINDS[kind]) continue; // othername, DirName, Registered ID: Go ignores them too.
    const value = raw.startsWith('"') ? JSON.parse(raw) as string : raw;
    out.push(kind === "IP Address" ? goIp(value) : value);
  }
  return out;
}

/** Whether a client certificate with `subjectAltName` may connect under `allowed`. */
export function allowsClient(allowed: readonly string[], subjectAltName: string | undefined) {
  return subjectAltNames(subjectAltName).some((name) => allowed.includes(name));
}

// Go's net.IP.String(): IPv4 dotted; IPv4-mapped IPv6 as IPv4; else RFC 5952 (lower case, the
// longest run of two or more zero groups as `::`, the first on a tie).
function goIp(ip: string): string {
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const groups = expandIpv6(ip);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  }
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

function expandIpv6(ip: string): number[] {
  let text = ip.toLowerCase();
  const v4 = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${
      ((c << 8) | d).toString(16)
    }`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}
