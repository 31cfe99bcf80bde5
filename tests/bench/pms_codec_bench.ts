// Micro-benchmarks of the PMS record codec (run with `deno bench tests/bench/pms_codec_bench.ts`).
//
// Core decodes every 256-byte record a SUBMIT carries and encodes it again
// when it appends it to pms.bin; downlink and uplink encode one per message
// they hand to core. These measure the codec alone, on two realistic
// records: a command-line SUBMIT as `smsc submit` builds it (tests/support
// cliRecord) and the codec's example record with a routed destination and a
// known IMSI, as core stores an MT to a subscriber.
import {
  checkPmsRecord,
  crc32c,
  decodePmsRecord,
  encodePmsRecord,
  examplePmsRecord,
  type PmsRecord,
} from "../../src/codec/pms/mod.ts";
import { cliRecord } from "../support/records.ts";

const cli: PmsRecord = cliRecord("+12125550100", "+12125550101", "Hello from the shell");
const stored: PmsRecord = { ...examplePmsRecord(), destImsi: "001010000000101" };
const cliBytes = encodePmsRecord(cli);
const storedBytes = encodePmsRecord(stored);

// A sink the optimiser cannot drop.
let sink = 0;
globalThis.addEventListener("unload", () => {
  if (sink === 0.5) throw new Error("unreachable");
});

Deno.bench("decodePmsRecord, cli SUBMIT record", { group: "decode", baseline: true }, () => {
  sink += decodePmsRecord(cliBytes).udl;
});

Deno.bench("decodePmsRecord, stored record (routed DA, IMSI)", { group: "decode" }, () => {
  sink += decodePmsRecord(storedBytes).udl;
});

Deno.bench("encodePmsRecord, cli SUBMIT record", { group: "encode", baseline: true }, () => {
  sink += encodePmsRecord(cli)[0];
});

Deno.bench("encodePmsRecord, stored record (routed DA, IMSI)", { group: "encode" }, () => {
  sink += encodePmsRecord(stored)[0];
});

Deno.bench("decode then encode (core's SUBMIT path)", { group: "encode" }, () => {
  sink += encodePmsRecord(decodePmsRecord(cliBytes))[0];
});

Deno.bench("checkPmsRecord, cli SUBMIT record", { group: "check", baseline: true }, () => {
  if (checkPmsRecord(cliBytes) === null) sink++;
});

Deno.bench("crc32c over 252 bytes (the record's checksum range)", { group: "check" }, () => {
  sink += crc32c(cliBytes, 4, 256);
});
