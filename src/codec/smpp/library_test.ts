import assert from "node:assert/strict";
import { fromHex } from "../../lib/bytes.ts";
import type { Vector } from "../../../tests/support/codec_harness.ts";
import cases from "../../../tests/vectors/smpp/pdu.json" with { type: "json" };
import transparency from "../../../tests/vectors/smpp/short_message_transparency.json" with {
  type: "json",
};
import { libraryDefs, toLibraryPdu } from "./library.ts";
import { decodeSmppPdu } from "./pdu.ts";
import { SMPP_COMMAND_IDS } from "./constants.ts";
import { SMPP_STATUS } from "./command_status.ts";
import { SMPP_TLVS } from "./tlv.ts";

Deno.test("SMPP_COMMAND_IDS agree with npm:smpp's command table", () => {
  for (const [name, id] of Object.entries(SMPP_COMMAND_IDS)) {
    assert.equal(libraryDefs.commands[name]?.id, id, name);
  }
});

Deno.test("SMPP_TLVS agree with npm:smpp's tag numbers", () => {
  const rename: Record<string, string> = { destination_port: "dest_port" };
  for (const t of SMPP_TLVS) assert.equal(libraryDefs.tlvs[rename[t.name] ?? t.name]?.id, t.tag);
});

Deno.test("SMPP_STATUS agrees with npm:smpp's error table where both name a value", () => {
  // npm:smpp uses SMPP 5.0 names for 0xC0-0xC4 (ESME_RINVTLVSTREAM …).
  for (const [name, value] of Object.entries(SMPP_STATUS)) {
    if (name in libraryDefs.errors) assert.equal(libraryDefs.errors[name], value, name);
  }
});

Deno.test("toLibraryPdu() gives the library our octets for every data_coding with raw bytes", () => {
  for (const v of transparency as Vector[]) {
    const bytes = fromHex(v.hex);
    const lib = toLibraryPdu(decodeSmppPdu(bytes));
    assert.deepEqual(new Uint8Array(lib.toBuffer()), bytes, v.name);
  }
});

Deno.test("toLibraryPdu() accepts or refuses each vector, never changing octets", () => {
  let accepted = 0;
  let refused = 0;
  for (const v of (cases as Vector[]).filter((c) => !c.error)) {
    const bytes = fromHex(v.hex);
    try {
      const lib = toLibraryPdu(decodeSmppPdu(bytes));
      assert.deepEqual(new Uint8Array(lib.toBuffer()), bytes, v.name);
      accepted++;
    } catch (e) {
      assert.equal((e as Error).name, "EncodeError", v.name);
      refused++;
    }
  }
  assert.ok(accepted > 20 && refused > 0, `${accepted} accepted, ${refused} refused`);
});
