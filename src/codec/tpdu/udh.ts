/**
 * The User Data Header, TS 23.040 §9.2.3.24: a length octet (UDHL) followed by
 * information elements, each an identifier (IEI), a length (IEDL) and data.
 *
 * `decodeUdh` only splits the header into elements and keeps every one byte
 * for byte, so that `encodeUdh` gives back the same octets; `interpretIe`
 * reads the elements this project uses (concatenation, application ports,
 * national language shifts) and is where their contents are checked.
 *
 * @module
 */

import { ByteReader, ByteWriter } from "../../lib/bytes.ts";
import { DecodeError, EncodeError } from "../../lib/errors.ts";

const PROTOCOL = "tpdu";

/** Concatenated short messages, 8-bit reference number, TS 23.040 §9.2.3.24.1. */
export const IEI_CONCAT_8 = 0x00;
/** Application port addressing scheme, 8-bit address, TS 23.040 §9.2.3.24.3. */
export const IEI_PORT_8 = 0x04;
/** Application port addressing scheme, 16-bit address, TS 23.040 §9.2.3.24.4. */
export const IEI_PORT_16 = 0x05;
/** Concatenated short messages, 16-bit reference number, TS 23.040 §9.2.3.24.8. */
export const IEI_CONCAT_16 = 0x08;
/** National Language Single Shift, TS 23.040 §9.2.3.24.15. */
export const IEI_SINGLE_SHIFT = 0x24;
/** National Language Locking Shift, TS 23.040 §9.2.3.24.16. */
export const IEI_LOCKING_SHIFT = 0x25;

/** One information element of the UDH, kept byte for byte. */
export interface InformationElement {
  /** Information-Element-Identifier (IEI), TS 23.040 §9.2.3.24. */
  iei: number;
  /** Information-Element-Data (IED); its length is the IEDL octet. */
  data: Uint8Array;
}

/** The UDH split into elements. */
export interface Udh {
  /** The information elements in wire order. */
  ies: InformationElement[];
  /** Octets the header occupies in TP-UD, including the UDHL octet itself (UDHL + 1). */
  udhOctets: number;
}

/** What `interpretIe` understands of an information element. */
export type InterpretedIe =
  | {
    /** Concatenated short message, IEI 0x00 (§9.2.3.24.1) or 0x08 (§9.2.3.24.8). */
    kind: "concat";
    /** Concatenated short message reference number. */
    reference: number;
    /** Maximum number of short messages in the concatenated short message (1-255). */
    total: number;
    /** Sequence number of the current short message (1-total). */
    sequence: number;
    /** True for the 16-bit reference of IEI 0x08. */
    ref16: boolean;
  }
  | {
    /** Application port addressing, IEI 0x04 (§9.2.3.24.3) or 0x05 (§9.2.3.24.4). */
    kind: "port";
    /** Destination port. */
    destination: number;
    /** Originator port. */
    originator: number;
    /** True for the 16-bit ports of IEI 0x05. */
    port16: boolean;
  }
  | {
    /** National Language Single Shift, IEI 0x24 (§9.2.3.24.15). */
    kind: "singleShift";
    /** National language identifier, TS 23.038 §6.2.1.2.4. */
    language: number;
  }
  | {
    /** National Language Locking Shift, IEI 0x25 (§9.2.3.24.16). */
    kind: "lockingShift";
    /** National language identifier, TS 23.038 §6.2.1.2.4. */
    language: number;
  }
  | {
    /** Any other element; its bytes stay in the `InformationElement`. */
    kind: "unknown";
    /** The element's identifier. */
    iei: number;
  };

/**
 * Splits a User Data Header into information elements. Reads UDHL from
 * `ud[0]` and the elements that follow; unknown elements are kept as they are.
 *
 * @param ud TP-UD starting with the UDHL octet (further user data may follow)
 * @returns the elements and the header size including the UDHL octet
 * @throws {DecodeError} field "TP-UDHL" when the header runs past `ud`, field
 *   "IE" when an element runs past the header
 */
export function decodeUdh(ud: Uint8Array): Udh {
  const r = new ByteReader(ud, PROTOCOL);
  const udhl = r.u8("TP-UDHL");
  if (udhl > r.remaining) {
    throw r.error(
      "TP-UDHL",
      `Cannot decode UDH: UDHL ${udhl} exceeds the ${r.remaining} octets of user data`,
    );
  }
  const h = r.sub(udhl, "TP-UDHL");
  const ies: InformationElement[] = [];
  while (!h.done) {
    const iei = h.u8("IE");
    const iedl = h.u8("IE");
    if (iedl > h.remaining) {
      throw h.error(
        "IE",
        `Cannot decode UDH: IE 0x${hex2(iei)} length ${iedl} exceeds remaining ${h.remaining}`,
      );
    }
    ies.push({ iei, data: h.take(iedl, "IE") });
  }
  return { ies, udhOctets: udhl + 1 };
}

/**
 * Builds a User Data Header, UDHL octet first, from elements in the given
 * order. `encodeUdh(decodeUdh(b).ies)` gives back the header octets of `b`.
 *
 * @param ies the information elements
 * @returns UDHL followed by the elements
 * @throws {EncodeError} when an IEI or an element's length is outside 0-255, or
 *   the header is longer than 255 octets
 */
export function encodeUdh(ies: InformationElement[]): Uint8Array {
  const w = new ByteWriter(PROTOCOL);
  w.u8(0, "TP-UDHL");
  for (const ie of ies) {
    w.u8(ie.iei, "IEI");
    w.u8(ie.data.length, "IEDL");
    w.bytes(ie.data);
  }
  w.patchU8(0, w.length - 1, "TP-UDHL");
  return w.finish();
}

