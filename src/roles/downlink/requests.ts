/**
 * What a bound ESME asks of the downlink: submit_sm, data_sm, submit_multi,
 * query_sm, cancel_sm and replace_sm, each turned into core exchanges
 * (docs/downlink.md has the full mapping).
 *
 * - A submit is answered only after core has stored every record of it
 *   durably; the message_id is our message id (the PMS index) of its first
 *   record. A message_payload longer than one SM becomes several records; if
 *   core refuses a later one, the ones already stored are cancelled and the
 *   ESME gets the refusal.
 * - When core cannot be reached (not registered, connection lost, no answer
 *   in time) the ESME gets ESME_RSYSERR: it may retry, and where the answer
 *   was lost after core stored the message, the retry is a duplicate
 *   (at-least-once, as SMPP 3.4 allows).
 * - A peer can only query, cancel or replace its own messages: core answers
 *   "not found" for any other (socket-protocol.md, ownership).
 *
 * @module
 */

import { reasonNameOf } from "../../codec/frame/admission.ts";
import type { Reason } from "../../codec/frame/reasons.ts";
import type { Target } from "../../codec/frame/types.ts";
import { encodePmsRecord, type PmsRecord } from "../../codec/pms/mod.ts";
import {
  SMPP_STATUS,
  type SmppDestAddress,
  type SmppPdu,
  type SmppUnsuccessSme,
} from "../../codec/smpp/mod.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/log.ts";
import { TokenBucket } from "../../proto/token_bucket.ts";
import { FairGate } from "../../proto/fair_gate.ts";
import {
  admissionToCommandStatus,
  formatMessageId,
  messageStateOf,
  parseMessageId,
  smppAbsoluteTime,
  smppToRecords,
} from "../../proto/smpp_sm.ts";
import type { SmppReply } from "../../transport/smpp_session.ts";

/** A stored message as core describes it to QUERY. */
export interface QueriedMessage {
  index: number;
  state: "active" | "historical";
  disposition: PmsRecord["disposition"];
  dcs: number;
  cause: number;
  dischargeTimeMs: number;
}

/** Replace outcomes. */
export type ReplaceOutcome = "ok" | "not-found" | "historical" | "in-transit" | "mismatch";

/** What the requests need from core; `RoleClient` behind an adapter (server.ts). */
export interface CoreGate {
  submit(record: Uint8Array): Promise<{ ok: true; index: number } | { ok: false; reason: Reason }>;
  cancel(index: number): Promise<"ok" | "not-found" | "historical">;
  query(index: number): Promise<QueriedMessage | undefined>;
  replace(index: number, record: Uint8Array): Promise<ReplaceOutcome>;
}

/** Options of `PeerRequests`. */
export interface PeerRequestsOptions {
  peer: string;
  core: CoreGate;
  clock: Clock;
  logger: Logger;
  /** Messages per second per bind; 0 = no limit. */
  submitRateMax: number;
  /** Submits waiting for core at once, in all and per bind (round robin between binds). */
  coreInFlightMax: number;
  bindCoreInFlightMax: number;
  /** A random integer 0..n-1, for the first concatenation reference and TP-MR. */
  random(n: number): number;
}

type Submittable = "submit_sm" | "data_sm" | "submit_multi";

/** The handlers of a peer's binds; one instance per downlink process. */
export class PeerRequests {
  readonly #o: PeerRequestsOptions;
  readonly #buckets = new WeakMap<object, TokenBucket>();
  readonly #gate: FairGate;
  #concatRef: number;
  #mr: number;

  constructor(options: PeerRequestsOptions) {
    this.#o = options;
    this.#gate = new FairGate(options.coreInFlightMax, options.bindCoreInFlightMax);
    this.#concatRef = options.random(256);
    this.#mr = options.random(256);
  }

