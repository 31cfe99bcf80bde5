/**
 * command_status values of SMPP 3.4 §5.1.3 with their names, and the one
 * place that names a status for logs (STYLE.md §4: one mapping table per
 * transport).
 *
 * @module
 */

/** command_status values of SMPP 3.4 §5.1.3, by the spec's names. */
export const SMPP_STATUS = {
  ESME_ROK: 0x00000000,
  ESME_RINVMSGLEN: 0x00000001,
  ESME_RINVCMDLEN: 0x00000002,
  ESME_RINVCMDID: 0x00000003,
  ESME_RINVBNDSTS: 0x00000004,
  ESME_RALYBND: 0x00000005,
  ESME_RINVPRTFLG: 0x00000006,
  ESME_RINVREGDLVFLG: 0x00000007,
  ESME_RSYSERR: 0x00000008,
  ESME_RINVSRCADR: 0x0000000a,
  ESME_RINVDSTADR: 0x0000000b,
  ESME_RINVMSGID: 0x0000000c,
  ESME_RBINDFAIL: 0x0000000d,
  ESME_RINVPASWD: 0x0000000e,
  ESME_RINVSYSID: 0x0000000f,
  ESME_RCANCELFAIL: 0x00000011,
  ESME_RREPLACEFAIL: 0x00000013,
  ESME_RMSGQFUL: 0x00000014,
  ESME_RINVSERTYP: 0x00000015,
  ESME_RINVNUMDESTS: 0x00000033,
  ESME_RINVDLNAME: 0x00000034,
  ESME_RINVDESTFLAG: 0x00000040,
  ESME_RINVSUBREP: 0x00000042,
  ESME_RINVESMCLASS: 0x00000043,
  ESME_RCNTSUBDL: 0x00000044,
  ESME_RSUBMITFAIL: 0x00000045,
  ESME_RINVSRCTON: 0x00000048,
  ESME_RINVSRCNPI: 0x00000049,
  ESME_RINVDSTTON: 0x00000050,
  ESME_RINVDSTNPI: 0x00000051,
  ESME_RINVSYSTYP: 0x00000053,
  ESME_RINVREPFLAG: 0x00000054,
  ESME_RINVNUMMSGS: 0x00000055,
  ESME_RTHROTTLED: 0x00000058,
  ESME_RINVSCHED: 0x00000061,
  ESME_RINVEXPIRY: 0x00000062,
  ESME_RINVDFTMSGID: 0x00000063,
  ESME_RX_T_APPN: 0x00000064,
  ESME_RX_P_APPN: 0x00000065,
  ESME_RX_R_APPN: 0x00000066,
  ESME_RQUERYFAIL: 0x00000067,
  ESME_RINVOPTPARSTREAM: 0x000000c0,
  ESME_ROPTPARNOTALLWD: 0x000000c1,
  ESME_RINVPARLEN: 0x000000c2,
  ESME_RMISSINGOPTPARAM: 0x000000c3,
  ESME_RINVOPTPARAMVAL: 0x000000c4,
  ESME_RDELIVERYFAILURE: 0x000000fe,
  ESME_RUNKNOWNERR: 0x000000ff,
} as const;

/** A command_status name of SMPP 3.4 §5.1.3. */
export type SmppStatusName = keyof typeof SMPP_STATUS;

