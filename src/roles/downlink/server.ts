/**
 * `smsc downlink PEER`: the SMPP 3.4 server for one downstream peer
 * (seed 003 §2.1, one process per peer; docs/downlink.md).
 *
 * Start-up: the peer's `[downlink.peer.NAME]` table must give a listener,
 * and numbers.db must know the peer. Then, in order: listen (plain and/or
 * TLS), connect to core and claim the peer role, accept ESMEs.
 *
 * Service state toward core: up while at least one receiver or transceiver
 * bind exists, down otherwise (core keeps the peer's messages meanwhile).
 *
 * Stop (SIGTERM/SIGINT or `signal`): close the listeners, unbind every ESME
 * (each waits at most the response timer), close the core connection, exit
 * 0. A message core handed over and not yet answered simply goes back to
 * core's queue when the connection closes.
 *
 * @module
 */

import { statePaths } from "../../config/paths.ts";
import type { DownlinkSettings, ResolvedConfig } from "../../config/schema.ts";
import type { Request, Response } from "../../codec/frame/mod.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { ConfigError } from "../../lib/errors.ts";
import { Logger, setLogLevel } from "../../lib/log.ts";
import { NumbersDb } from "../../store/numbers_db.ts";
import { RoleClient } from "../../transport/role_client.ts";
import { coreClientOptions, parseHostPort, untilStopped } from "../role_process.ts";
import { BindGuard } from "./auth.ts";
import { EsmeBind } from "./bind.ts";
import { PeerDeliveries } from "./deliveries.ts";
import { PeerRequests } from "./requests.ts";
import { roleClientGate } from "./core_gate.ts";

/** Options of `runDownlink` for tests. */
export interface DownlinkOptions {
  clock?: Clock;
  signal?: AbortSignal;
  /** Called once the listeners are open, with their bound ports. */
  onListening?: (ports: { plain?: number; tls?: number }) => void;
}

function remoteAddress(conn: Deno.Conn): string {
  const a = conn.remoteAddr;
  return a.transport === "tcp" ? a.hostname.replace(/^::ffff:/, "") : "unknown";
}

/**
 * Runs the downlink for `peer` until stopped.
 *
 * @returns the exit code: 0 after a clean stop
 * @throws {ConfigError} when the peer has no listener, no TLS files for its TLS
 *   listener, or is not in numbers.db
 */
export async function runDownlink(
  config: ResolvedConfig,
  peer: string,
  options: DownlinkOptions = {},
): Promise<number> {
  setLogLevel(config.log.level);
  const clock = options.clock ?? systemClock;
  const logger = new Logger("downlink", peer);
  const settings: DownlinkSettings | undefined = config.downlink.peer[peer];
  const where = `downlink.peer.${peer}`;
  if (settings === undefined || (settings.listen === "" && settings.tls_listen === "")) {
    throw new ConfigError(
      where,
      `Cannot start downlink: config has no listener for peer "${peer}" ([${where}] listen or tls_listen)`,
    );
  }
  const paths = statePaths(config);
  const numbers = NumbersDb.open(paths.numbersDb, { readOnly: true, busyTimeoutMs: 5000 });
  try {
    const known = numbers.getPeer(peer);
    if (known === undefined) {
      throw new ConfigError(
        where,
        `Cannot start downlink: peer "${peer}" is not in numbers.db (smsc numbers peer add)`,
      );
    }
    return await serve(config, settings, peer, known.systemId, numbers, clock, logger, options);
  } finally {
    numbers.close();
  }
}

