/**
 * The subcommand table of `smsc`. Each entry declares its options and
 * positionals; the work is done in `core`, `roles` and `tools`.
 *
 * @module
 */

import { type Args, type Command, CONFIG_OPTION } from "./command.ts";
import { EXIT, writeStdout } from "./exit.ts";
import { readConfig } from "../config/load.ts";
import { DECODE_KINDS, runDecode } from "../tools/decode.ts";
import { runCore } from "../core/server.ts";
import { runDownlink } from "../roles/downlink/server.ts";
import { runUplink } from "../roles/uplink/server.ts";
import { runGsmif } from "../roles/gsmif/server.ts";
import { NUMBERS_HELP, runNumbers } from "../tools/admin.ts";
import { statePaths } from "../config/paths.ts";
import { DUMP_HELP, runDump } from "../tools/dump.ts";
import { runStatus } from "../tools/status.ts";
import { runSubmit, SUBMIT_HELP, SUBMIT_SYNOPSIS } from "../tools/submit.ts";
import { runUp, UP_HELP } from "../tools/up.ts";
import { runUserShell, USER_SHELL_HELP } from "../tools/user_shell.ts";
import { setLogSink, stderrSink } from "../lib/log.ts";
import type { ResolvedConfig } from "../config/schema.ts";
import { ConfigError } from "../lib/errors.ts";
import denoJson from "../../deno.json" with { type: "json" };

/** The config path from `--config`, else $SMSC_CONFIG, else undefined (embedded). */
export function configPath(args: Args): string | undefined {
  const given = args.values.config;
  if (typeof given === "string") return given;
  return Deno.env.get("SMSC_CONFIG") || undefined;
}

const CONFIG_HELP = [
  "Options:",
  "  -c, --config PATH   configuration file (default: $SMSC_CONFIG, else the embedded",
  "                      defaults of config.toml)",
].join("\n");

const version: Command = {
  name: "version",
  summary: "print the version of smsc and of the Deno runtime",
  synopsis: "",
  help: "Prints one line: smsc VERSION (deno X, v8 Y, typescript Z).",
  options: {},
  positionals: { min: 0, max: 0 },
  run() {
    const v = Deno.version;
    writeStdout(
      `smsc ${denoJson.version} (deno ${v.deno}, v8 ${v.v8}, typescript ${v.typescript})\n`,
    );
    return Promise.resolve(EXIT.OK);
  },
};

const decode: Command = {
  name: "decode",
  summary: "decode a PDU given in hex and print it as JSON",
  synopsis: "KIND HEX|-",
  help: [
    `KIND is one of: ${DECODE_KINDS.join(", ")}.`,
    "  sms-submit   a TPDU sent by a mobile (SMS-SUBMIT, SMS-COMMAND, SMS-DELIVER-REPORT)",
    "  sms-deliver  a TPDU sent to a mobile (SMS-DELIVER, SMS-STATUS-REPORT, SMS-SUBMIT-REPORT)",
    "  rp           an RP message of TS 24.011 (the application/vnd.3gpp.sms body), with its TPDU",
    "  smpp         one SMPP 3.4 PDU, starting at command_length",
    "  sip          one SIP message (give its bytes in hex, or use --raw with -)",
    "",
    "HEX is the PDU in hex (spaces and colons allowed); - reads it from standard input.",
    "",
    "Options:",
    "  --raw          with -, standard input holds the raw bytes instead of hex",
    "  --rp-error     sms-submit/sms-deliver: the TPDU came in an RP-ERROR (report TPDUs)",
    "  --compact      print JSON on one line",
    "",
    "Exit status: 0 decoded, 65 malformed input (the reason is printed on stderr), 2 usage.",
    "The JSON field names are documented in docs/decode.md.",
  ].join("\n"),
  options: {
    raw: { type: "boolean" },
    "rp-error": { type: "boolean" },
    compact: { type: "boolean" },
  },
  positionals: { min: 2, max: 2 },
  run: (args) =>
    runDecode(args.positionals[0], args.positionals[1], {
      raw: args.values.raw === true,
      rpError: args.values["rp-error"] === true,
      compact: args.values.compact === true,
    }),
};

