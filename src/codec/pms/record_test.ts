import assert from "node:assert/strict";
import fc from "fast-check";
import { DecodeError, EncodeError } from "../../lib/errors.ts";
import { fuzzDecoder } from "../../../tests/support/codec_harness.ts";
import {
  checkPmsRecord,
  crc32c,
  decodePmsRecord,
  DEST_CLASSES,
  DISPOSITIONS,
  encodePmsRecord,
  examplePmsRecord,
  PMS_FIELD,
  PMS_LAYOUT,
  PMS_RECORD_BYTES,
  type PmsRecord,
  sealPmsRecord,
  SOURCE_CLASSES,
} from "./mod.ts";

const RUNS = { seed: 0x9e5, numRuns: 500 };

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error("expected a DecodeError");
}

/** Sets `bytes[at] = value` on a copy and re-seals it, so only field checks can fail. */
function patched(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const b = bytes.slice();
  b[at] = value;
  sealPmsRecord(b);
  return b;
}

Deno.test("PMS_LAYOUT tiles exactly 256 bytes in offset order with no gap or overlap", () => {
  let next = 0;
  const names = new Set<string>();
  for (const f of PMS_LAYOUT) {
    assert.equal(f.offset, next, `field ${f.name} starts at ${f.offset}, expected ${next}`);
    assert.ok(f.size > 0, f.name);
    assert.ok(!names.has(f.name), `duplicate ${f.name}`);
    names.add(f.name);
    next += f.size;
  }
  assert.equal(next, PMS_RECORD_BYTES);
  assert.equal(PMS_FIELD.checksum.offset, 0);
  assert.equal(PMS_FIELD.checksum.size, 4);
});

Deno.test("docs/pms-format.md OFFSET | SIZE | FIELD table matches PMS_LAYOUT", async () => {
  const doc = await Deno.readTextFile(new URL("../../../docs/pms-format.md", import.meta.url));
  const rows: { offset: number; size: number; name: string }[] = [];
  for (const line of doc.split("\n")) {
    const m = /^\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*`?([a-z_]+)`?\s*\|/.exec(line);
    if (m) rows.push({ offset: Number(m[1]), size: Number(m[2]), name: m[3] });
  }
  assert.deepEqual(rows, PMS_LAYOUT.map((f) => ({ offset: f.offset, size: f.size, name: f.name })));
});

Deno.test("encodePmsRecord() writes the example byte by byte where the doc says", () => {
  const b = encodePmsRecord(examplePmsRecord());
  assert.equal(b.length, 256);
  assert.equal(b[4], 1, "version");
  assert.equal(b[5], 1, "state active");
  assert.deepEqual([...b.subarray(8, 14)], [0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00], "entry time");
  assert.deepEqual([...b.subarray(38, 46)], [11, 0x91, 0x51, 0x55, 0x55, 0x05, 0x01, 0xf1]);
  assert.deepEqual([...b.subarray(62, 71)], [0x91, 0x51, 0x55, 0x55, 0x05, 0x01, 0xf2, 0xff, 0xff]);
  assert.equal(b[87], 5, "TP-UDL");
  assert.deepEqual([...b.subarray(228, 236)], new Array(8).fill(0xff), "IMSI not yet known");
  const stored = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
  assert.equal(stored, crc32c(b, 4, 256));
});

Deno.test("decodePmsRecord() rejects an all-zero record by its checksum", () => {
  assert.equal(decodeError(() => decodePmsRecord(new Uint8Array(256))).field, "checksum");
});

Deno.test("decodePmsRecord() reports a short input as field record, with its offset", () => {
  const e = decodeError(() => decodePmsRecord(new Uint8Array(300), 100));
  assert.equal(e.field, "record");
  assert.equal(e.offset, 100);
});

Deno.test("decodePmsRecord() reports every single flipped bit by checksum", () => {
  const b = encodePmsRecord(examplePmsRecord());
  for (let i = 0; i < 256 * 8; i++) {
    const m = b.slice();
    m[i >> 3] ^= 1 << (i & 7);
    assert.equal(checkPmsRecord(m)?.field, "checksum", `bit ${i}`);
  }
});

Deno.test("decodePmsRecord() rejects a sealed record of another version as field version", () => {
  const b = encodePmsRecord(examplePmsRecord());
  assert.equal(decodeError(() => decodePmsRecord(patched(b, 4, 2))).field, "version");
  assert.equal(decodeError(() => decodePmsRecord(patched(b, 4, 0))).field, "version");
});

