import assert from "node:assert/strict";
import {
  type DigestAlgorithm,
  DigestAuth,
  type DigestCredential,
  digestResponse,
  findAuthorization,
  ha1,
  parseDigestParams,
} from "./sip_digest.ts";

const REALM = "smsc.local";
const SECRET = new TextEncoder().encode("0123456789abcdef");
const TTL = 60_000;
const T0 = 1_700_000_000_000;

function credential(username: string, password: string, realm = REALM): DigestCredential {
  return {
    username,
    realm,
    ha1: {
      "MD5": ha1("MD5", username, realm, password),
      "SHA-256": ha1("SHA-256", username, realm, password),
    },
  };
}

const USERS = new Map([["12125550100", credential("12125550100", "s3cret pass")]]);
const lookup = (u: string) => USERS.get(u);

interface ClientOptions {
  algorithm?: DigestAlgorithm;
  password?: string;
  method?: string;
  uri?: string;
  nc?: string;
  cnonce?: string;
  username?: string;
  extra?: string;
}

/** What a client would send back to `challenge`'s nonce. */
function authorize(nonce: string, o: ClientOptions = {}): string {
  const algorithm = o.algorithm ?? "SHA-256";
  const username = o.username ?? "12125550100";
  const uri = o.uri ?? "sip:smsc.local";
  const nc = o.nc ?? "00000001";
  const cnonce = o.cnonce ?? "0a4f113b";
  const response = digestResponse({
    algorithm,
    ha1: ha1(algorithm, username, REALM, o.password ?? "s3cret pass"),
    nonce,
    nc,
    cnonce,
    method: o.method ?? "REGISTER",
    uri,
  });
  return `Digest username="${username}", realm="${REALM}", nonce="${nonce}", uri="${uri}", ` +
    `response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"` +
    (o.extra ?? "");
}

function auth(maxTracked?: number): DigestAuth {
  return new DigestAuth({ realm: REALM, secret: SECRET, nonceTtlMs: TTL, maxTracked });
}

function nonceOf(a: DigestAuth, now = T0): string {
  const p = parseDigestParams(a.challenge(now)[0]);
  assert.ok("params" in p);
  return p.params.get("nonce")!;
}

function reasonOf(r: ReturnType<DigestAuth["verify"]>): string {
  assert.equal(r.ok, false);
  return (r as { reason: string }).reason;
}

Deno.test("digest: RFC 7616 §3.9.1 example, SHA-256 and MD5", () => {
  const input = {
    nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    nc: "00000001",
    cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    method: "GET",
    uri: "/dir/index.html",
  };
  // Errata 4495: the password is "Circle of Life", lower-case "of".
  const realm = "http-auth@example.org";
  assert.equal(
    digestResponse({
      ...input,
      algorithm: "SHA-256",
      ha1: ha1("SHA-256", "Mufasa", realm, "Circle of Life"),
    }),
    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
  );
  assert.equal(
    digestResponse({
      ...input,
      algorithm: "MD5",
      ha1: ha1("MD5", "Mufasa", realm, "Circle of Life"),
    }),
    "8ca523f5e9506fed4657c9700eebdbec",
  );
});

Deno.test("digest: RFC 2617 §3.5 example", () => {
  assert.equal(
    digestResponse({
      algorithm: "MD5",
      ha1: ha1("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life"),
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      nc: "00000001",
      cnonce: "0a4f113b",
      method: "GET",
      uri: "/dir/index.html",
    }),
    "6629fae49393a05397450978507c4ef1",
  );
});

