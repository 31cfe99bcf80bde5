/**
 * Runs the real executable as a child process: `deno run main.ts` with the
 * permissions of scripts/permissions, or the compiled binary when SMSC_BIN is
 * set (STYLE.md §5, deployctl's tests/utils.ts).
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url);

/** The repository root as a path. */
export const ROOT_PATH = decodeURIComponent(ROOT.pathname).replace(/\/$/, "");

/** The permission flags the binary is declared with. */
export async function declaredPermissions(): Promise<string[]> {
  const text = await Deno.readTextFile(new URL("scripts/permissions", ROOT));
  return text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}

/** The command and arguments that run `smsc ARGS…`: SMSC_BIN, or `deno run main.ts`. */
export async function smscCommand(args: string[]): Promise<[string, string[]]> {
  const bin = Deno.env.get("SMSC_BIN");
  if (bin) return [bin, args];
  return [Deno.execPath(), [
    "run",
    "--quiet",
    "--frozen",
    "--config",
    `${ROOT_PATH}/deno.json`,
    ...(await declaredPermissions()),
    `${ROOT_PATH}/main.ts`,
    ...args,
  ]];
}

/** The output of one run. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `smsc ARGS…` to completion.
 *
 * @param args the subcommand and its arguments
 * @param options stdin text, extra environment, working directory
 */
export async function runSmsc(
  args: string[],
  options: { stdin?: string | Uint8Array; env?: Record<string, string>; cwd?: string } = {},
): Promise<RunResult> {
  const [command, fullArgs] = await smscCommand(args);
  const child = new Deno.Command(command, {
    args: fullArgs,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(
      typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin,
    );
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
