import assert from "node:assert/strict";
import { parseConfig } from "../config/load.ts";
import { childrenFor, CORE_READY, currentLauncher, siblingCommand } from "./up_children.ts";

Deno.test("childrenFor() starts core first, which nothing waits for", () => {
  const children = childrenFor(parseConfig("", "test"));
  assert.equal(children[0].name, "core");
  assert.deepEqual(children[0].args, ["core"]);
  assert.equal(children[0].needsCore, false);
  assert.equal(children[0].readyPattern, CORE_READY);
});

Deno.test("childrenFor() adds one downlink per peer table with a listener", () => {
  const config = parseConfig(
    `[downlink.peer.acme]\nlisten = "127.0.0.1:2775"\n[downlink.peer.idle]\nwindow = 2\n` +
      `[downlink.peer.beta]\ntls_listen = "127.0.0.1:3550"\n`,
    "test",
  );
  const names = childrenFor(config).map((c) => `${c.name}:${c.args.join(" ")}:${c.needsCore}`);
  assert.deepEqual(names, [
    "core:core:false",
    "downlink.acme:downlink acme:true",
    "downlink.beta:downlink beta:true",
  ]);
});

Deno.test("CORE_READY matches core's ready line and nothing like it", () => {
  assert.ok(CORE_READY.test("notice core ready socket=state/core.sock"));
  assert.ok(CORE_READY.test("notice core ready"));
  assert.ok(!CORE_READY.test("notice core readiness"));
  assert.ok(!CORE_READY.test("notice core.socket ready"));
});

Deno.test("siblingCommand() of a compiled binary is the binary and the subcommand", () => {
  const launcher = { mode: "compiled", execPath: "/usr/local/bin/smsc" } as const;
  assert.deepEqual(siblingCommand(launcher, ["downlink", "acme"], "/etc/smsc.toml"), {
    command: "/usr/local/bin/smsc",
    args: ["downlink", "acme", "--config", "/etc/smsc.toml"],
  });
  assert.deepEqual(siblingCommand(launcher, ["core"], undefined).args, ["core"]);
});

Deno.test("siblingCommand() under deno run repeats scripts/smsc's command line", () => {
  const launcher = {
    mode: "deno-run",
    execPath: "/opt/deno",
    permissions: ["--allow-read", "--allow-run"],
    mainPath: "/src/main.ts",
    denoJsonPath: "/src/deno.json",
  } as const;
  assert.deepEqual(siblingCommand(launcher, ["core"], "c.toml"), {
    command: "/opt/deno",
    args: [
      "run",
      "--quiet",
      "--frozen",
      "--config",
      "/src/deno.json",
      "--allow-read",
      "--allow-run",
      "/src/main.ts",
      "core",
      "--config",
      "c.toml",
    ],
  });
});

Deno.test("currentLauncher() under deno test finds main.ts and scripts/permissions", async () => {
  const launcher = await currentLauncher();
  assert.equal(launcher.mode, "deno-run");
  if (launcher.mode !== "deno-run") return;
  assert.equal(launcher.execPath, Deno.execPath());
  assert.ok((await Deno.stat(launcher.mainPath)).isFile);
  assert.ok((await Deno.stat(launcher.denoJsonPath)).isFile);
  assert.ok(launcher.permissions.includes("--allow-run"));
  assert.ok(launcher.permissions.every((p) => p.startsWith("--allow-")));
});
