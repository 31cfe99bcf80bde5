/**
 * The downlink's view of core (`CoreGate`) over a `RoleClient`: plain
 * results instead of frame responses, so that requests.ts stays small.
 *
 * @module
 */

import { DISPOSITIONS } from "../../codec/pms/mod.ts";
import type { RoleClient } from "../../transport/role_client.ts";
import type { CoreGate, QueriedMessage } from "./requests.ts";

/** Adapts a registered role client. Errors of the client pass through. */
export function roleClientGate(client: RoleClient): CoreGate {
  return {
    async submit(record) {
      const r = await client.submit(record);
      return r.result === "ok" ? { ok: true, index: r.index } : { ok: false, reason: r.reason };
    },
    async cancel(index) {
      return (await client.cancel({ by: "index", index })).result;
    },
    async query(index): Promise<QueriedMessage | undefined> {
      const r = await client.query({ by: "index", index });
      if (r.result !== "ok") return undefined;
      return {
        index: r.index,
        state: r.state,
        disposition: DISPOSITIONS[r.disposition] ?? "none",
        dcs: r.dcs,
        cause: r.cause,
        dischargeTimeMs: r.dischargeTimeMs,
      };
    },
    async replace(index, record) {
      return (await client.replace(index, record)).result;
    },
  };
}
