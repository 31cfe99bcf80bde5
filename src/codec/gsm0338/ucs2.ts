/**
 * UCS-2 user data, TS 23.038 §6.2.3: 16-bit characters, most significant
 * octet first. Characters outside the Basic Multilingual Plane travel as
 * UTF-16 surrogate pairs, which is what handsets send and expect.
 *
 * @module
 */

/**
 * Encodes text as UTF-16BE: each UTF-16 code unit becomes two octets, most
 * significant first. Lone surrogates in `text` are written as they are.
 *
 * @param text the text
 * @returns 2 × text.length octets
 */
export function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[2 * i] = u >> 8;
    out[2 * i + 1] = u & 0xff;
  }
  return out;
}

/**
 * Decodes UTF-16BE octets to text. Never throws. Lone surrogates are kept as
 * they are, so that the texts of concatenated parts whose sender split a
 * surrogate pair join back into the right character; an odd trailing octet,
 * which cannot be part of any character, becomes U+FFFD.
 *
 * @param bytes the octets
 * @returns the text
 */
export function decodeUcs2(bytes: Uint8Array): string {
  const units: number[] = [];
  let text = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    units.push((bytes[i] << 8) | bytes[i + 1]);
    // Flush in chunks so String.fromCharCode never sees a huge argument list.
    if (units.length === 4096) text += String.fromCharCode(...units.splice(0));
  }
  text += String.fromCharCode(...units);
  if (bytes.length % 2 === 1) text += "\ufffd";
  return text;
}
