/**
 * Kannel 1.4.5 (Debian `kannel`: /usr/sbin/bearerbox and /usr/sbin/smsbox) as
 * a real ESME for process tests: bearerbox binds to the SMSC under test as an
 * SMPP 3.4 client, smsbox takes submissions on its HTTP `/cgi-bin/sendsms`, and
 * a small HTTP server run by this harness on 127.0.0.1 records the mobile
 * originated messages (the `sms-service` get-url) and the delivery reports
 * (the `dlr-url` of each sendsms).
 *
 * Lifecycle: `Kannel.start` owns a fresh temporary folder (kannel.conf, the
 * store file, each box's log file and its captured stdout/stderr), the two
 * child processes and the HTTP server. It resolves once the SMPP link is bound
 * (every `smsc` line of the admin status page says "online") and smsbox is
 * connected to bearerbox; if a box dies or the link does not come up in time,
 * it cleans everything up and throws with the status page and the tails of the
 * logs. `stop()` stops smsbox, then bearerbox (SIGTERM, SIGKILL after a
 * bound), closes the HTTP server and removes the folder unless KANNEL_KEEP is
 * set in the environment. The system's own Kannel service and /etc/kannel are
 * never touched; every listener gets a free loopback port.
 *
 * Facts used, all of Kannel 1.4.5 as packaged by Debian, checked against the
 * binaries: an SMPP group needs `system-type` and may not have both `port` and
 * `receive-port`, so the split bind mode is two groups with one smsc-id (a
 * transmitter on `port`, a receiver on `receive-port`); `msg-id-type = 0`
 * makes Kannel read the ids of submit_sm_resp and of receipts as decimal
 * numbers, so that "00042" and "42" match; bearerbox refuses an `smsbox-port`
 * without an `smsbox` group; smsbox exits if bearerbox is not listening yet.
 *
 * @module
 */

/** Options of `Kannel.start`. */
export interface KannelOptions {
  /** The SMSC under test (loopback only). */
  smscHost: string;
  smscPort: number;
  /** SMPP system_id and password Kannel binds with. */
  systemId: string;
  password: string;
  /** One bind_transceiver (default), or a bind_transmitter and a bind_receiver. */
  bindMode?: "transceiver" | "split";
  /** Kannel's `throughput` of the smsc group: submit_sm per second at most. */
  throughput?: number;
  /** Where to create the temporary folder (default: the system's). */
  tmpDir?: string;
  /** SMPP system_type (default "VMA"; Kannel insists on one). */
  systemType?: string;
  /** More or overriding keys of the `smsc` group(s), e.g. `{ "interface-version": 33 }`. */
  smscExtra?: Record<string, string | number | boolean>;
  /** Kannel log-level of the log files, 0 (debug, with PDU dumps) to 4 (default 0). */
  logLevel?: number;
  /** How long to wait for the bound link (default 15000). */
  startTimeoutMs?: number;
}

/** A mobile originated message as smsbox handed it to the get-url. */
export interface KannelMo {
  /** Kannel's %p, the sender (source_addr). */
  from: string;
  /** Kannel's %P, the receiver (destination_addr). */
  to: string;
  /** The message text: `data` decoded by `charset`; "" for 8-bit data (coding 1). */
  text: string;
  /** Kannel's %c: 0 7-bit, 1 8-bit, 2 UCS-2. */
  coding: number;
  /** Kannel's %C, the charset of `data` ("UTF-8", "UTF-16BE", …). */
  charset: string;
  /** Kannel's %u, the user data header as hex ("" without one). */
  udhHex: string;
  /**
   * Kannel's %b as hex, without the UDH: for coding 0 the text in `charset`
   * (Kannel has converted it from the GSM alphabet), for coding 2 UTF-16BE,
   * for coding 1 the octets as received.
   */
  dataHex: string;
  /** Kannel's %m, the message class ("" when unset). */
  mclass: string;
  /** Kannel's %i, the smsc-id the message came in on. */
  smscId: string;
}

/** A delivery report as smsbox fetched the dlr-url. */
export interface KannelDlr {
  /** The tag `sendSms` returned, which names the submission. */
  tag: string;
  /** Kannel's %d: 1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected. */
  type: number;
  /** Kannel's %A, the SMSC's answer: "ACK/" or the receipt text. */
  reply: string;
  /** Kannel's %F, the SMSC's message id (from submit_sm_resp). */
  foreignId: string;
  /** Kannel's %I, Kannel's own message id. */
  kannelId: string;
  /** Kannel's %i, the smsc-id. */
  smscId: string;
  /** Kannel's %p of the report: the receiver of the original message. */
  from: string;
  /** Kannel's %P of the report: the sender of the original message. */
  to: string;
}

