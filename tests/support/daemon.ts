/**
 * Runs a long-lived subcommand for a test (STYLE.md §5, fresh's
 * withChildProcessServer): spawn it with the declared permissions, wait for
 * its readiness line, run the test body, send SIGTERM, and check that it
 * stopped cleanly. Its output is printed only when the test fails.
 *
 * @module
 */

import { smscCommand } from "./spawn.ts";

export { smscCommand };

/** A running daemon. */
export interface Daemon {
  readonly child: Deno.ChildProcess;
  /** Everything it wrote so far (stdout and stderr interleaved by line). */
  output(): string;
  /** Resolves when a line matching `pattern` has been written. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has ended and all its output is read. */
  readonly exited: Promise<Deno.CommandStatus>;
  /** SIGKILL, and wait for the process to end. */
  kill(): Promise<Deno.CommandStatus>;
  /** SIGTERM, and wait for the process to end. */
  stop(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `smsc ARGS…` in `cwd` and waits for `ready`.
 *
 * @param args subcommand and arguments
 * @param options working directory, readiness pattern, environment
 * @returns the running daemon
 * @throws when it exits or does not get ready within the timeout
 */
export async function startDaemon(
  args: string[],
  options: { cwd: string; ready?: RegExp; env?: Record<string, string>; timeoutMs?: number },
): Promise<Daemon> {
  const [cmd, fullArgs] = await smscCommand(args);
  const child = new Deno.Command(cmd, {
    args: fullArgs,
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const lines = stream.pipeThrough(new TextDecoderStream());
    let partial = "";
    for await (const chunk of lines) {
      partial += chunk;
      let nl;
      while ((nl = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        text += line + "\n";
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const ended = child.status.then(async (s) => {
    await pumps;
    return s;
  });
  const daemon: Daemon = {
    child,
    exited: ended,
    output: () => text,
    waitFor(pattern, timeoutMs = 30_000) {
      const seen = text.split("\n").find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${text}`)),
          timeoutMs,
        );
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        ended.then((s) => {
          clearTimeout(timer);
          reject(new Error(`exited with ${s.code} before a line matching ${pattern}:\n${text}`));
        });
      });
    },
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      return await ended;
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      return await ended;
    },
  };
  if (options.ready) {
    try {
      await daemon.waitFor(options.ready, options.timeoutMs);
    } catch (e) {
      await daemon.kill();
      throw e;
    }
  }
  return daemon;
}

/**
 * Runs `fn` with `smsc ARGS…` running, then stops it with SIGTERM and
 * requires exit status 0. Prints the daemon's output if anything fails.
 */
export async function withSubcommand<T>(
  args: string[],
  options: { cwd: string; ready?: RegExp; env?: Record<string, string> },
  fn: (d: Daemon) => Promise<T>,
): Promise<T> {
  const d = await startDaemon(args, { ready: / core ready /, ...options });
  let ok = false;
  try {
    const result = await fn(d);
    const status = await d.stop();
    if (status.code !== 0) throw new Error(`smsc ${args[0]} exited with ${status.code}`);
    ok = true;
    return result;
  } finally {
    if (!ok) {
      await d.kill();
      // deno-lint-ignore no-console
      console.error(`--- output of smsc ${args.join(" ")} ---\n${d.output()}`);
    }
  }
}

/**
 * Runs `fn` with `smsc core` on a fresh temporary state directory (with
 * `config` as config.toml when given, and `prepare` run before core starts),
 * stops core, requires exit 0, and removes the directory. Core's output is
 * printed when anything fails.
 */
export async function withCore<T>(
  fn: (dir: string, sock: string, core: Daemon) => Promise<T>,
  options: { config?: string; prepare?: (dir: string) => Promise<void> } = {},
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-core-" });
  let core: Daemon | undefined;
  let ok = false;
  try {
    await options.prepare?.(dir);
    const args = ["core"];
    if (options.config !== undefined) {
      await Deno.writeTextFile(`${dir}/config.toml`, options.config);
      args.push("--config", "config.toml");
    }
    core = await startDaemon(args, { cwd: dir, ready: / core ready / });
    const result = await fn(dir, `${dir}/state/core.sock`, core);
    const status = await core.stop();
    if (status.code !== 0) throw new Error(`smsc core exited with ${status.code}`);
    ok = true;
    return result;
  } finally {
    if (!ok && core) {
      await core.kill();
      // deno-lint-ignore no-console
      console.error(`--- output of smsc core ---\n${core.output()}`);
    }
    await Deno.remove(dir, { recursive: true });
  }
}
