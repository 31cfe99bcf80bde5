/**
 * Kamailio 5.6 (Debian, with kamailio-websocket-modules) as the registrar and
 * authenticating proxy in front of `smsc gsmif`, for the e2e tests
 * gsmif_kamailio_test.ts and gsmif_jssip_test.ts. `startKamailio` fills in
 * tests/fixtures/kamailio/gsmif.cfg (ports, domain, the subscribers' MD5 HA1
 * values), runs `kamailio -DD -E` in the foreground on 127.0.0.1, waits until
 * its listeners accept connections, and stops it by its PID;
 * `withKamailioSite` runs core and gsmif behind it. Also here: a MESSAGE with
 * the 407 round a proxy asks for, for tests/support/sip_ue.ts, and `WsUe`, a
 * small SIP-over-WebSocket UE (RFC 7118) on the runtime's own WebSocket.
 *
 * @module
 */

import { digestResponse, ha1 } from "../../src/proto/sip_digest.ts";
import {
  getHeaderValue,
  parseDigestParamsOf,
  parseSipMessage,
  serializeSipMessage,
  type SipRequest,
  type SipResponse,
} from "./_sip_ue_deps.ts";
import { type Daemon, startDaemon } from "./daemon.ts";
import { freePort } from "./downlink_site.ts";
import type { SipUe } from "./sip_ue.ts";

const TEMPLATE = new URL("../fixtures/kamailio/gsmif.cfg", import.meta.url);
const MODULE_PATHS = [
  "/usr/lib/x86_64-linux-gnu/kamailio/modules/",
  "/usr/lib/aarch64-linux-gnu/kamailio/modules/",
];

/** A subscriber Kamailio authenticates. */
export interface KamailioUser {
  /** Digits without "+"; also the digest username. */
  number: string;
  password: string;
}

/** What the proxy is told. */
export interface KamailioOptions {
  /** gsmif's `listen_tcp` port, where subscribers' MESSAGEs go. */
  gsmifPort: number;
  users: KamailioUser[];
  /** The SIP domain and digest realm (gsmif's `domain`); default "smsc.local". */
  domain?: string;
  /** The trunk port gsmif's `outbound_proxy` names; default: a free one. */
  trunkPort?: number;
}

/** A running Kamailio. */
export interface Kamailio {
  /** Subscribers' SIP over TCP. */
  readonly tcpPort: number;
  /** Subscribers' SIP over WebSocket (ws://127.0.0.1:wsPort/, subprotocol "sip"). */
  readonly wsPort: number;
  /** gsmif's MESSAGEs to subscribers (its outbound proxy). */
  readonly trunkPort: number;
  /** Everything Kamailio logged so far. */
  output(): string;
  /** Resolves when Kamailio has logged a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, and wait until it has exited. */
  stop(): Promise<Deno.CommandStatus>;
}

/** The Kamailio module folder of this machine, or undefined when the modules are missing. */
export function kamailioModulePath(): string | undefined {
  return MODULE_PATHS.find((p) => {
    try {
      return Deno.statSync(`${p}websocket.so`).isFile;
    } catch {
      return false;
    }
  });
}

/**
 * The configuration text: the template with every `@NAME@` replaced.
 *
 * @throws when a placeholder is left over or a value is unsafe in the file
 */
export function kamailioConfig(
  template: string,
  values: {
    ueTcpPort: number;
    ueWsPort: number;
    trunkPort: number;
    gsmifPort: number;
    domain: string;
    modulePath: string;
    users: KamailioUser[];
  },
): string {
  const safe = /^[A-Za-z0-9.\-/_]+$/;
  for (const v of [values.domain, values.modulePath, ...values.users.map((u) => u.number)]) {
    if (!safe.test(v)) throw new Error(`Cannot write Kamailio config: unsafe value "${v}"`);
  }
  const passwords = values.users.map((u) =>
    `\t$sht(ha1=>${u.number}) = "${ha1("MD5", u.number, values.domain, u.password)}";`
  ).join("\n");
  const text = template
    .replaceAll("@UE_TCP_PORT@", String(values.ueTcpPort))
    .replaceAll("@UE_WS_PORT@", String(values.ueWsPort))
    .replaceAll("@TRUNK_PORT@", String(values.trunkPort))
    .replaceAll("@GSMIF_PORT@", String(values.gsmifPort))
    .replaceAll("@DOMAIN@", values.domain)
    .replaceAll("@MODULE_PATH@", values.modulePath)
    .replaceAll("@PASSWORDS@", passwords);
  const left = /@[A-Z_]+@/.exec(text);
  if (left) throw new Error(`Cannot write Kamailio config: placeholder ${left[0]} left`);
  return text;
}

