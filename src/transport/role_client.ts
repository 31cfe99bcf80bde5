/**
 * The role-handler side of core's socket (docs/role-client.md): one
 * supervised connection that claims a fixed list of roles, keeps core told of
 * the handler's service state, hands core's requests to the owner, and comes
 * back by itself after core restarts. Uplink, downlink and gsmif each run one.
 *
 * Lifecycle notes:
 * - `state` is `connecting` until every role is granted and the last service
 *   state is announced, then `registered`; a lost connection goes back to
 *   `connecting`; `close()` ends in `closed` for good. `#setState` is the one
 *   place that changes it, and logs the change once.
 * - Attempts that fail (no core, connection lost while registering, a
 *   refused role) wait on a doubling delay from `reconnectDelayMsMin` up to
 *   `reconnectDelayMsMax`; the delay starts again at the minimum once the
 *   client is registered. The clock is a parameter, so tests drive it.
 * - Roles granted before another is refused stay held; only the refused ones
 *   are asked for again. Work arriving for a granted role is answered.
 * - Service state is the owner's wish, kept here across connections: a new
 *   connection announces it before the client counts as registered.
 * - What survives a disconnect: nothing of the connection. Responses of
 *   handlers still running are dropped, and core takes back custody of every
 *   SM this handler held (socket protocol §5; core's side is issue 4). The
 *   owner must treat an SM whose answer did not reach core as not delivered
 *   by us: core will offer it again (at-least-once).
 *
 * @module
 */

import type { RequestOf, ResponseOf, RoleClaim, Target } from "../codec/frame/mod.ts";
import type { Clock, Timer } from "../lib/clock.ts";
import { assert } from "../lib/errors.ts";
import type { Logger } from "../lib/log.ts";
import {
  CoreClient,
  type CoreRequestHandler,
  CoreUnavailableError,
  type SubmitFlags,
} from "./core_client.ts";
import type { CloseInfo, ConnectionOptions } from "./unix_socket.ts";

export { CoreUnavailableError };

/** Where the client is in its lifecycle. */
export type RoleClientState = "connecting" | "registered" | "closed";

/** Options of `RoleClient.start`; each timer is a config value at the call site. */
export interface RoleClientOptions {
  /** Core's socket file (`core.sock` in the state directory). */
  path: string;
  /** Roles to claim, in order; at least one. */
  roles: readonly RoleClaim[];
  /** Answers MT_FIND_IMSI, MT_TRANSFER, MT_CANCEL and DELIVER_TO_PEER. */
  handler: CoreRequestHandler;
  /** Backoff timers and the connection's request timers. */
  clock: Clock;
  /** The owner's logger, e.g. category "downlink.acme". */
  logger: Logger;
  /** First delay before another attempt, in ms. */
  reconnectDelayMsMin: number;
  /** Ceiling of the doubling delay, in ms. */
  reconnectDelayMsMax: number;
  /** Bounds and request timeout of each connection. */
  connection?: Partial<Omit<ConnectionOptions, "logger" | "clock">>;
  /** Called each time the client becomes `registered`. */
  onConnected?: () => void;
  /** Called each time a registered connection is lost (not on `close()`). */
  onDisconnected?: (info: CloseInfo) => void;
}

const claimKey = (c: RoleClaim) => `${c.role}:${c.peer}`;

/** A role handler's supervised connection to core. */
export class RoleClient {
  readonly #o: RoleClientOptions;
  #state: RoleClientState = "connecting";
  #client: CoreClient | undefined;
  #attempt = 0;
  /** The backoff wait in progress; `stop` ends it early. */
  #wait: { stop: () => void } | undefined;
  #waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** The owner's service state per role key; announced on every new connection. */
  readonly #up = new Map<string, boolean>();
  #upVersion = 0;
  readonly #done: Promise<void>;

  private constructor(options: RoleClientOptions) {
    this.#o = options;
    for (const c of options.roles) this.#up.set(claimKey(c), false);
    this.#done = this.#run();
  }

  /**
   * Starts connecting and registering in the background; returns at once.
   *
   * @param options socket path, roles, request handler, clock, logger, backoff bounds
   * @returns the client, in state `connecting`
   * @throws {AssertionError} when no role is given, a non-peer role names a peer,
   *   a role repeats, or the delay bounds are not 0 < min ≤ max
   */
  static start(options: RoleClientOptions): RoleClient {
    assert(options.roles.length > 0, "Cannot start a role client: no roles given");
    const keys = new Set(options.roles.map(claimKey));
    assert(keys.size === options.roles.length, "Cannot start a role client: a role repeats");
    for (const c of options.roles) {
      assert(c.role === "peer" || c.peer === "", `Cannot claim ${c.role}: it takes no peer name`);
    }
    assert(
      options.reconnectDelayMsMin > 0 &&
        options.reconnectDelayMsMin <= options.reconnectDelayMsMax,
      "Cannot start a role client: reconnect delays must satisfy 0 < min <= max",
    );
    return new RoleClient(options);
  }

