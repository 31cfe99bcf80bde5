import assert from "node:assert/strict";
import { UsageError } from "../lib/errors.ts";
import { parseAlphaArg, parseLanguages, parseNumberArg, parseSubmitArgs } from "./submit_args.ts";

Deno.test("parseNumberArg() gives TON 1 with + and TON 0 without, NPI 1", () => {
  assert.deepEqual(parseNumberArg("+12125550100", "SRC"), {
    ton: 1,
    npi: 1,
    digits: "12125550100",
  });
  assert.deepEqual(parseNumberArg("2125550100", "DEST"), { ton: 0, npi: 1, digits: "2125550100" });
  assert.deepEqual(parseNumberArg("1".repeat(20), "DEST").digits, "1".repeat(20));
  for (const bad of ["", "+", "12a4", "+-1", "1".repeat(21), "++1", " 1"]) {
    assert.throws(() => parseNumberArg(bad, "DEST"), UsageError, bad);
  }
});

Deno.test("parseAlphaArg() takes 1-11 septets of the default alphabet", () => {
  assert.deepEqual(parseAlphaArg("ThemWi"), { ton: 5, npi: 0, text: "ThemWi" });
  assert.equal(parseAlphaArg("Hello World").text, "Hello World");
  // "€" takes two septets (escape + code), so ten characters with it are 11 septets.
  assert.equal(parseAlphaArg("€".concat("x".repeat(9))).text?.length, 10);
  assert.throws(() => parseAlphaArg("€".concat("x".repeat(10))), /1-11 GSM 7 bit septets/);
  assert.throws(() => parseAlphaArg(""), UsageError);
  assert.throws(() => parseAlphaArg("Twelve chars"), UsageError);
  // Greek capitals are in the default alphabet (TS 23.038 §6.2.1).
  assert.equal(parseAlphaArg("ΩΣ-ok?").text, "ΩΣ-ok?");
  assert.throws(() => parseAlphaArg("日本"), /outside the GSM 7 bit default alphabet/);
});

Deno.test("parseLanguages() takes names in any case and identifiers", () => {
  assert.deepEqual(parseLanguages(undefined), []);
  assert.deepEqual(parseLanguages("turkish,Spanish, PORTUGUESE"), [1, 2, 3]);
  assert.deepEqual(parseLanguages("13"), [13]);
  assert.throws(() => parseLanguages("klingon"), /unknown language "klingon"/);
});

Deno.test("parseSubmitArgs() takes SRC DEST and every option", () => {
  const r = parseSubmitArgs([
    "--pid",
    "0x41",
    "--class",
    "1",
    "--srr",
    "--validity",
    "3600",
    "--mr",
    "250",
    "--lang",
    "turkish",
    "--ref16",
    "--ucs2",
    "+12125550100",
    "2125550101",
  ]);
  assert.deepEqual(r, {
    oa: { ton: 1, npi: 1, digits: "12125550100" },
    da: { ton: 0, npi: 1, digits: "2125550101" },
    imsi: "",
    smsLang: false,
    languages: [1],
    ucs2: true,
    ref16: true,
    pid: 0x41,
    dcs: undefined,
    messageClass: 1,
    srr: true,
    validityS: 3600,
    mr: 250,
  });
});

Deno.test("parseSubmitArgs() leaves absent options undefined", () => {
  const r = parseSubmitArgs(["1234", "5678"]);
  for (const k of ["pid", "dcs", "messageClass", "srr", "validityS", "mr"] as const) {
    assert.equal(r[k], undefined, k);
  }
});

Deno.test("parseSubmitArgs() with --imsi takes SRC only", () => {
  const r = parseSubmitArgs(["--imsi", "001010000000001", "--alpha", "Operator"]);
  assert.equal(r.da, null);
  assert.equal(r.imsi, "001010000000001");
  assert.deepEqual(r.oa, { ton: 5, npi: 0, text: "Operator" });
  assert.throws(
    () => parseSubmitArgs(["--imsi", "001010000000001", "1", "2"]),
    /unexpected argument "2"/,
  );
  assert.throws(() => parseSubmitArgs(["--imsi", "00101"]), /missing argument/);
  assert.throws(() => parseSubmitArgs(["--imsi", "12345", "1"]), /"--imsi" must be 6-15 digits/);
  assert.throws(() => parseSubmitArgs(["--imsi", "1".repeat(16), "1"]), /6-15 digits/);
});

Deno.test("parseSubmitArgs() accepts and ignores the wrapper's --config and --verbose", () => {
  const r = parseSubmitArgs(["-c", "x.toml", "--verbose", "1", "2"]);
  assert.equal(r.da?.digits, "2");
});

Deno.test("parseSubmitArgs() refuses bad command lines with a UsageError", async (t) => {
  const cases: [string[], RegExp][] = [
    [["1"], /missing argument: expected SRC DEST/],
    [["1", "2", "3"], /unexpected argument "3"/],
    [["--frob", "1", "2"], /unknown option "--frob"/],
    [["1", "2", "--pid"], /option "--pid" needs a value/],
    [["--pid", "256", "1", "2"], /"--pid" must be an integer 0-255: got "256"/],
    [["--pid", "-1", "1", "2"], /"--pid" has a value starting with "-": write --pid=VALUE/],
    [["--pid=-1", "1", "2"], /"--pid" must be an integer/],
    [["--mr", "1.5", "1", "2"], /"--mr" must be an integer 0-255/],
    [["--class", "4", "1", "2"], /"--class" must be an integer 0-3/],
    [["--validity", "4294967296", "1", "2"], /"--validity" must be an integer 0-4294967295/],
    [["--dcs", "8", "1", "2"], /"--dcs" goes with --sms-lang/],
    [["--sms-lang", "--dcs", "8", "--class", "1", "1", "2"], /exclude each other/],
    [["--sms-lang", "--lang", "turkish", "1", "2"], /"--lang" concerns plain text/],
    [["--sms-lang", "--ucs2", "1", "2"], /"--ucs2" concerns plain text/],
    [["--sms-lang", "--ref16", "1", "2"], /"--ref16" concerns plain text/],
    [["--alpha", "far too long a name", "2"], /1-11 GSM 7 bit septets/],
  ];
  for (const [argv, message] of cases) {
    await t.step(argv.join(" "), () => {
      assert.throws(
        () => parseSubmitArgs(argv),
        (e) => e instanceof UsageError && message.test(e.message),
      );
    });
  }
});
