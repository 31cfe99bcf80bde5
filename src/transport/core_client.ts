/**
 * The client library of core's local socket (docs/socket-protocol.md), used
 * by every tool and role handler: pure client exchanges (SUBMIT, CANCEL,
 * CHANGE_SRR, STATUS, QUERY, REPLACE), role registration and service state,
 * MT_DISCHARGE, and
 * a handler for the requests core originates (MT_FIND_IMSI, MT_TRANSFER,
 * MT_CANCEL, DELIVER_TO_PEER).
 *
 * Lifecycle notes:
 * - Every method may be called again before the previous call settles: the
 *   requests are pipelined on the one connection, each with its own
 *   transaction id.
 * - Policy outcomes (a rejected SUBMIT, a refused registration) are returned
 *   as values. Only a connection failure throws: `CoreUnavailableError` when
 *   connecting, `ConnectionClosedError` or `RequestTimeoutError` afterwards.
 * - When the connection ends, core takes back custody of every SM this client
 *   held (MT_TRANSFER) and forgets its roles. After a reconnect, roles must be
 *   registered again; `claims` keeps what was granted so that a supervisor
 *   can do so.
 *
 * @module
 */

import type {
  Failure,
  Request,
  RequestOf,
  Response,
  ResponseOf,
  Role,
  RoleClaim,
  StatusEntry,
  Target,
} from "../codec/frame/mod.ts";
import { socketReason } from "../codec/frame/mod.ts";
import type { Logger } from "../lib/log.ts";
import {
  type CloseInfo,
  type ConnectionOptions,
  connectUnix,
  type FrameConnection,
} from "./unix_socket.ts";

/**
 * Core's socket is missing or nothing listens on it. It extends
 * `Deno.errors.ConnectionRefused` so that `cli/exit.ts` maps it to exit code
 * 69 (EX_UNAVAILABLE) whichever of the two causes it had.
 */
export class CoreUnavailableError extends Deno.errors.ConnectionRefused {
  override name = "CoreUnavailableError";
}

/** A request core originates toward a role handler. */
export type CoreRequest = RequestOf<
  "MT_FIND_IMSI" | "MT_TRANSFER" | "MT_CANCEL" | "DELIVER_TO_PEER"
>;

/** Answers a request from core; the response must have the request's type. */
export type CoreRequestHandler = (request: CoreRequest) => Response | Promise<Response>;

/** Options of `CoreClient.connect`; each one is a config value at the call site. */
export interface CoreClientOptions extends Partial<Omit<ConnectionOptions, "logger">> {
  /** Logger; default category "client.socket". */
  logger?: Logger;
}

/** SUBMIT options. */
export interface SubmitFlags {
  /** The record is an IMSI-addressed MT: core skips routing (seed §2.4.1). */
  skipRouting?: boolean;
}

const NO_HANDLER = socketReason("no-handler");
const NO_HANDLER_FAILURE: Failure = { cause: 0, text: NO_HANDLER.text };

/** The answer to a core request when no handler is installed: a refusal core can retry. */
function refuse(request: CoreRequest): Response {
  switch (request.type) {
    case "MT_FIND_IMSI":
      return { type: request.type, result: "temporary", ...NO_HANDLER_FAILURE };
    case "MT_TRANSFER":
      return { type: request.type, result: "refused", reason: NO_HANDLER };
    case "MT_CANCEL":
      return { type: request.type, result: "not-held" };
    case "DELIVER_TO_PEER":
      return { type: request.type, result: "temporary", ...NO_HANDLER_FAILURE };
  }
}

/** A connection to core. */
export class CoreClient {
  readonly #connection: FrameConnection;
  #handler: CoreRequestHandler | undefined;
  readonly #claims: RoleClaim[] = [];

  private constructor(connection: FrameConnection) {
    this.#connection = connection;
  }

