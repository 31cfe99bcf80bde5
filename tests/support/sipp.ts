/**
 * sipp (Debian `sip-tester` 3.6) as a SIP peer for tests and benchmarks:
 * runs a scenario of tests/sipp/ as a child process over TCP on 127.0.0.1,
 * with its error, log and statistics files in a working folder, and stops
 * it. Besides, a tap (`startSipTap`): a TCP relay between sipp and gsmif
 * that records every SIP message both ways with its bytes and arrival time.
 *
 * Why the tap. sipp keeps a received message as a C string, so it sees an
 * `application/vnd.3gpp.sms` body only up to its first zero byte (RP-DATA
 * network→MS has one in its third octet): a scenario can check the first
 * octets of an RP message (`<ereg>` and `<strcmp>`), but the whole RP and
 * TPDU bytes sipp received are read back from the tap. Sending binary bodies
 * is no problem: `[file name=...]` inserts a file's bytes as they are.
 *
 * Digest: gsmif's 401 carries one WWW-Authenticate per algorithm of
 * `[gsmif] digest_algorithms`, SHA-256 first by default (RFC 7616 §3.7: in
 * order of preference). sipp 3.6.1 answers only the first challenge of a 401
 * and computes only MD5 and AKAv1-MD5 ("authentication must use MD5 or
 * AKAv1-MD5"), so the sites of these tests offer MD5 first.
 *
 * Lifecycle: `startSipp` spawns at once; `done` resolves when sipp exits
 * (it does so by itself when its calls are over, or on `-timeout`); `stop`
 * asks it to end its calls (SIGUSR1) and kills it after a grace period. A
 * tap lives until `close`, which also closes every relayed connection.
 *
 * @module
 */

import { parseSipMessage, type SipMessage, SipStreamFramer } from "../../src/codec/sip/mod.ts";

/** The scenarios folder (tests/sipp/). */
export const SIPP_SCENARIOS = decodeURIComponent(new URL("../sipp/", import.meta.url).pathname);