Deno.test("decodePmsRecord() names the field of each inconsistent value", () => {
  const b = encodePmsRecord(examplePmsRecord());
  const cases: [number, number, string][] = [
    [PMS_FIELD.state.offset, 0, "state"],
    [PMS_FIELD.state.offset, 2, "disposition"],
    [PMS_FIELD.source_class.offset, 1, "source_class"],
    [PMS_FIELD.dest_class.offset, 5, "dest_class"],
    [PMS_FIELD.disposition.offset, 9, "disposition"],
    [PMS_FIELD.flags.offset, 0x80, "flags"],
    [PMS_FIELD.tp_udl.offset, 161, "tp_udl"],
    [PMS_FIELD.tp_ud.offset + 10, 1, "tp_ud"],
    [PMS_FIELD.oa.offset + 11, 1, "oa"],
    [PMS_FIELD.routed_da.offset + 8, 0x11, "routed_da"],
    [PMS_FIELD.source_peer.offset, 0x20, "source_peer"],
    [PMS_FIELD.dest_info.offset + 20, 1, "dest_info"],
  ];
  for (const [at, value, field] of cases) {
    assert.equal(decodeError(() => decodePmsRecord(patched(b, at, value))).field, field, field);
  }
  const noOa = b.slice();
  noOa.fill(0, PMS_FIELD.oa.offset, PMS_FIELD.oa.offset + 12);
  sealPmsRecord(noOa);
  assert.equal(decodeError(() => decodePmsRecord(noOa)).field, "oa");
});

Deno.test("encodePmsRecord() rejects values that do not fit, naming the field", () => {
  const cases: [Partial<PmsRecord>, string][] = [
    [{ entryTimeMs: 2 ** 48 }, "entry_time_ms"],
    [{ mr: 256 }, "tp_mr"],
    [{ attempts: -1 }, "attempts"],
    [{ state: "historical" }, "disposition"],
    [{ dischargeTimeMs: 5 }, "disposition"],
    [{ udl: 6 }, "tp_ud"],
    [{ sourcePeer: "a-name-longer-than-16" }, "source_peer"],
    [{ destPeer: "acme" }, "dest_info"],
    [{ destImsi: "0010100000000012" }, "dest_info"],
    [{ routedDa: { ton: 1, npi: 1, digits: "+1" } }, "routed_da"],
    [{ oa: { ton: 1, npi: 1, digits: "1".repeat(21) } }, "oa"],
  ];
  for (const [change, field] of cases) {
    const rec = { ...examplePmsRecord(), ...change };
    assert.throws(() => encodePmsRecord(rec), (e: unknown) => {
      return e instanceof EncodeError && e.field === field;
    }, field);
  }
});

const ascii = (max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: max,
  });
const digits = (max: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: max });
const time = fc.integer({ min: 1, max: 2 ** 48 - 1 });
const tpAddress = fc.oneof(
  fc.record({
    ton: fc.constantFrom(0, 1, 2, 3, 4, 6, 7),
    npi: fc.integer({ min: 0, max: 15 }),
    digits: digits(20),
  }),
  fc.record({
    ton: fc.constant(5),
    npi: fc.integer({ min: 0, max: 15 }),
    text: fc.constantFrom("Bank", "SMSC", "ACME Inc", "Hello@42xyz"),
  }),
);