  /**
   * Answers one request of a bound ESME.
   *
   * @param pdu the decoded request
   * @param bindKey identifies the bind (its rate bucket)
   */
  handle(
    pdu: SmppPdu,
    bindKey: { readonly session: { readonly isClosed: boolean } },
  ): Promise<SmppReply> {
    // Not async itself: each async layer costs every submit_sm a promise and a turn.
    switch (pdu.command) {
      case "submit_sm":
      case "data_sm":
      case "submit_multi":
        if (!this.#withinRate(bindKey, pdu.command)) {
          return Promise.resolve({ status: SMPP_STATUS.ESME_RTHROTTLED });
        }
        return this.#gate.run(bindKey, () => {
          // The bind closed while this waited its turn: the ESME never sees an answer and
          // will resend, so do not store it.
          if (bindKey.session.isClosed) {
            return Promise.resolve({ status: SMPP_STATUS.ESME_RSYSERR });
          }
          return pdu.command === "submit_multi" ? this.#submitMulti(pdu) : this.#submit(pdu);
        });
      case "query_sm":
        return this.#query(pdu);
      case "cancel_sm":
        return this.#cancel(pdu);
      case "replace_sm":
        return this.#replace(pdu);
      default:
        return Promise.resolve({ status: SMPP_STATUS.ESME_RINVCMDID });
    }
  }

  #withinRate(bindKey: object, command: Submittable): boolean {
    const rate = this.#o.submitRateMax;
    if (rate === 0) return true;
    const now = this.#o.clock.now();
    let bucket = this.#buckets.get(bindKey);
    if (bucket === undefined) {
      bucket = new TokenBucket(rate, rate, now);
      this.#buckets.set(bindKey, bucket);
    }
    if (bucket.take(now)) return true;
    this.#o.logger.debug("Throttling ESME", { command });
    return false;
  }

  #ctx(dest?: { ton: number; npi: number; addr: string }) {
    const concatRef = this.#concatRef;
    const mr = this.#mr;
    this.#concatRef = (this.#concatRef + 1) % 256;
    this.#mr = (this.#mr + 1) % 256;
    return {
      sourceClass: "downstream" as const,
      sourcePeer: this.#o.peer,
      concatRef,
      mr,
      nowMs: this.#o.clock.now(),
      dest,
    };
  }

  #submit(pdu: SmppPdu): Promise<SmppReply> {
    const m = smppToRecords(pdu, this.#ctx());
    if (!m.ok) {
      this.#o.logger.info("Refusing message", { command: pdu.command, reason: m.reason });
      return Promise.resolve({ status: m.commandStatus });
    }
    if (m.records.length === 1) return this.#submitOne(m.records[0]);
    return this.#store(m.records).then((r) =>
      r.ok ? { status: 0, fields: { message_id: formatMessageId(r.ids[0]) } } : { status: r.status }
    );
  }

  // #store for the common message of one record, with one async step less.
  async #submitOne(rec: PmsRecord): Promise<SmppReply> {
    try {
      const r = await this.#o.core.submit(encodePmsRecord(rec));
      if (r.ok) return { status: 0, fields: { message_id: formatMessageId(r.index) } };
      this.#o.logger.info("Core refused message", { reason: r.reason.text });
      return { status: admissionToCommandStatus(reasonNameOf(r.reason)) };
    } catch (e) {
      this.#o.logger.notice("Cannot submit to core", { error: String(e) });
      return { status: SMPP_STATUS.ESME_RSYSERR };
    }
  }

  async #submitMulti(pdu: SmppPdu): Promise<SmppReply> {
    const dests = (pdu.fields.dest_address ?? []) as SmppDestAddress[];
    const unsuccess: SmppUnsuccessSme[] = [];
    let firstId: number | undefined;
    for (const d of dests) {
      if (d.dest_flag === 2) {
        // We keep no distribution lists (§4.5.1.1 dest_flag 2).
        unsuccess.push({
          dest_addr_ton: 0,
          dest_addr_npi: 0,
          destination_addr: d.dl_name,
          error_status_code: SMPP_STATUS.ESME_RINVDLNAME,
        });
        continue;
      }
      const fail = (status: number) =>
        unsuccess.push({
          dest_addr_ton: d.dest_addr_ton,
          dest_addr_npi: d.dest_addr_npi,
          destination_addr: d.destination_addr,
          error_status_code: status,
        });
      const m = smppToRecords(
        pdu,
        this.#ctx({ ton: d.dest_addr_ton, npi: d.dest_addr_npi, addr: d.destination_addr }),
      );
      if (!m.ok) {
        fail(m.commandStatus);
        continue;
      }
      const r = await this.#store(m.records);
      if (!r.ok) fail(r.status);
      else firstId ??= r.ids[0];
    }
    if (firstId === undefined) {
      // §4.5.2: no destination took it; the first error speaks for all.
      return { status: unsuccess[0]?.error_status_code ?? SMPP_STATUS.ESME_RINVNUMDESTS };
    }
    return {
      status: 0,
      fields: { message_id: formatMessageId(firstId), unsuccess_sme: unsuccess },
    };
  }

  // Stores the records of one message in order; on a refusal cancels the stored ones.
  async #store(
    records: PmsRecord[],
  ): Promise<{ ok: true; ids: number[] } | { ok: false; status: number }> {
    const ids: number[] = [];
    for (const rec of records) {
      let status: number | undefined;
      try {
        const r = await this.#o.core.submit(encodePmsRecord(rec));
        if (r.ok) {
          ids.push(r.index);
          continue;
        }
        const name = reasonNameOf(r.reason);
        status = admissionToCommandStatus(name);
        this.#o.logger.info("Core refused message", { reason: r.reason.text });
      } catch (e) {
        this.#o.logger.notice("Cannot submit to core", { error: String(e) });
        status = SMPP_STATUS.ESME_RSYSERR;
      }
      await this.#cancelStored(ids);
      return { ok: false, status };
    }
    return { ok: true, ids };
  }

  async #cancelStored(ids: number[]): Promise<void> {
    for (const id of ids) {
      try {
        await this.#o.core.cancel(id);
      } catch (e) {
        this.#o.logger.warn("Cannot cancel part of a refused message", { id, error: String(e) });
      }
    }
  }

  async #query(pdu: SmppPdu): Promise<SmppReply> {
    const id = parseMessageId(String(pdu.fields.message_id ?? ""));
    if (id === undefined) return { status: SMPP_STATUS.ESME_RINVMSGID };
    let q: QueriedMessage | undefined;
    try {
      q = await this.#o.core.query(id);
    } catch (e) {
      this.#o.logger.notice("Cannot query core", { error: String(e) });
      return { status: SMPP_STATUS.ESME_RSYSERR };
    }
    if (q === undefined) return { status: SMPP_STATUS.ESME_RQUERYFAIL };
    return {
      status: 0,
      fields: {
        message_id: formatMessageId(id),
        final_date: q.state === "historical" ? smppAbsoluteTime(q.dischargeTimeMs) : "",
        message_state: messageStateOf({ state: q.state, disposition: q.disposition }),
        error_code: q.state === "historical" ? q.cause & 0xff : 0,
      },
    };
  }

  async #cancel(pdu: SmppPdu): Promise<SmppReply> {
    const text = String(pdu.fields.message_id ?? "");
    // §4.9.1: an empty message_id asks to cancel every message from source to dest;
    // we cancel by id only.
    const id = parseMessageId(text);
    if (id === undefined) {
      return { status: text === "" ? SMPP_STATUS.ESME_RCANCELFAIL : SMPP_STATUS.ESME_RINVMSGID };
    }
    try {
      const r = await this.#o.core.cancel(id);
      return { status: r === "ok" ? 0 : SMPP_STATUS.ESME_RCANCELFAIL };
    } catch (e) {
      this.#o.logger.notice("Cannot cancel in core", { error: String(e) });
      return { status: SMPP_STATUS.ESME_RSYSERR };
    }
  }

  async #replace(pdu: SmppPdu): Promise<SmppReply> {
    const id = parseMessageId(String(pdu.fields.message_id ?? ""));
    if (id === undefined) return { status: SMPP_STATUS.ESME_RINVMSGID };
    try {
      const q = await this.#o.core.query(id);
      if (q === undefined || q.state !== "active") return { status: SMPP_STATUS.ESME_RREPLACEFAIL };
      // replace_sm carries no data_coding: the new text is in the original's coding.
      const dataCoding = replaceDataCoding(q.dcs);
      if (dataCoding === undefined) return { status: SMPP_STATUS.ESME_RREPLACEFAIL };
      const asSubmit: SmppPdu = {
        ...pdu,
        command: "submit_sm",
        fields: {
          service_type: "",
          source_addr_ton: pdu.fields.source_addr_ton,
          source_addr_npi: pdu.fields.source_addr_npi,
          source_addr: pdu.fields.source_addr,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: "0",
          esm_class: 0,
          protocol_id: 0,
          priority_flag: 0,
          schedule_delivery_time: pdu.fields.schedule_delivery_time,
          validity_period: pdu.fields.validity_period,
          registered_delivery: pdu.fields.registered_delivery,
          replace_if_present_flag: 0,
          data_coding: dataCoding,
          sm_default_msg_id: 0,
          short_message: pdu.fields.short_message,
        },
        tlvs: [],
      };
      const m = smppToRecords(asSubmit, this.#ctx());
      if (!m.ok) return { status: m.commandStatus };
      if (m.records.length !== 1) return { status: SMPP_STATUS.ESME_RINVMSGLEN };
      const r = await this.#o.core.replace(id, encodePmsRecord(m.records[0]));
      if (r === "ok") return { status: 0 };
      this.#o.logger.info("Core did not replace message", { id, outcome: r });
      return {
        status: r === "mismatch" ? SMPP_STATUS.ESME_RINVSRCADR : SMPP_STATUS.ESME_RREPLACEFAIL,
      };
    } catch (e) {
      this.#o.logger.notice("Cannot replace in core", { error: String(e) });
      return { status: SMPP_STATUS.ESME_RSYSERR };
    }
  }
}

/** The data_coding under which replace_sm's octets are read for a stored TP-DCS. */
function replaceDataCoding(dcs: number): number | undefined {
  if (dcs === 0x00) return 0x00;
  if (dcs === 0x08) return 0x08;
  if (dcs === 0x04) return 0x04;
  if (dcs >= 0xc0) return dcs;
  return undefined;
}

/** The index of a CANCEL/QUERY target by message id. */
export function byIndex(index: number): Target {
  return { by: "index", index };
}