Deno.test("digest: parseDigestParams reads the RFC 7616 §3.9.1 Authorization", () => {
  const value = `Digest username="Mufasa",
       realm="http-auth@example.org",
       uri="/dir/index.html",
       algorithm=MD5,
       nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
       nc=00000001,
       cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
       qop=auth,
       response="8ca523f5e9506fed4657c9700eebdbec",
       opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`.replace(/\n\s*/g, " ");
  const p = parseDigestParams(value);
  assert.ok("params" in p);
  assert.equal(p.scheme, "Digest");
  assert.equal(p.params.get("nc"), "00000001");
  assert.equal(p.params.get("cnonce"), "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
  assert.equal(p.params.size, 10);
  assert.deepEqual(parseDigestParams('Digest realm="a\\"b"'), {
    scheme: "Digest",
    params: new Map([["realm", 'a"b']]),
  });
  for (
    const bad of [
      "",
      'Digest realm="x',
      "Digest realm",
      "Digest realm=a realm=b",
      "Digest a=1, A=2",
    ]
  ) {
    assert.ok("error" in parseDigestParams(bad), bad);
  }
});

Deno.test("digest: challenge offers SHA-256 then MD5 with one nonce and qop=auth", () => {
  const a = auth();
  const values = a.challenge(T0);
  assert.equal(values.length, 2);
  const parsed = values.map((v) => parseDigestParams(v));
  const [sha, md5] = parsed.map((p) => ("params" in p ? p.params : assert.fail("parse")));
  assert.equal(sha.get("algorithm"), "SHA-256");
  assert.equal(md5.get("algorithm"), "MD5");
  assert.equal(sha.get("nonce"), md5.get("nonce"));
  assert.equal(sha.get("realm"), REALM);
  assert.equal(sha.get("qop"), "auth");
  assert.equal(sha.get("stale"), undefined);
  assert.match(a.challenge(T0, true)[1], /, stale=true$/);
  assert.notEqual(nonceOf(a, T0), nonceOf(a, T0 + 1));
});

Deno.test("digest: a correct response verifies with either algorithm", () => {
  const a = auth();
  const nonce = nonceOf(a);
  for (const algorithm of ["SHA-256", "MD5"] as const) {
    assert.deepEqual(
      a.verify(authorize(nonce, { algorithm, cnonce: algorithm }), "REGISTER", lookup, T0 + 1000),
      { ok: true, username: "12125550100" },
    );
  }
  // No algorithm parameter means MD5 (RFC 7616 §3.3).
  const md5 = authorize(nonce, { algorithm: "MD5", cnonce: "x" }).replace(", algorithm=MD5", "");
  assert.equal(a.verify(md5, "REGISTER", lookup, T0).ok, true);
  // Quoted tokens and lower-case names are tolerated.
  const quoted = authorize(nonce, { cnonce: "y" }).replace("qop=auth", 'qop="auth"')
    .replace("Digest username", "digest USERNAME");
  assert.equal(a.verify(quoted, "REGISTER", lookup, T0).ok, true);
});

Deno.test("digest: refusals carry a reason and stale=false", async (t) => {
  const a = auth();
  const nonce = nonceOf(a);
  const good = authorize(nonce);
  const cases: [string, string | undefined, RegExp, string?][] = [
    ["no header", undefined, /no Authorization/],
    ["Basic", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", /not Digest/],
    ["garbage", "Digest ,,,", /malformed/],
    ["wrong password", authorize(nonce, { password: "nope" }), /wrong response/],
    ["wrong method", good, /wrong response/, "MESSAGE"],
    ["unknown user", authorize(nonce, { username: "12125550199" }), /unknown username/],
    ["wrong realm", good.replace(`realm="${REALM}"`, 'realm="other"'), /wrong realm/],
    ["SHA-512-256", good.replace("algorithm=SHA-256", "algorithm=SHA-512-256"), /not offered/],
    ["MD5-sess", good.replace("algorithm=SHA-256", "algorithm=MD5-sess"), /not offered/],
    ["algorithm mismatch", good.replace("algorithm=SHA-256", "algorithm=MD5"), /does not fit/],
    ["qop missing", good.replace(", qop=auth", ""), /qop missing/],
    ["auth-int", good.replace("qop=auth", "qop=auth-int"), /qop auth-int not offered/],
    ["nc malformed", good.replace("nc=00000001", "nc=1"), /nc missing or malformed/],
    ["nc zero", good.replace("nc=00000001", "nc=00000000"), /nc is zero/],
    ["cnonce missing", good.replace(/, cnonce="[^"]*"/, ""), /cnonce missing/],
    ["response missing", good.replace(/, response="[^"]*"/, ""), /response missing/],
    ["username missing", good.replace(/username="[^"]*", /, ""), /username missing/],
    ["username*", good + ", username*=UTF-8''x", /username\*/],
    ["userhash", good + ", userhash=true", /userhash/],
    ["foreign nonce", authorize("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"), /not issued here/],
  ];
  for (const [name, header, reason, method] of cases) {
    await t.step(name, () => {
      const r = a.verify(header, method ?? "REGISTER", lookup, T0);
      assert.deepEqual(r.ok, false);
      assert.equal((r as { stale: boolean }).stale, false);
      assert.match(reasonOf(r), reason);
    });
  }
  await t.step("nonce of another secret", () => {
    const b = new DigestAuth({ realm: REALM, secret: new Uint8Array(16), nonceTtlMs: TTL });
    assert.match(reasonOf(a.verify(authorize(nonceOf(b)), "REGISTER", lookup, T0)), /not issued/);
  });
  await t.step("non-canonical nonce spelling", () => {
    const last = nonce.at(-1)!;
    const other = nonce.slice(0, -1) + (last === "A" ? "B" : "A");
    assert.match(reasonOf(a.verify(authorize(other), "REGISTER", lookup, T0)), /not issued/);
  });
  await t.step("credential for another realm", () => {
    const r = a.verify(good, "REGISTER", () => credential("12125550100", "s3cret pass", "x"), T0);
    assert.match(reasonOf(r), /realm "x"/);
  });
});

Deno.test("digest: Request-URI check ignores letter case only", () => {
  const a = auth();
  const nonce = nonceOf(a);
  const h = authorize(nonce, { uri: "sip:smsc.local" });
  assert.equal(a.verify(h, "REGISTER", lookup, T0, "SIP:SMSC.local").ok, true);
  const other = authorize(nonce, { uri: "sip:smsc.local", cnonce: "2" });
  assert.match(
    reasonOf(a.verify(other, "REGISTER", lookup, T0, "sip:evil.example")),
    /not the Request-URI/,
  );
});

Deno.test("digest: an expired nonce is stale only when the response is right", () => {
  const a = auth();
  const nonce = nonceOf(a, T0);
  const late = T0 + TTL + 1;
  assert.deepEqual(a.verify(authorize(nonce), "REGISTER", lookup, late), {
    ok: false,
    stale: true,
    reason: "nonce expired",
  });
  const wrong = a.verify(authorize(nonce, { password: "x" }), "REGISTER", lookup, late);
  assert.equal((wrong as { stale: boolean }).stale, false);
  // Exactly at the lifetime it is still fresh; a clock stepped back a little too.
  assert.equal(a.verify(authorize(nonce), "REGISTER", lookup, T0 + TTL).ok, true);
  assert.equal(a.verify(authorize(nonce, { cnonce: "b" }), "REGISTER", lookup, T0 - 5).ok, true);
});

Deno.test("digest: nc replay is refused as stale, out-of-order within the window is not", () => {
  const a = auth();
  const nonce = nonceOf(a);
  const v = (nc: string, cnonce = "c1") =>
    a.verify(authorize(nonce, { nc, cnonce }), "REGISTER", lookup, T0);
  assert.equal(v("00000001").ok, true);
  assert.deepEqual(v("00000001"), { ok: false, stale: true, reason: "nc replayed" });
  assert.equal(v("00000001", "c2").ok, true); // another cnonce is another counter
  assert.equal(v("00000005").ok, true);
  assert.equal(v("00000003").ok, true); // overtaken, still inside the window
  assert.match(reasonOf(v("00000003")), /replayed/);
  assert.equal(v("00000030").ok, true);
  assert.match(reasonOf(v("00000004")), /too far behind/);
  assert.equal(v("00000031").ok, true);
  assert.equal(a.trackedCount, 2);
});

Deno.test("digest: the replay table is bounded and forgets the oldest safely", () => {
  const a = auth(2);
  const n1 = nonceOf(a, T0);
  const n2 = nonceOf(a, T0 + 10);
  const n3 = nonceOf(a, T0 + 20);
  const v = (nonce: string, cnonce: string) =>
    a.verify(authorize(nonce, { cnonce }), "REGISTER", lookup, T0 + 30);
  assert.equal(v(n1, "a").ok, true);
  assert.equal(v(n2, "a").ok, true);
  assert.equal(v(n3, "a").ok, true); // evicts (n1, a)
  assert.equal(a.trackedCount, 2);
  // n1's entry is gone: its replay can no longer be told apart, so it is stale.
  assert.deepEqual(v(n1, "a"), {
    ok: false,
    stale: true,
    reason: "nonce too old to check for replay",
  });
  // Expired entries are dropped first when room is needed.
  const later = T0 + TTL + 100;
  const n4 = nonceOf(a, later);
  assert.equal(a.verify(authorize(n4, { cnonce: "z" }), "REGISTER", lookup, later).ok, true);
  assert.equal(a.trackedCount, 1);
});

Deno.test("digest: findAuthorization picks our realm's value", () => {
  const ours = `Digest username="a", realm="${REALM}", nonce="n"`;
  const theirs = 'Digest username="a", realm="proxy.example", nonce="n"';
  assert.equal(findAuthorization([theirs, ours], REALM), ours);
  assert.equal(findAuthorization([theirs], REALM), theirs);
  assert.equal(findAuthorization([], REALM), undefined);
});

Deno.test("digest: every truncation and byte change of a good header is an answer, never a throw", () => {
  const a = auth();
  const good = authorize(nonceOf(a));
  for (let i = 0; i < good.length; i++) {
    const r = a.verify(good.slice(0, i), "REGISTER", lookup, T0);
    assert.equal(r.ok, false);
  }
  let accepted = 0;
  for (let i = 0; i < good.length; i++) {
    for (const c of ['"', ",", "\\", "=", " ", "x", "\u00e9"]) {
      const r = a.verify(good.slice(0, i) + c + good.slice(i + 1), "REGISTER", lookup, T0);
      if (r.ok) accepted++;
    }
  }
  // Changes inside ignored white space or equal letters may still verify; most must not.
  assert.ok(accepted < good.length / 4, `accepted ${accepted}`);
});

Deno.test("digest: constructor refuses an empty secret and a bad lifetime", () => {
  assert.throws(() => new DigestAuth({ realm: REALM, secret: new Uint8Array(0), nonceTtlMs: 1 }));
  assert.throws(() => new DigestAuth({ realm: REALM, secret: SECRET, nonceTtlMs: 0 }));
});

Deno.test("digest: only the configured algorithms are offered and accepted, in their order", () => {
  const md5Only = new DigestAuth({
    realm: REALM,
    secret: SECRET,
    nonceTtlMs: TTL,
    algorithms: ["MD5"],
  });
  const challenges = md5Only.challenge(T0);
  assert.equal(challenges.length, 1);
  assert.match(challenges[0], /algorithm=MD5/);
  const nonce = nonceOf(md5Only);
  assert.equal(
    md5Only.verify(authorize(nonce, { algorithm: "MD5" }), "REGISTER", lookup, T0).ok,
    true,
  );
  assert.match(
    reasonOf(
      md5Only.verify(
        authorize(nonce, { algorithm: "SHA-256", cnonce: "x2" }),
        "REGISTER",
        lookup,
        T0,
      ),
    ),
    /not offered/,
  );
  const md5First = new DigestAuth({
    realm: REALM,
    secret: SECRET,
    nonceTtlMs: TTL,
    algorithms: ["MD5", "SHA-256"],
  });
  assert.match(md5First.challenge(T0)[0], /algorithm=MD5/);
  assert.throws(
    () => new DigestAuth({ realm: REALM, secret: SECRET, nonceTtlMs: TTL, algorithms: [] }),
    RangeError,
  );
});
