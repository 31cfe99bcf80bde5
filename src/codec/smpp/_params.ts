/**
 * Mandatory parameter layouts of every SMPP 3.4 PDU (§4), in wire order, and
 * the optional parameters §4 allows on each. Private to codec/smpp.
 *
 * @module
 */

import { SMPP_CSTRING_MAX_BYTES as MAX, type SmppCommandName } from "./constants.ts";
import { SMPP_STATUS as S } from "./command_status.ts";

/** How one mandatory parameter is laid out. */
export type ParamSpec =
  | { name: string; type: "u8" }
  /** C-Octet String; `max` includes the NUL; `code` answers a value that is too long. */
  | { name: string; type: "cstring"; max: number; code: number }
  /** sm_length followed by short_message (§5.2.21-22). */
  | { name: "short_message"; type: "short_message" }
  /** number_of_dests followed by dest_address entries (§4.5.1). */
  | { name: "dest_address"; type: "dest_address" }
  /** no_unsuccess followed by unsuccess_sme entries (§4.5.2). */
  | { name: "unsuccess_sme"; type: "unsuccess_sme" };

const u8 = (name: string): ParamSpec => ({ name, type: "u8" });
const cs = (name: string, max: number, code: number): ParamSpec => ({
  name,
  type: "cstring",
  max,
  code,
});

const BIND: ParamSpec[] = [
  cs("system_id", MAX.system_id, S.ESME_RINVSYSID),
  cs("password", MAX.password, S.ESME_RINVPASWD),
  cs("system_type", MAX.system_type, S.ESME_RINVSYSTYP),
  u8("interface_version"),
  u8("addr_ton"),
  u8("addr_npi"),
  cs("address_range", MAX.address_range, S.ESME_RBINDFAIL),
];
const BIND_RESP: ParamSpec[] = [cs("system_id", MAX.system_id, S.ESME_RINVSYSID)];
const MESSAGE_ID: ParamSpec[] = [cs("message_id", MAX.message_id, S.ESME_RINVMSGID)];
const SOURCE = (max: number): ParamSpec[] => [
  u8("source_addr_ton"),
  u8("source_addr_npi"),
  cs("source_addr", max, S.ESME_RINVSRCADR),
];
const DEST = (max: number): ParamSpec[] => [
  u8("dest_addr_ton"),
  u8("dest_addr_npi"),
  cs("destination_addr", max, S.ESME_RINVDSTADR),
];
const SERVICE_TYPE = cs("service_type", MAX.service_type, S.ESME_RINVSERTYP);
const SCHEDULE = cs("schedule_delivery_time", MAX.time, S.ESME_RINVSCHED);
const VALIDITY = cs("validity_period", MAX.time, S.ESME_RINVEXPIRY);
const SM_TAIL: ParamSpec[] = [
  u8("esm_class"),
  u8("protocol_id"),
  u8("priority_flag"),
  SCHEDULE,
  VALIDITY,
  u8("registered_delivery"),
  u8("replace_if_present_flag"),
  u8("data_coding"),
  u8("sm_default_msg_id"),
  { name: "short_message", type: "short_message" },
];
/** submit_sm §4.4.1 and deliver_sm §4.6.1 share one layout. */
const SUBMIT: ParamSpec[] = [
  SERVICE_TYPE,
  ...SOURCE(MAX.address),
  ...DEST(MAX.address),
  ...SM_TAIL,
];

