/**
 * `smsc uplink`: the SMPP client to the upstream SMSC and the role handler
 * of peer delivery to the upstream (peer name ""), seed 003 §1.2.1;
 * docs/uplink.md.
 *
 * Start-up: `[uplink] host` must be set. It connects to core and claims the
 * upstream's peer role, and keeps the upstream link up on its own schedule
 * (link.ts); the service state it announces to core follows the link.
 * Stop (SIGTERM/SIGINT or `signal`): unbind, close the core connection,
 * exit 0. Messages in flight go back to core's queue with the connection.
 *
 * @module
 */

import type { Request, Response } from "../../codec/frame/mod.ts";
import type { ResolvedConfig } from "../../config/schema.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { ConfigError } from "../../lib/errors.ts";
import { Logger, setLogLevel } from "../../lib/log.ts";
import { RoleClient } from "../../transport/role_client.ts";
import { coreClientOptions, untilStopped } from "../role_process.ts";
import { UplinkInbound } from "./inbound.ts";
import { UpstreamLink } from "./link.ts";

/** Options of `runUplink` for tests. */
export interface UplinkOptions {
  clock?: Clock;
  signal?: AbortSignal;
}

/**
 * Runs the uplink until stopped.
 *
 * @returns the exit code: 0 after a clean stop
 * @throws {ConfigError} when no upstream is configured
 */
export async function runUplink(
  config: ResolvedConfig,
  options: UplinkOptions = {},
): Promise<number> {
  setLogLevel(config.log.level);
  const s = config.uplink;
  if (s.host === "") {
    throw new ConfigError(
      "uplink.host",
      'Cannot start uplink: no upstream configured ([uplink] host = "")',
    );
  }
  const clock = options.clock ?? systemClock;
  const logger = new Logger("uplink");
  // The handler may be called before the link exists only in theory (core sends work once
  // the link announces up); the holder makes that order explicit.
  const holder: { link?: UpstreamLink; generation: number } = { generation: 0 };
  const client = RoleClient.start({
    ...coreClientOptions(config),
    roles: [{ role: "peer", peer: "" }],
    handler: (request: Request): Promise<Response> | Response => {
      if (request.type === "DELIVER_TO_PEER" && holder.link) {
        const generation = holder.generation;
        return holder.link.deliver(
          request.index,
          request.record,
          () => holder.generation === generation,
        );
      }
      throw new Error(`Cannot handle ${request.type}: uplink holds only the upstream's peer role`);
    },
    clock,
    logger: logger.with("core"),
    onConnected: () => logger.notice("uplink registered with core"),
    onDisconnected: (info) => {
      // Core takes back what it handed us: anything still waiting here must not go out.
      holder.generation++;
      logger.warn("uplink lost core", { reason: info.reason });
    },
  });
  const inbound = new UplinkInbound(
    {
      async submit(record) {
        const r = await client.submit(record);
        return r.result === "ok" ? { ok: true, index: r.index } : { ok: false, reason: r.reason };
      },
      async cancel(index) {
        await client.cancel({ by: "index", index });
      },
    },
    clock,
    logger.with("inbound"),
  );
  const link = new UpstreamLink({
    settings: s,
    clock,
    logger: logger.with("link"),
    inbound,
    startWhen: client.whenRegistered().catch(() => {}),
    onState: (up) =>
      client.setServiceState(up).catch((e) =>
        logger.info("Cannot announce service state", { error: String(e) })
      ),
  });
  holder.link = link;
  logger.notice("uplink ready", { host: s.host, port: s.port, tls: s.tls });
  await untilStopped(options.signal);
  logger.notice("uplink stopping");
  await link.stop();
  await client.close();
  logger.notice("uplink stopped");
  return 0;
}