/**
 * Interprets one information element. Elements this module does not know
 * give `{ kind: "unknown" }`.
 *
 * @param ie the element
 * @returns the tagged interpretation
 * @throws {DecodeError} field "IEDL" when the length does not fit the IEI,
 *   field "IED" for a total of 0, or a sequence number of 0 or above the total
 *   (TS 23.040 §9.2.3.24.1 tells the receiver to ignore such an element)
 */
export function interpretIe(ie: InformationElement): InterpretedIe {
  const d = ie.data;
  switch (ie.iei) {
    case IEI_CONCAT_8:
    case IEI_CONCAT_16: {
      const ref16 = ie.iei === IEI_CONCAT_16;
      needLength(ie, ref16 ? 4 : 3);
      const reference = ref16 ? (d[0] << 8) | d[1] : d[0];
      const total = d[ref16 ? 2 : 1];
      const sequence = d[ref16 ? 3 : 2];
      if (total === 0 || sequence === 0 || sequence > total) {
        throw new DecodeError(
          `Cannot interpret concatenation IE: sequence ${sequence} of total ${total}`,
          { protocol: PROTOCOL, field: "IED" },
        );
      }
      return { kind: "concat", reference, total, sequence, ref16 };
    }
    case IEI_PORT_8:
      needLength(ie, 2);
      return { kind: "port", destination: d[0], originator: d[1], port16: false };
    case IEI_PORT_16:
      needLength(ie, 4);
      return {
        kind: "port",
        destination: (d[0] << 8) | d[1],
        originator: (d[2] << 8) | d[3],
        port16: true,
      };
    case IEI_SINGLE_SHIFT:
      needLength(ie, 1);
      return { kind: "singleShift", language: d[0] };
    case IEI_LOCKING_SHIFT:
      needLength(ie, 1);
      return { kind: "lockingShift", language: d[0] };
    default:
      return { kind: "unknown", iei: ie.iei };
  }
}

function needLength(ie: InformationElement, length: number): void {
  if (ie.data.length !== length) {
    throw new DecodeError(
      `Cannot interpret IE 0x${hex2(ie.iei)}: length ${ie.data.length} must be ${length}`,
      { protocol: PROTOCOL, field: "IEDL" },
    );
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

function checkRange(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new EncodeError(`Cannot encode ${field}: value ${value} is outside 0-${max}`, {
      protocol: PROTOCOL,
      field,
    });
  }
}

/**
 * Builds a concatenation element: IEI 0x00 with an 8-bit reference, or IEI
 * 0x08 with a 16-bit reference when `ref16` is set (TS 23.040 §9.2.3.24.1/8).
 *
 * @param reference concatenated short message reference number (0-255, or 0-65535 with ref16)
 * @param total number of parts, 1-255
 * @param sequence number of this part, 1-total
 * @param options `ref16` for the 16-bit reference
 * @returns the element
 * @throws {EncodeError} on a value out of range
 */
export function concatIe(
  reference: number,
  total: number,
  sequence: number,
  options: { ref16?: boolean } = {},
): InformationElement {
  const ref16 = options.ref16 ?? false;
  checkRange(reference, ref16 ? 0xffff : 0xff, "concatenation reference");
  checkRange(total, 0xff, "concatenation total");
  checkRange(sequence, 0xff, "concatenation sequence");
  if (total === 0 || sequence === 0 || sequence > total) {
    throw new EncodeError(
      `Cannot encode concatenation IE: sequence ${sequence} of total ${total}`,
      { protocol: PROTOCOL, field: "IED" },
    );
  }
  return ref16
    ? {
      iei: IEI_CONCAT_16,
      data: Uint8Array.of(reference >> 8, reference & 0xff, total, sequence),
    }
    : { iei: IEI_CONCAT_8, data: Uint8Array.of(reference, total, sequence) };
}

/**
 * Builds an application port element: IEI 0x04 with 8-bit ports, or IEI 0x05
 * with 16-bit ports when `port16` is set (TS 23.040 §9.2.3.24.3/4).
 *
 * @param destination destination port
 * @param originator originator port
 * @param options `port16` for 16-bit ports
 * @returns the element
 * @throws {EncodeError} on a port out of range
 */
export function portIe(
  destination: number,
  originator: number,
  options: { port16?: boolean } = {},
): InformationElement {
  const port16 = options.port16 ?? false;
  checkRange(destination, port16 ? 0xffff : 0xff, "destination port");
  checkRange(originator, port16 ? 0xffff : 0xff, "originator port");
  return port16
    ? {
      iei: IEI_PORT_16,
      data: Uint8Array.of(destination >> 8, destination & 0xff, originator >> 8, originator & 0xff),
    }
    : { iei: IEI_PORT_8, data: Uint8Array.of(destination, originator) };
}

/**
 * Builds a National Language Single Shift element, IEI 0x24 (TS 23.040 §9.2.3.24.15).
 *
 * @param language national language identifier (TS 23.038 §6.2.1.2.4)
 * @returns the element
 * @throws {EncodeError} outside 0-255
 */
export function singleShiftIe(language: number): InformationElement {
  checkRange(language, 0xff, "national language identifier");
  return { iei: IEI_SINGLE_SHIFT, data: Uint8Array.of(language) };
}

/**
 * Builds a National Language Locking Shift element, IEI 0x25 (TS 23.040 §9.2.3.24.16).
 *
 * @param language national language identifier (TS 23.038 §6.2.1.2.4)
 * @returns the element
 * @throws {EncodeError} outside 0-255
 */
export function lockingShiftIe(language: number): InformationElement {
  checkRange(language, 0xff, "national language identifier");
  return { iei: IEI_LOCKING_SHIFT, data: Uint8Array.of(language) };
}