async function waitListening(port: number, exited: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      if (exited() || Date.now() > deadline) throw new Error("Kamailio did not start listening");
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Writes the configuration into `dir`, checks it (`kamailio -c`), starts
 * Kamailio and waits until its three listeners accept connections.
 *
 * @throws when Kamailio or its modules are missing, the config is refused,
 *   or it does not start within 10 s (its output is in the message)
 */
export async function startKamailio(dir: string, options: KamailioOptions): Promise<Kamailio> {
  const modulePath = kamailioModulePath();
  if (modulePath === undefined) {
    throw new Error("Kamailio with its WebSocket modules is not installed (scripts/test_deps.sh)");
  }
  const ports = {
    ueTcpPort: freePort(),
    ueWsPort: freePort(),
    trunkPort: options.trunkPort ?? freePort(),
  };
  const cfg = `${dir}/kamailio.cfg`;
  await Deno.writeTextFile(
    cfg,
    kamailioConfig(await Deno.readTextFile(TEMPLATE), {
      ...ports,
      gsmifPort: options.gsmifPort,
      domain: options.domain ?? "smsc.local",
      modulePath,
      users: options.users,
    }),
  );
  const check = await new Deno.Command("kamailio", { args: ["-c", "-f", cfg], stderr: "piped" })
    .output();
  if (!check.success) {
    throw new Error(`Kamailio refused its config:\n${new TextDecoder().decode(check.stderr)}`);
  }
  await Deno.mkdir(`${dir}/kamailio-run`, { recursive: true });
  const child = new Deno.Command("kamailio", {
    args: ["-DD", "-E", "-f", cfg, "-Y", `${dir}/kamailio-run`, "-m", "32", "-M", "8"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  let done = false;
  const exited = child.status.then(async (s) => {
    done = true;
    await pumps;
    return s;
  });
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    return await exited;
  };
  try {
    for (const p of Object.values(ports)) await waitListening(p, () => done, 10_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}:\n${text}`);
  }
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(text)) {
      if (done || Date.now() > deadline) throw new Error(`Kamailio logged no ${pattern}:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    tcpPort: ports.ueTcpPort,
    wsPort: ports.ueWsPort,
    trunkPort: ports.trunkPort,
    output: () => text,
    waitFor,
    stop,
  };
}

/** core, gsmif behind Kamailio, and Kamailio, running. */
export interface KamailioSite {
  dir: string;
  kamailio: Kamailio;
  gsmif: Daemon;
  /** Kamailio's WebSocket listener for subscribers. */
  wsUrl: string;
}

/**
 * Runs `fn` with real `smsc core` and `smsc gsmif` on a fresh state folder
 * and Kamailio in front of gsmif (gsmif: `listen_tcp`, `outbound_proxy` =
 * Kamailio's trunk listener, `allow_unauthenticated = true`, a 1 s MT retry),
 * then stops them all (Kamailio and gsmif must exit 0); prints their output
 * when anything fails.
 */
export async function withKamailioSite<T>(
  users: KamailioUser[],
  fn: (site: KamailioSite) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-kamailio-" });
  const gsmifPort = freePort();
  const trunkPort = freePort();
  const daemons: Daemon[] = [];
  let kamailio: Kamailio | undefined;
  let ok = false;
  try {
    await Deno.writeTextFile(
      `${dir}/config.toml`,
      `[gsmif]\nlisten_tcp = "127.0.0.1:${gsmifPort}"\n` +
        `outbound_proxy = "127.0.0.1:${trunkPort}"\nallow_unauthenticated = true\n` +
        `mt_retry_delays = "1s"\nrp_ack_timeout_ms = 3000\ntransaction_timeout_ms = 5000\n` +
        `[core]\nretry_delays = "1s"\n`,
    );
    const env = { SMSC_CONFIG: "config.toml" };
    daemons.push(await startDaemon(["core"], { cwd: dir, env, ready: / core ready / }));
    const gsmif = await startDaemon(["gsmif"], { cwd: dir, env, ready: / gsmif registered/ });
    daemons.push(gsmif);
    kamailio = await startKamailio(dir, { gsmifPort, trunkPort, users });
    const wsUrl = `ws://127.0.0.1:${kamailio.wsPort}/`;
    const result = await fn({ dir, kamailio, gsmif, wsUrl });
    // Both stop cleanly on SIGTERM.
    const kamailioExit = (await kamailio.stop()).code;
    if (kamailioExit !== 0) throw new Error(`kamailio exited with ${kamailioExit}`);
    const gsmifExit = (await gsmif.stop()).code;
    if (gsmifExit !== 0) throw new Error(`smsc gsmif exited with ${gsmifExit}`);
    ok = true;
    return result;
  } finally {
    const kamailioStatus = await kamailio?.stop();
    for (const d of daemons.reverse()) await d.stop();
    if (!ok) {
      // deno-lint-ignore no-console
      console.error(`--- kamailio (exit ${kamailioStatus?.code}) ---\n${kamailio?.output()}`);
      // deno-lint-ignore no-console
      for (const d of daemons) console.error(`--- daemon ---\n${d.output()}`);
    }
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Sends a MESSAGE with an RP body from a TCP UE through the proxy,
 * answering the proxy's 407 challenge once (RFC 3261 §22.3, MD5, qop=auth).
 *
 * @returns the final response to the authorized request (or the first one
 *   when it was not a 407)
 */
export async function proxyMessage(
  ue: SipUe,
  password: string,
  rp: Uint8Array,
): Promise<SipResponse> {
  const uri = `sip:smsc@${ue.domain}`;
  const type: [string, string] = ["Content-Type", "application/vnd.3gpp.sms"];
  const first = await ue.request("MESSAGE", uri, [type], rp);
  if (first.status !== 407) return first;
  const auth = digestAuthorization(first, "Proxy-Authenticate", {
    username: ue.number,
    password,
    method: "MESSAGE",
    uri,
  });
  return await ue.request("MESSAGE", uri, [type, ["Proxy-Authorization", auth]], rp);
}

/**
 * The Authorization (or Proxy-Authorization) value answering the MD5
 * challenge in `challenge`'s `header` (WWW-Authenticate or
 * Proxy-Authenticate), qop=auth, RFC 2617 §3.2.2.
 */
export function digestAuthorization(
  challenge: SipResponse,
  header: "WWW-Authenticate" | "Proxy-Authenticate",
  c: { username: string; password: string; method: string; uri: string },
): string {
  const values = challenge.headers.filter((h) => h.name.toLowerCase() === header.toLowerCase())
    .map((h) => h.value);
  const value = values.find((v) => !/algorithm="?SHA-256/i.test(v));
  if (value === undefined) throw new Error(`no MD5 challenge in ${challenge.status}`);
  const p = parseDigestParamsOf(value);
  const realm = p.get("realm")!;
  const nonce = p.get("nonce")!;
  const response = digestResponse({
    algorithm: "MD5",
    ha1: ha1("MD5", c.username, realm, c.password),
    nonce,
    nc: "00000001",
    cnonce: "5eed",
    method: c.method,
    uri: c.uri,
  });
  return `Digest username="${c.username}", realm="${realm}", nonce="${nonce}", ` +
    `uri="${c.uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, ` +
    `cnonce="5eed"`;
}

/**
 * A SIP UE over WebSocket (RFC 7118, subprotocol "sip") on the runtime's own
 * WebSocket, as a browser has it. Every request and response it sends is
 * one binary frame (bodies are binary RP messages). It records the frame
 * type of every request it receives, registers and sends MESSAGEs with one
 * digest round (401 or 407), and answers 200 to every request it gets.
 */
export class WsUe {
  readonly #ws: WebSocket;
  readonly #host: string;
  readonly #responses = new Map<string, (r: SipResponse) => void>();
  #waiters: { pred: (r: SipRequest) => boolean; resolve: (r: SipRequest) => void }[] = [];
  #seq = 1;
  /** Every request received, in order. */
  readonly requests: SipRequest[] = [];
  /** The WebSocket frame type each of `requests` came in. */
  readonly requestFrames: ("text" | "binary")[] = [];

  private constructor(ws: WebSocket, readonly number: string, readonly domain: string) {
    this.#ws = ws;
    this.#host = `ue${number.slice(-4)}${Math.floor(Math.random() * 1e6)}.invalid`;
    ws.onmessage = (e) => this.#receive(e.data);
  }

  /** Opens ws://…/ with subprotocol "sip"; rejects when the server does not agree on it. */
  static connect(url: string, number: string, domain = "smsc.local"): Promise<WsUe> {
    const ws = new WebSocket(url, "sip");
    ws.binaryType = "arraybuffer";
    return new Promise((resolve, reject) => {
      ws.onopen = () => {
        if (ws.protocol !== "sip") return reject(new Error(`subprotocol "${ws.protocol}"`));
        resolve(new WsUe(ws, number, domain));
      };
      ws.onerror = () => reject(new Error(`cannot open ${url}`));
    });
  }

  #receive(data: ArrayBuffer | string): void {
    const binary = typeof data !== "string";
    const bytes = binary ? new Uint8Array(data) : new TextEncoder().encode(data);
    if (bytes.every((b) => b === 13 || b === 10)) return; // keep-alive
    const m = parseSipMessage(bytes);
    if (m.kind === "response") {
      const branch = /branch=([^;,\s]+)/.exec(getHeaderValue(m, "Via") ?? "")?.[1] ?? "";
      if (m.status >= 200) this.#responses.get(branch)?.(m);
      return;
    }
    this.requests.push(m);
    this.requestFrames.push(binary ? "binary" : "text");
    const keep = ["via", "from", "to", "call-id", "cseq"];
    const headers = m.headers.filter((h) => keep.includes(h.name.toLowerCase()))
      .map((h) => ({
        name: h.name,
        value: h.name.toLowerCase() === "to" && !/;tag=/.test(h.value)
          ? `${h.value};tag=ws`
          : h.value,
      }));
    headers.push({ name: "Content-Length", value: "0" });
    this.#send({
      kind: "response",
      version: "SIP/2.0",
      status: 200,
      reason: "OK",
      headers,
      body: new Uint8Array(),
    });
    for (const w of this.#waiters.splice(0)) {
      if (w.pred(m)) w.resolve(m);
      else this.#waiters.push(w);
    }
  }

  #send(m: SipRequest | SipResponse): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(serializeSipMessage(m));
  }

  /** Sends a request and resolves with its final response. */
  request(
    method: string,
    uri: string,
    extra: [string, string][],
    body: Uint8Array = new Uint8Array(),
  ): Promise<SipResponse> {
    const seq = this.#seq++;
    const branch = `z9hG4bKws${this.number.slice(-4)}x${seq}`;
    const aor = `sip:+${this.number}@${this.domain}`;
    const headers = [
      ["Via", `SIP/2.0/WS ${this.#host};branch=${branch};rport`],
      ["Max-Forwards", "70"],
      ["From", `<${aor}>;tag=ws${this.number.slice(-4)}`],
      ["To", method === "REGISTER" ? `<${aor}>` : `<${uri}>`],
      ["Call-ID", `ws-${this.#host}-${seq}`],
      ["CSeq", `${seq} ${method}`],
      ...extra,
      ["Content-Length", String(body.length)],
    ].map(([name, value]) => ({ name, value }));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${method}: no final response`)), 10_000);
      this.#responses.set(branch, (r) => {
        clearTimeout(t);
        this.#responses.delete(branch);
        resolve(r);
      });
      this.#send({ kind: "request", method, uri, version: "SIP/2.0", headers, body });
    });
  }

  // Sends, and once more with credentials when challenged (401 or 407).
  async #authorized(
    method: string,
    uri: string,
    password: string,
    extra: [string, string][],
    body?: Uint8Array,
  ): Promise<SipResponse> {
    const first = await this.request(method, uri, extra, body);
    if (first.status !== 401 && first.status !== 407) return first;
    const [challenge, answer] = first.status === 401
      ? ["WWW-Authenticate", "Authorization"] as const
      : ["Proxy-Authenticate", "Proxy-Authorization"] as const;
    const auth = digestAuthorization(first, challenge, {
      username: this.number,
      password,
      method,
      uri,
    });
    return await this.request(method, uri, [...extra, [answer, auth]], body);
  }

  /** REGISTER with digest authentication; its Contact is the .invalid host of RFC 7118 §5. */
  register(password: string, expires = 600): Promise<SipResponse> {
    const contact = `<sip:+${this.number}@${this.#host};transport=ws>;+g.3gpp.smsip`;
    return this.#authorized("REGISTER", `sip:${this.domain}`, password, [
      ["Contact", contact],
      ["Expires", String(expires)],
    ]);
  }

  /** A MESSAGE with an RP body to sip:smsc@domain, with credentials when challenged. */
  message(password: string, rp: Uint8Array): Promise<SipResponse> {
    const type: [string, string] = ["Content-Type", "application/vnd.3gpp.sms"];
    return this.#authorized("MESSAGE", `sip:smsc@${this.domain}`, password, [type], rp);
  }

  /** Waits for a request matching `pred` (one already received counts). */
  waitRequest(
    pred: (r: SipRequest) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<SipRequest> {
    const seen = this.requests.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no matching request in time")), timeoutMs);
      this.#waiters.push({ pred, resolve: (r) => (clearTimeout(t), resolve(r)) });
    });
  }

  /** Closes the WebSocket and waits until it is closed. */
  async close(): Promise<void> {
    if (this.#ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((r) => this.#ws.addEventListener("close", r, { once: true }));
    this.#ws.close();
    await closed;
  }
}
