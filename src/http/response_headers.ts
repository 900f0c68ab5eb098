import type { Handler } from "../runtime/mod.ts";

/**
 * Sets `headers` on every response of `handler` (web config `http_server_config.headers`),
 * refusals of the handlers it wraps (401 of basic auth, 404, 405) included.
 */
export function withHeaders(handler: Handler, headers: Readonly<Record<string, string>>): Handler {
  const entries = Object.entries(headers);
  return async (request, info) => {
    const response = await handler(request, info);
    for (const [name, value] of entries) response.headers.set(name, value);
    return response;
  };
}
