/**
 * Status tables between core and SMPP 3.4: core's refusal reasons to the
 * command_status a submitter gets, the command_status a peer answers to the
 * outcome core records, and the message_state (§5.2.28) of a record. The
 * same tables, with the reasons for each row, are in docs/smpp-mapping.md.
 *
 * @module
 */

import type { AdmissionReasonName, SocketReasonName } from "../codec/frame/mod.ts";
import type { Disposition, PmsRecord } from "../codec/pms/mod.ts";
import { MESSAGE_STATE, SMPP_STATUS, type SmppStatusName } from "../codec/smpp/mod.ts";

/** A refusal reason of core: admission (0x0100-) or socket level (0x0001-). */
export type CoreReasonName = AdmissionReasonName | SocketReasonName;

/** command_status for each reason of core. */
export const REASON_STATUS: Readonly<Record<CoreReasonName, SmppStatusName>> = {
  "bad-record": "ESME_RSUBMITFAIL",
  "source-invalid": "ESME_RINVSRCADR",
  "source-not-permitted": "ESME_RINVSRCADR",
  "dest-invalid": "ESME_RINVDSTADR",
  "dest-unroutable": "ESME_RINVDSTADR",
  "dest-no-sms": "ESME_RINVDSTADR",
  "imsi-not-allowed": "ESME_RINVDSTADR",
  "upstream-not-permitted": "ESME_RINVDSTADR",
  // SMPP 3.4 has no status for a refused PID or DCS (5.0 adds ESME_RINVDCS).
  "pid-filtered": "ESME_RSUBMITFAIL",
  "dcs-filtered": "ESME_RSUBMITFAIL",
  "duplicate": "ESME_RSUBMITFAIL",
  "store-failed": "ESME_RSYSERR",
  "bad-request": "ESME_RSUBMITFAIL",
  "not-registered": "ESME_RSYSERR",
  "already-claimed": "ESME_RSYSERR",
  "unknown-peer": "ESME_RSYSERR",
  "service-down": "ESME_RSYSERR",
  "overloaded": "ESME_RMSGQFUL",
  "shutting-down": "ESME_RSYSERR",
  "internal-error": "ESME_RSYSERR",
  "no-handler": "ESME_RSYSERR",
};

/**
 * The command_status to answer a submit with when core refused it.
 *
 * @param reason the reason name core sent (the frame's text), or a socket reason
 * @returns an SMPP 3.4 §5.1.3 value; ESME_RSYSERR for a name this version does not know
 */
export function admissionToCommandStatus(reason: CoreReasonName | string): number {
  const name = (REASON_STATUS as Record<string, SmppStatusName>)[reason];
  return SMPP_STATUS[name ?? "ESME_RSYSERR"];
}

/** What a non-zero command_status in deliver_sm_resp / submit_sm_resp means for the message. */
export type RespOutcome = "ok" | "temporary" | "permanent";

/**
 * Statuses that say nothing against the message itself: the peer or the
 * session failed, or asked us to slow down. Everything else of §5.1.3 names
 * a fault of the message (address, parameter, length…) and is permanent.
 */
const TEMPORARY: ReadonlySet<SmppStatusName> = new Set<SmppStatusName>([
  "ESME_RINVCMDLEN",
  "ESME_RINVCMDID",
  "ESME_RINVBNDSTS",
  "ESME_RALYBND",
  "ESME_RSYSERR",
  "ESME_RBINDFAIL",
  "ESME_RINVPASWD",
  "ESME_RINVSYSID",
  "ESME_RMSGQFUL",
  "ESME_RTHROTTLED",
  "ESME_RX_T_APPN",
  "ESME_RDELIVERYFAILURE",
  "ESME_RUNKNOWNERR",
]);

const NAME_OF = new Map<number, SmppStatusName>(
  (Object.entries(SMPP_STATUS) as [SmppStatusName, number][]).map(([k, v]) => [v, k]),
);

/**
 * Classifies the command_status of a deliver_sm_resp or submit_sm_resp.
 * Values §5.1.3 does not name (reserved or vendor-specific 0x400-0x4FF) are
 * temporary: a retry costs an attempt, a wrong "permanent" loses a message
 * that might have gone through, and the validity period bounds the retries.
 *
 * @param commandStatus the response's command_status
 * @returns "ok" for 0, else "temporary" or "permanent"
 */
export function respOutcome(commandStatus: number): RespOutcome {
  if (commandStatus === SMPP_STATUS.ESME_ROK) return "ok";
  const name = NAME_OF.get(commandStatus);
  if (name === undefined || TEMPORARY.has(name)) return "temporary";
  return "permanent";
}

const DISPOSITION_STATE: Readonly<Record<Disposition, number>> = {
  none: MESSAGE_STATE.UNKNOWN,
  delivered: MESSAGE_STATE.DELIVERED,
  expired: MESSAGE_STATE.EXPIRED,
  cancelled: MESSAGE_STATE.DELETED,
  "failed-permanent": MESSAGE_STATE.UNDELIVERABLE,
  // A local mailbox took it: for the sender it arrived.
  "stored-only": MESSAGE_STATE.DELIVERED,
};

/**
 * The message_state (§5.2.28) of a historical record's disposition.
 *
 * @param d the disposition ("none" gives UNKNOWN: it never ends a message)
 * @returns the message_state
 */
export function dispositionState(d: Disposition): number {
  return DISPOSITION_STATE[d];
}

/**
 * The message_state of a record for query_sm_resp: ENROUTE while active,
 * else that of its disposition.
 *
 * @param rec the record
 * @returns message_state, §5.2.28
 */
export function messageStateOf(rec: Pick<PmsRecord, "state" | "disposition">): number {
  return rec.state === "active" ? MESSAGE_STATE.ENROUTE : dispositionState(rec.disposition);
}