  /** `connecting`, `registered` or `closed`. */
  get state(): RoleClientState {
    return this.#state;
  }

  /**
   * Waits until the client is registered (at once when it already is).
   *
   * @returns when every role is granted and the service state announced
   * @throws {CoreUnavailableError} when the client is closed first
   */
  whenRegistered(): Promise<void> {
    if (this.#state === "registered") return Promise.resolve();
    if (this.#isClosed()) return Promise.reject(this.#unavailable("wait"));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /**
   * Sets the handler's service state and tells core when connected; the value
   * is announced again on every later connection. Failures to send are not
   * reported: the next connection announces the state anyway.
   *
   * @param up true when the handler can take work (e.g. downlink has an ESME bound)
   * @param claim one of this client's roles, or "all"
   * @returns when core has answered, or at once when not registered
   * @throws {AssertionError} when `claim` is not one of this client's roles
   */
  async setServiceState(up: boolean, claim: RoleClaim | "all" = "all"): Promise<void> {
    const keys = claim === "all" ? [...this.#up.keys()] : [claimKey(claim)];
    for (const k of keys) assert(this.#up.has(k), `Cannot set service state: ${k} is not claimed`);
    for (const k of keys) this.#up.set(k, up);
    this.#upVersion++;
    const client = this.#client;
    if (this.#state !== "registered" || client === undefined) return;
    try {
      const r = await client.setServiceState(up, claim);
      if (r.result !== "ok") {
        this.#o.logger.notice("Core refused the service state", { up, reason: r.reason.text });
      }
    } catch (e) {
      this.#o.logger.info("Cannot announce service state: connection lost", { error: String(e) });
    }
  }

  /**
   * Submits one SM as its 256-byte record, as this handler's roles.
   *
   * @param record the PMS record
   * @param flags submit options
   * @returns `ok` with the record index, or `rejected` with core's reason
   * @throws {CoreUnavailableError} when not registered: nothing was sent
   * @throws {ConnectionClosedError|RequestTimeoutError} when the request was sent
   *   but not answered: core may or may not have stored it
   */
  async submit(record: Uint8Array, flags: SubmitFlags = {}): Promise<ResponseOf<"SUBMIT">> {
    return await this.#registered("submit").submit(record, flags);
  }

  /**
   * Cancels an active SM this handler's source submitted (CANCEL).
   *
   * @param target the record index, or the {OA, DA, MR} of the original submit
   * @returns `ok`, `not-found` (also for other sources' SMs), or `historical`
   * @throws {CoreUnavailableError} when not registered: nothing was sent
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  async cancel(target: Target): Promise<ResponseOf<"CANCEL">> {
    return await this.#registered("cancel").cancel(target);
  }

  /**
   * Asks what core knows of an SM this handler's source submitted (QUERY).
   *
   * @param target the record index, or the {OA, DA, MR} of an active SM
   * @returns `ok` with the SM's view, or `not-found` (also for other sources' SMs)
   * @throws {CoreUnavailableError} when not registered: nothing was sent
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  async query(target: Target): Promise<ResponseOf<"QUERY">> {
    return await this.#registered("query").query(target);
  }

  /**
   * Replaces the text of an active SM this handler's source submitted (REPLACE).
   *
   * @param index the record index
   * @param record the replacement, with the original's OA, source and TP-DCS
   * @returns `ok`, `not-found`, `historical`, `in-transit` or `mismatch`
   * @throws {CoreUnavailableError} when not registered: nothing was sent
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer:
   *   the SM may or may not have been replaced
   */
  async replace(index: number, record: Uint8Array): Promise<ResponseOf<"REPLACE">> {
    return await this.#registered("replace").replace(index, record);
  }

  /**
   * Reports the discharge of an SM in this handler's custody (MT_DISCHARGE).
   *
   * @param discharge the record index, disposition, protocol cause and extra info
   * @returns `ok`, or `unknown` when core does not see it in this handler's custody
   * @throws {CoreUnavailableError} when not registered: nothing was sent
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  async discharge(
    discharge: Omit<RequestOf<"MT_DISCHARGE">, "type">,
  ): Promise<ResponseOf<"MT_DISCHARGE">> {
    return await this.#registered("discharge").discharge(discharge);
  }

  /**
   * Stops for good: cancels any wait, closes the connection (core takes back
   * custody and frees the roles) and rejects `whenRegistered` waiters.
   *
   * @returns when the supervision loop has ended
   */
  async close(): Promise<void> {
    if (!this.#isClosed()) {
      this.#setState("closed");
      this.#wait?.stop();
      await this.#client?.close();
    }
    await this.#done;
  }

  #registered(action: string): CoreClient {
    // A SUBMIT before every role is granted would be classed by core as the
    // wrong source (the command line instead of the peer), and a CANCEL, QUERY
    // or REPLACE would act with the command line's reach over every source's
    // messages; so they are refused here.
    if (this.#state !== "registered" || this.#client === undefined) {
      throw this.#unavailable(action);
    }
    return this.#client;
  }

  // A method, not a property test, so that TypeScript does not narrow
  // `#state` across the awaits during which close() may change it.
  #isClosed(): boolean {
    return this.#state === "closed";
  }

  #unavailable(action: string): CoreUnavailableError {
    return new CoreUnavailableError(`Cannot ${action}: role client is ${this.#state}`);
  }

  #setState(next: RoleClientState, fields: Record<string, unknown> = {}): void {
    if (next === this.#state) return;
    this.#o.logger.info(`Role client ${next}`, { from: this.#state, ...fields });
    this.#state = next;
    if (next === "connecting") return;
    for (const w of this.#waiters.splice(0)) {
      if (next === "registered") w.resolve();
      else w.reject(this.#unavailable("wait"));
    }
  }

  /** Waits the next backoff delay; true when the client was closed meanwhile. */
  async #backoff(): Promise<boolean> {
    const delayMs = this.#delayMs();
    this.#attempt++;
    await new Promise<void>((wake) => {
      const timer: Timer = this.#o.clock.setTimer(delayMs, wake);
      this.#wait = { stop: () => (timer.cancel(), wake()) };
    });
    this.#wait = undefined;
    return this.#isClosed();
  }

  /** The delay before the next attempt, also for logs. */
  #delayMs(): number {
    const { reconnectDelayMsMin: min, reconnectDelayMsMax: max } = this.#o;
    return Math.min(max, min * 2 ** Math.min(this.#attempt, 30));
  }

  async #run(): Promise<void> {
    while (!this.#isClosed()) {
      const client = await this.#connect();
      if (client === undefined) {
        if (await this.#backoff()) return;
        continue;
      }
      this.#client = client;
      const registered = await this.#register(client);
      if (registered) {
        this.#attempt = 0;
        this.#setState("registered");
        this.#o.onConnected?.();
      } else {
        // A timed-out registration leaves the connection open: start afresh.
        await client.close();
      }
      const info = await client.closed;
      this.#client = undefined;
      if (this.#isClosed()) return;
      this.#o.logger.warn("Lost the connection to core", { reason: info.reason });
      const wasRegistered = this.#state === "registered";
      this.#setState("connecting");
      if (wasRegistered) this.#o.onDisconnected?.(info);
      if (await this.#backoff()) return;
    }
  }

  async #connect(): Promise<CoreClient | undefined> {
    try {
      const client = await CoreClient.connect(this.#o.path, {
        ...this.#o.connection,
        clock: this.#o.clock,
        logger: this.#o.logger,
      });
      if (this.#isClosed()) {
        await client.close();
        return undefined;
      }
      client.onRequest(this.#o.handler);
      return client;
    } catch (e) {
      // The first failure after a loss says why; repeats while core is down are debug noise.
      const level = this.#attempt === 0 ? "info" : "debug";
      const unexpected = !(e instanceof CoreUnavailableError);
      this.#o.logger.log(unexpected ? "error" : level, "Cannot connect to core", {
        error: (e as Error).message,
        retry_ms: this.#delayMs(),
      });
      return undefined;
    }
  }

  /**
   * Claims every role, retrying refused ones with backoff, then announces the
   * service state. Returns false when the connection ended or the client closed.
   */
  async #register(client: CoreClient): Promise<boolean> {
    const granted = new Set<string>();
    // A connection lost while waiting to ask again ends the wait at once.
    client.closed.then(() => this.#wait?.stop());
    try {
      for (;;) {
        for (const c of this.#o.roles) {
          if (granted.has(claimKey(c))) continue;
          const r = await client.registerRole(c.role, c.peer);
          if (r.result === "ok") granted.add(claimKey(c));
          else {
            this.#o.logger.notice("Core refused the role", {
              role: c.role,
              peer: c.peer,
              reason: r.reason.text,
              retry_ms: this.#delayMs(),
            });
          }
        }
        if (granted.size === this.#o.roles.length) break;
        if (await this.#backoff()) return false;
      }
      // Announce until no setServiceState call slipped in while we waited for core.
      let version;
      do {
        version = this.#upVersion;
        await this.#announce(client);
      } while (version !== this.#upVersion && !this.#isClosed());
      return !this.#isClosed();
    } catch (e) {
      this.#o.logger.info("Cannot register: connection lost", { error: String(e) });
      return false;
    }
  }

  async #announce(client: CoreClient): Promise<void> {
    const values = new Set(this.#up.values());
    const claims: readonly (RoleClaim | "all")[] = values.size === 1 ? ["all"] : this.#o.roles;
    for (const claim of claims) {
      const up = claim === "all" ? [...values][0] : this.#up.get(claimKey(claim))!;
      const r = await client.setServiceState(up, claim);
      if (r.result !== "ok") {
        this.#o.logger.notice("Core refused the service state", { up, reason: r.reason.text });
      }
    }
  }
}
