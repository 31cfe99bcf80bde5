import assert from "node:assert/strict";
import { parseConfig } from "../config/load.ts";
import { UsageError } from "../lib/errors.ts";
import { setLogSink } from "../lib/log.ts";
import { runUp } from "./up.ts";
import type { ChildProcess } from "./up_supervisor.ts";

function exitedProcess(pid: number): ChildProcess {
  let resolve!: (s: { code: number; signal: string | null }) => void;
  const status = new Promise<{ code: number; signal: string | null }>((r) => resolve = r);
  const empty = () => new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  return {
    pid,
    stdout: empty(),
    stderr: empty(),
    status,
    kill: () => resolve({ code: 143, signal: "SIGTERM" }),
  };
}

Deno.test("runUp() starts the children, stops them on the stop signal and returns 0", async () => {
  const lines: string[] = [];
  const previous = setLogSink({ write: (l) => lines.push(l) });
  try {
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => stop = r);
    const started: string[] = [];
    const running = runUp([], {
      config: parseConfig("", "test"),
      configPath: "x.toml",
      stopSignal,
      spawn: (spec) => {
        started.push(spec.name);
        return exitedProcess(4242);
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(started, ["core"]);
    stop();
    assert.equal(await running, 0);
    assert.deepEqual(lines, [
      "notice up starting children=core config=x.toml pid=" + Deno.pid,
      "info up[core] child running pid=4242 restarts=0",
      "info up[core] child stopped pid=4242 code=143 signal=SIGTERM",
      "notice up stopped",
    ]);
  } finally {
    setLogSink(previous);
  }
});

Deno.test("runUp() takes no positional arguments and no unknown options", async () => {
  const config = parseConfig("", "test");
  const never = new Promise(() => {});
  await assert.rejects(runUp(["now"], { config, stopSignal: never }), UsageError);
  await assert.rejects(runUp(["--fast"], { config, stopSignal: never }), /unknown option "--fast"/);
});