/** What `sendSms` submits through smsbox. */
export interface KannelSendSms {
  from: string;
  to: string;
  /** Text, sent as UTF-8 (Kannel converts it for the coding). */
  text?: string;
  /** Raw message octets as hex instead of `text` (UTF-16BE for coding 2). */
  hex?: string;
  /** 0 7-bit (default), 1 8-bit, 2 UCS-2. */
  coding?: 0 | 1 | 2;
  /** A user data header as hex. */
  udhHex?: string;
  /** Kannel's dlr-mask; a dlr-url back to the harness is added when set. */
  dlrMask?: number;
  /** Message class 0-3. */
  mclass?: number;
  /** More sendsms parameters, e.g. `{ validity: "10" }`. */
  extra?: Record<string, string>;
}

/** smsbox's answer to a sendsms. */
export interface KannelSendSmsResult {
  status: number;
  body: string;
  /** The tag of this submission in `KannelDlr.tag`. */
  tag: string;
}

const BEARERBOX = "/usr/sbin/bearerbox";
const SMSBOX = "/usr/sbin/smsbox";
const SMSC_ID = "smsc";
const STOP_BOUND_MS = 5_000;
const POLL_MS = 50;

interface Waiter<T> {
  pred: (v: T) => boolean;
  resolve: (v: T) => void;
}

/** A running bearerbox + smsbox pair; see the module notes. */
export class Kannel {
  /** Every MO message received so far, oldest first. */
  readonly mo: KannelMo[] = [];
  /** Every delivery report received so far, oldest first. */
  readonly dlrs: KannelDlr[] = [];
  readonly #moWaiters: Waiter<KannelMo>[] = [];
  readonly #dlrWaiters: Waiter<KannelDlr>[] = [];
  readonly #boxes: Box[] = [];
  #http?: Deno.HttpServer<Deno.NetAddr>;
  #nextTag = 1;
  #stopped = false;

  private constructor(
    /** The temporary folder with kannel.conf and the logs. */
    readonly dir: string,
    /** Free loopback ports: admin, bearerbox's smsbox port, sendsms, and our HTTP server. */
    readonly ports: { admin: number; smsbox: number; sendsms: number; http: number },
    readonly adminPassword: string,
  ) {}

