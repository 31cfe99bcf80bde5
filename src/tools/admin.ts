/**
 * `smsc numbers …`: the admin tool of `numbers.db` (ARCHITECTURE §2: "Managed
 * with an admin subcommand, never by hand-edited SQL"). Parses its own
 * sub-subcommands with node:util parseArgs, prints results on stdout and one
 * line `smsc numbers: …` on stderr for an error. Exit codes: 0 done, 2 usage,
 * 65 bad data (refused by the database or an unreadable import file), 66 an
 * import file that does not exist, 74 a database that cannot be opened.
 * Passwords are read from standard input only, and never printed or logged.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "../lib/errors.ts";
import { EXIT, writeStderr, writeStdout } from "../lib/stdio.ts";
import { NUMBER_KINDS, type NumberKind, NumbersDb, NumbersDbError } from "../store/numbers_db.ts";
import type { ScryptParams } from "../store/password_hash.ts";
import { importThemwi } from "./admin_import.ts";
import { ThemwiSyntaxError } from "./admin_themwi.ts";
import { formatPeer, formatPool, formatShort, plus } from "./admin_format.ts";
import {
  type Context,
  JSON_OPTION,
  listJson,
  notFound,
  operatorNumber,
  readPassword,
  type Sub,
} from "./admin_common.ts";
import { DEFAULT_SIP_REALM, SIP_USER_SUBS } from "./admin_sip.ts";

export { operatorNumber };

/** The help text of `smsc numbers`. */
export const NUMBERS_HELP = `Usage: smsc numbers COMMAND …

Manages numbers.db: locally owned numbers, 4-digit local numbers, downstream
peers and their number pools, subscribers' MSISDN-to-IMSI map and their SIP
digest users.

Numbers are E.164 with or without "+", dashes allowed: +1-310-555-0101.

Commands:
  add NUMBER --kind gsm|local|nosms [--upstream] [--replace]
                                add an owned number (--upstream: may send to the upstream)
  remove NUMBER                 remove an owned number and its abbreviations
  list [--json]                 list owned numbers and local short numbers
  short add CODE --kind gsm|local|nosms
  short add CODE --number NUMBER
                                add a 4-digit local number: standalone, or abbreviating NUMBER
  short remove CODE
  peer add NAME --system-id ID [--password-stdin] [--allow CIDR]… [--max-binds N]
                [--upstream] [--disabled]
                                add a downstream SMPP peer (no --allow: it may bind from nowhere)
  peer remove NAME              remove a peer with its pool
  peer list [--json]
  peer passwd NAME              set a peer's password, read from standard input
  peer enable NAME | peer disable NAME
  pool add PEER NUMBER|PREFIX*  give a peer one number, or every number under a prefix
  pool remove PEER NUMBER|PREFIX*
  pool list [PEER] [--json]
  imsi set MSISDN IMSI          map a subscriber's MSISDN to its IMSI
  imsi remove MSISDN
  imsi list [--json]
  sip-user set NUMBER --password-stdin [--username U] [--realm R]
                                set a gsm subscriber's SIP password, read from standard input
                                (username default: the number's digits; realm default:
                                smsc.local; it must equal gsmif.domain)
  sip-user remove NUMBER
  sip-user list [--json]        SIP users with their realms, never a password or hash
  import themwi FILE [--kind gsm|local|nosms] [--dry-run]
                                import a ThemWi number-db2 text file (see docs/numbers.md)

Exit status: 0 done, 2 usage, 65 bad data, 66 missing import file, 74 database error.`;

/** Options of `runNumbers`. */
export interface NumbersOptions {
  /** The database file, usually `state_dir/numbers.db`. */
  dbPath: string;
  /** Reads all of standard input (tests replace it). */
  readStdin?: () => Promise<string>;
  /** Writes to standard output (tests replace it). */
  out?: (text: string) => void;
  /** Writes one line to standard error (tests replace it). */
  err?: (line: string) => void;
  /** scrypt cost of new password hashes (tests lower it). */
  scrypt?: ScryptParams;
  /** The realm of `sip-user set` without --realm (gsmif.domain); default "smsc.local". */
  sipRealm?: string;
}

const KIND = { kind: { type: "string" } } as const;

function kindOf(value: unknown, required: boolean): NumberKind | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || !(NUMBER_KINDS as readonly string[]).includes(value)) {
    throw new UsageError("--kind must be gsm, local or nosms");
  }
  return value as NumberKind;
}

function poolArg(text: string): { digits: string; prefix: boolean } {
  const prefix = text.endsWith("*");
  return { digits: operatorNumber(prefix ? text.slice(0, -1) : text), prefix };
}

