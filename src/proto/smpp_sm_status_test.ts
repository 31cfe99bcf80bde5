import assert from "node:assert/strict";
import { ADMISSION_REASONS, SOCKET_REASONS } from "../codec/frame/mod.ts";
import { MESSAGE_STATE, SMPP_STATUS as S, type SmppStatusName } from "../codec/smpp/mod.ts";
import {
  admissionToCommandStatus,
  messageStateOf,
  REASON_STATUS,
  respOutcome,
} from "./smpp_sm_status.ts";

Deno.test("admissionToCommandStatus() maps every reason of core to a §5.1.3 status", () => {
  const names = [...ADMISSION_REASONS, ...SOCKET_REASONS].map((r) => r.name);
  assert.deepEqual(Object.keys(REASON_STATUS).sort(), [...names].sort());
  const statuses = new Set<number>(Object.values(S));
  for (const n of names) assert.ok(statuses.has(admissionToCommandStatus(n)), n);
  const cases: [string, number][] = [
    ["source-invalid", S.ESME_RINVSRCADR],
    ["source-not-permitted", S.ESME_RINVSRCADR],
    ["dest-invalid", S.ESME_RINVDSTADR],
    ["dest-unroutable", S.ESME_RINVDSTADR],
    ["dest-no-sms", S.ESME_RINVDSTADR],
    ["upstream-not-permitted", S.ESME_RINVDSTADR],
    ["pid-filtered", S.ESME_RSUBMITFAIL],
    ["dcs-filtered", S.ESME_RSUBMITFAIL],
    ["duplicate", S.ESME_RSUBMITFAIL],
    ["bad-record", S.ESME_RSUBMITFAIL],
    ["store-failed", S.ESME_RSYSERR],
    ["internal-error", S.ESME_RSYSERR],
    ["service-down", S.ESME_RSYSERR],
    ["shutting-down", S.ESME_RSYSERR],
    ["overloaded", S.ESME_RMSGQFUL],
    ["a-reason-from-a-newer-core", S.ESME_RSYSERR],
  ];
  for (const [name, status] of cases) assert.equal(admissionToCommandStatus(name), status, name);
});

Deno.test("respOutcome() sorts every §5.1.3 status into ok, temporary or permanent", () => {
  const expectTemporary: SmppStatusName[] = [
    "ESME_RTHROTTLED",
    "ESME_RMSGQFUL",
    "ESME_RSYSERR",
    "ESME_RX_T_APPN",
    "ESME_RINVBNDSTS",
    "ESME_RUNKNOWNERR",
    "ESME_RDELIVERYFAILURE",
  ];
  const expectPermanent: SmppStatusName[] = [
    "ESME_RX_P_APPN",
    "ESME_RX_R_APPN",
    "ESME_RINVSRCADR",
    "ESME_RINVDSTADR",
    "ESME_RINVMSGLEN",
    "ESME_RINVDSTTON",
    "ESME_RINVOPTPARAMVAL",
    "ESME_RSUBMITFAIL",
    "ESME_RINVESMCLASS",
  ];
  assert.equal(respOutcome(0), "ok");
  for (const n of expectTemporary) assert.equal(respOutcome(S[n]), "temporary", n);
  for (const n of expectPermanent) assert.equal(respOutcome(S[n]), "permanent", n);
  // Vendor-specific (0x400-0x4FF) and reserved values: temporary.
  for (const v of [0x400, 0x4ff, 0x09, 0x100, 0xffffffff]) {
    assert.equal(respOutcome(v), "temporary");
  }
});

Deno.test("messageStateOf() gives ENROUTE while active and the disposition's state after (§5.2.28)", () => {
  assert.equal(messageStateOf({ state: "active", disposition: "none" }), MESSAGE_STATE.ENROUTE);
  const h = (d: Parameters<typeof messageStateOf>[0]["disposition"]) =>
    messageStateOf({ state: "historical", disposition: d });
  assert.equal(h("delivered"), MESSAGE_STATE.DELIVERED);
  assert.equal(h("stored-only"), MESSAGE_STATE.DELIVERED);
  assert.equal(h("expired"), MESSAGE_STATE.EXPIRED);
  assert.equal(h("cancelled"), MESSAGE_STATE.DELETED);
  assert.equal(h("failed-permanent"), MESSAGE_STATE.UNDELIVERABLE);
  assert.equal(h("none"), MESSAGE_STATE.UNKNOWN);
});
