import assert from "node:assert/strict";
import fc from "fast-check";
import { DecodeError } from "../../lib/errors.ts";
import { getParam, type SipParam } from "./_scanner.ts";
import {
  type ContentType,
  parseContentType,
  parseCSeq,
  parseMaxForwards,
  serializeContentType,
  serializeCSeq,
} from "./fields.ts";
import { type NameAddr, parseContact, parseNameAddr, serializeNameAddr } from "./name_addr.ts";
import { checkMandatoryHeaders } from "./mandatory.ts";
import { parseSipMessage } from "./message.ts";
import { parseSipUri, serializeSipUri, type SipUri, type TelUri } from "./uri.ts";
import { parseVia, serializeVia, type Via } from "./via.ts";

const rejects = (fn: () => unknown, field: string) =>
  assert.throws(
    fn,
    (e: unknown) => e instanceof DecodeError && e.field === field && e.code === 400,
  );

Deno.test("parseSipUri() reads user, password, IPv6 host, port, params and headers", () => {
  assert.deepEqual(
    parseSipUri("sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?Subject=hi&Priority="),
    {
      scheme: "sips",
      user: "alice",
      password: "secret",
      host: "[2001:db8::1]",
      port: 5061,
      params: [{ name: "transport", value: "tcp" }, { name: "lr" }],
      headers: [{ name: "Subject", value: "hi" }, { name: "Priority", value: "" }],
    },
  );
  assert.deepEqual(parseSipUri("SIP:example.com"), {
    scheme: "sip",
    host: "example.com",
    params: [],
    headers: [],
  });
  assert.deepEqual(parseSipUri("tel:+1-201-555-0123;phone-context=example.com"), {
    scheme: "tel",
    number: "+1-201-555-0123",
    params: [{ name: "phone-context", value: "example.com" }],
  });
});

Deno.test("parseSipUri() rejects bad hosts, ports, escapes and other schemes", () => {
  for (
    const bad of [
      "sip:",
      "sip:a@",
      "sip:a@b:70000",
      "sip:a@[::1",
      "sip:a%zz@b",
      "sip:a@b;=x",
      "sip:a@b?x",
      "http://x",
      "tel:",
    ]
  ) {
    rejects(() => parseSipUri(bad), "SIP-URI");
  }
});

Deno.test("parseVia() reads sent-protocol, sent-by and params with LWS", () => {
  assert.deepEqual(
    parseVia("SIP  / 2.0  / TCP     spindle.example.com   ;  branch  =   z9hG4bK9ikj8"),
    {
      protocol: "SIP",
      version: "2.0",
      transport: "TCP",
      host: "spindle.example.com",
      params: [{ name: "branch", value: "z9hG4bK9ikj8" }],
    },
  );
  const v = parseVia("SIP/2.0/WSS [2001:db8::9]:443;rport;received=2001:db8::1;branch=z9hG4bKx");
  assert.equal(v.port, 443);
  assert.equal(getParam(v.params, "RPORT"), "");
  assert.equal(getParam(v.params, "received"), "2001:db8::1");
  assert.equal(getParam(v.params, "maddr"), undefined);
  for (
    const bad of [
      "SIP/2.0/UDP 192.0.2.15;;",
      "SIP/2.0/UDP",
      "SIP/2.0 host",
      "SIP/2.0/UDP h:99999",
      "SIP/2.0/UDP h x",
    ]
  ) {
    rejects(() => parseVia(bad), "Via");
  }
});

Deno.test("parseNameAddr() handles quoted, token and absent display names", () => {
  assert.deepEqual(
    parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com> ; tag = 98asjd8'),
    {
      displayName: 'J Rosenberg \\"',
      uri: "sip:jdrosen@example.com",
      params: [{ name: "tag", value: "98asjd8" }],
    },
  );
  assert.deepEqual(parseNameAddr("caller<sip:caller@example.com>;tag=323"), {
    displayName: "caller",
    uri: "sip:caller@example.com",
    params: [{ name: "tag", value: "323" }],
  });
  assert.deepEqual(parseNameAddr("sip:+19725552222@gw1.example.net;unknownparam", "Contact"), {
    uri: "sip:+19725552222@gw1.example.net",
    params: [{ name: "unknownparam" }],
  });
  assert.equal(parseContact(" * "), "*");
  assert.equal((parseContact('<sip:a@h>;expires=60, "B" <sip:b@h>') as NameAddr[]).length, 2);
  rejects(() => parseNameAddr("Bell, Alexander <sip:a@b>", "From"), "From");
  rejects(() => parseNameAddr("< sip:a@b >", "To"), "To");
  rejects(() => parseNameAddr("sip:a@b?x=y", "Contact"), "Contact");
  rejects(() => parseNameAddr('"open <sip:a@b>', "To"), "To");
});

Deno.test("parseCSeq(), parseMaxForwards() and parseContentType() bound their numbers", () => {
  assert.deepEqual(parseCSeq("0009  INVITE"), { seq: 9, method: "INVITE" });
  assert.deepEqual(parseCSeq("4294967295 MESSAGE"), { seq: 4294967295, method: "MESSAGE" });
  rejects(() => parseCSeq("4294967296 MESSAGE"), "CSeq");
  rejects(() => parseCSeq("36893488147419103232 REGISTER"), "CSeq");
  rejects(() => parseCSeq("1MESSAGE"), "CSeq");
  assert.equal(parseMaxForwards("0068"), 68);
  rejects(() => parseMaxForwards("256"), "Max-Forwards");
  assert.deepEqual(parseContentType('application/vnd.3gpp.sms ; charset="x y"'), {
    type: "application",
    subtype: "vnd.3gpp.sms",
    params: [{ name: "charset", value: '"x y"' }],
  });
  rejects(() => parseContentType("text/plain;charset"), "Content-Type");
});

