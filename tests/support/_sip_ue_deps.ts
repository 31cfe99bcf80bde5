/**
 * The codec pieces tests/support/sip_ue.ts uses, in one place.
 *
 * @module
 */

export {
  getHeaderValue,
  parseSipMessage,
  serializeSipMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  SipStreamFramer,
} from "../../src/codec/sip/mod.ts";
import { parseDigestParams } from "../../src/proto/sip_digest.ts";

/** The auth-params of a challenge, or throws. */
export function parseDigestParamsOf(value: string): Map<string, string> {
  const p = parseDigestParams(value);
  if ("error" in p) throw new Error(`bad challenge: ${p.error}`);
  return p.params;
}
