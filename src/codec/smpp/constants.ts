/**
 * Constants of SMPP 3.4 (SMPP Developers Forum, issue 1.2, 1999-10-12).
 *
 * Each constant names its section. Command ids are §5.1.2.1; C-Octet String
 * maximum lengths (which include the terminating NUL) are the tables of §4.
 *
 * @module
 */

/** PDU header length: command_length, command_id, command_status, sequence_number (§3.2). */
export const SMPP_HEADER_BYTES = 16;

/** interface_version for SMPP 3.4 (§5.2.4). */
export const SMPP_INTERFACE_VERSION_34 = 0x34;

/** Response bit of command_id: a response id is the request id | 0x80000000 (§5.1.2.1). */
export const SMPP_RESPONSE_BIT = 0x80000000;

/** The command ids of SMPP 3.4 §5.1.2.1, by the spec's command name. */
export const SMPP_COMMAND_IDS = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
} as const;

/** A command name of SMPP 3.4 §5.1.2.1. */
export type SmppCommandName = keyof typeof SMPP_COMMAND_IDS;

/** short_message holds 0-254 octets; sm_length 255 is not allowed (§5.2.21, §5.2.22). */
export const SMPP_SHORT_MESSAGE_MAX_BYTES = 254;

/** number_of_dests of submit_multi: at most 254 destinations (§4.5.1). */
export const SMPP_NUMBER_OF_DESTS_MAX = 254;

/** dest_flag of submit_multi: 1 SME address, 2 distribution list name (§5.2.25). */
export const SMPP_DEST_FLAG_SME_ADDRESS = 1;
/** dest_flag 2: a distribution list name follows (§5.2.25). */
export const SMPP_DEST_FLAG_DISTRIBUTION_LIST = 2;

/**
 * Maximum sizes of C-Octet Strings in octets, terminating NUL included (§4 tables,
 * §5.2). Addresses are 21 in most PDUs but 65 in data_sm and alert_notification.
 */
export const SMPP_CSTRING_MAX_BYTES = {
  system_id: 16,
  password: 9,
  system_type: 13,
  address_range: 41,
  service_type: 6,
  address: 21,
  address_65: 65,
  time: 17,
  message_id: 65,
  dl_name: 21,
} as const;
