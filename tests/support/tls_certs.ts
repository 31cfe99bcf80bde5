/**
 * Test TLS material made with openssl: a CA and a leaf certificate for
 * localhost / 127.0.0.1 signed by it (rustls refuses a self-signed leaf).
 *
 * @module
 */

import { strictEqual } from "node:assert/strict";

/** Writes ca.pem, ca.key, cert.pem and key.pem into `dir`. */
export async function makeCertificates(dir: string): Promise<void> {
  await Deno.writeTextFile(
    `${dir}/leaf.ext`,
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
  );
  const steps = [
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=smsc test CA"]
      .concat(["-keyout", `${dir}/ca.key`, "-out", `${dir}/ca.pem`]),
    ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost"]
      .concat(["-keyout", `${dir}/key.pem`, "-out", `${dir}/leaf.csr`]),
    ["x509", "-req", "-in", `${dir}/leaf.csr`, "-CA", `${dir}/ca.pem`, "-CAkey", `${dir}/ca.key`]
      .concat([
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        `${dir}/leaf.ext`,
        "-out",
        `${dir}/cert.pem`,
      ]),
  ];
  for (const args of steps) {
    const r = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
    strictEqual(r.code, 0, new TextDecoder().decode(r.stderr));
  }
}
