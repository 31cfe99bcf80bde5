import assert from "node:assert/strict";
import {
  PMS_RECORD_BYTES,
  type Request,
  type Response,
  type RoleClaim,
  socketReason,
} from "../codec/frame/mod.ts";
import type { Clock, Timer } from "../lib/clock.ts";
import { AssertionError } from "../lib/errors.ts";
import { Logger, setLogLevel, setLogSink } from "../lib/log.ts";
import { CoreUnavailableError, RoleClient, type RoleClientOptions } from "./role_client.ts";
import { type FrameConnection, listenUnix, type UnixSocketServer } from "./unix_socket.ts";

const RECORD = new Uint8Array(PMS_RECORD_BYTES).fill(7);
/** Request timers use this delay; every shorter timer is a backoff wait. */
const REQUEST_TIMEOUT_MS = 600_000;
const GSM_MT: RoleClaim = { role: "gsm-mt", peer: "" };
const IMSI: RoleClaim = { role: "imsi-lookup", peer: "" };

/** A clock whose time moves only when the test says so. */
class FakeClock implements Clock {
  #now = 0;
  #timers: { at: number; fn: () => void; live: boolean; delayMs: number }[] = [];
  /** Every backoff delay asked for, in order. */
  readonly backoffMs: number[] = [];

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const t = { at: this.#now + delayMs, fn, live: true, delayMs };
    this.#timers.push(t);
    if (delayMs < REQUEST_TIMEOUT_MS) this.backoffMs.push(delayMs);
    return { cancel: () => void (t.live = false) };
  }

  /** Backoff waits not yet fired or cancelled. */
  waiting(): number {
    return this.#timers.filter((t) => t.live && t.delayMs < REQUEST_TIMEOUT_MS).length;
  }

  advance(ms: number): void {
    this.#now += ms;
    for (const t of this.#timers.filter((t) => t.live && t.at <= this.#now)) {
      t.live = false;
      t.fn();
    }
  }
}

/** Polls `condition` a bounded number of times (no timing assertion: only a ceiling). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`Cannot wait any longer: ${what}`);
}

/** A stand-in for core: grants roles unless told to refuse them, records requests. */
function fakeCore(refusals: Map<string, number> = new Map()) {
  const seen: Request[] = [];
  const connections: FrameConnection[] = [];
  const handler = (request: Request): Response => {
    seen.push(request);
    switch (request.type) {
      case "RH_REGISTER": {
        const key = `${request.role}:${request.peer}`;
        const left = refusals.get(key) ?? 0;
        if (left === 0) return { type: "RH_REGISTER", result: "ok" };
        refusals.set(key, left - 1);
        return { type: "RH_REGISTER", result: "refused", reason: socketReason("already-claimed") };
      }
      case "RH_SERVICE_STATE":
        return { type: "RH_SERVICE_STATE", result: "ok" };
      case "SUBMIT":
        return { type: "SUBMIT", result: "ok", index: 9 };
      case "MT_DISCHARGE":
        return { type: "MT_DISCHARGE", result: "ok" };
      case "CANCEL":
        return { type: "CANCEL", result: "not-found" };
      case "QUERY":
        return { type: "QUERY", result: "not-found" };
      case "REPLACE":
        return { type: "REPLACE", result: "mismatch" };
      default:
        throw new Error(`unexpected ${request.type}`);
    }
  };
  const of = <T extends Request["type"]>(type: T) =>
    seen.filter((r): r is Extract<Request, { type: T }> => r.type === type);
  return { seen, connections, handler, of };
}
type FakeCore = ReturnType<typeof fakeCore>;

function serve(path: string, core: FakeCore): Promise<UnixSocketServer> {
  return listenUnix(path, { handler: core.handler, onConnection: (c) => core.connections.push(c) });
}

interface Env {
  path: string;
  clock: FakeClock;
  lines: string[];
  start(roles: RoleClaim[], extra?: Partial<RoleClientOptions>): RoleClient;
}

