import assert from "node:assert/strict";
import { allowsClient, subjectAltNames } from "./client_sans.ts";

Deno.test("subjectAltNames() reads node's form, as Go prints the names", () => {
  assert.deepEqual(
    subjectAltNames(
      "DNS:prom.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1, email:ops@example.com, " +
        'URI:spiffe://cluster/ns/mon/sa/prometheus, DNS:"a,b", othername:<unsupported>, ' +
        "IP Address:2001:DB8:0:0:1:0:0:1, IP Address:::FFFF:10.1.2.3",
    ),
    [
      "prom.example",
      "10.0.0.1",
      "::1",
      "ops@example.com",
      "spiffe://cluster/ns/mon/sa/prometheus",
      "a,b",
      "2001:db8::1:0:0:1",
      "10.1.2.3",
    ],
  );
  assert.deepEqual(subjectAltNames("IP Address:::1"), ["::1"]);
  assert.deepEqual(subjectAltNames(undefined), []);
});

Deno.test("allowsClient() wants one name of the certificate in the list", () => {
  const san = "DNS:prom.example, IP Address:0:0:0:0:0:0:0:1";
  assert.equal(allowsClient(["other", "prom.example"], san), true);
  assert.equal(allowsClient(["::1"], san), true);
  assert.equal(allowsClient(["0:0:0:0:0:0:0:1"], san), false, "compared as Go prints it");
  assert.equal(allowsClient(["PROM.example"], san), false, "exactly");
  assert.equal(allowsClient(["prom.example"], undefined), false);
});
