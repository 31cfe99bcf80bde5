/**
 * Reason codes carried by refusals and rejections on the local socket
 * (docs/socket-protocol.md §4.1), with stable string names for logs and for
 * the transports' mapping tables (SMPP command_status, RP cause, exit code).
 *
 * The u16 code space is split so that each owner adds codes without touching
 * the others:
 * - 0x0001-0x00FF: socket and role-handler reasons, defined here;
 * - 0x0100-0x0FFF: admission reasons, defined by core (ARCHITECTURE §4);
 * - 0x1000-0xFFFF: unassigned.
 *
 * Code 0 is never sent. A receiver that does not know a code still has the
 * text, which the sender fills with the stable name or a short explanation.
 *
 * @module
 */

/** One reason: a u16 code and a short printable ASCII text. */
export interface Reason {
  /** Reason code, 1-65535, from the table below or core's admission range. */
  code: number;
  /** Short printable ASCII text, at most 255 bytes. */
  text: string;
}

/** First code of the range reserved for core's admission reasons. */
export const REASON_ADMISSION_FIRST = 0x0100;
/** Last code of the range reserved for core's admission reasons. */
export const REASON_ADMISSION_LAST = 0x0fff;

/** The socket-level reasons: stable name, code and meaning. */
export const SOCKET_REASONS = [
  {
    name: "bad-request",
    code: 0x0001,
    meaning: "well-formed frame with values the receiver cannot act on",
  },
  {
    name: "not-registered",
    code: 0x0002,
    meaning: "the connection does not hold the role the request needs",
  },
  { name: "already-claimed", code: 0x0003, meaning: "another connection holds the role" },
  { name: "unknown-peer", code: 0x0004, meaning: "the peer name is not configured" },
  { name: "service-down", code: 0x0005, meaning: "the role handler cannot take work now" },
  { name: "overloaded", code: 0x0006, meaning: "the receiver is over a queue bound; retry later" },
  { name: "shutting-down", code: 0x0007, meaning: "the receiver is stopping" },
  { name: "internal-error", code: 0x0008, meaning: "the receiver failed; see its log" },
  {
    name: "no-handler",
    code: 0x0009,
    meaning: "the client library has no handler for this request",
  },
] as const;

/** A socket-level reason name. */
export type SocketReasonName = (typeof SOCKET_REASONS)[number]["name"];

const BY_NAME = new Map<string, number>(SOCKET_REASONS.map((r) => [r.name, r.code]));
const BY_CODE = new Map<number, string>(SOCKET_REASONS.map((r) => [r.code, r.name]));

/**
 * Builds a `Reason` from a socket-level reason name, with the name as text.
 *
 * @param name a name from `SOCKET_REASONS`
 * @returns the reason with its code and the name as text
 */
export function socketReason(name: SocketReasonName): Reason {
  return { code: BY_NAME.get(name)!, text: name };
}

/**
 * The stable name of a socket-level reason code, or undefined for a code this
 * table does not define (for example an admission reason of core).
 *
 * @param code a reason code
 * @returns the name, or undefined
 */
export function socketReasonName(code: number): SocketReasonName | undefined {
  return BY_CODE.get(code) as SocketReasonName | undefined;
}