async function withEnv(fn: (env: Env) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "smsc_role_client_" });
  const lines: string[] = [];
  const previous = setLogSink({ write: (l) => lines.push(l) });
  setLogLevel("debug");
  const clients: RoleClient[] = [];
  const clock = new FakeClock();
  const start = (roles: RoleClaim[], extra: Partial<RoleClientOptions> = {}) => {
    const c = RoleClient.start({
      path: `${dir}/core.sock`,
      roles,
      handler: (r) => ({ type: "MT_CANCEL", result: r.type === "MT_CANCEL" ? "ok" : "not-held" }),
      clock,
      logger: new Logger("gsmif.test"),
      reconnectDelayMsMin: 100,
      reconnectDelayMsMax: 800,
      connection: { requestTimeoutMs: REQUEST_TIMEOUT_MS },
      ...extra,
    });
    clients.push(c);
    return c;
  };
  try {
    await fn({ path: `${dir}/core.sock`, clock, lines, start });
  } finally {
    for (const c of clients) await c.close();
    setLogLevel("info");
    setLogSink(previous);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("RoleClient registers every role, announces service state and passes work both ways", async () => {
  await withEnv(async ({ path, start }) => {
    const core = fakeCore();
    const server = await serve(path, core);
    try {
      let connected = 0;
      const client = start([GSM_MT, IMSI], { onConnected: () => connected++ });
      assert.equal(client.state, "connecting");
      await client.whenRegistered();
      assert.equal(client.state, "registered");
      assert.equal(connected, 1);
      assert.deepEqual(core.of("RH_REGISTER").map((r) => r.role), ["gsm-mt", "imsi-lookup"]);
      assert.deepEqual(core.of("RH_SERVICE_STATE"), [
        { type: "RH_SERVICE_STATE", up: false, claim: "all" },
      ]);
      await client.setServiceState(true);
      await client.setServiceState(false, IMSI);
      assert.deepEqual(core.of("RH_SERVICE_STATE").slice(1).map((r) => [r.up, r.claim]), [
        [true, "all"],
        [false, IMSI],
      ]);
      assert.deepEqual(await client.submit(RECORD), { type: "SUBMIT", result: "ok", index: 9 });
      const d = await client.discharge({
        index: 9,
        disposition: 1,
        cause: 0,
        extraInfo: new Uint8Array(4),
      });
      assert.equal(d.result, "ok");
      const answer = await core.connections[0].request({ type: "MT_CANCEL", index: 9 });
      assert.deepEqual(answer, { type: "MT_CANCEL", result: "ok" });
      await client.close();
      assert.equal(client.state, "closed");
      await assert.rejects(client.submit(RECORD), CoreUnavailableError);
      await assert.rejects(client.whenRegistered(), CoreUnavailableError);
    } finally {
      await server.close();
    }
  });
});

Deno.test("RoleClient passes CANCEL, QUERY and REPLACE through only while registered", async () => {
  await withEnv(async ({ path, clock, start }) => {
    const core = fakeCore(new Map([["peer:acme", 1]]));
    const server = await serve(path, core);
    try {
      const client = start([{ role: "peer", peer: "acme" }]);
      const target = { by: "index" as const, index: 9 };
      // Connected, the role refused once: core would take these from a
      // connection without a role, with the command line's reach. Nothing is sent.
      await until(() => clock.waiting() === 1, "the refusal");
      await assert.rejects(client.cancel(target), CoreUnavailableError);
      await assert.rejects(client.query(target), CoreUnavailableError);
      await assert.rejects(client.replace(9, RECORD), CoreUnavailableError);
      clock.advance(clock.backoffMs.at(-1)!);
      await client.whenRegistered();
      assert.deepEqual(await client.cancel(target), { type: "CANCEL", result: "not-found" });
      assert.deepEqual(await client.query(target), { type: "QUERY", result: "not-found" });
      assert.deepEqual(await client.replace(9, RECORD), { type: "REPLACE", result: "mismatch" });
      assert.deepEqual(core.seen.filter((r) => !r.type.startsWith("RH_")), [
        { type: "CANCEL", target },
        { type: "QUERY", target },
        { type: "REPLACE", index: 9, record: RECORD },
      ]);
      await client.close();
      await assert.rejects(client.query(target), CoreUnavailableError);
    } finally {
      await server.close();
    }
  });
});

Deno.test("RoleClient backs off from min to max while no core listens, then registers", async () => {
  await withEnv(async ({ path, clock, lines, start }) => {
    const client = start([GSM_MT]);
    const err = await client.submit(RECORD).catch((e) => e);
    assert.ok(err instanceof CoreUnavailableError);
    assert.equal(err.message, "Cannot submit: role client is connecting");
    for (let i = 0; i < 5; i++) {
      await until(() => clock.waiting() === 1, `backoff wait ${i}`);
      clock.advance(clock.backoffMs.at(-1)!);
    }
    await until(() => clock.waiting() === 1, "backoff wait 5");
    assert.deepEqual(clock.backoffMs, [100, 200, 400, 800, 800, 800]);
    const connectLines = lines.filter((l) => l.includes("Cannot connect to core"));
    assert.match(connectLines[0], /^info gsmif\.test Cannot connect to core .* retry_ms=100$/);
    assert.ok(connectLines.slice(1).every((l) => l.startsWith("debug ")));
    const core = fakeCore();
    const server = await serve(path, core);
    try {
      clock.advance(800);
      await client.whenRegistered();
      assert.equal(core.of("RH_REGISTER").length, 1);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

Deno.test("RoleClient asks again for a refused role with backoff and logs the refusal at notice", async () => {
  await withEnv(async ({ path, clock, lines, start }) => {
    const acme: RoleClaim = { role: "peer", peer: "acme" };
    const core = fakeCore(new Map([["peer:acme", 3]]));
    const server = await serve(path, core);
    try {
      const client = start([{ role: "peer", peer: "" }, acme]);
      for (let i = 0; i < 3; i++) {
        await until(() => clock.waiting() === 1, `refusal ${i}`);
        assert.equal(client.state, "connecting");
        clock.advance(clock.backoffMs.at(-1)!);
      }
      await client.whenRegistered();
      assert.deepEqual(clock.backoffMs, [100, 200, 400]);
      // The upstream role was granted once and kept; only acme was asked for again.
      assert.deepEqual(core.of("RH_REGISTER").map((r) => r.peer), [
        "",
        "acme",
        "acme",
        "acme",
        "acme",
      ]);
      assert.equal(core.connections.length, 1);
      const refusals = lines.filter((l) => l.includes("Core refused the role"));
      assert.equal(refusals.length, 3);
      assert.match(
        refusals[0],
        /^notice gsmif\.test Core refused the role role=peer peer=acme reason=already-claimed retry_ms=100$/,
      );
    } finally {
      await server.close();
    }
  });
});

Deno.test("RoleClient re-registers and re-announces its service state after core restarts", async () => {
  await withEnv(async ({ path, clock, start }) => {
    const first = fakeCore();
    let server = await serve(path, first);
    const lost: string[] = [];
    const client = start([GSM_MT, IMSI], { onDisconnected: (info) => lost.push(info.reason) });
    // Set before registration: announced as part of it.
    await client.setServiceState(true, GSM_MT);
    await client.whenRegistered();
    assert.deepEqual(first.of("RH_SERVICE_STATE").map((r) => [r.up, r.claim]), [
      [true, GSM_MT],
      [false, IMSI],
    ]);
    await server.close();
    await until(() => client.state === "connecting", "the loss to be seen");
    assert.deepEqual(lost, ["end-of-stream"]);
    await assert.rejects(client.submit(RECORD), CoreUnavailableError);
    await client.setServiceState(true);
    const second = fakeCore();
    server = await serve(path, second);
    try {
      await until(() => clock.waiting() === 1, "the reconnect wait");
      clock.advance(100);
      await client.whenRegistered();
      assert.deepEqual(second.of("RH_REGISTER").map((r) => r.role), ["gsm-mt", "imsi-lookup"]);
      assert.deepEqual(second.of("RH_SERVICE_STATE").map((r) => [r.up, r.claim]), [[true, "all"]]);
      assert.equal((await client.submit(RECORD)).result, "ok");
      // Registered again, so the next loss starts from the minimum delay.
      assert.deepEqual(clock.backoffMs, [100]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

Deno.test("RoleClient.close() ends a backoff wait at once", async () => {
  await withEnv(async ({ clock, start }) => {
    const client = start([GSM_MT]);
    const waiting = client.whenRegistered();
    await until(() => clock.waiting() === 1, "the first backoff wait");
    await client.close();
    assert.equal(client.state, "closed");
    assert.equal(clock.waiting(), 0);
    await assert.rejects(waiting, CoreUnavailableError);
  });
});

Deno.test("RoleClient.start() refuses bad arguments as programmer errors", () => {
  const base = {
    path: "/nonexistent/core.sock",
    handler: () => ({ type: "MT_CANCEL", result: "not-held" }) as Response,
    clock: new FakeClock(),
    logger: new Logger("test"),
    reconnectDelayMsMin: 100,
    reconnectDelayMsMax: 800,
  };
  assert.throws(() => RoleClient.start({ ...base, roles: [] }), AssertionError);
  assert.throws(() => RoleClient.start({ ...base, roles: [GSM_MT, GSM_MT] }), AssertionError);
  assert.throws(
    () => RoleClient.start({ ...base, roles: [{ role: "gsm-mt", peer: "x" }] }),
    AssertionError,
  );
  assert.throws(
    () => RoleClient.start({ ...base, roles: [GSM_MT], reconnectDelayMsMin: 900 }),
    AssertionError,
  );
});