Deno.test("checkMandatoryHeaders() returns the parsed fields of an SMS MESSAGE", () => {
  const msg = parseSipMessage(new TextEncoder().encode(
    "MESSAGE tel:+12345678901 SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n" +
      "f: <tel:+1-212-555-1111>;tag=1\r\nt: <tel:+12345678901>\r\ni: a@b\r\nCSeq: 7 MESSAGE\r\n" +
      "c: application/vnd.3gpp.sms\r\nl: 2\r\n\r\n\x02\x05",
  ));
  const m = checkMandatoryHeaders(msg);
  assert.equal(m.callId, "a@b");
  assert.deepEqual(m.cseq, { seq: 7, method: "MESSAGE" });
  assert.equal(m.from.uri, "tel:+1-212-555-1111");
  assert.equal(m.via[0].transport, "TCP");
  assert.equal(m.maxForwards, 70);
  assert.equal(m.contentType?.subtype, "vnd.3gpp.sms");
});

/** fast-check records have a null prototype; compare against plain JSON objects. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));

// Generators of valid structured values for the parse(serialize(v)) = v properties.
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join("."));
const ipv6 = fc.ipV6().map((a) => `[${a}]`);
const host = fc.oneof(hostname, fc.ipV4(), ipv6);
const escapedRun = (chars: string) =>
  fc.array(fc.oneof(fc.constantFrom(...chars.split("")), fc.constantFrom("%41", "%00", "%3a")), {
    minLength: 1,
    maxLength: 8,
  }).map((a) => a.join(""));
const UNRES = "abcXYZ019-_.!~*'()";
const uriParam: fc.Arbitrary<SipParam> = fc.record(
  { name: escapedRun(UNRES + "[]/:&+$"), value: escapedRun(UNRES + "[]/:&+$") },
  { requiredKeys: ["name"] },
);
const sipUri: fc.Arbitrary<SipUri> = fc.record({
  scheme: fc.constantFrom("sip" as const, "sips" as const),
  user: escapedRun(UNRES + "&=+$,;?/"),
  password: fc.oneof(escapedRun(UNRES + "&=+$,"), fc.constant("")),
  host,
  port: fc.integer({ min: 0, max: 65535 }),
  params: fc.array(uriParam, { maxLength: 3 }),
  headers: fc.array(
    fc.record({
      name: escapedRun(UNRES + "[]/?:+$"),
      value: fc.oneof(escapedRun(UNRES), fc.constant("")),
    }),
    { maxLength: 2 },
  ),
}, { requiredKeys: ["scheme", "host", "params", "headers"] }).filter((u) =>
  u.user !== undefined || u.password === undefined
);
const telUri: fc.Arbitrary<TelUri> = fc.record({
  scheme: fc.constant("tel" as const),
  number: fc.stringMatching(/^\+?[0-9][0-9\-.()]{0,14}$/),
  params: fc.array(uriParam, { maxLength: 2 }),
});
const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,10}$/);
const genericParam: fc.Arbitrary<SipParam> = fc.record({
  name: token,
  value: fc.oneof(token, fc.stringMatching(/^"([ !#-\[\]-~]|\\\\|\\")*"$/), host),
}, { requiredKeys: ["name"] });

Deno.test("parseSipUri(serializeSipUri(v)) equals v for generated URIs", () => {
  fc.assert(
    fc.property(fc.oneof(sipUri, telUri), (uri) => {
      assert.deepEqual(parseSipUri(serializeSipUri(uri)), plain(uri));
    }),
    { seed: 42, numRuns: 500 },
  );
});

Deno.test("parseVia(serializeVia(v)) equals v for generated Vias", () => {
  const via: fc.Arbitrary<Via> = fc.record({
    protocol: fc.constant("SIP"),
    version: fc.constant("2.0"),
    transport: fc.constantFrom("UDP", "TCP", "TLS", "SCTP", "WS", "WSS", "X-new"),
    host,
    port: fc.integer({ min: 0, max: 65535 }),
    params: fc.array(genericParam, { maxLength: 4 }),
  }, { requiredKeys: ["protocol", "version", "transport", "host", "params"] });
  fc.assert(fc.property(via, (v) => assert.deepEqual(parseVia(serializeVia(v)), plain(v))), {
    seed: 42,
    numRuns: 500,
  });
});

Deno.test("parseNameAddr(serializeNameAddr(v)) equals v for generated name-addrs", () => {
  const nameAddr: fc.Arbitrary<NameAddr> = fc.record({
    displayName: fc.string({ maxLength: 12 }).filter((s) => !s.includes("\0") && !/[\r\n]/.test(s)),
    uri: fc.oneof(sipUri, telUri).map(serializeSipUri),
    params: fc.array(genericParam, { maxLength: 3 }),
  }, { requiredKeys: ["uri", "params"] });
  fc.assert(
    fc.property(
      nameAddr,
      (v) => assert.deepEqual(parseNameAddr(serializeNameAddr(v, "To"), "To"), plain(v)),
    ),
    { seed: 42, numRuns: 500 },
  );
});

Deno.test("parseCSeq() and parseContentType() invert their serializers", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), token, (seq, method) => {
      assert.deepEqual(parseCSeq(serializeCSeq({ seq, method })), { seq, method });
    }),
    { seed: 42, numRuns: 200 },
  );
  const ct: fc.Arbitrary<ContentType> = fc.record({
    type: token,
    subtype: token,
    params: fc.array(fc.record({ name: token, value: token }), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(ct, (v) => assert.deepEqual(parseContentType(serializeContentType(v)), plain(v))),
    {
      seed: 42,
      numRuns: 200,
    },
  );
});
