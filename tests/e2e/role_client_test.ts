/**
 * RoleClient against the real `smsc core`: it registers, survives a SIGKILL
 * of core, and holds its roles and service state again once core is back.
 */

import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { startDaemon } from "../support/daemon.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { Logger, setLogSink } from "../../src/lib/log.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { RoleClient } from "../../src/transport/role_client.ts";

/** Polls `condition` a bounded number of times (a ceiling, not a timing assertion). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Cannot wait any longer: ${what}`);
}

/** Resolves with the promise's value, or rejects after a ceiling of `ms`. */
function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let id: ReturnType<typeof setTimeout> | undefined;
  const ceiling = new Promise<never>((_, reject) => {
    id = setTimeout(() => reject(new Error(`Cannot wait any longer: ${what}`)), ms);
  });
  return Promise.race([p, ceiling]).finally(() => clearTimeout(id));
}

async function statusOf(sock: string): Promise<Record<string, string>> {
  const c = await CoreClient.connect(sock);
  try {
    return Object.fromEntries((await c.status()).map((e) => [e.key, e.value]));
  } finally {
    await c.close();
  }
}

Deno.test("RoleClient re-registers with a restarted core and re-announces its service state", async () => {
  const dir = await Deno.makeTempDir({ prefix: "smsc-role-client-" });
  const sock = `${dir}/state/core.sock`;
  const lines: string[] = [];
  const previous = setLogSink({ write: (l) => lines.push(l) });
  let core = await startDaemon(["core"], { cwd: dir, ready: / core ready / });
  let client: RoleClient | undefined;
  let ok = false;
  try {
    let connected = 0;
    let disconnected = 0;
    client = RoleClient.start({
      path: sock,
      roles: [{ role: "peer", peer: "" }, { role: "imsi-lookup", peer: "" }],
      handler: (r) => ({ type: "MT_CANCEL", result: r.type === "MT_CANCEL" ? "ok" : "not-held" }),
      clock: systemClock,
      logger: new Logger("uplink.test"),
      reconnectDelayMsMin: 20,
      reconnectDelayMsMax: 200,
      onConnected: () => connected++,
      onDisconnected: () => disconnected++,
    });
    await bounded(client.whenRegistered(), 30_000, "first registration");
    await client.setServiceState(true, { role: "peer", peer: "" });
    await core.waitFor(/ Service up role=peer peer=""/, 30_000);

    await core.kill();
    await until(() => client!.state === "connecting", "the client to see core die");
    strictEqual(disconnected, 1);

    core = await startDaemon(["core"], { cwd: dir, ready: / core ready / });
    await bounded(client.whenRegistered(), 30_000, "registration with the new core");
    strictEqual(connected, 2);

    // The roles are held again: a second claimant is refused.
    const other = await CoreClient.connect(sock);
    try {
      const refused = await other.registerRole("peer", "");
      strictEqual(refused.result === "refused" && refused.reason.text, "already-claimed");
    } finally {
      await other.close();
    }
    // The service state was announced again, per role since the two differ.
    // (STATUS shows the same: see the next test.)
    const announced = core.output().split("\n").filter((l) => / Service (up|down) /.test(l));
    deepStrictEqual(announced.map((l) => l.split(" ").slice(2).join(" ")), [
      'Service up role=peer peer=""',
      'Service down role=imsi-lookup peer=""',
    ]);
    deepStrictEqual(
      lines.filter((l) => / Role client (connecting|registered)/.test(l)).map((l) =>
        l.split(" ")[4]
      ),
      ["registered", "connecting", "registered"],
    );

    await client.close();
    const stopped = await core.stop();
    strictEqual(stopped.code, 0);
    ok = true;
  } finally {
    setLogSink(previous);
    await client?.close();
    if (!ok) {
      await core.kill();
      // deno-lint-ignore no-console
      console.error(`--- client log ---\n${lines.join("\n")}\n--- core ---\n${core.output()}`);
    }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "STATUS lists a RoleClient's roles with their service state",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "smsc-role-client-" });
    const sock = `${dir}/state/core.sock`;
    const previous = setLogSink({ write: () => {} });
    const core = await startDaemon(["core"], { cwd: dir, ready: / core ready / });
    const client = RoleClient.start({
      path: sock,
      roles: [{ role: "peer", peer: "" }, { role: "imsi-lookup", peer: "" }],
      handler: (r) => ({ type: "MT_CANCEL", result: r.type === "MT_CANCEL" ? "ok" : "not-held" }),
      clock: systemClock,
      logger: new Logger("uplink.test"),
      reconnectDelayMsMin: 20,
      reconnectDelayMsMax: 200,
    });
    try {
      await bounded(client.whenRegistered(), 30_000, "registration");
      await client.setServiceState(true, { role: "peer", peer: "" });
      const status = await statusOf(sock);
      match(status["role.peer:"], /^conn=\d+ up$/);
      match(status["role.imsi-lookup:"], /^conn=\d+ down$/);
    } finally {
      await client.close();
      await core.stop();
      setLogSink(previous);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
