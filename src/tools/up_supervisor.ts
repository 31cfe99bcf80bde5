/**
 * The supervisor of `smsc up`: starts each child, forwards its output as log
 * lines, restarts it with exponential backoff when it exits, and stops every
 * child on request (docs/up.md).
 *
 * Lifecycle notes:
 * - Each child is in one of: waiting (for core's readiness), running,
 *   backoff (a restart timer is pending), stopped. `#setState` is the only
 *   place that changes it, and logs the change.
 * - Children with `needsCore` start the first time core prints its ready
 *   line. They are not restarted when core restarts: the socket client
 *   reconnects on its own (TODO(#4)).
 * - Backoff: the first restart waits `backoffMsMin`; each further one
 *   doubles the wait up to `backoffMsMax`; a child that stayed up at least
 *   `resetAfterMs` starts again from `backoffMsMin`.
 * - `stop()` cancels pending restarts, sends SIGTERM to every running child,
 *   sends SIGKILL to those still running after `stopTimeoutMs`, and resolves
 *   once every child has exited and its output is forwarded.
 *
 * @module
 */

import type { Clock, Timer } from "../lib/clock.ts";
import { Logger, type LogLevel } from "../lib/log.ts";
import type { ChildSpec } from "./up_children.ts";

/** A running child process, as the supervisor sees it. */
export interface ChildProcess {
  readonly pid: number;
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  /** Resolves when the process has exited. */
  readonly status: Promise<{ code: number; signal: string | null }>;
  kill(signal: Deno.Signal): void;
}

/** Starts a child process for a spec. */
export type Spawner = (spec: ChildSpec) => ChildProcess;

/** Timers of the supervisor; each is a config value at the call site. */
export interface SupervisorTimers {
  /** Wait before the first restart. */
  backoffMsMin: number;
  /** Longest wait between restarts. */
  backoffMsMax: number;
  /** A child up at least this long restarts after `backoffMsMin` again. */
  resetAfterMs: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopTimeoutMs: number;
}

/** The timers of ARCHITECTURE §1 and docs/up.md: 1 s doubling to 60 s, reset after 60 s up. */
export const SUPERVISOR_TIMERS: Readonly<SupervisorTimers> = {
  backoffMsMin: 1_000,
  backoffMsMax: 60_000,
  resetAfterMs: 60_000,
  stopTimeoutMs: 10_000,
};

/**
 * The wait before restarting a child that just exited.
 *
 * @param previousMs the wait before its previous restart, or undefined if none
 * @param uptimeMs how long it ran this time
 * @param timers the backoff bounds
 * @returns the wait, in ms
 */
export function nextBackoffMs(
  previousMs: number | undefined,
  uptimeMs: number,
  timers: SupervisorTimers,
): number {
  if (previousMs === undefined || uptimeMs >= timers.resetAfterMs) return timers.backoffMsMin;
  return Math.min(previousMs * 2, timers.backoffMsMax);
}

const LOG_LINE = /^(error|warn|notice|info|debug) ([^\s[\]]+)(?:\[([^\]]*)\])? (.*)$/;

/**
 * Forwards one output line of a child. A line already in the log format
 * (`<level> <category>[<instance>] <message>`, STYLE.md §7) keeps its own
 * level and category; any other line (a crash trace, a runtime warning) is
 * logged under the child's name with the stream as instance, at warn for
 * stderr and info for stdout.
 *
 * @param name the child's name
 * @param stream which of its streams the line came from
 * @param line the line, without its newline
 */
export function forwardLine(name: string, stream: "stdout" | "stderr", line: string): void {
  if (line === "") return;
  const m = LOG_LINE.exec(line);
  if (m) {
    new Logger(m[2], m[3]).log(m[1] as LogLevel, m[4]);
    return;
  }
  new Logger(name, stream).log(stream === "stderr" ? "warn" : "info", line);
}

async function eachLine(stream: ReadableStream<Uint8Array>, fn: (line: string) => void) {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + text).split("\n");
    rest = lines.pop()!;
    for (const l of lines) fn(l.replace(/\r$/, ""));
  }
  if (rest !== "") fn(rest);
}

type State = "waiting" | "running" | "backoff" | "stopped";

interface Child {
  spec: ChildSpec;
  state: State;
  process?: ChildProcess;
  /** Resolves once the current process has exited and its output is forwarded. */
  done?: Promise<void>;
  startedMs: number;
  backoffMs?: number;
  timer?: Timer;
  restarts: number;
}

/** Supervises the children of `smsc up`. */
export class Supervisor {
  readonly #children: Child[];
  readonly #spawn: Spawner;
  readonly #clock: Clock;
  readonly #timers: SupervisorTimers;
  readonly #log = new Logger("up");
  #coreReady = false;
  #stopping = false;

