/**
 * The real `smsc core` process on a temporary state directory, driven
 * through the socket client every tool and role handler uses.
 */

import { deepStrictEqual, match, notStrictEqual, strictEqual } from "node:assert/strict";
import { startDaemon, withSubcommand } from "../support/daemon.ts";
import { runSmsc } from "../support/spawn.ts";
import { cliRecordBytes } from "../support/records.ts";
import { CoreClient } from "../../src/transport/core_client.ts";
import { admissionReason, type ResponseOf } from "../../src/codec/frame/mod.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";

const SUB = "+12125550100";
const OTHER = "+12125550101";

async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-core-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function okIndex(r: ResponseOf<"SUBMIT">): number {
  if (r.result !== "ok") throw new Error(`rejected: ${r.reason.text}`);
  return r.index;
}

Deno.test("core acknowledges a SUBMIT with its index after storing it, and answers STATUS", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async (d) => {
      match(d.output(), /Added the demo subscribers/);
      const c = await CoreClient.connect(`${dir}/state/core.sock`);
      try {
        strictEqual(okIndex(await c.submit(cliRecordBytes(SUB, OTHER, "hello"))), 0);
        strictEqual(okIndex(await c.submit(cliRecordBytes(SUB, "2125550102", "again"))), 1);
        strictEqual(
          (await Deno.stat(`${dir}/state/core.sock`)).mode! & 0o777,
          0o660,
          "socket mode",
        );
        strictEqual((await Deno.stat(`${dir}/state`)).mode! & 0o777, 0o750, "state_dir mode");
        const status = Object.fromEntries((await c.status()).map((e) => [e.key, e.value]));
        strictEqual(status.records, "2");
        strictEqual(status.active, "2");
        strictEqual(status.active_gsm, "2");
      } finally {
        await c.close();
      }
      const reader = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
      try {
        strictEqual(reader.recordCount, 2);
        const rec = await reader.readRecord(0);
        deepStrictEqual([rec.state, rec.destClass, rec.routedDa?.digits], [
          "active",
          "gsm",
          "12125550101",
        ]);
      } finally {
        await reader.close();
      }
    })
  );
});

Deno.test("core rejects with the admission reason and stores nothing", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const c = await CoreClient.connect(`${dir}/state/core.sock`);
      try {
        const cases: [Uint8Array, string][] = [
          [cliRecordBytes(SUB, "1125550101", "x"), "dest-invalid"],
          [cliRecordBytes("+14155550123", "+442071234567", "x"), "upstream-not-permitted"],
          [cliRecordBytes(SUB, OTHER, "x", { sourceClass: "gsm" }), "source-not-permitted"],
          [new Uint8Array(256), "bad-record"],
        ];
        for (const [bytes, name] of cases) {
          const r = await c.submit(bytes);
          if (r.result !== "rejected") throw new Error(`${name}: accepted`);
          strictEqual(r.reason.code, admissionReason(name as "dest-invalid").code, name);
        }
        strictEqual((await c.status()).find((e) => e.key === "records")?.value, "0");
      } finally {
        await c.close();
      }
    })
  );
});

