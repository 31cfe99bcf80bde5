/**
 * What `smsc up` runs: the table of children computed from the
 * configuration, and the command line that starts a sibling subcommand of
 * this same executable, compiled or under `deno run` (ARCHITECTURE §1).
 *
 * How the two modes are told apart: `Deno.build.standalone` is true only in
 * a binary built by `deno compile` (Deno ≥ 2.1). There, `Deno.execPath()` is
 * the smsc binary itself and a sibling is `execPath() <subcommand> …`. Under
 * `deno run`, `Deno.execPath()` is the deno binary, and a sibling is started
 * the way scripts/smsc starts the CLI: `deno run --quiet --frozen --config
 * deno.json <scripts/permissions> main.ts <subcommand> …`, with the paths
 * taken from this module's own location in the source tree.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/schema.ts";

/** One supervised child. */
export interface ChildSpec {
  /** Name in logs; also the log category for its lines that are not log lines. */
  name: string;
  /** The subcommand and its arguments, without `--config`. */
  args: string[];
  /** A stdout line that means the child is ready to serve. */
  readyPattern?: RegExp;
  /** Start only once core has said it is ready (role handlers need core's socket). */
  needsCore: boolean;
}

/** Core's readiness line, `notice core ready …` (STYLE.md §7 log format). */
export const CORE_READY = / core ready( |$)/;

/** gsmif's readiness line, `notice gsmif ready …`. */
export const GSMIF_READY = / gsmif ready( |$)/;

/** The uplink's readiness line, `notice uplink ready …`. */
export const UPLINK_READY = / uplink ready( |$)/;

/** A downlink's readiness line, `notice downlink ready …`. */
export const DOWNLINK_READY = / downlink ready( |$)/;

/**
 * The children for a configuration: core, then one line per role handler:
 * a downlink for each `[downlink.peer.NAME]` table with a listener.
 *
 * @param config the resolved configuration
 * @returns the children in start order; core first
 */
export function childrenFor(config: ResolvedConfig): ChildSpec[] {
  const downlinks = Object.entries(config.downlink.peer)
    .filter(([, s]) => s.listen !== "" || s.tls_listen !== "")
    .map(([peer]) => ({
      name: `downlink.${peer}`,
      args: ["downlink", peer],
      readyPattern: DOWNLINK_READY,
      needsCore: true,
    }));
  return [
    { name: "core", args: ["core"], readyPattern: CORE_READY, needsCore: false },
    ...downlinks,
    ...(config.uplink.host === ""
      ? []
      : [{ name: "uplink", args: ["uplink"], readyPattern: UPLINK_READY, needsCore: true }]),
    ...(config.gsmif.listen_tcp === "" && config.gsmif.listen_ws === ""
      ? []
      : [{ name: "gsmif", args: ["gsmif"], readyPattern: GSMIF_READY, needsCore: true }]),
  ];
}

/** How this process was started: what a sibling command line is built from. */
export type Launcher =
  | { mode: "compiled"; execPath: string }
  | {
    mode: "deno-run";
    execPath: string;
    /** Permission flags, one per element, as in scripts/permissions. */
    permissions: readonly string[];
    mainPath: string;
    denoJsonPath: string;
  };

/** A command line to spawn. */
export interface SiblingCommand {
  command: string;
  args: string[];
}

/**
 * The command line of a sibling subcommand.
 *
 * @param launcher how this process runs
 * @param args the subcommand and its arguments
 * @param configPath the configuration file `up` was given, passed on as `--config`
 * @returns the executable and its arguments
 */
export function siblingCommand(
  launcher: Launcher,
  args: string[],
  configPath: string | undefined,
): SiblingCommand {
  const tail = [...args, ...(configPath === undefined ? [] : ["--config", configPath])];
  if (launcher.mode === "compiled") return { command: launcher.execPath, args: tail };
  return {
    command: launcher.execPath,
    args: [
      "run",
      "--quiet",
      "--frozen",
      "--config",
      launcher.denoJsonPath,
      ...launcher.permissions,
      launcher.mainPath,
      ...tail,
    ],
  };
}

const ROOT = new URL("../../", import.meta.url);

/**
 * Reads how this process runs: compiled, or under `deno run` from the source
 * tree (then it reads scripts/permissions, the one list of permission flags).
 *
 * @returns the launcher
 * @throws {Deno.errors.NotFound} under `deno run` when scripts/permissions is missing
 */
export async function currentLauncher(): Promise<Launcher> {
  const execPath = Deno.execPath();
  if (Deno.build.standalone) return { mode: "compiled", execPath };
  const text = await Deno.readTextFile(new URL("scripts/permissions", ROOT));
  const permissions = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const path = (name: string) => decodeURIComponent(new URL(name, ROOT).pathname);
  return {
    mode: "deno-run",
    execPath,
    permissions,
    mainPath: path("main.ts"),
    denoJsonPath: path("deno.json"),
  };
}