/** Mandatory parameters of each command, in wire order (SMPP 3.4 §4). */
export const PARAMS: Readonly<Record<SmppCommandName, readonly ParamSpec[]>> = {
  generic_nack: [],
  bind_receiver: BIND,
  bind_receiver_resp: BIND_RESP,
  bind_transmitter: BIND,
  bind_transmitter_resp: BIND_RESP,
  bind_transceiver: BIND,
  bind_transceiver_resp: BIND_RESP,
  outbind: [
    cs("system_id", MAX.system_id, S.ESME_RINVSYSID),
    cs("password", MAX.password, S.ESME_RINVPASWD),
  ],
  unbind: [],
  unbind_resp: [],
  enquire_link: [],
  enquire_link_resp: [],
  submit_sm: SUBMIT,
  submit_sm_resp: MESSAGE_ID,
  deliver_sm: SUBMIT,
  deliver_sm_resp: MESSAGE_ID,
  submit_multi: [
    SERVICE_TYPE,
    ...SOURCE(MAX.address),
    { name: "dest_address", type: "dest_address" },
    ...SM_TAIL,
  ],
  submit_multi_resp: [...MESSAGE_ID, { name: "unsuccess_sme", type: "unsuccess_sme" }],
  data_sm: [
    SERVICE_TYPE,
    ...SOURCE(MAX.address_65),
    ...DEST(MAX.address_65),
    u8("esm_class"),
    u8("registered_delivery"),
    u8("data_coding"),
  ],
  data_sm_resp: MESSAGE_ID,
  query_sm: [...MESSAGE_ID, ...SOURCE(MAX.address)],
  query_sm_resp: [
    ...MESSAGE_ID,
    cs("final_date", MAX.time, S.ESME_RSYSERR),
    u8("message_state"),
    u8("error_code"),
  ],
  cancel_sm: [SERVICE_TYPE, ...MESSAGE_ID, ...SOURCE(MAX.address), ...DEST(MAX.address)],
  cancel_sm_resp: [],
  replace_sm: [
    ...MESSAGE_ID,
    ...SOURCE(MAX.address),
    SCHEDULE,
    VALIDITY,
    u8("registered_delivery"),
    u8("sm_default_msg_id"),
    { name: "short_message", type: "short_message" },
  ],
  replace_sm_resp: [],
  alert_notification: [
    ...SOURCE(MAX.address_65),
    u8("esme_addr_ton"),
    u8("esme_addr_npi"),
    cs("esme_addr", MAX.address_65, S.ESME_RINVDSTADR),
  ],
};

const SUBMIT_TLVS = [
  "user_message_reference",
  "source_port",
  "source_addr_subunit",
  "destination_port",
  "dest_addr_subunit",
  "sar_msg_ref_num",
  "sar_total_segments",
  "sar_segment_seqnum",
  "more_messages_to_send",
  "payload_type",
  "message_payload",
  "privacy_indicator",
  "callback_num",
  "callback_num_pres_ind",
  "callback_num_atag",
  "source_subaddress",
  "dest_subaddress",
  "user_response_code",
  "display_time",
  "sms_signal",
  "ms_validity",
  "ms_msg_wait_facilities",
  "number_of_messages",
  "alert_on_message_delivery",
  "language_indicator",
  "its_reply_type",
  "its_session_info",
  "ussd_service_op",
];

/**
 * Known TLVs that SMPP 3.4 §4 lists for each PDU; used only when the caller asks
 * for strict checking, because real SMSCs add TLVs the tables do not list.
 */
export const ALLOWED_TLVS: Readonly<Partial<Record<SmppCommandName, ReadonlySet<string>>>> = {
  bind_receiver_resp: new Set(["sc_interface_version"]),
  bind_transmitter_resp: new Set(["sc_interface_version"]),
  bind_transceiver_resp: new Set(["sc_interface_version"]),
  submit_sm: new Set(SUBMIT_TLVS),
  submit_multi: new Set(SUBMIT_TLVS),
  deliver_sm: new Set([
    "user_message_reference",
    "source_port",
    "destination_port",
    "sar_msg_ref_num",
    "sar_total_segments",
    "sar_segment_seqnum",
    "user_response_code",
    "privacy_indicator",
    "payload_type",
    "message_payload",
    "callback_num",
    "source_subaddress",
    "dest_subaddress",
    "language_indicator",
    "its_session_info",
    "network_error_code",
    "message_state",
    "receipted_message_id",
  ]),
  data_sm: new Set([
    ...SUBMIT_TLVS.filter((n) => n !== "ms_validity" && n !== "display_time"),
    "source_network_type",
    "source_bearer_type",
    "source_telematics_id",
    "dest_network_type",
    "dest_bearer_type",
    "dest_telematics_id",
    "qos_time_to_live",
    "set_dpf",
    "receipted_message_id",
    "message_state",
    "network_error_code",
  ]),
  data_sm_resp: new Set([
    "delivery_failure_reason",
    "network_error_code",
    "additional_status_info_text",
    "dpf_result",
  ]),
  alert_notification: new Set(["ms_availability_status"]),
};
