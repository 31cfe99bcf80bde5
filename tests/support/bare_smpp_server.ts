/**
 * A bare SMPP 3.4 server on npm:smpp that answers without storing: the
 * ceiling of the downlink benchmark (issue #5) and a peer for the self-test of
 * the real-ESME drivers.
 *
 * It accepts every bind, answers submit_sm, data_sm and submit_multi at once
 * with command_status 0 and increasing message ids, answers query_sm (ENROUTE),
 * cancel_sm, replace_sm, enquire_link and unbind, and nacks other requests with
 * ESME_RINVCMDID. `sendDeliver` sends a deliver_sm to a bound receiver or
 * transceiver; its short_message and other octet fields are Buffers, so the
 * library's text filters pass them through unchanged.
 *
 * It logs nothing per PDU. As a program (`deno run -A
 * tests/support/bare_smpp_server.ts --port 0`) it prints `listening PORT` and
 * then reads JSON lines on stdin, `{"deliver": {fields, "short_message_hex"}}`,
 * answering each with one JSON line (`{"deliver_resp": {...}}` or `{"error": ...}`).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import smpp from "smpp";

/** What `startBareSmppServer` takes. */
export interface BareSmppServerOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Address to listen on; 127.0.0.1 unless given. */
  hostname?: string;
  /** system_id sent in every bind response. */
  systemId?: string;
}

/**
 * A deliver_sm to send: SMPP 3.4 §4.6.1 mandatory parameters by name, plus
 * optional parameters by npm:smpp's TLV name (`receipted_message_id`,
 * `message_state`, `message_payload`, …). Octets are Uint8Array.
 */
export interface BareDeliverFields {
  source_addr?: string;
  destination_addr: string;
  service_type?: string;
  source_addr_ton?: number;
  source_addr_npi?: number;
  dest_addr_ton?: number;
  dest_addr_npi?: number;
  esm_class?: number;
  protocol_id?: number;
  priority_flag?: number;
  registered_delivery?: number;
  data_coding?: number;
  short_message?: Uint8Array;
  [tlv: string]: string | number | Uint8Array | undefined;
}

/** Where and how a deliver_sm goes. */
export interface BareDeliverOptions {
  /** Only a session bound with this system_id; the last bound receiver otherwise. */
  systemId?: string;
  /** How long to wait for deliver_sm_resp; 5000 ms unless given. */
  timeoutMs?: number;
}

/** The deliver_sm_resp the ESME sent. */
export interface BareDeliverResp {
  command_status: number;
  sequence_number: number;
  message_id: string;
}

/** A running bare server. */
export interface BareSmppServer {
  /** The TCP port it listens on. */
  port: number;
  /** Sends one deliver_sm and resolves with the ESME's deliver_sm_resp. */
  sendDeliver(fields: BareDeliverFields, options?: BareDeliverOptions): Promise<BareDeliverResp>;
  /** How many requests of each command it has answered. */
  counts(): Record<string, number>;
  /** Drops every session and stops listening. */
  close(): Promise<void>;
}

// deno-lint-ignore no-explicit-any
type Session = any;
// deno-lint-ignore no-explicit-any
type LibPdu = any;

const RINVCMDID = 0x00000003;
const MESSAGE_STATE_ENROUTE = 1;
const DELIVER_DEFAULTS = {
  service_type: "",
  source_addr_ton: 0,
  source_addr_npi: 0,
  source_addr: "",
  dest_addr_ton: 0,
  dest_addr_npi: 0,
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: "",
  validity_period: "",
  registered_delivery: 0,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: new Uint8Array(0),
};

function libraryOptions(fields: BareDeliverFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...DELIVER_DEFAULTS, ...fields })) {
    if (v === undefined) continue;
    out[k] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
  }
  return out;
}

/**
 * Starts the bare server on 127.0.0.1.
 *
 * @param options the port (0 for any) and bind answer
 * @returns the running server
 * @throws {Error} when it cannot listen
 */
