/**
 * `smsc gsmif`: the subscriber interface, SMS over SIP (3GPP TS 24.341) on
 * TCP and WebSocket (docs/gsmif.md). It holds two roles toward core: the
 * IMSI lookup (answered from numbers.db) and MT delivery (custody, mt.ts).
 *
 * Start-up: a listener must be set (`[gsmif] listen_tcp` or `listen_ws`).
 * Open numbers.db read-only, listen, connect to core and claim both roles,
 * then declare the service up. Stop (SIGTERM/SIGINT or `signal`): close
 * the listeners and the core connection (core takes back every MT it had
 * transferred), exit 0.
 *
 * @module
 */

import type { Request, Response } from "../../codec/frame/mod.ts";
import { decodePmsRecord } from "../../codec/pms/mod.ts";
import { statePaths } from "../../config/paths.ts";
import type { ResolvedConfig } from "../../config/schema.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { ConfigError } from "../../lib/errors.ts";
import { Logger, setLogLevel } from "../../lib/log.ts";
import { parseRetrySchedule } from "../../proto/retry.ts";
import { DigestAuth } from "../../proto/sip_digest.ts";
import { Registrar } from "../../proto/registrar.ts";
import { NumbersDb } from "../../store/numbers_db.ts";
import { RoleClient } from "../../transport/role_client.ts";
import { coreClientOptions, parseHostPort, untilStopped } from "../role_process.ts";
import { SipEndpoint } from "../../transport/sip/mod.ts";
import { MtCustody } from "./mt.ts";
import { SipUa } from "./sip_ua.ts";

/** Options of `runGsmif` for tests. */
export interface GsmifOptions {
  clock?: Clock;
  signal?: AbortSignal;
}

/**
 * Runs gsmif until stopped.
 *
 * @returns the exit code: 0 after a clean stop
 * @throws {ConfigError} when no listener is configured
 */
export async function runGsmif(
  config: ResolvedConfig,
  options: GsmifOptions = {},
): Promise<number> {
  setLogLevel(config.log.level);
  const s = config.gsmif;
  if (s.listen_tcp === "" && s.listen_ws === "") {
    throw new ConfigError(
      "gsmif.listen_tcp",
      "Cannot start gsmif: no listener ([gsmif] listen_tcp or listen_ws)",
    );
  }
  const clock = options.clock ?? systemClock;
  const logger = new Logger("gsmif");
  const numbers = NumbersDb.open(statePaths(config).numbersDb, {
    readOnly: true,
    busyTimeoutMs: 5000,
  });
  try {
    return await serve(config, numbers, clock, logger, options);
  } finally {
    numbers.close();
  }
}

