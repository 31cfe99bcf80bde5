/**
 * Upstream → core: what the upstream SMSC sends us on the transceiver bind
 * (docs/uplink.md, "Inbound").
 *
 * - deliver_sm / data_sm carrying an MO message from the outside world:
 *   mapped to records (codec-exact), SUBMITted as from the upstream, and
 *   answered only after core stored them. PID/DCS preening (seed 2.4.3) is
 *   core's admission filter for the untrusted "upstream" source. A refusal
 *   for an unknown local number means the upstream routes numbers to us
 *   that we do not own: logged at warn, answered ESME_RINVDSTADR.
 * - a delivery receipt (esm_class 0x04 or 0x20): parsed tolerantly (TLVs
 *   first, then the text), SUBMITted as a receipt record for core to match
 *   with the message it is about; a receipt core cannot match is still
 *   answered 0 and logged by core; one we cannot parse at all is answered 0
 *   and logged here (the upstream must not resend it forever).
 * - alert_notification: logged, no response (it has none).
 *
 * @module
 */

import { encodePmsRecord, type PmsRecord, reportRecord } from "../../codec/pms/mod.ts";
import { SMPP_STATUS, type SmppPdu } from "../../codec/smpp/mod.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/log.ts";
import { addressIn } from "../../proto/smpp_sm_address.ts";
import { admissionToCommandStatus, smppReceiptOf, smppToRecords } from "../../proto/smpp_sm.ts";
import type { SmppReply } from "../../transport/smpp_session.ts";
import { reasonNameOf } from "../../codec/frame/admission.ts";
import type { Reason } from "../../codec/frame/reasons.ts";

/** Core as the inbound side needs it. */
export interface InboundCore {
  submit(record: Uint8Array): Promise<{ ok: true; index: number } | { ok: false; reason: Reason }>;
  /** Cancels a stored part of a message whose later part was refused. */
  cancel(index: number): Promise<void>;
}

/** message_state (§5.2.28) → the disposition a receipt reports. */
function dispositionOf(state: number): PmsRecord["disposition"] | undefined {
  switch (state) {
    case 2: // DELIVERED
      return "delivered";
    case 3: // EXPIRED
      return "expired";
    case 4: // DELETED
      return "cancelled";
    case 5: // UNDELIVERABLE
    case 8: // REJECTED
      return "failed-permanent";
    default: // ENROUTE, ACCEPTED, UNKNOWN: not final, nothing to report
      return undefined;
  }
}

/** Answers the upstream's requests. */
export class UplinkInbound {
  #mr = 0;

  constructor(
    private readonly core: InboundCore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async handle(pdu: SmppPdu): Promise<SmppReply> {
    switch (pdu.command) {
      case "alert_notification":
        this.logger.info("alert_notification from the upstream", {
          esme_addr: String(pdu.fields.esme_addr ?? ""),
        });
        return { status: 0, noResponse: true };
      case "deliver_sm":
      case "data_sm": {
        const receipt = smppReceiptOf(pdu);
        if (receipt !== undefined) return await this.#receipt(pdu, receipt);
        const esm = Number(pdu.fields.esm_class ?? 0);
        if ((esm & 0x3c) !== 0) {
          this.logger.notice("Receipt from the upstream without id or state; answered, dropped", {
            esm_class: esm,
          });
          return { status: 0, fields: { message_id: "" } };
        }
        return await this.#mo(pdu);
      }
      default:
        return { status: SMPP_STATUS.ESME_RINVCMDID };
    }
  }

  async #mo(pdu: SmppPdu): Promise<SmppReply> {
    const m = smppToRecords(pdu, {
      sourceClass: "upstream",
      sourcePeer: "",
      concatRef: this.#mr,
      mr: this.#mr,
      nowMs: this.clock.now(),
    });
    this.#mr = (this.#mr + 1) % 256;
    if (!m.ok) {
      this.logger.notice("Refusing MO from the upstream", { reason: m.reason });
      return { status: m.commandStatus };
    }
    const stored: number[] = [];
    // A refused later part must not leave the earlier ones behind (the upstream resends all).
    const undo = async () => {
      for (const id of stored) {
        await this.core.cancel(id).catch((e) =>
          this.logger.warn("Cannot cancel part of a refused MO", { id, error: String(e) })
        );
      }
    };
    for (const rec of m.records) {
      let r;
      try {
        r = await this.core.submit(encodePmsRecord(rec));
      } catch (e) {
        this.logger.notice("Cannot submit MO to core", { error: String(e) });
        await undo();
        return { status: SMPP_STATUS.ESME_RX_T_APPN };
      }
      if (r.ok) stored.push(r.index);
      else {
        await undo();
        const name = reasonNameOf(r.reason);
        if (name.startsWith("dest-")) {
          // Seed 1.2: the upstream should only route our own numbers to us.
          this.logger.warn("Upstream sent a message to a number we do not serve: check routing", {
            reason: r.reason.text,
          });
        } else {
          this.logger.info("Core refused MO from the upstream", { reason: r.reason.text });
        }
        return { status: admissionToCommandStatus(name) };
      }
    }
    return { status: 0, fields: { message_id: "" } };
  }

  async #receipt(
    pdu: SmppPdu,
    receipt: NonNullable<ReturnType<typeof smppReceiptOf>>,
  ): Promise<SmppReply> {
    const answered: SmppReply = { status: 0, fields: { message_id: "" } };
    const disposition = dispositionOf(receipt.messageState);
    if (disposition === undefined) {
      this.logger.info("Intermediate receipt from the upstream ignored", {
        state: receipt.messageState,
      });
      return answered;
    }
    const messageId = receipt.messageId.replace(/[^\x20-\x7e]/g, "").slice(0, 64);
    const oa = addressIn({
      ton: Number(pdu.fields.source_addr_ton ?? 0),
      npi: Number(pdu.fields.source_addr_npi ?? 0),
      addr: String(pdu.fields.source_addr ?? ""),
    }, "source");
    const da = addressIn({
      ton: Number(pdu.fields.dest_addr_ton ?? 0),
      npi: Number(pdu.fields.dest_addr_npi ?? 0),
      addr: String(pdu.fields.destination_addr ?? ""),
    }, "destination");
    const rec = reportRecord({
      kind: "receipt",
      disposition,
      cause: (receipt.err ?? 0) & 0xffff,
      doneTimeMs: receipt.doneTimeMs ?? 0,
      messageId,
    }, {
      sourceClass: "upstream",
      oa: oa.ok ? oa.address : { ton: 0, npi: 0, digits: "0" },
      da: da.ok ? da.address : { ton: 0, npi: 0, digits: "0" },
      mr: 0,
    });
    try {
      const r = await this.core.submit(encodePmsRecord(rec));
      if (!r.ok) {
        this.logger.notice("Core refused a receipt from the upstream", {
          id: messageId,
          reason: r.reason.text,
        });
      }
    } catch (e) {
      // The upstream resends a receipt we do not acknowledge: let it.
      this.logger.notice("Cannot pass a receipt to core", { error: String(e) });
      return { status: SMPP_STATUS.ESME_RX_T_APPN };
    }
    return answered;
  }
}
