import assert from "node:assert/strict";
import type { Clock, Timer } from "../lib/clock.ts";
import { setLogLevel, setLogSink } from "../lib/log.ts";
import type { ChildSpec } from "./up_children.ts";
import { CORE_READY } from "./up_children.ts";
import {
  type ChildProcess,
  forwardLine,
  nextBackoffMs,
  Supervisor,
  SUPERVISOR_TIMERS,
} from "./up_supervisor.ts";

/** A clock whose time moves only when the test says so. */
class FakeClock implements Clock {
  nowMs = 0;
  #timers: { at: number; fn: () => void; live: boolean }[] = [];
  now(): number {
    return this.nowMs;
  }
  setTimer(delayMs: number, fn: () => void): Timer {
    const t = { at: this.nowMs + delayMs, fn, live: true };
    this.#timers.push(t);
    return { cancel: () => t.live = false };
  }
  /** Advances time, firing due timers in order. */
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at);
      if (due.length === 0) break;
      due[0].live = false;
      this.nowMs = due[0].at;
      due[0].fn();
    }
    this.nowMs = until;
  }
  get pending(): number[] {
    return this.#timers.filter((t) => t.live).map((t) => t.at - this.nowMs);
  }
}

/** A child process driven by the test. */
class FakeProcess implements ChildProcess {
  static nextPid = 100;
  readonly pid = FakeProcess.nextPid++;
  readonly signals: Deno.Signal[] = [];
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  readonly status: Promise<{ code: number; signal: string | null }>;
  #out!: ReadableStreamDefaultController<Uint8Array>;
  #err!: ReadableStreamDefaultController<Uint8Array>;
  #resolve!: (s: { code: number; signal: string | null }) => void;
  /** What the process does on a signal; default: exit at once. */
  onSignal: (signal: Deno.Signal) => void = (s) => this.exit(143, s);
  constructor(readonly spec: ChildSpec) {
    this.stdout = new ReadableStream({ start: (c) => void (this.#out = c) });
    this.stderr = new ReadableStream({ start: (c) => void (this.#err = c) });
    this.status = new Promise((r) => this.#resolve = r);
  }
  print(text: string, stream: "stdout" | "stderr" = "stdout"): void {
    (stream === "stdout" ? this.#out : this.#err).enqueue(new TextEncoder().encode(text));
  }
  exit(code: number, signal: string | null = null): void {
    this.#out.close();
    this.#err.close();
    this.#resolve({ code, signal });
  }
  kill(signal: Deno.Signal): void {
    this.signals.push(signal);
    this.onSignal(signal);
  }
}

/** Lets the supervisor's stream pumps and promise chains run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

function setup(specs: ChildSpec[]) {
  const lines: string[] = [];
  const previous = setLogSink({ write: (l) => lines.push(l) });
  setLogLevel("info");
  const clock = new FakeClock();
  const spawned: FakeProcess[] = [];
  const supervisor = new Supervisor(
    specs,
    (spec) => {
      const p = new FakeProcess(spec);
      spawned.push(p);
      return p;
    },
    clock,
    SUPERVISOR_TIMERS,
  );
  const last = (name: string) => spawned.filter((p) => p.spec.name === name).at(-1)!;
  return { lines, clock, spawned, supervisor, last, restore: () => setLogSink(previous) };
}

const CORE: ChildSpec = {
  name: "core",
  args: ["core"],
  readyPattern: CORE_READY,
  needsCore: false,
};
const HANDLER: ChildSpec = { name: "downlink.acme", args: ["downlink", "acme"], needsCore: true };

Deno.test("nextBackoffMs() starts at 1 s, doubles to 60 s, and resets after 60 s up", () => {
  const t = SUPERVISOR_TIMERS;
  const waits: number[] = [];
  let w: number | undefined;
  for (let i = 0; i < 9; i++) waits.push(w = nextBackoffMs(w, 10, t));
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  assert.equal(nextBackoffMs(60000, 59_999, t), 60000);
  assert.equal(nextBackoffMs(60000, 60_000, t), 1000);
});

Deno.test("Supervisor restarts a crashing child with growing waits", async () => {
  const s = setup([CORE]);
  try {
    s.supervisor.start();
    for (const expected of [1000, 2000, 4000]) {
      s.last("core").exit(1);
      await settle();
      assert.deepEqual(s.clock.pending, [expected]);
      s.clock.advance(expected);
    }
    assert.equal(s.spawned.length, 4);
    assert.ok(
      s.lines.includes(`warn up[core] child exited pid=${s.spawned[0].pid} code=1 uptime_ms=0`),
    );
    assert.ok(s.lines.includes("info up[core] child backoff restart_in_ms=4000 restarts=3"));
    // It stays up for a minute, then crashes: the wait is back to 1 s.
    s.clock.advance(60_000);
    s.last("core").exit(1);
    await settle();
    assert.deepEqual(s.clock.pending, [1000]);
    await s.supervisor.stop();
    assert.deepEqual(s.clock.pending, [], "stop() cancels the pending restart");
  } finally {
    s.restore();
  }
});

Deno.test("Supervisor starts role handlers once core is ready, and not again on core restarts", async () => {
  const s = setup([CORE, HANDLER]);
  try {
    s.supervisor.start();
    assert.deepEqual(s.spawned.map((p) => p.spec.name), ["core"]);
    s.last("core").print("notice core.store opened\nnotice core read");
    await settle();
    assert.deepEqual(s.spawned.map((p) => p.spec.name), ["core"], "a partial line is not a match");
    s.last("core").print("iness pms=0\n");
    await settle();
    assert.deepEqual(s.spawned.map((p) => p.spec.name), ["core"]);
    s.last("core").print("notice core ready socket=state/core.sock\n");
    await settle();
    assert.deepEqual(s.spawned.map((p) => p.spec.name), ["core", "downlink.acme"]);
    s.last("core").exit(1);
    await settle();
    s.clock.advance(1000);
    s.last("core").print("notice core ready\n");
    await settle();
    assert.deepEqual(s.spawned.map((p) => p.spec.name), ["core", "downlink.acme", "core"]);
    assert.deepEqual(Object.keys(s.supervisor.pids), ["core", "downlink.acme"]);
    await s.supervisor.stop();
  } finally {
    s.restore();
  }
});

Deno.test("Supervisor forwards log lines as they are and wraps other output", async () => {
  const s = setup([CORE]);
  try {
    s.supervisor.start();
    const p = s.last("core");
    p.print("notice core.socket[conn=3] Cannot decode frame: short reason=x\r\n");
    p.print("panic: something\n\n", "stderr");
    p.print("plain words", "stdout");
    p.exit(70);
    await settle();
    assert.ok(s.lines.includes("notice core.socket[conn=3] Cannot decode frame: short reason=x"));
    assert.ok(s.lines.includes("warn core[stderr] panic: something"));
    assert.ok(s.lines.includes("info core[stdout] plain words"));
    await s.supervisor.stop();
  } finally {
    s.restore();
  }
});

Deno.test("Supervisor.stop() sends SIGTERM, then SIGKILL after the timeout", async () => {
  const s = setup([CORE, HANDLER]);
  try {
    s.supervisor.start();
    s.last("core").print("notice core ready\n");
    await settle();
    const [core, handler] = s.spawned;
    handler.onSignal = (signal) => {
      if (signal === "SIGKILL") handler.exit(137, "SIGKILL");
    };
    const stopped = s.supervisor.stop();
    await settle();
    assert.deepEqual(core.signals, ["SIGTERM"]);
    assert.deepEqual(handler.signals, ["SIGTERM"]);
    s.clock.advance(SUPERVISOR_TIMERS.stopTimeoutMs);
    await stopped;
    assert.deepEqual(handler.signals, ["SIGTERM", "SIGKILL"]);
    assert.ok(s.lines.some((l) => l.startsWith("warn up[downlink.acme] child did not stop")));
    assert.ok(
      s.lines.includes(`info up[core] child stopped pid=${core.pid} code=143 signal=SIGTERM`),
    );
    assert.equal(s.spawned.length, 2, "nothing restarts while stopping");
    assert.deepEqual(s.supervisor.pids, {});
  } finally {
    s.restore();
  }
});

Deno.test("Supervisor.stop() before core is ready stops core and never starts handlers", async () => {
  const s = setup([CORE, HANDLER]);
  try {
    s.supervisor.start();
    await s.supervisor.stop();
    assert.deepEqual(s.spawned.map((p) => p.spec.name), ["core"]);
    assert.ok(s.lines.includes("info up[downlink.acme] child stopped"));
  } finally {
    s.restore();
  }
});

Deno.test("Supervisor treats a failed spawn as a crash", async () => {
  const lines: string[] = [];
  const previous = setLogSink({ write: (l) => lines.push(l) });
  try {
    const clock = new FakeClock();
    let tries = 0;
    const supervisor = new Supervisor(
      [CORE],
      () => {
        tries++;
        throw new Deno.errors.NotFound("no such file");
      },
      clock,
      SUPERVISOR_TIMERS,
    );
    supervisor.start();
    clock.advance(1000);
    assert.equal(tries, 2);
    assert.deepEqual(clock.pending, [2000]);
    assert.ok(lines[0].startsWith("error up[core] Cannot start child error="));
    await supervisor.stop();
  } finally {
    setLogSink(previous);
  }
});

Deno.test("forwardLine() keeps the level and category of a log line", () => {
  const lines: string[] = [];
  const previous = setLogSink({ write: (l) => lines.push(l) });
  try {
    forwardLine("core", "stdout", "error core.store Cannot sync: EIO");
    forwardLine("core", "stdout", "");
    forwardLine("core", "stderr", "warning: something");
    assert.deepEqual(lines, [
      "error core.store Cannot sync: EIO",
      "warn core[stderr] warning: something",
    ]);
  } finally {
    setLogSink(previous);
  }
});