const core: Command = {
  name: "core",
  summary: "run the core daemon: message store, routing, local socket",
  synopsis: "",
  help:
    `${CONFIG_HELP}\n\nRuns in the foreground until SIGTERM or SIGINT; logs to stdout for svlogd.\n` +
    "Writes `notice core ready …` once the socket accepts clients. Exit status: 0 after a\n" +
    "clean stop, 74 after a storage failure (runit restarts it and recovery runs from disk),\n" +
    "78 for a bad configuration.",
  options: { ...CONFIG_OPTION },
  positionals: { min: 0, max: 0 },
  async run(args) {
    return await runCore(await readConfig(configPath(args)));
  },
};

const downlink: Command = {
  name: "downlink",
  summary: "run the SMPP server for one downstream peer",
  synopsis: "PEER",
  help: `${CONFIG_HELP}\n\n` +
    "Serves the downstream peer PEER (a peer of numbers.db) on the listeners of its\n" +
    "[downlink.peer.PEER] table, as an SMSC toward the peer's ESMEs (docs/downlink.md).\n" +
    "Runs in the foreground until SIGTERM or SIGINT; logs to stdout for svlogd. Exit\n" +
    "status: 0 after a clean stop, 78 for a bad configuration or an unknown peer,\n" +
    "74 when a listener cannot be opened.",
  options: { ...CONFIG_OPTION },
  positionals: { min: 1, max: 1 },
  async run(args) {
    return await runDownlink(await readConfig(configPath(args)), args.positionals[0]);
  },
};

const uplink: Command = {
  name: "uplink",
  summary: "run the SMPP client to the upstream SMSC",
  synopsis: "",
  help: `${CONFIG_HELP}\n\n` +
    "Binds to the upstream SMSC of [uplink] as a transceiver, keeps the link up and carries\n" +
    "messages both ways (docs/uplink.md). Runs in the foreground until SIGTERM or SIGINT;\n" +
    "logs to stdout for svlogd. Exit status: 0 after a clean stop, 78 when no upstream is\n" +
    "configured or the config is bad.",
  options: { ...CONFIG_OPTION },
  positionals: { min: 0, max: 0 },
  async run(args) {
    return await runUplink(await readConfig(configPath(args)));
  },
};

const gsmif: Command = {
  name: "gsmif",
  summary: "run the subscriber interface (SMS over SIP)",
  synopsis: "",
  help: `${CONFIG_HELP}\n\n` +
    "Serves subscribers over SIP (TS 24.341: MESSAGE with application/vnd.3gpp.sms) on the\n" +
    "[gsmif] listeners, with a registrar and digest authentication (docs/gsmif.md). Runs in\n" +
    "the foreground until SIGTERM or SIGINT; logs to stdout for svlogd. Exit status: 0 after\n" +
    "a clean stop, 78 when no listener is configured or the config is bad.",
  options: { ...CONFIG_OPTION },
  positionals: { min: 0, max: 0 },
  async run(args) {
    return await runGsmif(await readConfig(configPath(args)));
  },
};

/** Strips NUMBERS_HELP's own first line, since `commandUsage` prints one. */
function helpBody(text: string): string {
  return text.replace(/^Usage: .*\n\n?/, "");
}

const numbers: Command = {
  name: "numbers",
  summary: "manage numbers.db: local numbers, short numbers, peers, pools, IMSIs",
  synopsis: "COMMAND …",
  help: `${helpBody(NUMBERS_HELP)}\n\n${CONFIG_HELP}`,
  options: {},
  positionals: { min: 0, max: Infinity },
  rawArgs: true,
  async run(args) {
    const config = await readConfig(configPath(args));
    const paths = statePaths(config);
    await Deno.mkdir(paths.stateDir, { recursive: true });
    return await runNumbers(args.positionals, {
      dbPath: paths.numbersDb,
      sipRealm: config.gsmif.domain,
    });
  },
};

