/**
 * `smsc up`: runs core and every configured role handler as child processes
 * of this same executable, restarts a crashed child with backoff, and stops
 * them all on SIGINT or SIGTERM (ARCHITECTURE §1). For development and small
 * sites; a production site runs each daemon under runit instead. The operator
 * guide is docs/up.md.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../lib/errors.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { Logger, setLogLevel } from "../lib/log.ts";
import { EXIT } from "../lib/stdio.ts";
import type { ResolvedConfig } from "../config/schema.ts";
import {
  childrenFor,
  type ChildSpec,
  currentLauncher,
  type Launcher,
  siblingCommand,
} from "./up_children.ts";
import {
  type ChildProcess,
  type Spawner,
  Supervisor,
  SUPERVISOR_TIMERS,
  type SupervisorTimers,
} from "./up_supervisor.ts";

/** The options `smsc up` accepts (`--config`, `--verbose` and `--help` belong to the wrapper). */
export const UP_OPTIONS: ParseArgsOptionsConfig = {
  config: { type: "string", short: "c" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** The help text after the synopsis (`smsc up --help`). */
export const UP_HELP = [
  "Starts core and every role handler the configuration names (today: core only) as",
  "child processes of this executable, each with the same --config. Their log lines",
  "appear on standard output. Role handlers start once core logs that it is ready.",
  "A child that exits is restarted after 1 s, then 2, 4 … up to 60 s between tries;",
  "a child that stayed up 60 s starts again from 1 s. SIGINT or SIGTERM stops every",
  "child (SIGTERM, then SIGKILL after 10 s) and exits 0.",
  "",
  "Options:",
  "  -c, --config PATH   configuration file, passed on to every child",
  "",
  "See docs/up.md.",
].join("\n");

/** Options of `runUp`. */
export interface UpOptions {
  /** The resolved configuration. */
  config: ResolvedConfig;
  /** The file it came from, passed to the children as `--config`; undefined = embedded defaults. */
  configPath?: string;
  /** Backoff and stop timers; default `SUPERVISOR_TIMERS`. */
  timers?: Partial<SupervisorTimers>;
  /** The children; default `childrenFor(config)`. */
  children?: ChildSpec[];
  /** Starts a child; default a sibling process of this executable. */
  spawn?: Spawner;
  /** Resolves when `up` should stop; default the first SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
  clock?: Clock;
}

/**
 * A spawner that starts each child as a sibling process of this executable.
 *
 * @param launcher how this process runs
 * @param configPath passed on as `--config`
 * @returns the spawner
 */
export function siblingSpawner(launcher: Launcher, configPath: string | undefined): Spawner {
  return (spec): ChildProcess => {
    const { command, args } = siblingCommand(launcher, spec.args, configPath);
    const child = new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return {
      pid: child.pid,
      stdout: child.stdout,
      stderr: child.stderr,
      status: child.status.then((s) => ({ code: s.code, signal: s.signal })),
      kill: (signal) => child.kill(signal),
    };
  };
}

/** Resolves on the first SIGINT or SIGTERM, then removes its listeners. */
function termination(log: Logger): Promise<Deno.Signal> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    const handlers = signals.map((signal) => () => {
      for (const [i, s] of signals.entries()) Deno.removeSignalListener(s, handlers[i]);
      log.notice("stopping", { signal });
      resolve(signal);
    });
    for (const [i, s] of signals.entries()) Deno.addSignalListener(s, handlers[i]);
  });
}

function parseUpArgs(argv: string[]): void {
  let positionals: string[];
  try {
    positionals =
      parseArgs({ args: argv, options: UP_OPTIONS, allowPositionals: true }).positionals;
  } catch (e) {
    const unknown = (e as Error).message.match(/Unknown option '([^']+)'/);
    throw new UsageError(
      unknown ? `unknown option "${unknown[1]}"` : (e as Error).message.split("\n")[0],
    );
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
}

/**
 * Runs `smsc up` until SIGINT or SIGTERM.
 *
 * @param argv the arguments after `up`
 * @param options the configuration and its path; the rest are for tests
 * @returns 0 once every child has stopped
 * @throws {UsageError} on an argument
 * @throws {Deno.errors.NotFound} under `deno run` without scripts/permissions
 */
export async function runUp(argv: string[], options: UpOptions): Promise<number> {
  parseUpArgs(argv);
  setLogLevel(options.config.log.level);
  const log = new Logger("up");
  const stopSignal = options.stopSignal ?? termination(log);
  const spawn = options.spawn ?? siblingSpawner(await currentLauncher(), options.configPath);
  const children = options.children ?? childrenFor(options.config);
  const supervisor = new Supervisor(children, spawn, options.clock ?? systemClock, {
    ...SUPERVISOR_TIMERS,
    ...options.timers,
  });
  log.notice("starting", {
    children: children.map((c) => c.name).join(","),
    config: options.configPath ?? "embedded defaults",
    pid: Deno.pid,
  });
  supervisor.start();
  await stopSignal;
  await supervisor.stop();
  log.notice("stopped");
  return EXIT.OK;
}