/** True when a `sipp` executable runs here (`sipp -v` exits 99 after its version). */
export async function hasSipp(): Promise<boolean> {
  try {
    await new Deno.Command("sipp", { args: ["-v"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** How to run one sipp. */
export interface SippOptions {
  /** Main scenario: a file name in tests/sipp/ or a path. */
  scenario: string;
  /** Out-of-call scenario (`-oocsf`): requests sipp cannot map to a call by Call-ID. */
  ooc?: string;
  /** gsmif's (or the tap's) TCP port on 127.0.0.1. */
  port: number;
  /** Working folder: injection and body files, and sipp's own files. */
  dir: string;
  /** A name for sipp's files in `dir` (default: the scenario's name). */
  name?: string;
  /** Injection file (`-inf`), relative to `dir` or absolute. */
  inf?: string;
  /** Generic keywords (`-key NAME VALUE`, `[NAME]` in scenarios). */
  keys?: Record<string, string>;
  /** Global variables (`-set NAME VALUE`). */
  globals?: Record<string, string | number>;
  /** Calls to place (`-m`); default 1. */
  calls?: number;
  /** Calls started per second (`-r`); sipp's default is 10. */
  rate?: number;
  /** Most calls at once (`-l`). */
  limit?: number;
  /** sipp gives up after this many seconds, as a failure (`-timeout`, `-timeout_error`). */
  timeoutS?: number;
  /** Digest `uri` (`-auth_uri`, without "sip:"). */
  authUri?: string;
  /** Log every message with its time (`-trace_msg`) into `<name>_messages.log`. */
  traceMessages?: boolean;
}

/** What one sipp run left behind. */
export interface SippResult {
  /** Exit status: 0 every call succeeded, 1 some failed, 97 and 99 see sipp(1), 255 fatal. */
  code: number;
  stdout: string;
  stderr: string;
  /** `-trace_err`: unexpected messages and failures. */
  errors: string;
  /** `-trace_logs`: the scenarios' `<log>` actions. */
  logs: string;
  /** The last row of `-trace_stat`, by column (cumulative counters end in "(C)"). */
  stats: Record<string, string>;
  /** Path of `-trace_msg`'s file, when asked for. */
  messagesFile?: string;
}

/** A running sipp. */
export interface Sipp {
  readonly pid: number;
  /** sipp's own SIP port (`-p`): its Via and Contact. */
  readonly localPort: number;
  /** Resolves when sipp has exited. */
  readonly done: Promise<SippResult>;
  /** SIGUSR1 (end calls and quit), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<SippResult>;
}

function freeLocalPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function scenarioPath(name: string): string {
  return name.includes("/") ? name : `${SIPP_SCENARIOS}${name}`;
}

function sippArgs(o: SippOptions, name: string, localPort: number): string[] {
  const args = [
    `127.0.0.1:${o.port}`,
    ...["-sf", scenarioPath(o.scenario), "-t", "t1", "-i", "127.0.0.1"],
    ...["-p", String(localPort), "-m", String(o.calls ?? 1), "-nostdin"],
    ...["-trace_err", "-error_file", `${name}_errors.log`],
    ...["-trace_logs", "-log_file", `${name}_logs.log`],
    ...["-trace_stat", "-stf", `${name}_stat.csv`, "-fd", "1"],
  ];
  if (o.ooc) args.push("-oocsf", scenarioPath(o.ooc));
  if (o.inf) args.push("-inf", o.inf);
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push("-key", k, v);
  for (const [k, v] of Object.entries(o.globals ?? {})) args.push("-set", k, String(v));
  if (o.rate !== undefined) args.push("-r", String(o.rate));
  if (o.limit !== undefined) args.push("-l", String(o.limit));
  if (o.timeoutS !== undefined) args.push("-timeout", `${o.timeoutS}s`, "-timeout_error");
  if (o.authUri) args.push("-auth_uri", o.authUri);
  if (o.traceMessages) args.push("-trace_msg", "-message_file", `${name}_messages.log`);
  return args;
}

/** The last data row of a `-trace_stat` file (";"-separated, header first). */
function lastStats(text: string): Record<string, string> {
  const rows = text.split("\n").filter((l) => l.trim() !== "");
  if (rows.length < 2) return {};
  const head = rows[0].split(";");
  const last = rows[rows.length - 1].split(";");
  return Object.fromEntries(head.map((h, i) => [h, last[i] ?? ""]));
}

async function readOr(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}

/**
 * Starts sipp on a scenario over TCP (`-t t1`: one connection for all its
 * calls), with `-trace_err`, `-trace_logs` and `-trace_stat` files in `dir`.
 *
 * @param o scenario, target and run options
 * @returns the running sipp
 */
export function startSipp(o: SippOptions): Sipp {
  const name = o.name ?? o.scenario.replace(/^.*\//, "").replace(/\.xml$/, "");
  const localPort = freeLocalPort();
  // sipp appends to some of its files and leaves others alone when it has nothing to say.
  for (const suffix of ["errors.log", "logs.log", "stat.csv", "messages.log"]) {
    try {
      Deno.removeSync(`${o.dir}/${name}_${suffix}`);
    } catch { /* not there */ }
  }
  const child = new Deno.Command("sipp", {
    args: sippArgs(o, name, localPort),
    cwd: o.dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const done = child.output().then(async (out) => {
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      errors: await readOr(`${o.dir}/${name}_errors.log`),
      logs: await readOr(`${o.dir}/${name}_logs.log`),
      stats: lastStats(await readOr(`${o.dir}/${name}_stat.csv`)),
      messagesFile: o.traceMessages ? `${o.dir}/${name}_messages.log` : undefined,
    };
  });
  return {
    pid: child.pid,
    localPort,
    done,
    async stop(graceMs = 5_000) {
      const kill = (sig: Deno.Signal) => {
        try {
          child.kill(sig);
        } catch { /* already gone */ }
      };
      kill("SIGUSR1");
      const timer = setTimeout(() => kill("SIGKILL"), graceMs);
      try {
        return await done;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs sipp to its end (see `startSipp`). */
export function runSipp(o: SippOptions): Promise<SippResult> {
  return startSipp(o).done;
}

/** One line of diagnostics for a failed run: exit code, errors, the tail of stdout. */
export function describeSipp(r: SippResult): string {
  const tail = r.stdout.split("\n").filter((l) => l.trim() !== "").slice(-30).join("\n");
  return `sipp exited ${r.code}\n--- errors ---\n${r.errors}\n--- logs ---\n${r.logs}\n` +
    `--- stderr ---\n${r.stderr}\n--- stdout (tail) ---\n${tail}`;
}

/** One SIP message that went through the tap. */
export interface TappedMessage {
  /** "to-sipp": from gsmif to sipp; "from-sipp": the other way. */
  direction: "to-sipp" | "from-sipp";
  message: SipMessage;
  /** `performance.now()` when its last byte arrived at the tap. */
  atMs: number;
}

/** A relay between sipp and gsmif that records what passes. */
export interface SipTap {
  /** The port sipp connects to. */
  readonly port: number;
  /** Every message so far, in arrival order. */
  readonly messages: TappedMessage[];
  /** Resolves with the first message (already seen or still to come) matching `pred`. */
  wait(pred: (m: TappedMessage) => boolean, timeoutMs?: number): Promise<TappedMessage>;
  close(): Promise<void>;
}

/**
 * Starts a tap on a free port of 127.0.0.1 that relays each connection to
 * `targetPort`, parses both directions and keeps every message.
 *
 * @param targetPort gsmif's TCP port
 * @returns the running tap
 */
export function startSipTap(targetPort: number): SipTap {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const messages: TappedMessage[] = [];
  const conns = new Set<Deno.Conn>();
  let waiters: { pred: (m: TappedMessage) => boolean; resolve: (m: TappedMessage) => void }[] = [];
  const record = (direction: TappedMessage["direction"], bytes: Uint8Array) => {
    const m: TappedMessage = {
      direction,
      message: parseSipMessage(bytes),
      atMs: performance.now(),
    };
    messages.push(m);
    const still = waiters.filter((w) => !w.pred(m));
    for (const w of waiters) if (!still.includes(w)) w.resolve(m);
    waiters = still;
  };
  const pump = async (
    from: Deno.Conn,
    to: Deno.Conn,
    direction: TappedMessage["direction"],
  ): Promise<void> => {
    const framer = new SipStreamFramer();
    const buf = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        for (const f of framer.push(buf.slice(0, n))) {
          if ("need" in f) continue;
          if ("keepalive" in f) {
            await to.write(f.keepalive === "ping" ? CRLF2 : CRLF);
            continue;
          }
          record(direction, f.message);
          await writeAll(to, f.message);
        }
      }
    } catch {
      // Either side closed or sent what is not SIP: end the pair.
    }
    for (const c of [from, to]) closeQuietly(c, conns);
  };
  (async () => {
    for await (const inbound of listener) {
      try {
        const outbound = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
        // Without it, a message written right after another waits for the peer's delayed ACK.
        inbound.setNoDelay(true);
        outbound.setNoDelay(true);
        conns.add(inbound);
        conns.add(outbound);
        pump(inbound, outbound, "from-sipp");
        pump(outbound, inbound, "to-sipp");
      } catch {
        closeQuietly(inbound, conns);
      }
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    messages,
    wait(pred, timeoutMs = 15_000) {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.resolve !== done);
          reject(new Error(`Cannot see the expected SIP message within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (m: TappedMessage) => {
          clearTimeout(timer);
          resolve(m);
        };
        waiters.push({ pred, resolve: done });
      });
    },
    close() {
      try {
        listener.close();
      } catch { /* already closed */ }
      for (const c of [...conns]) closeQuietly(c, conns);
      return Promise.resolve();
    },
  };
}

const CRLF = new Uint8Array([13, 10]);
const CRLF2 = new Uint8Array([13, 10, 13, 10]);

async function writeAll(c: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await c.write(bytes.subarray(off));
}

function closeQuietly(c: Deno.Conn, set: Set<Deno.Conn>): void {
  set.delete(c);
  try {
    c.close();
  } catch { /* already closed */ }
}

/** One message of sipp's `-trace_msg` file. */
export interface SippLoggedMessage {
  /** Epoch ms (with the µs sipp logs as a fraction), read as local time like sipp writes it. */
  atMs: number;
  /** "sent" by sipp or "received" by it. */
  direction: "sent" | "received";
  /** The request line or status line. */
  startLine: string;
  /** Header values by lower-case name (the first of each). */
  headers: Map<string, string>;
}

const LOG_ENTRY = /^-{20,} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})$/;

/**
 * Reads sipp's `-trace_msg` file: the time, direction, start line and
 * headers of each message (bodies are skipped: sipp logs them only up to a
 * zero octet).
 *
 * @param path the file (`SippResult.messagesFile`)
 * @returns the messages in the order sipp logged them
 */
export async function readSippMessages(path: string): Promise<SippLoggedMessage[]> {
  const lines = (await Deno.readTextFile(path)).split("\n");
  const out: SippLoggedMessage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = LOG_ENTRY.exec(lines[i]);
    if (!m) continue;
    const what = lines[i + 1] ?? "";
    const direction = / message sent /.test(what)
      ? "sent"
      : / message received /.test(what)
      ? "received"
      : undefined;
    if (direction === undefined) continue;
    const atMs = new Date(`${m[1]}T${m[2]}`).getTime() + Number(m[3]) / 1000;
    let j = i + 3;
    const startLine = (lines[j++] ?? "").replace(/\r$/, "");
    const headers = new Map<string, string>();
    for (; j < lines.length; j++) {
      const line = lines[j].replace(/\r$/, "");
      if (line === "") break;
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      if (colon > 0 && !headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
    out.push({ atMs, direction, startLine, headers });
    i = j;
  }
  return out;
}
