/**
 * The local socket's I/O (docs/socket-protocol.md): a Unix stream socket
 * carrying `codec/frame` frames, the server core listens with, and the client
 * connection every other component uses. No policy: requests go to a handler
 * callback, responses come back from it.
 *
 * Lifecycle notes:
 * - A `FrameConnection` owns its `Deno.UnixConn`. Whatever ends it (a
 *   malformed frame, end of stream, a write error, `close()`, server shutdown)
 *   goes through `close()`, which runs once: it closes the socket, rejects every
 *   request this side still waits on with `ConnectionClosedError`, drops the
 *   responses of handlers still running, and resolves `closed`. Custody held
 *   by a role handler returns to core on that event (§5 of the doc); the
 *   transport only reports it.
 * - Each side numbers the requests it originates; a response is matched by
 *   its transaction id among this side's outstanding requests only, so the two
 *   numberings never collide.
 * - Back-pressure: while `requestsInFlightMax` requests from the peer are in
 *   the handler or their responses are not yet written, the read loop stops
 *   reading, so the kernel buffer fills and the peer's writes block.
 * - A frame is decoded only once it is whole; a length beyond
 *   `maxFrameBytes` closes the connection before its body is buffered.
 *
 * @module
 */

import {
  type CloseInfo,
  CONNECTION_DEFAULTS,
  ConnectionClosedError,
  type ConnectionOptions,
  FrameConnection,
  peekConnectionId,
  type RequestHandler,
  RequestTimeoutError,
  SocketInUseError,
} from "./_frame_connection.ts";
import { Logger } from "../lib/log.ts";
import { systemClock } from "../lib/clock.ts";
import { assert } from "../lib/errors.ts";
import { FRAME_BYTES_MAX } from "../codec/frame/mod.ts";

export {
  type CloseInfo,
  CONNECTION_DEFAULTS,
  ConnectionClosedError,
  type ConnectionOptions,
  FrameConnection,
  type RequestHandler,
  RequestTimeoutError,
  SocketInUseError,
};

/** Options of `listenUnix`. */
export interface ServerOptions extends Partial<Omit<ConnectionOptions, "logger">> {
  /** Answers every client request. */
  handler: RequestHandler;
  /** Called for each accepted connection, before its first frame is handled. */
  onConnection?: (connection: FrameConnection) => void;
  /** Logger; default category "core.socket", each connection as `[conn=N]`. */
  logger?: Logger;
}

/** A listening local socket. */
export interface UnixSocketServer {
  /** The socket file. */
  readonly path: string;
  /** Connections currently open. */
  readonly connections: ReadonlySet<FrameConnection>;
  /** Stops accepting, closes every connection and removes the socket file. */
  close(): Promise<void>;
}

function connectionOptions(
  options: Partial<Omit<ConnectionOptions, "logger">>,
  logger: Logger,
): ConnectionOptions {
  const o = { ...CONNECTION_DEFAULTS, clock: systemClock, ...options, logger };
  assert(o.maxFrameBytes <= FRAME_BYTES_MAX, "Cannot use maxFrameBytes above FRAME_BYTES_MAX");
  assert(o.requestsInFlightMax >= 1, "Cannot use requestsInFlightMax below 1");
  return o;
}

/**
 * Removes a stale socket file at `path` so that it can be bound again. A
 * socket file that still answers a connect belongs to a live server and is
 * left alone; a file that is not a socket is never removed.
 *
 * @throws {SocketInUseError} when a server answers at `path`
 * @throws {Deno.errors.AlreadyExists} when `path` is not a socket
 */
async function removeStaleSocket(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (!info.isSocket) {
    throw new Deno.errors.AlreadyExists(`Cannot listen on ${path}: it exists and is not a socket`);
  }
  try {
    const probe = await Deno.connect({ transport: "unix", path });
    probe.close();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    if (!(e instanceof Deno.errors.ConnectionRefused)) throw e;
    await Deno.remove(path);
    return;
  }
  throw new SocketInUseError(`Cannot listen on ${path}: another process is serving it`);
}

/**
 * Listens on a Unix stream socket at `path` and serves framed requests from
 * clients. A stale socket file left by a dead server is replaced.
 *
 * @param path the socket file
 * @param options handler, bounds and logger
 * @returns the running server
 * @throws {SocketInUseError} when a live server already listens at `path`
 */
export async function listenUnix(path: string, options: ServerOptions): Promise<UnixSocketServer> {
  const logger = options.logger ?? new Logger("core.socket");
  await removeStaleSocket(path);
  const listener = Deno.listen({ transport: "unix", path });
  // The inode identifies our socket file, so close() never removes a file a
  // later server put at the same path.
  const inode = (await Deno.lstat(path)).ino;
  const connections = new Set<FrameConnection>();
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        const id = peekConnectionId();
        const c = new FrameConnection(
          conn,
          "client",
          options.handler,
          connectionOptions(options, logger.with(`conn=${id}`)),
        );
        connections.add(c);
        c.closed.then(() => connections.delete(c));
        options.onConnection?.(c);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) {
        logger.error("Cannot accept", { error: String(e) });
      }
    }
  })();
  let closing: Promise<void> | undefined;
  return {
    path,
    connections,
    close() {
      closing ??= (async () => {
        listener.close();
        await accepting;
        for (const c of [...connections]) c.close({ reason: "shutdown" });
        try {
          if ((await Deno.lstat(path)).ino === inode) await Deno.remove(path);
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      })();
      return closing;
    },
  };
}

/** Options of `connectUnix`. */
export interface ClientOptions extends Partial<Omit<ConnectionOptions, "logger">> {
  /** Answers requests core sends (MT_FIND_IMSI, MT_TRANSFER, MT_CANCEL, DELIVER_TO_PEER). */
  handler: RequestHandler;
  /** Logger; default category "client.socket". */
  logger?: Logger;
}

/**
 * Connects to core's socket at `path`.
 *
 * @param path the socket file
 * @param options handler for core's requests, bounds and logger
 * @returns the connection
 * @throws {Deno.errors.NotFound} when no socket file exists
 * @throws {Deno.errors.ConnectionRefused} when nothing listens on it
 */
export async function connectUnix(path: string, options: ClientOptions): Promise<FrameConnection> {
  const conn = await Deno.connect({ transport: "unix", path });
  const logger = options.logger ?? new Logger("client.socket");
  return new FrameConnection(conn, "core", options.handler, connectionOptions(options, logger));
}
