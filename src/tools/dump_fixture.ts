/**
 * A small, fixed `pms.bin` for the golden tests of `smsc dump` and for
 * trying the tool by hand: every source and destination class, both states,
 * every disposition, GSM 7 bit with extension characters, a national
 * language shift, UCS-2, 8-bit data, a two-part concatenated message, an
 * alphanumeric sender, an IMSI-addressed MT, a corrupt record, a record with
 * a good checksum but an invalid field, and a torn tail. Every value is
 * fixed, so the file is the same byte for byte on every run.
 *
 * @module
 */

import {
  encodePmsRecord,
  examplePmsRecord,
  PMS_FIELD,
  type PmsRecord,
  sealPmsRecord,
} from "../codec/pms/mod.ts";
import {
  type Alphabet,
  concatIe,
  encodeUserData,
  type InformationElement,
  portIe,
  singleShiftIe,
} from "../codec/tpdu/mod.ts";

/** Entry time of the first record: 2026-11-23T10:00:00Z. */
export const FIXTURE_T0_MS = Date.UTC(2026, 10, 23, 10, 0, 0);
/** The subscriber whose messages the end-user tests look at. */
export const FIXTURE_USER = "12125550100";
/** Position of the record whose checksum is broken. */
export const FIXTURE_CORRUPT_POSITION = 6;
const MINUTE = 60_000;

function content(
  text: string | Uint8Array,
  alphabet: Alphabet,
  udh: InformationElement[] | null = null,
): Pick<PmsRecord, "udl" | "ud" | "udhi" | "dcs"> {
  const v = typeof text === "string" ? { udh, text } : { udh, data: text };
  const { udhi, udl, ud } = encodeUserData(v, alphabet);
  const dcs = alphabet === "gsm7" ? 0x00 : alphabet === "ucs2" ? 0x08 : 0x04;
  return { udhi, udl, ud, dcs };
}

function at(minutes: number, fields: Partial<PmsRecord>): PmsRecord {
  const entry = FIXTURE_T0_MS + minutes * MINUTE;
  const base = examplePmsRecord(entry);
  const rec: PmsRecord = { ...base, srr: false, mr: minutes & 0xff, ...fields };
  if (rec.state === "historical" && rec.dischargeTimeMs === 0) {
    rec.dischargeTimeMs = entry + 3_250;
  }
  return rec;
}

const intl = (digits: string) => ({ ton: 1, npi: 1, digits });
const national = (digits: string) => ({ ton: 0, npi: 1, digits });
const done = (disposition: PmsRecord["disposition"]) =>
  ({ state: "historical", disposition }) as const;

/** The records of the fixture, in file order (the corrupt one included, before damage). */
export function fixtureRecords(): PmsRecord[] {
  const long1 = "Part one of a long message that continues ";
  const long2 = "in the second part.";
  return [
    at(0, {
      ...done("delivered"),
      oa: intl(FIXTURE_USER),
      da: national("2125550101"),
      routedDa: intl("12125550101"),
      destImsi: "001010000000101",
      attempts: 1,
      srr: true,
      ...content("Hello, world!", "gsm7"),
    }),
    at(1, {
      ...done("stored-only"),
      sourceClass: "cli",
      destClass: "local",
      oa: intl("12125550199"),
      da: intl("12125559000"),
      routedDa: intl("12125559000"),
      ...content("Price: 10€ [promo] {ok}", "gsm7"),
    }),
    at(2, {
      sourceClass: "downstream",
      sourcePeer: "acme",
      destClass: "upstream",
      oa: intl("13105550150"),
      da: intl("447700900123"),
      routedDa: intl("447700900123"),
      attempts: 2,
      cause: 88,
      rd: true,
      validityS: 3600,
      ...content("Привет 👋", "ucs2"),
    }),
    at(3, {
      sourceClass: "upstream",
      oa: intl("447700900123"),
      da: intl(FIXTURE_USER),
      routedDa: intl(FIXTURE_USER),
      ...content(long1, "gsm7", [concatIe(42, 2, 1)]),
    }),
    at(3, {
      sourceClass: "upstream",
      oa: intl("447700900123"),
      da: intl(FIXTURE_USER),
      routedDa: intl(FIXTURE_USER),
      mr: 4,
      ...content(long2, "gsm7", [concatIe(42, 2, 2)]),
    }),
    at(4, {
      ...done("failed-permanent"),
      destClass: "downstream",
      destPeer: "beta",
      oa: intl("12125550101"),
      da: intl("13105550177"),
      routedDa: intl("13105550177"),
      attempts: 1,
      cause: 69,
      pid: 0x41,
      ...content(Uint8Array.of(0xca, 0xfe, 0x00, 0x01), "8bit", [
        portIe(2948, 9200, { port16: true }),
      ]),
    }),
    at(5, {
      ...done("delivered"),
      oa: intl("12125550101"),
      da: intl(FIXTURE_USER),
      routedDa: intl(FIXTURE_USER),
      ...content("this record gets damaged", "gsm7"),
    }),
    at(6, {
      ...done("expired"),
      sourceClass: "upstream",
      destClass: "gsm",
      oa: { ton: 5, npi: 0, text: "InfoSMS" },
      da: intl(FIXTURE_USER),
      routedDa: intl(FIXTURE_USER),
      attempts: 12,
      cause: 22,
      ...content("Your code is 4711", "gsm7"),
    }),
    at(7, {
      ...done("cancelled"),
      sourceClass: "cli",
      imsiAddressed: true,
      da: null,
      routedDa: null,
      destImsi: "001010000000100",
      oa: intl("12125550199"),
      ...content("Türkçe ş", "gsm7", [singleShiftIe(1)]),
    }),
    at(8, {
      sourceClass: "gsm",
      destClass: "upstream",
      destMessageId: "up-000123",
      oa: intl(FIXTURE_USER),
      da: national("4477009001230"),
      routedDa: intl("4477009001230"),
      srr: true,
      ...content("see you at 10", "gsm7"),
    }),
    at(9, {
      oa: intl("12125550102"),
      da: national("2125550101"),
      routedDa: intl("12125550101"),
      ...content("invalid field below", "gsm7"),
    }),
  ];
}