/** Valid records: the generator applies the same cross-field rules as the codec. */
const pmsRecord: fc.Arbitrary<PmsRecord> = fc.record({
  base: fc.record({
    sourceClass: fc.constantFrom(...SOURCE_CLASSES),
    destClass: fc.constantFrom(...DEST_CLASSES),
    entryTimeMs: time,
    expiryTimeMs: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
    validityS: fc.integer({ min: 0, max: 0xffffffff }),
    attempts: fc.integer({ min: 0, max: 255 }),
    cause: fc.integer({ min: 0, max: 0xffff }),
    rd: fc.boolean(),
    srr: fc.boolean(),
    udhi: fc.boolean(),
    rp: fc.boolean(),
    imsiAddressed: fc.boolean(),
    mr: fc.integer({ min: 0, max: 255 }),
    pid: fc.integer({ min: 0, max: 255 }),
    dcs: fc.integer({ min: 0, max: 255 }),
    oa: tpAddress,
    da: fc.option(tpAddress),
    routedDa: fc.option(
      fc.record({
        ton: fc.integer({ min: 0, max: 7 }),
        npi: fc.integer({ min: 0, max: 15 }),
        digits: digits(15),
      }),
    ),
    sourcePeer: ascii(16),
  }),
  disposition: fc.constantFrom(...DISPOSITIONS),
  dischargeTimeMs: time,
  udSeed: fc.uint8Array({ minLength: 140, maxLength: 140 }),
  udl: fc.integer({ min: 0, max: 160 }),
  imsi: digits(15),
  peer: ascii(16),
  messageId: ascii(28),
}).map((g) => {
  const rec = examplePmsRecord();
  Object.assign(rec, g.base);
  rec.state = g.disposition === "none" ? "active" : "historical";
  rec.disposition = g.disposition;
  rec.dischargeTimeMs = g.disposition === "none" ? 0 : g.dischargeTimeMs;
  return { rec, g };
}).chain(({ rec, g }) => {
  // Let the codec's own DCS reading decide septets or octets: try septets first.
  for (const septets of [true, false]) {
    const udl = septets ? g.udl : Math.min(g.udl, 140);
    const octets = septets ? Math.ceil((udl * 7) / 8) : udl;
    const candidate = { ...rec, udl, ud: g.udSeed.slice(0, octets) };
    candidate.destImsi = rec.destClass === "gsm" ? g.imsi : "";
    candidate.destPeer = rec.destClass === "downstream" ? g.peer : "";
    candidate.destMessageId = rec.destClass === "upstream" ? g.messageId : "";
    try {
      encodePmsRecord(candidate);
      return fc.constant(candidate);
    } catch (e) {
      if (!(e instanceof EncodeError) || e.field !== "tp_ud" && e.field !== "tp_udl") throw e;
    }
  }
  throw new Error("no UD length fits");
});

Deno.test("decodePmsRecord(encodePmsRecord(r)) deep-equals r for generated records", () => {
  fc.assert(
    fc.property(pmsRecord, (rec) => {
      const bytes = encodePmsRecord(rec);
      assert.equal(bytes.length, 256);
      const back = decodePmsRecord(bytes);
      // structuredClone gives fc.record's null-prototype objects plain prototypes.
      assert.deepEqual(back, structuredClone(rec));
      assert.deepEqual(encodePmsRecord(back), bytes);
    }),
    RUNS,
  );
});

Deno.test("decodePmsRecord() decodes at an offset inside a larger buffer", () => {
  const a = examplePmsRecord(1);
  const b = { ...examplePmsRecord(2), mr: 9 };
  const file = new Uint8Array(512);
  file.set(encodePmsRecord(a), 0);
  file.set(encodePmsRecord(b), 256);
  assert.deepEqual(decodePmsRecord(file, 256), b);
});