  /**
   * @param specs the children, core first
   * @param spawn starts one child
   * @param clock timers and uptime
   * @param timers backoff and stop timeout
   */
  constructor(specs: ChildSpec[], spawn: Spawner, clock: Clock, timers: SupervisorTimers) {
    this.#children = specs.map((spec) => ({ spec, state: "waiting", startedMs: 0, restarts: 0 }));
    this.#spawn = spawn;
    this.#clock = clock;
    this.#timers = timers;
  }

  /** Starts every child that does not wait for core. */
  start(): void {
    for (const c of this.#children) if (!c.spec.needsCore) this.#launch(c);
  }

  #setState(c: Child, state: State, fields: Record<string, unknown> = {}): void {
    c.state = state;
    this.#log.with(c.spec.name).info(`child ${state}`, fields);
  }

  #launch(c: Child): void {
    if (this.#stopping) return;
    let p: ChildProcess;
    try {
      p = this.#spawn(c.spec);
    } catch (e) {
      // Spawning itself failed (the executable vanished, a resource limit): same as a crash.
      this.#log.with(c.spec.name).error("Cannot start child", { error: String(e) });
      this.#scheduleRestart(c, 0);
      return;
    }
    c.process = p;
    c.startedMs = this.#clock.now();
    this.#setState(c, "running", { pid: p.pid, restarts: c.restarts });
    let ready = false;
    const onStdout = (line: string) => {
      forwardLine(c.spec.name, "stdout", line);
      if (!ready && c.spec.readyPattern?.test(line)) {
        ready = true;
        this.#onReady(c);
      }
    };
    const pumps = Promise.all([
      eachLine(p.stdout, onStdout),
      eachLine(p.stderr, (line) => forwardLine(c.spec.name, "stderr", line)),
    ]);
    c.done = Promise.all([p.status, pumps]).then(([status]) => this.#onExit(c, p, status));
  }

  #onReady(c: Child): void {
    this.#log.with(c.spec.name).notice("child ready", { pid: c.process?.pid });
    if (c.spec.name !== "core" || this.#coreReady) return;
    this.#coreReady = true;
    for (const d of this.#children) {
      if (d.spec.needsCore && d.state === "waiting") this.#launch(d);
    }
  }

  #onExit(c: Child, p: ChildProcess, status: { code: number; signal: string | null }): void {
    const uptimeMs = this.#clock.now() - c.startedMs;
    c.process = undefined;
    const fields = { pid: p.pid, code: status.code, signal: status.signal ?? undefined };
    if (this.#stopping) {
      this.#setState(c, "stopped", fields);
      return;
    }
    this.#log.with(c.spec.name).warn("child exited", { ...fields, uptime_ms: uptimeMs });
    this.#scheduleRestart(c, uptimeMs);
  }

  #scheduleRestart(c: Child, uptimeMs: number): void {
    c.backoffMs = nextBackoffMs(c.backoffMs, uptimeMs, this.#timers);
    c.restarts++;
    this.#setState(c, "backoff", { restart_in_ms: c.backoffMs, restarts: c.restarts });
    c.timer = this.#clock.setTimer(c.backoffMs, () => {
      c.timer = undefined;
      this.#launch(c);
    });
  }

  /** PIDs of the children running now, by name. */
  get pids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.#children) if (c.process) out[c.spec.name] = c.process.pid;
    return out;
  }

  /**
   * Stops every child: SIGTERM, then SIGKILL after the stop timeout.
   *
   * @returns when every child has exited
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const c of this.#children) {
      c.timer?.cancel();
      c.timer = undefined;
      if (c.state !== "running") this.#setState(c, "stopped");
    }
    const running = this.#children.filter((c) => c.process !== undefined);
    for (const c of running) this.#signal(c, "SIGTERM");
    const killTimer = this.#clock.setTimer(this.#timers.stopTimeoutMs, () => {
      for (const c of running) {
        if (c.process) {
          this.#log.with(c.spec.name).warn("child did not stop; killing it", {
            pid: c.process.pid,
            timeout_ms: this.#timers.stopTimeoutMs,
          });
          this.#signal(c, "SIGKILL");
        }
      }
    });
    await Promise.all(running.map((c) => c.done));
    killTimer.cancel();
  }

  #signal(c: Child, signal: Deno.Signal): void {
    try {
      c.process?.kill(signal);
    } catch (e) {
      // It exited between the check and the signal; its exit is reported by #onExit.
      if (!(e instanceof TypeError) && !(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}
