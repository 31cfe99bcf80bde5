import assert from "node:assert/strict";
import { dummyHash, hashPassword, verifyPassword } from "./password_hash.ts";

const CHEAP = { ln: 4, r: 8, p: 1 };

Deno.test("hashPassword() salts each hash and verifyPassword() checks it", () => {
  const a = hashPassword("secret", CHEAP);
  const b = hashPassword("secret", CHEAP);
  assert.notEqual(a, b);
  assert.match(a, /^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.ok(!a.includes("secret"));
  assert.equal(verifyPassword("secret", a), true);
  assert.equal(verifyPassword("secret", b), true);
  assert.equal(verifyPassword("Secret", a), false);
  assert.equal(verifyPassword("", a), false);
});

Deno.test("verifyPassword() never matches a malformed or oversized stored string", async (t) => {
  const good = hashPassword("pw", CHEAP);
  const cases: [string, string][] = [
    ["empty", ""],
    ["plain text", "pw"],
    ["other scheme", good.replace("$scrypt$", "$pbkdf2$")],
    ["cost too high", good.replace("ln=4", "ln=30")],
    ["r too high", good.replace("r=8", "r=99")],
    ["p zero", good.replace("p=1", "p=0")],
    ["short hash", good.slice(0, -4)],
    ["dummy", dummyHash(CHEAP)],
  ];
  for (const [name, stored] of cases) {
    await t.step(name, () => assert.equal(verifyPassword("pw", stored), false));
  }
});
