/**
 * `smsc user NUMBER`: the restricted end-user mode of seed chapter 3, meant
 * as an ssh forced command. A subscriber's key in `authorized_keys` runs
 *
 *     command="smsc user 12125550100 --config /etc/smsc.toml",restrict ssh-ed25519 AAAA…
 *
 * and whatever the user asks for arrives in `SSH_ORIGINAL_COMMAND`. Exactly
 * two requests are allowed, both bound to NUMBER, which only the operator
 * sets:
 *
 * - `dump [--from TIME] [--until TIME] [--count N] [--show-text] [--json]`:
 *   the messages from or to NUMBER (the filter is forced; every other dump
 *   option is refused; corrupt records and the torn tail, which belong to no
 *   one, are not shown);
 * - `send DEST` with the body on standard input: handed to the `send`
 *   callback as `{ source: "+NUMBER", dest, text }`.
 *
 * No shell ever runs: the command line is split into words here, with
 * quotes but without expansion of any kind, so shell metacharacters are just
 * characters of a word and end up refused as bad options or arguments.
 *
 * @module
 */

import { concatBytes } from "../lib/bytes.ts";
import { UsageError } from "../lib/errors.ts";
import { EXIT, writeStderr, writeStdout } from "../lib/stdio.ts";
import type { ResolvedConfig } from "../config/schema.ts";
import { statePaths } from "../config/paths.ts";
import { type DumpIo, executeDump } from "./dump.ts";
import { parseStrict, rangeOf } from "./dump_args.ts";
import { normalizeNumber } from "./dump_filter.ts";
import type { DumpPlan } from "./dump_reader.ts";

/** The operator's help text of `smsc user`. */
export const USER_SHELL_HELP = `Usage: smsc user NUMBER [-c PATH]

The restricted end-user mode, for an ssh forced command in authorized_keys:
  command="smsc user 12125550100 --config /etc/smsc.toml",restrict ssh-ed25519 AAAA…
NUMBER is the subscriber's E.164 number. The user's request is read from
SSH_ORIGINAL_COMMAND (when it is unset, from the words after NUMBER, for
testing). Setup and limits: docs/dump.md.`;

/** What the end user sees for `help` or a refused request. */
export const USER_COMMANDS_HELP = `Commands:
  dump [--from TIME] [--until TIME] [--count N] [--show-text] [--json]
                   messages from or to your number, oldest first; text only with --show-text
  send DEST        send the text on standard input from your number to DEST
  help             this text
TIME: 2026-11-23T10:00:00Z, "2026-11-23 10:00", 2026-11-23 or @UNIXSECONDS (UTC).`;

/** A send request after the policy checks. */
export interface UserSendRequest {
  /** The user's number, "+" and E.164 digits: never anything the user typed. */
  source: string;
  /** The destination as typed, without dashes, dots or spaces; a leading "+" kept. */
  dest: string;
  /** The body, UTF-8 decoded, one final newline removed. */
  text: string;
}

/** Options of `runUserShell`. */
export interface UserShellOptions extends Partial<DumpIo> {
  config: ResolvedConfig;
  /** Submits the message (the lead connects `smsc submit`); returns its exit code. */
  send: (request: UserSendRequest) => Promise<number>;
  /** Reads an environment variable (tests replace it). */
  env?: (name: string) => string | undefined;
  /** Reads standard input, at most `max + 1` bytes (tests replace it). */
  readStdin?: (max: number) => Promise<Uint8Array>;
  /** Largest body accepted by `send`, in bytes (default 16384). */
  bodyBytesMax?: number;
}

/** Default of `bodyBytesMax`: far above 255 concatenated UCS-2 parts' worth of text. */
export const USER_BODY_BYTES_MAX = 16_384;

/**
 * Splits a command line into words the way a plain POSIX shell would for
 * simple words: blanks separate, '…' quotes literally, "…" quotes with \" and
 * \\ as escapes, \ outside quotes escapes the next character. Nothing is
 * expanded ($, *, ;, |, ` … are ordinary characters).
 *
 * @param line the command line, e.g. SSH_ORIGINAL_COMMAND
 * @returns the words
 * @throws {UsageError} on an unterminated quote or a trailing backslash
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === " " || c === "\t" || c === "\n") {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new UsageError("unterminated ' quote");
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) i++;
        word += line[i];
      }
      if (i >= line.length) throw new UsageError('unterminated " quote');
    } else if (c === "\\") {
      if (i + 1 >= line.length) throw new UsageError("trailing backslash");
      word = (word ?? "") + line[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * The policy of `send`: one destination argument and no option, a body that
 * is non-empty UTF-8 within `bodyBytesMax`, and the source fixed to the
 * user's number.
 *
 * @param number the user's number, E.164 digits (from the forced command)
 * @param args the words after `send`
 * @param body the bytes read from standard input (at most `bodyBytesMax + 1`)
 * @param bodyBytesMax the largest body accepted
 * @returns the request to submit
 * @throws {UsageError} when anything is refused, with the reason
 */