const dump: Command = {
  name: "dump",
  summary: "read the message store (read-only, without core)",
  synopsis: "",
  help: `${helpBody(DUMP_HELP)}\n\n${CONFIG_HELP}`,
  options: {},
  positionals: { min: 0, max: Infinity },
  rawArgs: true,
  async run(args) {
    return await runDump(args.positionals, { config: await readConfig(configPath(args)) });
  },
};

/** Submits `text` from `source` to `dest` as `smsc submit` does (for `smsc user … send`). */
function submitText(
  config: ResolvedConfig,
  source: string,
  dest: string,
  text: string,
): Promise<number> {
  // runSubmit drops one final newline of its input, and the user shell has
  // already dropped one: add it back so that the text arrives exactly.
  const bytes = new TextEncoder().encode(text + "\n");
  const stdin = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });
  return runSubmit([source, dest], { config, stdin });
}

const submit: Command = {
  name: "submit",
  summary: "inject a message from the command line (body on standard input)",
  synopsis: SUBMIT_SYNOPSIS,
  help: `${helpBody(SUBMIT_HELP)}\n\n${CONFIG_HELP}`,
  options: {},
  positionals: { min: 0, max: Infinity },
  rawArgs: true,
  async run(args) {
    // Results go to stdout; socket log lines must not mix with them.
    setLogSink(stderrSink);
    return await runSubmit(args.positionals, { config: await readConfig(configPath(args)) });
  },
};

const up: Command = {
  name: "up",
  summary: "run core and every configured role handler on this machine",
  synopsis: "",
  help: `${helpBody(UP_HELP)}\n\n${CONFIG_HELP}`,
  options: {},
  positionals: { min: 0, max: Infinity },
  rawArgs: true,
  async run(args) {
    const path = configPath(args);
    const config = await readConfig(path);
    const u = config.up;
    if (u.restart_backoff_ms_min > u.restart_backoff_ms_max) {
      throw new ConfigError(
        "up.restart_backoff_ms_min",
        `Cannot load config: key "up.restart_backoff_ms_min" must not exceed up.restart_backoff_ms_max (${u.restart_backoff_ms_max}): current value is ${u.restart_backoff_ms_min}`,
      );
    }
    return await runUp(args.positionals, {
      config,
      configPath: path,
      timers: {
        backoffMsMin: u.restart_backoff_ms_min,
        backoffMsMax: u.restart_backoff_ms_max,
        resetAfterMs: u.restart_reset_ms,
        stopTimeoutMs: u.stop_timeout_ms,
      },
    });
  },
};

const user: Command = {
  name: "user",
  summary: "restricted access for one subscriber (an ssh forced command)",
  synopsis: "NUMBER",
  help: `${helpBody(USER_SHELL_HELP)}\n\n${CONFIG_HELP}`,
  options: {},
  positionals: { min: 0, max: Infinity },
  rawArgs: true,
  async run(args) {
    setLogSink(stderrSink);
    const config = await readConfig(configPath(args));
    return await runUserShell(args.positionals, {
      config,
      bodyBytesMax: config.user.body_bytes_max,
      send: (req) => submitText(config, req.source, req.dest, req.text),
    });
  },
};

const status: Command = {
  name: "status",
  summary: "print core's counters: records, active messages, queues, roles",
  synopsis: "",
  help: `${CONFIG_HELP}\n  --json              one JSON object instead of "key value" lines\n\n` +
    "Asks the running core over its socket (exit 69 when core is not running).",
  options: { ...CONFIG_OPTION, json: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(args) {
    setLogSink(stderrSink);
    return await runStatus(await readConfig(configPath(args)), { json: args.values.json === true });
  },
};

/** Every subcommand, in the order the usage lists them. */
export const COMMANDS: readonly Command[] = [
  core,
  uplink,
  downlink,
  gsmif,
  submit,
  dump,
  up,
  user,
  status,
  numbers,
  decode,
  version,
];
