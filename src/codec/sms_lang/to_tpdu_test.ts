import { strictEqual, throws } from "node:assert/strict";
import { parseSmsLang, toSmsDelivers, toSmsSubmits } from "./mod.ts";
import { encodeSmsDeliver, encodeSmsSubmit } from "../tpdu/mod.ts";
import { fromHex, toHex } from "../../lib/bytes.ts";
import { DecodeError } from "../../lib/errors.ts";

// "hellohello" as sms-encode-text prints it: unpacked septets, one per hex byte.
const HELLO = "dcs 0 septet\nmsg 68656c6c6f68656c6c6f\n";

Deno.test("toSmsSubmits() builds the well-known hellohello SMS-SUBMIT byte for byte", () => {
  const doc = parseSmsLang(`user-addr +46708251358\nvp-rel 170\n${HELLO}`);
  const [submit] = toSmsSubmits(doc);
  strictEqual(toHex(encodeSmsSubmit(submit)), "11000b916407281553f80000aa0ae8329bfd4697d9ec37");
});

Deno.test("toSmsDelivers() stamps the given SCTS and sets TP-MMS only on the last segment", () => {
  const text = "user-addr +46708251358\ndcs 0 septet\nmsg 68\nmsg 69\n";
  const delivers = toSmsDelivers(parseSmsLang(text), fromHex("99309251619580"));
  strictEqual(delivers.length, 2);
  strictEqual(delivers[0].mms, false);
  strictEqual(delivers[1].mms, true);
  strictEqual(toHex(encodeSmsDeliver(delivers[1])), "040b916407281553f80000993092516195800169");
});

Deno.test("toSmsSubmits() names the missing user-addr line", () => {
  throws(
    () => toSmsSubmits(parseSmsLang(HELLO)),
    (e) => e instanceof DecodeError && e.field === "user-addr",
  );
});