async function serve(
  config: ResolvedConfig,
  numbers: NumbersDb,
  clock: Clock,
  logger: Logger,
  options: GsmifOptions,
): Promise<number> {
  const s = config.gsmif;
  const registrar = new Registrar({
    minExpiresS: s.register_expires_min_s,
    maxExpiresS: s.register_expires_max_s,
    defaultExpiresS: Math.min(s.register_expires_max_s, Math.max(s.register_expires_min_s, 600)),
  });
  const auth = new DigestAuth({
    realm: s.domain,
    secret: crypto.getRandomValues(new Uint8Array(32)),
    nonceTtlMs: 300_000,
    algorithms: s.digest_algorithms,
  });
  const holder: { endpoint?: SipEndpoint; mt?: MtCustody } = {};
  const client = RoleClient.start({
    ...coreClientOptions(config),
    roles: [{ role: "imsi-lookup", peer: "" }, { role: "gsm-mt", peer: "" }],
    handler: (request: Request): Response => {
      switch (request.type) {
        case "MT_FIND_IMSI": {
          const imsi = numbers.msisdnToImsi(request.msisdn);
          if (imsi !== undefined) return { type: "MT_FIND_IMSI", result: "ok", imsi };
          const known = numbers.lookupNumber(request.msisdn);
          return {
            type: "MT_FIND_IMSI",
            result: "permanent",
            cause: 0,
            text: known ? "subscriber has no IMSI (smsc numbers imsi set)" : "unknown subscriber",
          };
        }
        case "MT_TRANSFER":
          holder.mt!.transfer(request.index, decodePmsRecord(request.record));
          return { type: "MT_TRANSFER", result: "ok" };
        case "MT_CANCEL":
          return {
            type: "MT_CANCEL",
            result: holder.mt!.cancel(request.index) ? "ok" : "not-held",
          };
        default:
          throw new Error(`Cannot handle ${request.type} in gsmif`);
      }
    },
    clock,
    logger: logger.with("core"),
    onConnected: () => logger.notice("gsmif registered with core"),
    onDisconnected: (info) => {
      // Core takes back every message it transferred: forget them (socket protocol §5).
      logger.warn("gsmif lost core; dropping MT custody", {
        reason: info.reason,
        held: holder.mt?.held,
      });
      holder.mt?.dropAll();
    },
  });
  const ua = new SipUa({
    endpoint: () => holder.endpoint!,
    registrar,
    auth,
    credential: (u) => numbers.getSipCredential(u),
    isSubscriber: (e164) => {
      const n = numbers.lookupNumber(e164);
      return n !== undefined && n.kind === "gsm";
    },
    allowUnauthenticated: s.allow_unauthenticated,
    domain: s.domain,
    outboundProxy: s.outbound_proxy
      ? parseHostPort(s.outbound_proxy, "gsmif.outbound_proxy")
      : undefined,
    async submit(record) {
      const r = await client.submit(record);
      return r.result === "ok" ? { ok: true, index: r.index } : { ok: false, reason: r.reason };
    },
    mt: () => holder.mt!,
    clock,
    logger: logger.with("sip"),
  });
  holder.mt = new MtCustody({
    clock,
    logger: logger.with("mt"),
    schedule: parseRetrySchedule(s.mt_retry_delays, "gsmif.mt_retry_delays"),
    rpAckTimeoutMs: s.rp_ack_timeout_ms,
    smscAddress: s.smsc_address,
    send: (msisdn, rp, stillHeld) => ua.send(msisdn, rp, undefined, stillHeld),
    async discharge(index, disposition, cause) {
      const r = await client.discharge({ index, disposition, cause, extraInfo: new Uint8Array() });
      return r.result === "ok";
    },
  });
  const endpoint = await SipEndpoint.start({
    listenTcp: s.listen_tcp ? parseHostPort(s.listen_tcp, "gsmif.listen_tcp") : undefined,
    listenWs: s.listen_ws ? parseHostPort(s.listen_ws, "gsmif.listen_ws") : undefined,
    maxMessageBytes: s.max_message_bytes,
    keepaliveMs: s.keepalive_ms,
    transactionTimeoutMs: s.transaction_timeout_ms,
    viaHost: s.listen_tcp ? parseHostPort(s.listen_tcp, "gsmif.listen_tcp").hostname : "127.0.0.1",
    logger: logger.with("transport"),
    clock,
  }, (r) => ua.onRequest(r));
  holder.endpoint = endpoint;
  endpoint.onConnectionClosed((id) => {
    registrar.connectionClosed(id);
    ua.connectionClosed(id);
  });
  const sweep = setInterval(() => registrar.sweep(clock.now()), 10_000);
  await client.setServiceState(true).catch(() => {});
  logger.notice("gsmif ready", {
    listen_tcp: s.listen_tcp || undefined,
    tcp_port: endpoint.ports.tcp,
    listen_ws: s.listen_ws || undefined,
    ws_port: endpoint.ports.ws,
    domain: s.domain,
  });
  await untilStopped(options.signal);
  logger.notice("gsmif stopping", { held: holder.mt.held });
  clearInterval(sweep);
  holder.mt.close();
  await endpoint.close();
  await client.close();
  logger.notice("gsmif stopped");
  return 0;
}