Deno.test("core keeps active messages across a restart and cancels them after it", async () => {
  await inTemp(async (dir) => {
    const sock = `${dir}/state/core.sock`;
    await withSubcommand(["core"], { cwd: dir }, async () => {
      const c = await CoreClient.connect(sock);
      for (let i = 0; i < 3; i++) okIndex(await c.submit(cliRecordBytes(SUB, OTHER, `m${i}`)));
      deepStrictEqual(await c.cancel({ by: "index", index: 1 }), {
        type: "CANCEL",
        result: "ok",
        index: 1,
      });
      await c.close();
    });
    await withSubcommand(["core"], { cwd: dir }, async (d) => {
      match(d.output(), /Scanned pms.bin from=0 records=3 active=2 historical=1 corrupt=0/);
      const c = await CoreClient.connect(sock);
      deepStrictEqual(await c.cancel({ by: "index", index: 1 }), {
        type: "CANCEL",
        result: "historical",
        index: 1,
        disposition: 4,
      });
      deepStrictEqual(await c.changeSrr({ by: "index", index: 2 }, true), {
        type: "CHANGE_SRR",
        result: "ok",
        index: 2,
      });
      deepStrictEqual(await c.cancel({ by: "index", index: 7 }), {
        type: "CANCEL",
        result: "not-found",
      });
      deepStrictEqual(
        await c.cancel({
          by: "oa-da-mr",
          oa: { ton: 1, npi: 1, value: "12125550100" },
          da: { ton: 1, npi: 1, value: "12125550101" },
          mr: 0,
        }),
        { type: "CANCEL", result: "ok", index: 2 },
      );
      await c.close();
    });
  });
});

Deno.test("one role per claimant: a second is refused, a disconnect frees the role", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const sock = `${dir}/state/core.sock`;
      const a = await CoreClient.connect(sock);
      const b = await CoreClient.connect(sock);
      strictEqual((await a.registerRole("peer", "")).result, "ok");
      const refused = await b.registerRole("peer", "");
      strictEqual(refused.result === "refused" && refused.reason.text, "already-claimed");
      const unknown = await b.registerRole("peer", "nosuchpeer");
      strictEqual(unknown.result === "refused" && unknown.reason.text, "unknown-peer");
      strictEqual((await a.setServiceState(true)).result, "ok");
      strictEqual((await b.setServiceState(true)).result, "refused");
      // A connection holding the upstream role submits as the upstream, not as the command line.
      const asCli = await a.submit(cliRecordBytes(SUB, OTHER, "x"));
      strictEqual(
        asCli.result === "rejected" && asCli.reason.text.startsWith("source-not-permitted"),
        true,
      );
      await a.close();
      for (let i = 0; i < 50; i++) {
        if ((await b.registerRole("peer", "")).result === "ok") break;
        await new Promise((r) => setTimeout(r, 20));
      }
      strictEqual(b.claims.length, 1);
      await b.close();
    })
  );
});

Deno.test("a malformed frame closes only that client's connection", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async (d) => {
      const sock = `${dir}/state/core.sock`;
      const good = await CoreClient.connect(sock);
      const bad = await Deno.connect({ transport: "unix", path: sock });
      await bad.write(new Uint8Array([0, 0, 0, 12, 9, 9, 9, 9, 0, 0, 0, 1, 0, 0, 0, 0]));
      const n = await bad.read(new Uint8Array(16));
      strictEqual(n, null, "core closes the connection");
      bad.close();
      strictEqual(okIndex(await good.submit(cliRecordBytes(SUB, OTHER, "still here"))), 0);
      await good.close();
      await d.waitFor(
        /notice core\.socket\[conn=\d+\] .*malformed|notice core\.socket.*[Cc]annot decode/,
      );
    })
  );
});

Deno.test("a second core on the same state directory refuses to start", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const second = await startDaemon(["core"], { cwd: dir });
      const status = await second.exited;
      notStrictEqual(status.code, 0);
      match(
        second.output(),
        /^smsc core: Cannot lock .*core\.lock: another core is running on this state directory$/m,
      );
    })
  );
});

Deno.test("smsc status prints core's counters, and exits 69 when core is not running", async () => {
  await inTemp(async (dir) => {
    const down = await runSmsc(["status"], { cwd: dir });
    strictEqual(down.code, 69);
    match(down.stderr, /^smsc status: /);
    await withSubcommand(["core"], { cwd: dir }, async () => {
      const lines = await runSmsc(["status"], { cwd: dir });
      strictEqual(lines.code, 0, lines.stderr);
      match(lines.stdout, /^records +0$/m);
      const json = await runSmsc(["status", "--json"], { cwd: dir });
      strictEqual(JSON.parse(json.stdout).active, "0");
    });
  });
});