  /**
   * Writes kannel.conf, starts bearerbox and smsbox, and waits until the SMPP
   * link is bound and smsbox is connected.
   *
   * @param options the SMSC to bind to and the knobs
   * @returns the running Kannel
   * @throws {Error} when a box exits or the link is not bound in time, with the logs' tails
   */
  static async start(options: KannelOptions): Promise<Kannel> {
    const dir = await Deno.makeTempDir({ dir: options.tmpDir, prefix: "kannel-" });
    const ports = { admin: freePort(), smsbox: freePort(), sendsms: freePort(), http: 0 };
    const k = new Kannel(dir, ports, `adm${crypto.randomUUID().slice(0, 8)}`);
    try {
      k.#http = k.#serve();
      ports.http = k.#http.addr.port;
      const conf = kannelConf(options, dir, ports, k.adminPassword);
      await Deno.writeTextFile(`${dir}/kannel.conf`, conf);
      const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
      k.#boxes.push(await Box.spawn(BEARERBOX, dir, "bearerbox"));
      await k.#until(deadline, "bearerbox listening for smsbox", () => canConnect(ports.smsbox));
      k.#boxes.push(await Box.spawn(SMSBOX, dir, "smsbox"));
      const links = options.bindMode === "split" ? 2 : 1;
      await k.#until(deadline, "SMPP link bound and smsbox connected", async () => {
        return isBound(await k.status(), links) && await smsboxConnected(dir) &&
          await canConnect(ports.sendsms);
      });
    } catch (e) {
      const logs = await k.logTail().catch(() => "");
      await k.stop();
      throw new Error(`Cannot start Kannel: ${(e as Error).message}\n${logs}`, { cause: e });
    }
    return k;
  }

  /**
   * Submits one message through smsbox's /cgi-bin/sendsms (concatenated by
   * Kannel when it is long).
   *
   * @param sms the message
   * @returns the HTTP status and body (202 "0: Accepted for delivery") and the tag of its DLRs
   */
  async sendSms(sms: KannelSendSms): Promise<KannelSendSmsResult> {
    const tag = String(this.#nextTag++);
    const q: string[] = [
      `username=${SENDSMS_USER}`,
      `password=${SENDSMS_PASSWORD}`,
      `from=${encodeURIComponent(sms.from)}`,
      `to=${encodeURIComponent(sms.to)}`,
    ];
    if (sms.hex !== undefined) {
      q.push(`text=${percentBytes(sms.hex)}`);
      if (sms.coding === 2) q.push("charset=UTF-16BE");
    } else {
      q.push(`text=${encodeURIComponent(sms.text ?? "")}`, "charset=UTF-8");
    }
    if (sms.coding !== undefined) q.push(`coding=${sms.coding}`);
    if (sms.udhHex) q.push(`udh=${percentBytes(sms.udhHex)}`);
    if (sms.mclass !== undefined) q.push(`mclass=${sms.mclass}`);
    if (sms.dlrMask !== undefined) {
      q.push(`dlr-mask=${sms.dlrMask}`, `dlr-url=${encodeURIComponent(this.#dlrUrl(tag))}`);
    }
    for (const [key, value] of Object.entries(sms.extra ?? {})) {
      q.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    }
    const url = `http://127.0.0.1:${this.ports.sendsms}/cgi-bin/sendsms?${q.join("&")}`;
    const res = await fetch(url);
    return { status: res.status, body: await res.text(), tag };
  }

  /**
   * Resolves with the first MO message, old or new, that matches `pred`.
   *
   * @throws {Error} after `timeoutMs`, listing what did arrive
   */
  waitMo(pred: (mo: KannelMo) => boolean, timeoutMs = 10_000): Promise<KannelMo> {
    return this.#wait("MO message", this.mo, this.#moWaiters, pred, timeoutMs);
  }

  /**
   * Resolves with the first delivery report, old or new, that matches `pred`.
   *
   * @throws {Error} after `timeoutMs`, listing what did arrive
   */
  waitDlr(pred: (dlr: KannelDlr) => boolean, timeoutMs = 10_000): Promise<KannelDlr> {
    return this.#wait("DLR", this.dlrs, this.#dlrWaiters, pred, timeoutMs);
  }

  /** bearerbox's admin status page as text. */
  async status(): Promise<string> {
    const url = `http://127.0.0.1:${this.ports.admin}/status.txt?password=${this.adminPassword}`;
    const res = await fetch(url);
    return await res.text();
  }

  /** The last `lines` lines of each log and captured output in the folder. */
  async logTail(lines = 40): Promise<string> {
    const parts: string[] = [];
    for (const name of ["bearerbox.log", "bearerbox.out", "smsbox.log", "smsbox.out"]) {
      let text: string;
      try {
        text = await Deno.readTextFile(`${this.dir}/${name}`);
      } catch {
        continue;
      }
      // Each poll of the status page logs a line of HTTP client plumbing; leave them out.
      const tail = text.trimEnd().split("\n").filter((l) => !l.includes("HTTPClient"))
        .slice(-lines).join("\n");
      parts.push(`--- ${this.dir}/${name} (last ${lines} lines) ---\n${tail}`);
    }
    return parts.join("\n");
  }

  /** Stops smsbox, then bearerbox, then the HTTP server; removes the folder unless KANNEL_KEEP. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const box of [...this.#boxes].reverse()) await box.stop(STOP_BOUND_MS);
    await this.#http?.shutdown();
    if (!Deno.env.get("KANNEL_KEEP")) await Deno.remove(this.dir, { recursive: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #dlrUrl(tag: string): string {
    const fields = "type=%d&reply=%A&fid=%F&kid=%I&smsc=%i&from=%p&to=%P";
    return `http://127.0.0.1:${this.ports.http}/dlr?tag=${tag}&${fields}`;
  }

  #serve(): Deno.HttpServer<Deno.NetAddr> {
    return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
      const url = new URL(req.url);
      const q = parseRawQuery(url.search.slice(1));
      if (url.pathname === "/mo") deliver(this.mo, this.#moWaiters, moFromQuery(q));
      else if (url.pathname === "/dlr") deliver(this.dlrs, this.#dlrWaiters, dlrFromQuery(q));
      else return new Response("", { status: 404 });
      return new Response("", { status: 200 });
    });
  }

  async #until(deadline: number, what: string, ready: () => Promise<boolean>): Promise<void> {
    while (true) {
      for (const box of this.#boxes) {
        if (box.exitCode !== undefined) {
          throw new Error(`${box.name} exited with ${box.exitCode} while waiting for ${what}`);
        }
      }
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        const status = await this.status().catch((e) => `(no status page: ${e})`);
        const links = status.slice(Math.max(0, status.search(/Box connections:|No boxes/)));
        throw new Error(`no ${what} in time; status page:\n${links.trim()}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  #wait<T>(
    what: string,
    seen: T[],
    waiters: Waiter<T>[],
    pred: (v: T) => boolean,
    timeoutMs: number,
  ): Promise<T> {
    const hit = seen.find(pred);
    if (hit !== undefined) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        pred,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
      };
      const timer = setTimeout(async () => {
        waiters.splice(waiters.indexOf(waiter), 1);
        const got = JSON.stringify(seen, null, 1);
        const logs = await this.logTail(20).catch(() => "");
        reject(new Error(`No matching ${what} within ${timeoutMs} ms; received: ${got}\n${logs}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  }
}

const SENDSMS_USER = "harness";
const SENDSMS_PASSWORD = "harness";

/** One child process whose stdout and stderr go to `<name>.out` in the folder. */
class Box {
  exitCode?: number;
  private constructor(
    readonly name: string,
    readonly child: Deno.ChildProcess,
    readonly done: Promise<unknown>,
  ) {}

  static async spawn(path: string, dir: string, name: string): Promise<Box> {
    const out = await Deno.open(`${dir}/${name}.out`, { write: true, create: true, append: true });
    const child = new Deno.Command(path, {
      args: ["-v", "1", `${dir}/kannel.conf`],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // One sink per stream (a WritableStream takes one pipe at a time), one file for both.
    const sink = () => new WritableStream<Uint8Array>({ write: (c) => writeAll(out, c) });
    const pumps = Promise.allSettled([child.stdout.pipeTo(sink()), child.stderr.pipeTo(sink())])
      .finally(() => out.close());
    const box = new Box(name, child, pumps);
    child.status.then((s) => box.exitCode = s.code);
    return box;
  }

  /** SIGTERM, then SIGKILL when it has not ended within `boundMs`. */
  async stop(boundMs: number): Promise<void> {
    if (this.exitCode === undefined) {
      signal(this.child, "SIGTERM");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((r) => timer = setTimeout(() => r("late"), boundMs));
      if (await Promise.race([this.child.status, late]) === "late") signal(this.child, "SIGKILL");
      clearTimeout(timer);
    }
    await this.child.status;
    await this.done;
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
}

function signal(child: Deno.ChildProcess, sig: Deno.Signal): void {
  try {
    child.kill(sig);
  } catch {
    // It has already ended.
  }
}

/** kannel.conf for the options; exported for the self-test. */
export function kannelConf(
  o: KannelOptions,
  dir: string,
  ports: { admin: number; smsbox: number; sendsms: number; http: number },
  adminPassword: string,
): string {
  const level = o.logLevel ?? 0;
  const core = {
    "admin-port": ports.admin,
    "admin-interface": "127.0.0.1",
    "admin-password": adminPassword,
    "status-password": adminPassword,
    "smsbox-port": ports.smsbox,
    "box-allow-ip": "127.0.0.1",
    "log-file": `${dir}/bearerbox.log`,
    "log-level": level,
    "access-log": `${dir}/bearerbox-access.log`,
    "dlr-storage": "internal",
    "store-type": "file",
    "store-location": `${dir}/kannel.store`,
  };
  const smsc = {
    smsc: "smpp",
    "smsc-id": SMSC_ID,
    host: o.smscHost,
    "smsc-username": o.systemId,
    "smsc-password": o.password,
    "system-type": o.systemType ?? "VMA",
    "interface-version": 34,
    "enquire-link-interval": 30,
    // Kannel waits this long before it binds again after a failed connect or bind.
    "reconnect-delay": 1,
    "msg-id-type": 0,
    ...(o.throughput !== undefined ? { throughput: o.throughput } : {}),
  };
  const links = o.bindMode === "split"
    ? [
      { ...smsc, port: o.smscPort, "transceiver-mode": false, ...o.smscExtra },
      { ...smsc, "receive-port": o.smscPort, "transceiver-mode": false, ...o.smscExtra },
    ]
    : [{ ...smsc, port: o.smscPort, "transceiver-mode": true, ...o.smscExtra }];
  const smsbox = {
    "bearerbox-host": "127.0.0.1",
    "bearerbox-port": ports.smsbox,
    "sendsms-port": ports.sendsms,
    "sendsms-interface": "127.0.0.1",
    "log-file": `${dir}/smsbox.log`,
    "log-level": level,
    "access-log": `${dir}/smsbox-access.log`,
  };
  const user = {
    username: SENDSMS_USER,
    password: SENDSMS_PASSWORD,
    concatenation: true,
    "max-messages": 10,
  };
  const mo = "from=%p&to=%P&coding=%c&charset=%C&udh=%u&data=%b&mclass=%m&smsc=%i";
  const service = {
    keyword: "default",
    "get-url": `http://127.0.0.1:${ports.http}/mo?${mo}`,
    // No reply SMS: the get-url answers an empty body and nothing goes back.
    "max-messages": 0,
  };
  return [
    group("core", core),
    ...links.map((l) => group("smsc", l)),
    group("smsbox", smsbox),
    group("sendsms-user", user),
    group("sms-service", service),
  ].join("\n");
}

function group(name: string, keys: Record<string, string | number | boolean>): string {
  const lines = [`group = ${name}`];
  for (const [k, v] of Object.entries(keys)) {
    lines.push(`${k} = ${typeof v === "string" ? JSON.stringify(v) : v}`);
  }
  return lines.join("\n") + "\n";
}

/** True when the status page lists `links` smsc connections, all online (bound). */
function isBound(status: string, links: number): boolean {
  const smscPart = status.split("SMSC connections:")[1] ?? "";
  const smscLines = smscPart.split("\n").filter((l) => l.includes(`[${SMSC_ID}]`));
  return smscLines.length === links && smscLines.every((l) => l.includes("(online"));
}

/**
 * True once smsbox has said on its console that it is connected to bearerbox.
 * bearerbox's status page lists the box only about a second after that, but
 * it already takes the box's messages (checked with sendsms, DLRs and MO);
 * waiting for the listing would make every start a second slower.
 */
async function smsboxConnected(dir: string): Promise<boolean> {
  const out = await Deno.readTextFile(`${dir}/smsbox.out`).catch(() => "");
  return out.includes("Connected to bearerbox");
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function canConnect(port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    c.close();
    return true;
  } catch {
    return false;
  }
}

function deliver<T>(seen: T[], waiters: Waiter<T>[], value: T): void {
  seen.push(value);
  for (const w of [...waiters]) {
    if (w.pred(value)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(value);
    }
  }
}

/** Percent-encodes every octet of a hex string, for binary sendsms parameters. */
function percentBytes(hex: string): string {
  const clean = hex.replace(/\s+/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`Cannot send hex: "${hex}" is not hex`);
  return clean.replace(/../g, (b) => `%${b.toUpperCase()}`);
}

/** A query string as raw octets per key: Kannel's %b and %u carry binary data. */
export function parseRawQuery(search: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const pair of search.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    out.set(decodeURIComponent(key), percentDecode(eq < 0 ? "" : pair.slice(eq + 1)));
  }
  return out;
}

function percentDecode(s: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === "+") {
      bytes.push(0x20);
    } else {
      bytes.push(...new TextEncoder().encode(c));
    }
  }
  return new Uint8Array(bytes);
}

function hexOf(b: Uint8Array | undefined): string {
  return Array.from(b ?? [], (x) => x.toString(16).padStart(2, "0")).join("");
}

function str(q: Map<string, Uint8Array>, key: string): string {
  return new TextDecoder().decode(q.get(key) ?? new Uint8Array());
}

function moFromQuery(q: Map<string, Uint8Array>): KannelMo {
  const coding = Number(str(q, "coding") || "0");
  const charset = str(q, "charset");
  const data = q.get("data") ?? new Uint8Array();
  return {
    from: str(q, "from"),
    to: str(q, "to"),
    text: decodeText(data, coding, charset),
    coding,
    charset,
    udhHex: hexOf(q.get("udh")),
    dataHex: hexOf(data),
    // Kannel writes -1 (MC_UNDEF) when the data_coding carries no class.
    mclass: str(q, "mclass") === "-1" ? "" : str(q, "mclass"),
    smscId: str(q, "smsc"),
  };
}

function decodeText(data: Uint8Array, coding: number, charset: string): string {
  if (coding === 1) return "";
  const label = charset.toUpperCase();
  if (label === "UTF-16BE" || label === "UCS-2" || coding === 2) {
    return new TextDecoder("utf-16be").decode(data);
  }
  if (label === "ISO-8859-1" || label === "WINDOWS-1252") {
    return new TextDecoder(label).decode(data);
  }
  return new TextDecoder().decode(data);
}

function dlrFromQuery(q: Map<string, Uint8Array>): KannelDlr {
  return {
    tag: str(q, "tag"),
    type: Number(str(q, "type")),
    reply: str(q, "reply"),
    foreignId: str(q, "fid"),
    kannelId: str(q, "kid"),
    smscId: str(q, "smsc"),
    from: str(q, "from"),
    to: str(q, "to"),
  };
}