export function startBareSmppServer(options: BareSmppServerOptions): Promise<BareSmppServer> {
  const systemId = options.systemId ?? "bare";
  const receivers: { session: Session; systemId: string }[] = [];
  const sessions = new Set<Session>();
  const pending = new Map<Session, Set<(e: Error) => void>>();
  const counts: Record<string, number> = {};
  let nextMessageId = 1;

  const answer = (session: Session, pdu: LibPdu, extra?: Record<string, unknown>) => {
    counts[pdu.command] = (counts[pdu.command] ?? 0) + 1;
    session.send(pdu.response(extra));
  };

  const onPdu = (session: Session, pdu: LibPdu) => {
    switch (pdu.command) {
      case "submit_sm":
      case "data_sm":
        return answer(session, pdu, { message_id: String(nextMessageId++) });
      case "submit_multi":
        return answer(session, pdu, { message_id: String(nextMessageId++), unsuccess_sme: [] });
      case "bind_transceiver":
      case "bind_receiver":
        receivers.push({ session, systemId: String(pdu.system_id) });
        return answer(session, pdu, { system_id: systemId });
      case "bind_transmitter":
        return answer(session, pdu, { system_id: systemId });
      case "query_sm":
        return answer(session, pdu, {
          message_id: pdu.message_id,
          final_date: "",
          message_state: MESSAGE_STATE_ENROUTE,
          error_code: 0,
        });
      case "cancel_sm":
      case "replace_sm":
      case "enquire_link":
      case "unbind":
        return answer(session, pdu);
      case "alert_notification":
      case "outbind":
      case "generic_nack":
        return;
      default:
        if (pdu.isResponse()) return;
        counts.generic_nack = (counts.generic_nack ?? 0) + 1;
        session.send(
          new smpp.PDU("generic_nack", {
            command_status: RINVCMDID,
            sequence_number: pdu.sequence_number,
          }),
        );
    }
  };

  const server = smpp.createServer({}, (session: Session) => {
    sessions.add(session);
    session.on("pdu", (pdu: LibPdu) => onPdu(session, pdu));
    // A stream the library cannot frame (command_length above its limit) ends the session.
    session.on("error", () => session.destroy());
    session.on("close", () => {
      sessions.delete(session);
      for (let i = receivers.length - 1; i >= 0; i--) {
        if (receivers[i].session === session) receivers.splice(i, 1);
      }
      for (const reject of pending.get(session) ?? []) {
        reject(new Error("Cannot read deliver_sm_resp: the ESME closed the connection"));
      }
      pending.delete(session);
    });
  });

  const sendDeliver = (
    fields: BareDeliverFields,
    deliverOptions: BareDeliverOptions = {},
  ): Promise<BareDeliverResp> => {
    const target = receivers.findLast((r) =>
      deliverOptions.systemId === undefined || r.systemId === deliverOptions.systemId
    );
    if (!target) {
      return Promise.reject(
        new Error(
          `Cannot send deliver_sm: no receiver or transceiver bound` +
            (deliverOptions.systemId ? ` as "${deliverOptions.systemId}"` : ""),
        ),
      );
    }
    const timeoutMs = deliverOptions.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const set = pending.get(target.session) ?? new Set();
      pending.set(target.session, set);
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        set.delete(fail);
        fn();
      };
      const fail = (e: Error) => settle(() => reject(e));
      const timer = setTimeout(
        () => fail(new Error(`Cannot read deliver_sm_resp: none within ${timeoutMs} ms`)),
        timeoutMs,
      );
      set.add(fail);
      const pdu = new smpp.PDU("deliver_sm", libraryOptions(fields));
      const sent = target.session.send(pdu, (resp: LibPdu) =>
        settle(() =>
          resolve({
            command_status: resp.command_status,
            sequence_number: resp.sequence_number,
            message_id: resp.message_id === undefined ? "" : String(resp.message_id),
          })
        ));
      if (!sent) fail(new Error("Cannot send deliver_sm: the session is not writable"));
    });
  };

  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sessions) s.destroy();
      server.close(() => resolve());
    });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve({
        port: server.address().port,
        sendDeliver,
        counts: () => ({ ...counts }),
        close,
      });
    });
  });
}

function hexToBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`Cannot read hex: "${hex}"`);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

async function runProgram(args: string[]): Promise<void> {
  const at = args.indexOf("--port");
  const port = at >= 0 ? Number(args[at + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Cannot start: --port must be 0-65535: current value is "${args[at + 1]}"`);
  }
  const server = await startBareSmppServer({ port });
  const out = (line: string) => Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
  out(`listening ${server.port}`);
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let buffered = "";
  for await (const chunk of lines) {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      try {
        const { deliver } = JSON.parse(line);
        const { short_message_hex, ...fields } = deliver;
        fields.short_message = hexToBytes(short_message_hex ?? "");
        out(JSON.stringify({ deliver_resp: await server.sendDeliver(fields) }));
      } catch (e) {
        out(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
      }
    }
  }
}

if (import.meta.main) {
  // stdin may be closed at once (`< /dev/null`); the server keeps running until killed.
  await runProgram(Deno.args);
}