Deno.test("decodePmsRecord() only returns a value or throws DecodeError on hostile input", () => {
  const seeds = [encodePmsRecord(examplePmsRecord())];
  const counts = fuzzDecoder((x) => decodePmsRecord(x), seeds, {
    randomCount: 2000,
    randomMaxBytes: 300,
  });
  // Every prefix is short and every mutation breaks the checksum.
  assert.equal(counts.decoded, 0);
  assert.equal(counts.rejected, counts.calls);
  // And past the checksum: mutate each byte with the record re-sealed.
  const base = seeds[0];
  let decoded = 0;
  for (let i = 4; i < 256; i++) {
    for (let v = 0; v < 256; v++) {
      try {
        decodePmsRecord(patched(base, i, v));
        decoded++;
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  }
  assert.ok(decoded > 0);
});

Deno.test("decodePmsRecord() returns user data that shares no memory with the input", () => {
  const input = encodePmsRecord(examplePmsRecord());
  const a = decodePmsRecord(input);
  const b = decodePmsRecord(input);
  input.fill(0x55);
  assert.deepEqual([...a.ud], [0xe8, 0x32, 0x9b, 0xfd, 0x06]);
  a.ud.fill(0);
  assert.deepEqual([...b.ud], [0xe8, 0x32, 0x9b, 0xfd, 0x06]);
});

Deno.test("encodePmsRecord() returns arrays of their own, however many are kept", () => {
  const records = Array.from({ length: 100 }, (_, i) => ({
    ...examplePmsRecord(i + 1),
    mr: i,
    udl: i % 2 === 0 ? 160 : 5,
    ud: i % 2 === 0 ? new Uint8Array(140).fill(i) : new Uint8Array([1, 2, 3, 4, 5]),
  }));
  const encoded = records.map((r) => encodePmsRecord(r));
  for (const [i, bytes] of encoded.entries()) {
    assert.equal(bytes.length, PMS_RECORD_BYTES);
    assert.deepEqual(decodePmsRecord(bytes), records[i], `record ${i}`);
  }
  // Overwriting one leaves every other one intact.
  encoded[50].fill(0xff);
  for (const [i, bytes] of encoded.entries()) {
    if (i !== 50) assert.equal(checkPmsRecord(bytes), null, `record ${i}`);
  }
});

Deno.test("decodePmsRecord() keeps the report flag only on reports", () => {
  const plain = decodePmsRecord(encodePmsRecord(examplePmsRecord()));
  assert.equal("report" in plain, false);
  const report = decodePmsRecord(encodePmsRecord({ ...examplePmsRecord(), report: true }));
  assert.equal(report.report, true);
});

/** The example record with `field` replaced by `bytes` (zero-padded) and re-sealed. */
function withField(name: "oa" | "da" | "routed_da" | "dest_info", bytes: number[]): Uint8Array {
  const b = encodePmsRecord(examplePmsRecord());
  const f = PMS_FIELD[name];
  b.fill(0, f.offset, f.offset + f.size);
  b.set(bytes, f.offset);
  sealPmsRecord(b);
  return b;
}

Deno.test("decodePmsRecord() reports faults inside fields with their exact messages", () => {
  const cases: [Uint8Array, string, string][] = [
    [
      withField("oa", [4, 0x91, 0x21, 0xf3]),
      "oa",
      "Cannot decode TP-OA: filler 0xF at digit 3 of 4",
    ],
    [
      withField("oa", [4, 0x91, 0xf2, 0x43]),
      "oa",
      "Cannot decode TP-OA: filler 0xF at digit 1 of 4",
    ],
    [
      withField("oa", [3, 0x91, 0x21, 0xff]),
      "oa",
      "Cannot decode TP-OA: filler 0xF at digit 2 of 3",
    ],
    [withField("oa", [21, 0x91]), "oa", "Cannot decode TP-OA: Address-Length 21 exceeds 20"],
    [withField("da", [2, 0x81, 0x21, 0x01]), "da", "bytes follow the address"],
    [withField("oa", []), "oa", "the address is missing"],
    [
      withField("routed_da", [0x91, 0x21, 0xf3, 0xf3, 0xff, 0xff, 0xff, 0xff, 0xff]),
      "routed_da",
      "nibble 3 at digit 4 is not a digit before the filler",
    ],
    [
      withField("routed_da", [0x91, 0x21, 0x43, 0x65, 0x87, 0x09, 0x21, 0x43, 0x65]),
      "routed_da",
      "16 digits leave no room for a filler",
    ],
    [withField("routed_da", [0x11]), "routed_da", "bit 7 of the type of address is 0"],
    [
      withField("dest_info", [0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      "dest_info",
      "nibble 10 at digit 0 is not a digit before the filler",
    ],
    [
      withField("dest_info", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1]),
      "dest_info",
      'bytes follow the part used by dest class "gsm"',
    ],
  ];
  for (const [bytes, field, message] of cases) {
    const e = decodeError(() => decodePmsRecord(bytes));
    assert.equal(e.field, field, message);
    assert.equal(e.message, `Cannot decode PMS record ${field}: ${message}`);
    assert.equal(e.offset, PMS_FIELD[field as "oa"].offset);
  }
});

Deno.test("decodePmsRecord() keeps a non-canonical address as received", () => {
  // Type-of-Address bit 7 clear, and a 0x0 filler after an odd digit count.
  for (const oa of [[2, 0x11, 0x21], [3, 0x91, 0x21, 0x03]]) {
    const bytes = withField("oa", oa);
    const rec = decodePmsRecord(bytes);
    assert.deepEqual([...rec.oa.raw!], oa);
    assert.deepEqual(encodePmsRecord(rec), bytes);
  }
});