export function userSendRequest(
  number: string,
  args: string[],
  body: Uint8Array,
  bodyBytesMax = USER_BODY_BYTES_MAX,
): UserSendRequest {
  const { positionals } = parseStrict(args, {});
  if (positionals.length !== 1) {
    throw new UsageError("send needs exactly one destination: send DEST");
  }
  const dest = positionals[0].trim().replace(/[-.\s]/g, "");
  if (!/^\+?[0-9]{1,20}$/.test(dest)) {
    throw new UsageError(`destination "${positionals[0]}": expected a number like +12125550101`);
  }
  if (body.length > bodyBytesMax) {
    throw new UsageError(`the message is longer than ${bodyBytesMax} bytes`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new UsageError("the message is not UTF-8 text");
  }
  text = text.replace(/\r?\n$/, "");
  if (text === "") throw new UsageError("the message is empty (give it on standard input)");
  return { source: `+${number}`, dest, text };
}

const USER_DUMP_OPTIONS = {
  from: { type: "string" },
  until: { type: "string" },
  count: { type: "string" },
  "show-text": { type: "boolean" },
  json: { type: "boolean" },
} as const;

/**
 * The policy of `dump`: only the range and output options, and the filter
 * forced to the user's number.
 *
 * @param number the user's number, E.164 digits
 * @param args the words after `dump`
 * @param archivedMb the `archived-mb` count, for message ids (`executeDump` can fill it in)
 * @returns the plan
 * @throws {UsageError} on any other option, an argument, or a bad value
 */
export function userDumpPlan(number: string, args: string[], archivedMb: number): DumpPlan {
  const { values, positionals } = parseStrict(args, USER_DUMP_OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return {
    ...rangeOf(values),
    filter: { owner: number },
    showText: values["show-text"] === true,
    json: values.json === true,
    reportDamage: false,
    archivedMb,
  };
}

/** NUMBER and the words after it, with the operator's `--config PATH` taken out. */
function operatorArgs(argv: string[]): { number?: string; rest: string[] } {
  let i = 0;
  const skipConfig = () => {
    while (i < argv.length) {
      if (argv[i] === "--config" || argv[i] === "-c") i += 2;
      else if (argv[i].startsWith("--config=")) i++;
      else break;
    }
  };
  skipConfig();
  const number = argv[i++];
  skipConfig();
  return { number, rest: argv.slice(i) };
}

async function readStdinBounded(max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const buf = new Uint8Array(4096);
  while (total <= max) {
    const n = await Deno.stdin.read(buf);
    if (n === null) break;
    parts.push(buf.slice(0, n));
    total += n;
  }
  return concatBytes(parts);
}

/**
 * Runs `smsc user NUMBER`: reads the request from SSH_ORIGINAL_COMMAND (or
 * from the words after NUMBER when that is unset) and runs it under the
 * policy above.
 *
 * @param argv the arguments after `user`: NUMBER, optionally `--config PATH`
 * @param options configuration, the `send` callback, and replaceable I/O for tests
 * @returns the exit code: 0 done, 2 refused or usage, else that of dump or `send`
 * @throws whatever is not a refusal or an error of the file (a program error)
 */
export async function runUserShell(argv: string[], options: UserShellOptions): Promise<number> {
  const io: DumpIo = { out: options.out ?? writeStdout, err: options.err ?? writeStderr };
  const { number: given, rest } = operatorArgs(argv);
  if (given === undefined || given === "--help" || given === "-h") {
    (given === undefined ? io.err : io.out)(USER_SHELL_HELP + (given === undefined ? "" : "\n"));
    return given === undefined ? EXIT.USAGE : EXIT.OK;
  }
  let number: string;
  try {
    number = normalizeNumber(given, "NUMBER");
  } catch (e) {
    io.err(`smsc user: ${(e as Error).message} (check the forced command in authorized_keys)`);
    return EXIT.USAGE;
  }
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const original = env("SSH_ORIGINAL_COMMAND");
  try {
    const words = original !== undefined ? splitCommand(original) : rest;
    return await runRequest(number, words, options, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`smsc user: ${e.message}`);
    io.err(USER_COMMANDS_HELP);
    return EXIT.USAGE;
  }
}

async function runRequest(
  number: string,
  words: string[],
  options: UserShellOptions,
  io: DumpIo,
): Promise<number> {
  const [command, ...args] = words;
  switch (command) {
    case "dump": {
      const paths = statePaths(options.config);
      const plan = userDumpPlan(number, args, 0);
      return await executeDump(paths.pms, plan, io, {
        prefix: "smsc user",
        archivedMbPath: paths.archivedMb,
        batchRecordsMax: options.config.store.pms_batch_records_max,
      });
    }
    case "send": {
      const max = options.bodyBytesMax ?? USER_BODY_BYTES_MAX;
      // Refuse a bad command line before waiting for a body.
      userSendRequest(number, args, Uint8Array.of(0x2e), max);
      const body = await (options.readStdin ?? readStdinBounded)(max);
      return await options.send(userSendRequest(number, args, body, max));
    }
    case "help":
      if (args.length > 0) throw new UsageError("help takes no argument");
      io.out(USER_COMMANDS_HELP + "\n");
      return EXIT.OK;
    case undefined:
      throw new UsageError("no command given (this account offers no shell)");
    default:
      throw new UsageError(`command "${command}" is not allowed`);
  }
}
