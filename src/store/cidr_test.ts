import assert from "node:assert/strict";
import { cidrContains, formatCidr, parseCidr } from "./cidr.ts";

Deno.test("parseCidr() and formatCidr() normalize", async (t) => {
  const cases: [string, string | undefined][] = [
    ["192.0.2.7", "192.0.2.7/32"],
    ["192.0.2.7/24", "192.0.2.0/24"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["2001:db8::1", "2001:db8:0:0:0:0:0:1/128"],
    ["2001:DB8::/32", "2001:db8:0:0:0:0:0:0/32"],
    ["::/0", "0:0:0:0:0:0:0:0/0"],
    ["::ffff:192.0.2.1/128", "0:0:0:0:0:ffff:c000:201/128"],
    ["192.0.2.7/33", undefined],
    ["2001:db8::/129", undefined],
    ["192.0.2/24", undefined],
    ["192.0.2.7/", undefined],
    ["192.0.2.7/24/1", undefined],
    ["host.example", undefined],
    ["", undefined],
  ];
  for (const [text, expect] of cases) {
    await t.step(text || "(empty)", () => {
      const parsed = parseCidr(text);
      assert.equal(parsed ? formatCidr(parsed) : undefined, expect);
    });
  }
});

Deno.test("cidrContains()", async (t) => {
  const cases: [string, string, boolean][] = [
    ["192.0.2.0/24", "192.0.2.200", true],
    ["192.0.2.0/24", "192.0.3.1", false],
    ["192.0.2.7/32", "192.0.2.7", true],
    ["192.0.2.7/32", "192.0.2.8", false],
    ["0.0.0.0/0", "203.0.113.9", true],
    ["192.0.2.0/25", "192.0.2.128", false],
    ["192.0.2.0/24", "::ffff:192.0.2.9", true],
    ["192.0.2.0/24", "2001:db8::1", false],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["::1/128", "::1", true],
    ["::/0", "192.0.2.1", false],
    ["bad", "192.0.2.1", false],
    ["192.0.2.0/24", "bad", false],
  ];
  for (const [cidr, address, expect] of cases) {
    await t.step(`${address} in ${cidr}`, () => assert.equal(cidrContains(cidr, address), expect));
  }
});