const SUBS: Record<string, Sub> = {
  "add": {
    synopsis: "add NUMBER --kind gsm|local|nosms [--upstream] [--replace]",
    options: { ...KIND, upstream: { type: "boolean" }, replace: { type: "boolean" } },
    positionals: [1, 1],
    readOnly: false,
    run({ db, args }) {
      const kind = kindOf(args.values.kind, true)!;
      const e164 = operatorNumber(args.positionals[0]);
      db.addNumber(
        { e164, kind, maySendUpstream: args.values.upstream === true },
        args.values.replace === true,
      );
    },
  },
  "remove": {
    synopsis: "remove NUMBER",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    run({ db, args }) {
      const e164 = operatorNumber(args.positionals[0]);
      if (!db.removeNumber(e164)) notFound(`number +${e164}`);
    },
  },
  "list": {
    synopsis: "list [--json]",
    options: JSON_OPTION,
    positionals: [0, 0],
    readOnly: true,
    run(ctx) {
      listJson(
        ctx,
        ctx.db.listNumbers(),
        (n: { e164: string; kind: string; maySendUpstream: boolean }) =>
          `${plus(n.e164).padEnd(17)} ${n.kind.padEnd(5)}${n.maySendUpstream ? " upstream" : ""}`,
      );
      listJson(ctx, ctx.db.listShorts(), formatShort);
    },
  },
  "short add": {
    synopsis: "short add CODE --kind gsm|local|nosms | --number NUMBER",
    options: { ...KIND, number: { type: "string" } },
    positionals: [1, 1],
    readOnly: false,
    run({ db, args }) {
      const kind = kindOf(args.values.kind, false);
      const number = args.values.number;
      const code = args.positionals[0];
      if ((kind === undefined) === (number === undefined)) {
        throw new UsageError("give either --kind or --number");
      }
      if (kind) db.addShort({ code, kind });
      else db.addShort({ code, e164: operatorNumber(number as string) });
    },
  },
  "short remove": {
    synopsis: "short remove CODE",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    run({ db, args }) {
      if (!db.removeShort(args.positionals[0])) notFound(`short number ${args.positionals[0]}`);
    },
  },
  "peer add": {
    synopsis:
      "peer add NAME --system-id ID [--password-stdin] [--allow CIDR]… [--max-binds N] [--upstream] [--disabled]",
    options: {
      "system-id": { type: "string" },
      "password-stdin": { type: "boolean" },
      allow: { type: "string", multiple: true },
      "max-binds": { type: "string" },
      upstream: { type: "boolean" },
      disabled: { type: "boolean" },
    },
    positionals: [1, 1],
    readOnly: false,
    async run(ctx) {
      const v = ctx.args.values;
      if (typeof v["system-id"] !== "string") throw new UsageError("peer add needs --system-id");
      const maxBinds = v["max-binds"] === undefined ? 1 : Number(v["max-binds"]);
      if (!Number.isInteger(maxBinds)) throw new UsageError("--max-binds must be a whole number");
      const password = v["password-stdin"] ? await readPassword(ctx) : undefined;
      ctx.db.addPeer({
        name: ctx.args.positionals[0],
        systemId: v["system-id"],
        password,
        allow: (v.allow as string[] | undefined) ?? [],
        maxBinds,
        maySendUpstream: v.upstream === true,
        enabled: v.disabled !== true,
      });
    },
  },
  "peer remove": {
    synopsis: "peer remove NAME",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    run({ db, args }) {
      if (!db.removePeer(args.positionals[0])) notFound(`peer "${args.positionals[0]}"`);
    },
  },
  "peer list": {
    synopsis: "peer list [--json]",
    options: JSON_OPTION,
    positionals: [0, 0],
    readOnly: true,
    run(ctx) {
      listJson(ctx, ctx.db.listPeers(), formatPeer);
    },
  },
  "peer passwd": {
    synopsis: "peer passwd NAME",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    async run(ctx) {
      ctx.db.setPeerPassword(ctx.args.positionals[0], await readPassword(ctx));
    },
  },
  "peer enable": {
    synopsis: "peer enable NAME",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    run: ({ db, args }) => db.setPeerEnabled(args.positionals[0], true),
  },
  "peer disable": {
    synopsis: "peer disable NAME",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    run: ({ db, args }) => db.setPeerEnabled(args.positionals[0], false),
  },
  "pool add": {
    synopsis: "pool add PEER NUMBER|PREFIX*",
    options: {},
    positionals: [2, 2],
    readOnly: false,
    run({ db, args }) {
      const { digits, prefix } = poolArg(args.positionals[1]);
      db.addPool(args.positionals[0], digits, prefix);
    },
  },
  "pool remove": {
    synopsis: "pool remove PEER NUMBER|PREFIX*",
    options: {},
    positionals: [2, 2],
    readOnly: false,
    run({ db, args }) {
      const { digits, prefix } = poolArg(args.positionals[1]);
      if (!db.removePool(args.positionals[0], digits, prefix)) {
        notFound(`pool entry ${args.positionals[1]}`);
      }
    },
  },
  "pool list": {
    synopsis: "pool list [PEER] [--json]",
    options: JSON_OPTION,
    positionals: [0, 1],
    readOnly: true,
    run(ctx) {
      listJson(ctx, ctx.db.listPools(ctx.args.positionals[0]), formatPool);
    },
  },
  "imsi set": {
    synopsis: "imsi set MSISDN IMSI",
    options: {},
    positionals: [2, 2],
    readOnly: false,
    run({ db, args }) {
      const msisdn = args.positionals[0].replace(/^\+/, "").replace(/-/g, "");
      db.setImsi(msisdn, args.positionals[1]);
    },
  },
  "imsi remove": {
    synopsis: "imsi remove MSISDN",
    options: {},
    positionals: [1, 1],
    readOnly: false,
    run({ db, args }) {
      const msisdn = args.positionals[0].replace(/^\+/, "").replace(/-/g, "");
      if (!db.removeImsi(msisdn)) notFound(`MSISDN ${args.positionals[0]}`);
    },
  },
  "imsi list": {
    synopsis: "imsi list [--json]",
    options: JSON_OPTION,
    positionals: [0, 0],
    readOnly: true,
    run(ctx) {
      listJson(
        ctx,
        ctx.db.listImsis(),
        (s: { msisdn: string; imsi: string }) =>
          `${s.msisdn.length > 4 ? plus(s.msisdn) : s.msisdn} ${s.imsi}`,
      );
    },
  },
  "import themwi": {
    synopsis: "import themwi FILE [--kind gsm|local|nosms] [--dry-run]",
    options: { ...KIND, "dry-run": { type: "boolean" } },
    positionals: [1, 1],
    readOnly: false,
    async run(ctx) {
      const kind = kindOf(ctx.args.values.kind, false) ?? "gsm";
      const text = await Deno.readTextFile(ctx.args.positionals[0]);
      importThemwi(ctx.db, text, { kind, dryRun: ctx.args.values["dry-run"] === true }, ctx.print);
    },
  },
  ...SIP_USER_SUBS,
};

