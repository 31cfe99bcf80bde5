/**
 * Why a request we sent got no final response.
 *
 * @module
 */

/** No final response within the transaction timeout (RFC 3261 §17.1.2.2, Timer F). */
export class SipTransactionTimeout extends Error {
  override name = "SipTransactionTimeout";
}

/** The connection ended (or could not be opened) before a final response came. */
export class SipConnectionClosed extends Error {
  override name = "SipConnectionClosed";
}