/** One-line meanings from SMPP 3.4 §5.1.3, for logs and docs. */
export const SMPP_STATUS_MEANING: Readonly<Record<SmppStatusName, string>> = {
  ESME_ROK: "No error",
  ESME_RINVMSGLEN: "Message length is invalid",
  ESME_RINVCMDLEN: "Command length is invalid",
  ESME_RINVCMDID: "Invalid command ID",
  ESME_RINVBNDSTS: "Incorrect bind status for given command",
  ESME_RALYBND: "ESME already in bound state",
  ESME_RINVPRTFLG: "Invalid priority flag",
  ESME_RINVREGDLVFLG: "Invalid registered delivery flag",
  ESME_RSYSERR: "System error",
  ESME_RINVSRCADR: "Invalid source address",
  ESME_RINVDSTADR: "Invalid destination address",
  ESME_RINVMSGID: "Message ID is invalid",
  ESME_RBINDFAIL: "Bind failed",
  ESME_RINVPASWD: "Invalid password",
  ESME_RINVSYSID: "Invalid system ID",
  ESME_RCANCELFAIL: "cancel_sm failed",
  ESME_RREPLACEFAIL: "replace_sm failed",
  ESME_RMSGQFUL: "Message queue full",
  ESME_RINVSERTYP: "Invalid service type",
  ESME_RINVNUMDESTS: "Invalid number of destinations",
  ESME_RINVDLNAME: "Invalid distribution list name",
  ESME_RINVDESTFLAG: "Destination flag is invalid (submit_multi)",
  ESME_RINVSUBREP: "Invalid submit with replace request",
  ESME_RINVESMCLASS: "Invalid esm_class field data",
  ESME_RCNTSUBDL: "Cannot submit to distribution list",
  ESME_RSUBMITFAIL: "submit_sm or submit_multi failed",
  ESME_RINVSRCTON: "Invalid source address TON",
  ESME_RINVSRCNPI: "Invalid source address NPI",
  ESME_RINVDSTTON: "Invalid destination address TON",
  ESME_RINVDSTNPI: "Invalid destination address NPI",
  ESME_RINVSYSTYP: "Invalid system_type field",
  ESME_RINVREPFLAG: "Invalid replace_if_present flag",
  ESME_RINVNUMMSGS: "Invalid number of messages",
  ESME_RTHROTTLED: "Throttling error (ESME has exceeded allowed message limits)",
  ESME_RINVSCHED: "Invalid scheduled delivery time",
  ESME_RINVEXPIRY: "Invalid message validity period (expiry time)",
  ESME_RINVDFTMSGID: "Predefined message invalid or not found",
  ESME_RX_T_APPN: "ESME receiver temporary app error code",
  ESME_RX_P_APPN: "ESME receiver permanent app error code",
  ESME_RX_R_APPN: "ESME receiver reject message error code",
  ESME_RQUERYFAIL: "query_sm request failed",
  ESME_RINVOPTPARSTREAM: "Error in the optional part of the PDU body",
  ESME_ROPTPARNOTALLWD: "Optional parameter not allowed",
  ESME_RINVPARLEN: "Invalid parameter length",
  ESME_RMISSINGOPTPARAM: "Expected optional parameter missing",
  ESME_RINVOPTPARAMVAL: "Invalid optional parameter value",
  ESME_RDELIVERYFAILURE: "Delivery failure (data_sm_resp)",
  ESME_RUNKNOWNERR: "Unknown error",
};

const NAME_BY_VALUE = new Map<number, SmppStatusName>(
  (Object.entries(SMPP_STATUS) as [SmppStatusName, number][]).map(([k, v]) => [v, k]),
);

function hex8(v: number): string {
  return "0x" + (v >>> 0).toString(16).padStart(8, "0");
}

/**
 * Names a command_status for logs: the SMPP 3.4 §5.1.3 name, or for values the
 * table does not list, which range of §5.1.3 they fall in.
 *
 * @param value a command_status (0 to 0xFFFFFFFF)
 * @returns e.g. `"ESME_RINVMSGLEN"`, `"vendor-specific 0x00000400"` (0x400-0x4FF),
 *   or `"reserved 0x00000009"`
 * @throws never
 */
export function commandStatusName(value: number): string {
  const name = NAME_BY_VALUE.get(value);
  if (name !== undefined) return name;
  // SMPP 3.4 §5.1.3: "0x00000400-0x000004FF Reserved for SMSC vendor specific errors".
  if (value >= 0x400 && value <= 0x4ff) return `vendor-specific ${hex8(value)}`;
  return `reserved ${hex8(value)}`;
}
