// Property tests (STYLE.md §5 layer 2): decode(encode(v)) deep-equals v for
// generated valid values, with a fixed seed. fc.record builds objects
// without a prototype, so expectations go through structuredClone.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Dcs,
  decodeDcs,
  decodeSmsCommand,
  decodeSmsDeliver,
  decodeSmsDeliverReport,
  decodeSmsStatusReport,
  decodeSmsSubmit,
  decodeSmsSubmitReport,
  encodeSmsCommand,
  encodeSmsDeliver,
  encodeSmsDeliverReport,
  encodeSmsStatusReport,
  encodeSmsSubmit,
  encodeSmsSubmitReport,
  relativeVpToSeconds,
  type Scts,
  type TpAddress,
  udlInSeptets,
  type ValidityPeriod,
  vpfOf,
} from "./mod.ts";

const RUNS = { seed: 42, numRuns: 300 };
const octet = fc.integer({ min: 0, max: 255 });

const address: fc.Arbitrary<TpAddress> = fc.oneof(
  fc.record({
    ton: fc.integer({ min: 0, max: 7 }).filter((t) => t !== 5),
    npi: fc.integer({ min: 0, max: 15 }),
    digits: fc.stringMatching(/^[0-9*#abc]{0,20}$/),
  }),
  fc.record({
    ton: fc.constant(5),
    npi: fc.integer({ min: 0, max: 15 }),
    // Letters and digits only: trailing "@" (septet 0) cannot be told from padding.
    text: fc.stringMatching(/^[A-Za-z0-9 ]{0,11}$/),
  }),
);

const scts: fc.Arbitrary<Scts> = fc.record({
  year: fc.integer({ min: 0, max: 99 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  tzQuarterHours: fc.integer({ min: -79, max: 79 }),
});

const validity: fc.Arbitrary<ValidityPeriod | undefined> = fc.oneof(
  fc.constant(undefined),
  octet.map((value) => ({
    format: "relative" as const,
    value,
    seconds: relativeVpToSeconds(value),
  })),
  scts.map((time) => ({ format: "absolute" as const, time })),
  fc.record({ singleShot: fc.boolean(), value: octet }).map(({ singleShot, value }) => ({
    format: "enhanced" as const,
    extension: false,
    singleShot,
    kind: "seconds" as const,
    value,
    seconds: value,
  })),
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 59 }))
    .map(([singleShot, h, m]) => {
      const hhmmss = `${String(h).padStart(2, "0")}${String(m).padStart(2, "0")}07`;
      return {
        format: "enhanced" as const,
        extension: false,
        singleShot,
        kind: "hhmmss" as const,
        hhmmss,
        seconds: h * 3600 + m * 60 + 7,
      };
    }),
);

/** TP-DCS and matching TP-UDL/TP-UD. */
const userData: fc.Arbitrary<{ dcs: Dcs; udl: number; ud: Uint8Array; udhi: boolean }> = octet
  .chain((raw) => {
    const dcs = decodeDcs(raw);
    const septets = udlInSeptets(dcs);
    return fc.integer({ min: 0, max: septets ? 160 : 140 }).chain((udl) => {
      const n = septets ? Math.ceil((udl * 7) / 8) : udl;
      return fc.uint8Array({ minLength: n, maxLength: n }).map((ud) => {
        // Keep the header length inside TP-UD when TP-UDHI is set.
        const udhi = ud.length > 0 && ud[0] < ud.length;
        return { dcs, udl, ud, udhi };
      });
    });
  });

Deno.test("decodeSmsSubmit() inverts encodeSmsSubmit() for generated values", () => {
  fc.assert(
    fc.property(
      fc.record({ rd: fc.boolean(), srr: fc.boolean(), rp: fc.boolean(), mr: octet, pid: octet }),
      address,
      validity,
      userData,
      (flags, da, vp, u) => {
        const v = {
          type: "sms-submit" as const,
          ...flags,
          vpf: vpfOf(vp),
          udhi: u.udhi,
          da,
          dcs: u.dcs,
          ...(vp === undefined ? {} : { vp }),
          udl: u.udl,
          ud: u.ud,
        };
        assert.deepEqual(decodeSmsSubmit(encodeSmsSubmit(v)), structuredClone(v));
      },
    ),
    RUNS,
  );
});

Deno.test("decodeSmsDeliver() inverts encodeSmsDeliver() for generated values", () => {
  fc.assert(
    fc.property(
      fc.record({
        mms: fc.boolean(),
        lp: fc.boolean(),
        sri: fc.boolean(),
        rp: fc.boolean(),
        pid: octet,
      }),
      address,
      scts,
      userData,
      (flags, oa, time, u) => {
        const v = {
          type: "sms-deliver" as const,
          ...flags,
          udhi: u.udhi,
          oa,
          dcs: u.dcs,
          scts: time,
          udl: u.udl,
          ud: u.ud,
        };
        assert.deepEqual(decodeSmsDeliver(encodeSmsDeliver(v)), structuredClone(v));
      },
    ),
    RUNS,
  );
});

const optional = fc.record(
  { pid: octet, dcs: octet.map(decodeDcs), ud: fc.constant(true) },
  { requiredKeys: [] },
);

function withOptional(
  o: { pid?: number; dcs?: Dcs; ud?: boolean },
  u: { udl: number; ud: Uint8Array; udhi: boolean; dcs: Dcs },
) {
  const out: Record<string, unknown> = {};
  let pi = 0;
  if (o.pid !== undefined) {
    out.pid = o.pid;
    pi |= 1;
  }
  if (o.ud) {
    out.dcs = u.dcs;
    out.udl = u.udl;
    out.ud = u.ud;
    pi |= 6;
  } else if (o.dcs !== undefined) {
    out.dcs = o.dcs;
    pi |= 2;
  }
  return { fields: out, pi, udhi: o.ud ? u.udhi : false };
}

Deno.test("decodeSmsStatusReport() inverts encodeSmsStatusReport() for generated values", () => {
  fc.assert(
    fc.property(
      fc.record({ mms: fc.boolean(), lp: fc.boolean(), srq: fc.boolean(), mr: octet, st: octet }),
      address,
      scts,
      scts,
      fc.option(optional, { nil: undefined }),
      userData,
      (flags, ra, t1, t2, o, u) => {
        const opt = o === undefined ? undefined : withOptional(o, u);
        const v = {
          type: "sms-status-report" as const,
          ...flags,
          udhi: opt?.udhi ?? false,
          ra,
          scts: t1,
          dt: t2,
          ...(opt === undefined ? {} : { pi: opt.pi, ...opt.fields }),
        };
        assert.deepEqual(decodeSmsStatusReport(encodeSmsStatusReport(v)), structuredClone(v));
      },
    ),
    RUNS,
  );
});

Deno.test("decodeSmsCommand() inverts encodeSmsCommand() for generated values", () => {
  fc.assert(
    fc.property(
      fc.record({
        srr: fc.boolean(),
        udhi: fc.boolean(),
        mr: octet,
        pid: octet,
        ct: octet,
        mn: octet,
      }),
      address,
      fc.uint8Array({ maxLength: 157 }),
      (flags, da, cd) => {
        const v = { type: "sms-command" as const, ...flags, da, cd };
        assert.deepEqual(decodeSmsCommand(encodeSmsCommand(v)), structuredClone(v));
      },
    ),
    RUNS,
  );
});

Deno.test("decodeSmsSubmitReport() inverts encodeSmsSubmitReport() in both forms", () => {
  fc.assert(
    fc.property(
      fc.option(fc.integer({ min: 0x80, max: 0xff }), { nil: undefined }),
      scts,
      optional,
      userData,
      (fcs, time, o, u) => {
        const opt = withOptional(o, u);
        const v = {
          type: "sms-submit-report" as const,
          udhi: opt.udhi,
          ...(fcs === undefined ? {} : { fcs }),
          pi: opt.pi,
          scts: time,
          ...opt.fields,
        };
        const bytes = encodeSmsSubmitReport(v);
        assert.deepEqual(
          decodeSmsSubmitReport(bytes, { rpError: fcs !== undefined }),
          structuredClone(v),
        );
        assert.deepEqual(decodeSmsSubmitReport(bytes), structuredClone(v));
      },
    ),
    RUNS,
  );
});

Deno.test("decodeSmsDeliverReport() inverts encodeSmsDeliverReport() in both forms", () => {
  fc.assert(
    fc.property(
      fc.option(fc.integer({ min: 0x80, max: 0xff }), { nil: undefined }),
      optional,
      userData,
      (fcs, o, u) => {
        const opt = withOptional(o, u);
        const v = {
          type: "sms-deliver-report" as const,
          udhi: opt.udhi,
          ...(fcs === undefined ? {} : { fcs }),
          pi: opt.pi,
          ...opt.fields,
        };
        const bytes = encodeSmsDeliverReport(v);
        assert.deepEqual(
          decodeSmsDeliverReport(bytes, { rpError: fcs !== undefined }),
          structuredClone(v),
        );
        assert.deepEqual(decodeSmsDeliverReport(bytes), structuredClone(v));
      },
    ),
    RUNS,
  );
});
