import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { parseBasic, PASSWORD_CHECK_BUDGET, withBasicAuth } from "./basic_auth.ts";

const HASH = bcrypt.hashSync("s3cret", 4);
const ok = () => new Response("metrics\n");
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

async function status(handler: ReturnType<typeof withBasicAuth>, authorization?: string) {
  const response = await handler(
    new Request("http://x/metrics", { headers: authorization ? { authorization } : {} }),
  );
  const text = await response.text();
  return { status: response.status, text, challenge: response.headers.get("www-authenticate") };
}

Deno.test("withBasicAuth() lets the right credentials through and refuses others with 401", async () => {
  const refused: (string | undefined)[] = [];
  const handler = withBasicAuth(ok, new Map([["prometheus", HASH]]), {
    onRefused: (user) => refused.push(user),
  });
  assert.deepEqual(await status(handler, basic("prometheus", "s3cret")), {
    status: 200,
    text: "metrics\n",
    challenge: null,
  });
  for (
    const header of [
      undefined,
      basic("prometheus", "wrong"),
      basic("nobody", "s3cret"),
      "Bearer abc",
      "Basic !!!",
      `Basic ${btoa("no-colon")}`,
    ]
  ) {
    const result = await status(handler, header);
    assert.equal(result.status, 401, String(header));
    assert.equal(result.challenge, 'Basic realm="dashflow-exporter", charset="UTF-8"');
    assert.ok(!result.text.includes("metrics"));
  }
  assert.deepEqual(refused, [undefined, "prometheus", "nobody", undefined, undefined, undefined]);
});

Deno.test("withBasicAuth() checks each password once: verified and refused are remembered", async () => {
  let calls = 0;
  const original = bcrypt.compare;
  const counting = async (password: string, hash: string) => {
    calls++;
    return await original(password, hash);
  };
  (bcrypt as { compare: typeof counting }).compare = counting;
  try {
    let mono = 0;
    const handler = withBasicAuth(ok, new Map([["u", HASH]]), { now: () => (mono += 1000) });
    for (let i = 0; i < 3; i++) {
      assert.equal((await status(handler, basic("u", "s3cret"))).status, 200);
    }
    assert.equal(calls, 1, "one bcrypt check for repeated scrapes");
    for (let i = 0; i < 2; i++) {
      assert.equal((await status(handler, basic("u", "bad"))).status, 401);
    }
    assert.equal(calls, 2, "a refused password is checked once");
    assert.equal((await status(handler, basic("u", "other"))).status, 401);
    assert.equal((await status(handler, basic("nobody", "bad"))).status, 401);
    assert.equal(calls, 4, "every new password is checked");
  } finally {
    (bcrypt as { compare: typeof original }).compare = original;
  }
});

Deno.test("withBasicAuth() budgets password checks per source, then answers 429 at once", async () => {
  let mono = 0;
  const handler = withBasicAuth(ok, new Map([["u", HASH]]), { now: () => mono });
  const from = (remoteAddress: string, user: string) =>
    handler(
      new Request("http://x/metrics", { headers: { authorization: basic(user, "guess") } }),
      { remoteAddress },
    );
  const burst = PASSWORD_CHECK_BUDGET.perSource.burst;
  for (let i = 0; i < burst; i++) assert.equal((await from("10.0.0.1", `a${i}`)).status, 401);
  const limited = await from("10.0.0.1", "a-next");
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "1");
  // Another source has its own budget, within the overall one.
  assert.equal((await from("10.0.0.2", "b0")).status, 401);
  // Known credentials never wait on the budget.
  assert.equal((await status(handler, basic("u", "s3cret"))).status, 429, "new: needs a check");
  mono += 1000;
  assert.equal((await status(handler, basic("u", "s3cret"))).status, 200);
  for (let i = 0; i < 10; i++) {
    assert.equal((await status(handler, basic("u", "s3cret"))).status, 200, "remembered");
  }
  // The overall budget holds whatever the number of sources.
  mono += 60_000;
  const statuses = [];
  for (let i = 0; i < 20; i++) statuses.push((await from(`10.1.0.${i}`, `c${i}`)).status);
  assert.equal(statuses.filter((s) => s === 401).length, PASSWORD_CHECK_BUDGET.overall.burst);
});

Deno.test("parseBasic() reads user and password, the password may hold colons", () => {
  assert.deepEqual(parseBasic(basic("a", "b:c")), { user: "a", password: "b:c" });
  // UTF-8 "ü:ß"
  assert.deepEqual(parseBasic("basic w7w6w58="), {
    user: "ü",
    password: "ß",
  });
  assert.equal(parseBasic(null), undefined);
});