async function serve(
  config: ResolvedConfig,
  s: DownlinkSettings,
  peer: string,
  systemId: string,
  numbers: NumbersDb,
  clock: Clock,
  logger: Logger,
  options: DownlinkOptions,
): Promise<number> {
  const where = `downlink.peer.${peer}`;
  const listeners: Deno.Listener[] = [];
  const ports: { plain?: number; tls?: number } = {};
  if (s.listen !== "") {
    const l = Deno.listen({ ...parseHostPort(s.listen, `${where}.listen`), transport: "tcp" });
    listeners.push(l);
    ports.plain = (l.addr as Deno.NetAddr).port;
  }
  if (s.tls_listen !== "") {
    if (s.tls_cert === "" || s.tls_key === "") {
      throw new ConfigError(
        `${where}.tls_cert`,
        "Cannot start downlink: tls_listen needs tls_cert and tls_key",
      );
    }
    const l = Deno.listenTls({
      ...parseHostPort(s.tls_listen, `${where}.tls_listen`),
      transport: "tcp",
      cert: await Deno.readTextFile(s.tls_cert),
      key: await Deno.readTextFile(s.tls_key),
    });
    listeners.push(l);
    ports.tls = (l.addr as Deno.NetAddr).port;
  }

  const deliveries = new PeerDeliveries(logger.with(`${peer}.deliver`));
  const binds = new Set<EsmeBind>();
  let announcedUp = false;
  const client = RoleClient.start({
    ...coreClientOptions(config),
    roles: [{ role: "peer", peer }],
    handler: (request: Request): Promise<Response> | Response => {
      if (request.type === "DELIVER_TO_PEER") {
        return deliveries.deliver(request.index, request.record);
      }
      throw new Error(`Cannot handle ${request.type}: downlink holds only the peer role`);
    },
    clock,
    logger: logger.with(`${peer}.core`),
    onConnected: () => logger.notice("downlink registered with core", { peer }),
    onDisconnected: (info) =>
      logger.warn("downlink lost core; submits get ESME_RSYSERR until it is back", {
        reason: info.reason,
      }),
  });
  const announce = () => {
    const up = deliveries.up;
    if (up === announcedUp) return;
    announcedUp = up;
    client.setServiceState(up).catch((e) =>
      logger.info("Cannot announce service state", { error: String(e) })
    );
  };

  const requests = new PeerRequests({
    peer,
    core: roleClientGate(client),
    clock,
    logger: logger.with(`${peer}.submit`),
    submitRateMax: s.submit_rate_max,
    coreInFlightMax: s.core_in_flight_max,
    bindCoreInFlightMax: s.bind_core_in_flight_max,
    random: (n) => Math.floor(Math.random() * n),
  });
  const guard = new BindGuard(
    {
      peer: () => numbers.getPeer(peer),
      verify: (id, password) => numbers.verifyPeerPasswordAsync(id, password),
    },
    s.auth_delay_ms_min,
    s.auth_delay_ms_max,
  );
  const bindDeps = {
    peer,
    systemId,
    guard,
    bindCount: () => [...binds].filter((b) => b.mode !== undefined && !b.session.isClosed).length,
    onBound: (b: EsmeBind) => {
      deliveries.add(b);
      announce();
    },
    onUnbound: (b: EsmeBind) => {
      deliveries.remove(b);
      announce();
    },
    handle: (pdu: Parameters<PeerRequests["handle"]>[0], b: EsmeBind) => requests.handle(pdu, b),
    session: {
      maxPduBytes: s.max_pdu_bytes,
      window: s.window,
      responseTimeoutMs: s.response_timeout_ms,
      enquireLinkMs: s.enquire_link_ms,
      inactivityMs: s.inactivity_ms,
      inFlightMax: s.in_flight_max,
      writeHighWaterBytes: 1 << 20,
      clock,
    },
    bindTimeoutMs: s.bind_timeout_ms,
    clock,
    logger,
  };

  const accept = (conn: Deno.Conn) => {
    const address = remoteAddress(conn);
    if (!guard.addressAllowed(address)) {
      logger.notice("Refusing connection: address not allowed", { address });
      conn.close();
      return;
    }
    // Connections that have not bound yet cost memory and a bind timer each: bound them.
    let unbound = 0;
    let unboundHere = 0;
    for (const b of binds) {
      if (b.mode !== undefined || b.session.isClosed) continue;
      unbound++;
      if (b.address === address) unboundHere++;
    }
    if (unbound >= s.unbound_max || unboundHere >= s.unbound_per_address_max) {
      logger.notice("Refusing connection: too many connections not bound yet", {
        address,
        unbound,
        from_address: unboundHere,
      });
      conn.close();
      return;
    }
    if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
    const b = new EsmeBind(conn, address, bindDeps);
    binds.add(b);
    b.session.closed.then(() => binds.delete(b));
  };
  let stopping = false;
  const accepting = listeners.map(async (listener) => {
    while (!stopping) {
      try {
        for await (const conn of listener) accept(conn);
        return;
      } catch (e) {
        if (e instanceof Deno.errors.BadResource || stopping) return;
        // E.g. out of file descriptors: keep the listener, try again shortly.
        logger.error("Cannot accept a connection; retrying", { error: String(e) });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });

  logger.notice("downlink ready", {
    peer,
    listen: s.listen || undefined,
    tls_listen: s.tls_listen || undefined,
    port: ports.plain,
    tls_port: ports.tls,
  });
  options.onListening?.(ports);

  await untilStopped(options.signal);
  logger.notice("downlink stopping", { binds: binds.size });
  stopping = true;
  for (const l of listeners) l.close();
  await Promise.all(accepting);
  await Promise.all([...binds].map((b) => b.session.unbind()));
  await client.close();
  logger.notice("downlink stopped");
  return 0;
}