  /**
   * Connects to core's socket.
   *
   * @param path the socket file (`core.sock` in the state directory)
   * @param options bounds, timers and logger
   * @returns the client
   * @throws {CoreUnavailableError} when the socket file is missing or core does not listen
   */
  static async connect(path: string, options: CoreClientOptions = {}): Promise<CoreClient> {
    // TODO(#4): reconnect with backoff and re-register `claims` after a core restart.
    let client: CoreClient | undefined;
    try {
      const connection = await connectUnix(path, {
        ...options,
        handler: (request) => client!.#dispatch(request),
      });
      client = new CoreClient(connection);
      return client;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.ConnectionRefused) {
        throw new CoreUnavailableError(`Cannot connect to core at ${path}: ${e.message}`, {
          cause: e,
        });
      }
      throw e;
    }
  }

  /** Resolves when the connection has ended. */
  get closed(): Promise<CloseInfo> {
    return this.#connection.closed;
  }

  /** Roles core has granted this connection, in order. */
  get claims(): readonly RoleClaim[] {
    return this.#claims;
  }

  #dispatch(request: Request): Response | Promise<Response> {
    // The frame decoder only lets core-originated request types through on a client connection.
    const r = request as CoreRequest;
    return this.#handler ? this.#handler(r) : refuse(r);
  }

  /**
   * Installs the handler for requests core sends; replaces any previous one.
   *
   * @param handler answers MT_FIND_IMSI, MT_TRANSFER, MT_CANCEL and DELIVER_TO_PEER
   */
  onRequest(handler: CoreRequestHandler): void {
    this.#handler = handler;
  }

  /**
   * Submits one SM as its 256-byte record.
   *
   * @param record the PMS record
   * @param flags submit options
   * @returns `ok` with the record index, or `rejected` with core's reason
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  submit(record: Uint8Array, flags: SubmitFlags = {}): Promise<ResponseOf<"SUBMIT">> {
    return this.#connection.request({
      type: "SUBMIT",
      skipRouting: flags.skipRouting ?? false,
      record,
    });
  }

  /**
   * Cancels an active SM.
   *
   * @param target the record index, or the {OA, DA, MR} of the original submit
   * @returns `ok`, `not-found`, or `historical` with the disposition it already has
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  cancel(target: Target): Promise<ResponseOf<"CANCEL">> {
    return this.#connection.request({ type: "CANCEL", target });
  }

  /**
   * Sets or clears the status report request flag of an active SM.
   *
   * @param target the record index, or the {OA, DA, MR} of the original submit
   * @param srr the new value
   * @returns as for `cancel`
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  changeSrr(target: Target, srr: boolean): Promise<ResponseOf<"CHANGE_SRR">> {
    return this.#connection.request({ type: "CHANGE_SRR", target, srr });
  }

  /**
   * Asks what core knows of one SM: its state, disposition, TP-DCS, attempts,
   * cause and times. A connection holding a role sees only its own source's SMs.
   *
   * @param target the record index, or the {OA, DA, MR} of an active SM
   * @returns `ok` with the SM's view, or `not-found`
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  query(target: Target): Promise<ResponseOf<"QUERY">> {
    return this.#connection.request({ type: "QUERY", target });
  }

  /**
   * Replaces the text (and SRR, and the validity period when given) of an
   * active SM that is not on its way (socket-protocol.md §4.12).
   *
   * @param index the record index
   * @param record the replacement, built as for `submit`, with the original's OA, source and TP-DCS
   * @returns `ok`, `not-found`, `historical` with its disposition, `in-transit` or `mismatch`
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  replace(index: number, record: Uint8Array): Promise<ResponseOf<"REPLACE">> {
    return this.#connection.request({ type: "REPLACE", index, record });
  }

  /**
   * Asks core for its counters.
   *
   * @returns the key/value list
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  async status(): Promise<StatusEntry[]> {
    return (await this.#connection.request({ type: "STATUS" })).entries;
  }

  /**
   * Registers this connection for a role; a granted role is added to `claims`.
   *
   * @param role the role
   * @param peer for role `peer`, the peer name ("" = upstream)
   * @returns `ok`, or `refused` with a reason such as already-claimed
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  async registerRole(role: Role, peer = ""): Promise<ResponseOf<"RH_REGISTER">> {
    const response = await this.#connection.request({ type: "RH_REGISTER", role, peer });
    if (response.result === "ok") this.#claims.push({ role, peer });
    return response;
  }

  /**
   * Declares the service state of one role, or of every role this connection holds.
   *
   * @param up true when the handler can take work
   * @param claim the role, or "all"
   * @returns `ok`, or `refused` (for example not-registered)
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  setServiceState(
    up: boolean,
    claim: RoleClaim | "all" = "all",
  ): Promise<ResponseOf<"RH_SERVICE_STATE">> {
    return this.#connection.request({ type: "RH_SERVICE_STATE", up, claim });
  }

  /**
   * Reports the discharge of an SM in this handler's custody (MT_DISCHARGE).
   *
   * @param discharge the record index, disposition, protocol cause and extra info
   * @returns `ok`, or `unknown` when core does not see it in this handler's custody
   * @throws {ConnectionClosedError|RequestTimeoutError} when core does not answer
   */
  discharge(
    discharge: Omit<RequestOf<"MT_DISCHARGE">, "type">,
  ): Promise<ResponseOf<"MT_DISCHARGE">> {
    return this.#connection.request({ type: "MT_DISCHARGE", ...discharge });
  }

  /**
   * Closes the connection; pending requests reject with `ConnectionClosedError`.
   *
   * @returns when the connection has ended
   */
  async close(): Promise<void> {
    this.#connection.close();
    await this.#connection.closed;
  }
}
