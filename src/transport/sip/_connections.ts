/**
 * The connections of one endpoint: the TCP and WebSocket listeners, the
 * connections they accept, the TCP connections we open (reused by host and
 * port, RFC 3261 §18.1.1), and the report of each one's end. Private to this
 * folder.
 *
 * Lifecycle: ids count up from 1 and are never reused. A connection is in
 * the table from its adoption until its `closed` event; then every
 * `onClosed` listener runs once, in registration order. `close()` stops the
 * listeners, waits for connects in flight, and closes every connection.
 *
 * @module
 */

import type { Logger } from "../../lib/log.ts";
import {
  type ConnectionEvents,
  type ConnectionOptions,
  type SipConn,
  unmapAddress,
} from "./_conn.ts";
import { connectTcp, TcpSipConn } from "./_tcp.ts";
import { listenWs, type WsListener, WsSipConn } from "./_ws.ts";
import { SipConnectionClosed } from "./errors.ts";

type Address = { hostname: string; port: number };

/** What the table passes on to the endpoint. */
export type MessageEvents = Pick<ConnectionEvents, "message" | "refuse">;

/** Listeners and connections of one endpoint. */
/** Connections held at most, in all and from one address (an SBC or proxy counts as one). */
export const CONNECTIONS_MAX = 10_000;
export const CONNECTIONS_PER_ADDRESS_MAX = 1_000;

export class Connections {
  /** Bound ports. */
  readonly ports: { tcp?: number; ws?: number } = {};
  readonly #byId = new Map<number, SipConn>();
  readonly #outgoing = new Map<string, number>();
  readonly #connecting = new Map<string, Promise<SipConn>>();
  readonly #closedFns: ((connId: number) => void)[] = [];
  readonly #o: ConnectionOptions;
  readonly #log: Logger;
  readonly #events: ConnectionEvents;
  #nextId = 1;
  #closing = false;
  #tcp: Deno.TcpListener | undefined;
  #acceptLoop: Promise<void> | undefined;
  #ws: WsListener | undefined;

  constructor(options: ConnectionOptions, events: MessageEvents) {
    this.#o = options;
    this.#log = options.logger;
    this.#events = { ...events, closed: (conn, reason) => this.#onClosed(conn, reason) };
  }

  /**
   * Binds the listeners asked for.
   *
   * @throws {Error} a bind error; the caller then calls `close()`
   */
  async listen(tcp: Address | undefined, ws: Address | undefined): Promise<void> {
    if (tcp !== undefined) {
      const l = Deno.listen({ ...tcp, transport: "tcp" });
      this.#tcp = l;
      this.ports.tcp = (l.addr as Deno.NetAddr).port;
      this.#acceptLoop = this.#accept(l);
    }
    if (ws !== undefined) {
      this.#ws = await listenWs(ws, this.#o.maxMessageBytes, (socket, remote) => {
        if (this.#closing || !this.#roomFor(remote.hostname)) return socket.terminate();
        this.#adopt((id) => new WsSipConn(id, socket, remote, this.#events, this.#o));
      });
      this.ports.ws = this.#ws.port;
    }
  }

  // Bounds on accepted connections, in all and per address (a hostile client cannot hold
  // every descriptor and buffer).
  #roomFor(address: string): boolean {
    let all = 0;
    let here = 0;
    for (const c of this.#byId.values()) {
      all++;
      if (c.info.remote.hostname === address) here++;
    }
    if (all < CONNECTIONS_MAX && here < CONNECTIONS_PER_ADDRESS_MAX) return true;
    this.#log.notice("Refusing SIP connection: too many", { address, all, from_address: here });
    return false;
  }

  /** The open or ending connection `id`, if it is still in the table. */
  get(id: number): SipConn | undefined {
    return this.#byId.get(id);
  }

  /** Calls `fn` with the id of every connection that ends. */
  onClosed(fn: (connId: number) => void): void {
    this.#closedFns.push(fn);
  }

  /**
   * An open TCP connection to `target`: one we opened before, one the peer
   * opened from exactly that address and port, or a new one. Concurrent
   * calls for the same target share one connect.
   *
   * @throws {SipConnectionClosed} when it cannot be opened or the table is closing
   */
  connectTo(target: Address): Promise<SipConn> {
    if (this.#closing) return Promise.reject(new SipConnectionClosed("SIP endpoint closed"));
    const key = `${target.hostname.toLowerCase()}:${target.port}`;
    const id = this.#outgoing.get(key);
    const existing = id === undefined ? undefined : this.#byId.get(id);
    if (existing?.open) return Promise.resolve(existing);
    for (const c of this.#byId.values()) {
      const r = c.info.remote;
      if (c.open && c.info.transport === "tcp" && `${r.hostname}:${r.port}` === key) {
        return Promise.resolve(c);
      }
    }
    const pending = this.#connecting.get(key);
    if (pending !== undefined) return pending;
    const opening = this.#open(target, key);
    this.#connecting.set(key, opening);
    return opening;
  }

  /** Stops listening and closes every connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#tcp?.close();
    await this.#acceptLoop;
    await Promise.allSettled([...this.#connecting.values()]);
    for (const conn of [...this.#byId.values()]) conn.close("local");
    await this.#ws?.close();
  }

  async #open(target: Address, key: string): Promise<SipConn> {
    let raw: Deno.TcpConn;
    try {
      raw = await connectTcp(target);
    } catch (e) {
      throw new SipConnectionClosed(`Cannot connect to ${key}: ${(e as Error).message}`, {
        cause: e,
      });
    } finally {
      this.#connecting.delete(key);
    }
    if (this.#closing) {
      raw.close();
      throw new SipConnectionClosed("SIP endpoint closed");
    }
    const conn = this.#adopt((n) => new TcpSipConn(n, raw, this.#events, this.#o));
    this.#outgoing.set(key, conn.info.id);
    return conn;
  }

  #adopt(make: (id: number) => SipConn): SipConn {
    const conn = make(this.#nextId++);
    this.#byId.set(conn.info.id, conn);
    const r = conn.info.remote;
    this.#log.info("SIP connection opened", {
      conn: conn.info.id,
      transport: conn.info.transport,
      remote: `${r.hostname}:${r.port}`,
    });
    return conn;
  }

  async #accept(listener: Deno.TcpListener): Promise<void> {
    for (;;) {
      let c: Deno.TcpConn;
      try {
        c = await listener.accept();
      } catch (e) {
        if (this.#closing || e instanceof Deno.errors.BadResource) return;
        this.#log.error("Cannot accept SIP TCP connection", { error: String(e) });
        // E.g. out of file descriptors: do not spin.
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (this.#closing) {
        c.close();
        return;
      }
      const remote = c.remoteAddr as Deno.NetAddr;
      if (!this.#roomFor(unmapAddress(remote.hostname))) {
        c.close();
        continue;
      }
      this.#adopt((id) => new TcpSipConn(id, c, this.#events, this.#o));
    }
  }

  #onClosed(conn: SipConn, reason: string): void {
    const id = conn.info.id;
    if (!this.#byId.delete(id)) return;
    for (const [key, v] of this.#outgoing) if (v === id) this.#outgoing.delete(key);
    this.#log.info("SIP connection closed", { conn: id, reason });
    for (const fn of this.#closedFns) {
      try {
        fn(id);
      } catch (e) {
        this.#log.error("SIP connection-closed listener failed", { error: String(e) });
      }
    }
  }
}