/**
 * The bytes of the fixture file: the records, record 6 with a flipped byte
 * in its user data, record 10 with a reserved flag bit set and a resealed
 * checksum (a writer bug, not a torn write), and 100 bytes of a torn 12th
 * record at the end.
 *
 * @returns the file content
 */
export function fixtureBytes(): Uint8Array {
  const recs = fixtureRecords();
  const out = new Uint8Array(recs.length * 256 + 100);
  recs.forEach((r, k) => out.set(encodePmsRecord(r), k * 256));
  out[FIXTURE_CORRUPT_POSITION * 256 + 100] ^= 0x5a;
  const invalid = out.subarray(10 * 256, 11 * 256);
  invalid[PMS_FIELD.flags.offset] |= 0x80;
  sealPmsRecord(invalid);
  const torn = encodePmsRecord(at(10, { oa: intl(FIXTURE_USER) }));
  out.set(torn.subarray(0, 100), recs.length * 256);
  return out;
}

/**
 * Writes the fixture as `dir/pms.bin`.
 *
 * @param dir an existing directory
 * @returns the path written
 */
export async function writeFixture(dir: string): Promise<string> {
  const path = `${dir}/pms.bin`;
  await Deno.writeFile(path, fixtureBytes());
  return path;
}

/** One golden case: the arguments after `dump` (or after `user NUMBER`) and the golden file. */
export interface GoldenCase {
  /** File name under tests/golden/. */
  file: string;
  /** "dump" runs `smsc dump ARGS`; "user" runs `smsc user FIXTURE_USER` with ARGS as the request. */
  mode: "dump" | "user";
  args: string[];
}

/** The golden cases over the fixture; tests/golden/<file> holds each expected stdout. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  { file: "dump_all.txt", mode: "dump", args: [] },
  { file: "dump_all.jsonl", mode: "dump", args: ["--json"] },
  { file: "dump_text.txt", mode: "dump", args: ["--show-text"] },
  { file: "dump_text.jsonl", mode: "dump", args: ["--show-text", "--json"] },
  {
    file: "dump_from_count.txt",
    mode: "dump",
    args: ["--from", "2026-11-23 10:03", "--count", "3"],
  },
  {
    file: "dump_from_until.txt",
    mode: "dump",
    args: ["--from", "2026-11-23T11:02:30+01:00", "--until", "@1795428300"],
  },
  { file: "dump_index.txt", mode: "dump", args: ["--index", "5", "--count", "2"] },
  { file: "dump_number.txt", mode: "dump", args: ["--number", "+1-212-555-0100"] },
  { file: "dump_to_number.txt", mode: "dump", args: ["--to-number", "12125550100", "--show-text"] },
  { file: "dump_class_state.txt", mode: "dump", args: ["--class", "gsm", "--state", "active"] },
  { file: "dump_peer.jsonl", mode: "dump", args: ["--peer", "acme", "--json"] },
  {
    file: "dump_disposition.txt",
    mode: "dump",
    args: ["--disposition", "delivered", "--disposition", "expired", "--source-class", "upstream"],
  },
  { file: "user_dump.txt", mode: "user", args: ["dump", "--from", '"2026-11-23 10:00"'] },
  {
    file: "user_dump_text.jsonl",
    mode: "user",
    args: ["dump", "--show-text", "--json", "--count", "3"],
  },
];
