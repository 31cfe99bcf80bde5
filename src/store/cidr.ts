/**
 * Source networks of downstream peers: parsing and normalizing
 * `address/length` (IPv4 and IPv6) and testing whether an address is inside.
 * A bare address means a single host (/32 or /128).
 *
 * @module
 */

import { isIPv4, isIPv6 } from "node:net";

/** A parsed network: the address as bytes and the prefix length in bits. */
export interface Cidr {
  bytes: Uint8Array;
  length: number;
}

function v4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split(".").map(Number));
}

function v6Bytes(text: string): Uint8Array {
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two groups first.
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const b = v4Bytes(tail[1]);
    text = text.slice(0, -tail[1].length) +
      `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest === undefined ? [] : rest ? rest.split(":") : [];
  const zeros = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array(zeros).fill("0"), ...right].map((g) => parseInt(g, 16));
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function addressBytes(text: string): Uint8Array | undefined {
  if (isIPv4(text)) return v4Bytes(text);
  if (isIPv6(text)) return v6Bytes(text);
  return undefined;
}

/**
 * Parses `address/length` or a bare address.
 *
 * @param text the operator's text
 * @returns the network with its host bits cleared, or `undefined` when malformed
 */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.split("/");
  if (extra !== undefined) return undefined;
  const bytes = addressBytes(addr);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return undefined;
  const length = len === undefined ? max : Number(len);
  if (length > max) return undefined;
  for (let bit = length; bit < max; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return { bytes, length };
}

/**
 * Formats a network canonically: dotted quad, or eight lower-case hex groups
 * (no `::` compression, so that equal networks are equal strings).
 *
 * @param cidr a parsed network
 * @returns `address/length`
 */
export function formatCidr(cidr: Cidr): string {
  const b = cidr.bytes;
  if (b.length === 4) return `${b.join(".")}/${cidr.length}`;
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return `${groups.join(":")}/${cidr.length}`;
}

/**
 * Tests whether an address lies inside a network. IPv4 and IPv6 never match
 * each other, except an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), which is
 * compared as the IPv4 address it carries.
 *
 * @param cidr text `address/length`
 * @param address the peer's address as the socket reports it
 * @returns whether it is inside; false for malformed input
 */
export function cidrContains(cidr: string, address: string): boolean {
  const net = parseCidr(cidr);
  let host = addressBytes(address);
  if (!net || !host) return false;
  const mapped = host.length === 16 && host.subarray(0, 10).every((x) => x === 0) &&
    host[10] === 0xff && host[11] === 0xff;
  if (mapped && net.bytes.length === 4) host = host.slice(12);
  if (host.length !== net.bytes.length) return false;
  for (let bit = 0; bit < net.length; bit++) {
    const mask = 0x80 >> (bit & 7);
    if ((host[bit >> 3] & mask) !== (net.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}
