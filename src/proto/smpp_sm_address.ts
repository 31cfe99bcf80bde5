/**
 * SMPP 3.4 addresses (source_addr_ton/npi/source_addr, §5.2.5-5.2.8) to TP
 * addresses of TS 23.040 §9.1.2.5 and back.
 *
 * - TON 5 (alphanumeric): the address octets are text, one character per
 *   octet; it must be GSM 7-bit default alphabet text of at most 11 septets,
 *   which is what fits the 20 semi-octets of a TP-OA.
 * - Every other TON: 1-20 characters of `0-9 * # a b c` (upper case accepted,
 *   stored in lower case). A leading "+" is accepted and makes the address
 *   international E.164 (TON 1, NPI 1), whatever TON and NPI said.
 * - TON above 6 (§5.2.5 defines 0-6) and NPI above 15 (the TP address has
 *   four bits) are refused with the TON/NPI statuses of §5.1.3.
 *
 * @module
 */

import { encodeGsm7 } from "../codec/gsm0338/mod.ts";
import { SMPP_STATUS as S } from "../codec/smpp/mod.ts";
import { TON_ALPHANUMERIC, type TpAddress } from "../codec/tpdu/mod.ts";
import { reject, type SmppReject } from "./smpp_sm_types.ts";

/** Septets of an alphanumeric TP address: 20 semi-octets hold 80 bits, 11 septets. */
const ALPHANUMERIC_SEPTETS_MAX = 11;
/** Digits of a TP address, TS 23.040 §9.1.2.5. */
const DIGITS = /^[0-9*#abc]{1,20}$/;
/** Largest TON that SMPP 3.4 §5.2.5 defines (6: abbreviated). */
const TON_MAX = 6;
/** Largest NPI a TP address can carry (4 bits). */
const NPI_MAX = 15;
/** Longest address a 21-octet C-Octet String holds (§4.4.1). */
const SMPP_ADDRESS_CHARS_MAX = 20;

/** Which address of the PDU: it selects the command_status of a refusal. */
export type AddressRole = "source" | "destination";

const STATUS = {
  source: { addr: S.ESME_RINVSRCADR, ton: S.ESME_RINVSRCTON, npi: S.ESME_RINVSRCNPI },
  destination: { addr: S.ESME_RINVDSTADR, ton: S.ESME_RINVDSTTON, npi: S.ESME_RINVDSTNPI },
} as const;

/** An SMPP address as three mandatory parameters. */
export interface SmppAddress {
  ton: number;
  npi: number;
  addr: string;
}

/**
 * Maps an SMPP address to a TP address.
 *
 * @param a TON, NPI and the address string (one char per octet)
 * @param role "source" or "destination", for the status of a refusal
 * @returns the TP address, or a refusal (ESME_RINVSRCADR/TON/NPI or ESME_RINVDSTADR/TON/NPI)
 */
export function addressIn(
  a: SmppAddress,
  role: AddressRole,
): { ok: true; address: TpAddress } | SmppReject {
  const st = STATUS[role];
  if (!Number.isInteger(a.ton) || a.ton < 0 || a.ton > TON_MAX) {
    return reject(st.ton, `${role} TON ${a.ton} is not one of SMPP 3.4 §5.2.5`);
  }
  if (!Number.isInteger(a.npi) || a.npi < 0 || a.npi > NPI_MAX) {
    return reject(st.npi, `${role} NPI ${a.npi} does not fit a TP address`);
  }
  if (a.addr === "") return reject(st.addr, `${role} address is empty`);
  if (a.ton === TON_ALPHANUMERIC) {
    const septets = encodeGsm7(a.addr);
    if (septets === null) {
      return reject(st.addr, `alphanumeric ${role} address is not GSM 7-bit text`);
    }
    if (septets.length > ALPHANUMERIC_SEPTETS_MAX) {
      return reject(st.addr, `alphanumeric ${role} address exceeds 11 septets`);
    }
    return { ok: true, address: { ton: a.ton, npi: a.npi, text: a.addr } };
  }
  const plus = a.addr.startsWith("+");
  const digits = (plus ? a.addr.slice(1) : a.addr).toLowerCase();
  if (!DIGITS.test(digits)) {
    return reject(st.addr, `${role} address is not 1-20 digits`);
  }
  // A leading "+" is the written form of an international number (E.164).
  return {
    ok: true,
    address: plus ? { ton: 1, npi: 1, digits } : { ton: a.ton, npi: a.npi, digits },
  };
}

/**
 * Maps a TP address to an SMPP address: digits as they are, alphanumeric
 * text as one char per octet.
 *
 * @param a the TP address (`raw` is ignored)
 * @returns the SMPP address, or a reason when the text does not fit a C-Octet String
 */
export function addressOut(a: TpAddress): { ok: true; address: SmppAddress } | {
  ok: false;
  reason: string;
} {
  const addr = a.ton === TON_ALPHANUMERIC ? a.text ?? "" : a.digits ?? "";
  if (addr === "") return { ok: false, reason: "the address is empty" };
  if (addr.length > SMPP_ADDRESS_CHARS_MAX) {
    return { ok: false, reason: `the address has ${addr.length} characters, more than 20` };
  }
  for (let i = 0; i < addr.length; i++) {
    const c = addr.charCodeAt(i);
    if (c === 0 || c > 0xff) {
      return { ok: false, reason: `address character ${i} is not one octet` };
    }
  }
  return { ok: true, address: { ton: a.ton, npi: a.npi, addr } };
}