const GROUPS = new Set(["short", "peer", "pool", "imsi", "sip-user", "import"]);

function findSub(argv: string[]): [Sub, string[]] {
  if (argv.length === 0) throw new UsageError("missing command: see smsc numbers --help");
  const key = GROUPS.has(argv[0]) ? `${argv[0]} ${argv[1] ?? ""}` : argv[0];
  const sub = SUBS[key];
  if (!sub) throw new UsageError(`unknown command "${key.trim()}": see smsc numbers --help`);
  return [sub, argv.slice(key.split(" ").length)];
}

function parse(sub: Sub, argv: string[]): Context["args"] {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: sub.options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}: expected ${sub.synopsis}`);
  }
  const n = parsed.positionals.length;
  if (n < sub.positionals[0] || n > sub.positionals[1]) {
    throw new UsageError(`wrong number of arguments: expected ${sub.synopsis}`);
  }
  return parsed as Context["args"];
}

async function readAllStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

function exitCodeOf(e: unknown): number | undefined {
  if (e instanceof UsageError) return EXIT.USAGE;
  if (e instanceof NumbersDbError || e instanceof ThemwiSyntaxError) return EXIT.DATAERR;
  if (e instanceof Deno.errors.NotFound) return EXIT.NOINPUT;
  if (e instanceof Error && e.message.startsWith("Cannot open numbers.db")) return EXIT.IOERR;
  return undefined;
}

/**
 * Runs `smsc numbers ARGV…` against the database at `options.dbPath`.
 *
 * @param argv the arguments after `numbers`
 * @param options the database path, and replaceable I/O for tests
 * @returns the exit code
 * @throws whatever is not an operator's error (a program error)
 */
export async function runNumbers(argv: string[], options: NumbersOptions): Promise<number> {
  const out = options.out ?? writeStdout;
  const err = options.err ?? writeStderr;
  if (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h")) {
    out(NUMBERS_HELP + "\n");
    return EXIT.OK;
  }
  let db: NumbersDb | undefined;
  try {
    const [sub, rest] = findSub(argv);
    const args = parse(sub, rest);
    db = NumbersDb.open(options.dbPath, {
      readOnly: sub.readOnly,
      busyTimeoutMs: 5000,
      scrypt: options.scrypt,
    });
    const ctx: Context = {
      db,
      args,
      print: (line) => out(line + "\n"),
      readStdin: options.readStdin ?? readAllStdin,
      sipRealm: options.sipRealm ?? DEFAULT_SIP_REALM,
    };
    await sub.run(ctx);
    return EXIT.OK;
  } catch (e) {
    const code = exitCodeOf(e);
    if (code === undefined) throw e;
    err(`smsc numbers: ${(e as Error).message}`);
    return code;
  } finally {
    db?.close();
  }
}
