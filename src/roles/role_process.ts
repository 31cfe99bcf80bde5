/**
 * What every role handler process (downlink, uplink, gsmif) does the same
 * way: read an ADDRESS:PORT key, connect to core with the `[core_client]`
 * settings, and wait for SIGTERM/SIGINT (or a test's abort signal).
 *
 * @module
 */

import { statePaths } from "../config/paths.ts";
import type { ResolvedConfig } from "../config/schema.ts";
import { ConfigError } from "../lib/errors.ts";
import type { RoleClientOptions } from "../transport/role_client.ts";

/** A parsed ADDRESS:PORT (an IPv6 address in brackets). */
export interface HostPort {
  hostname: string;
  port: number;
}

/**
 * Parses an ADDRESS:PORT config value (the schema checked its shape).
 *
 * @throws {ConfigError} naming `key` when the port is outside 0-65535
 */
export function parseHostPort(text: string, key: string): HostPort {
  const i = text.lastIndexOf(":");
  const port = Number(text.slice(i + 1));
  if (!(port >= 0 && port <= 65535)) {
    throw new ConfigError(key, `Cannot load config: key "${key}" has port ${port} outside 0-65535`);
  }
  return { hostname: text.slice(0, i).replace(/^\[(.*)\]$/, "$1"), port };
}

/** The part of `RoleClient.start`'s options that comes from config. */
export function coreClientOptions(
  config: ResolvedConfig,
): Pick<RoleClientOptions, "path" | "reconnectDelayMsMin" | "reconnectDelayMsMax" | "connection"> {
  const c = config.core_client;
  return {
    path: statePaths(config).socket,
    reconnectDelayMsMin: c.reconnect_delay_ms_min,
    reconnectDelayMsMax: Math.max(c.reconnect_delay_ms_min, c.reconnect_delay_ms_max),
    connection: { requestTimeoutMs: c.request_timeout_ms },
  };
}

/** Resolves on SIGTERM or SIGINT, or when `signal` aborts (tests); removes its listeners. */
export function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal) {
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      for (const sig of ["SIGTERM", "SIGINT"] as const) Deno.removeSignalListener(sig, stop);
      resolve();
    };
    for (const sig of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(sig, stop);
  });
}
