/**
 * A real ESME for tests: Perl's Net::SMPP (Debian libnet-smpp-perl 1.19),
 * driven through tests/support/netsmpp_esme.pl, one JSON line per command.
 *
 * Net::SMPP encodes and decodes every PDU; the Perl program only frames the
 * stream with deadlines and queues PDUs that arrive while it waits for
 * something else (a deliver_sm during a submit_sm, say). enquire_link from the
 * SMSC is answered at once, as Net::SMPP's default handler does.
 *
 * SMPP parameters keep their SMPP 3.4 names (`source_addr_ton`), as in
 * src/codec/smpp, because they go to Net::SMPP under those names. Octets are
 * Uint8Array here and hex on the JSON line.
 *
 * A method resolves with the response PDU whatever its command_status (that is
 * a protocol outcome to assert on) and rejects with `NetSmppError` when no
 * response came: timeout, closed connection, bad usage or a dead Perl process.
 * Calls run one at a time in the order made. A call that outlives its own
 * timeout plus two seconds kills the Perl process, since its stream can no
 * longer be trusted.
 *
 * @module
 */

const SCRIPT = decodeURIComponent(new URL("./netsmpp_esme.pl", import.meta.url).pathname);
const DEFAULT_TIMEOUT_MS = 5000;
const MARGIN_MS = 2000;
const STDERR_KEEP_CHARS = 4000;
const STARTUP_TIMEOUT_MS = 10_000;
const EXIT_GRACE_MS = 100;

/** Why a call produced no PDU. */
export type NetSmppErrorKind = "timeout" | "closed" | "usage" | "failed" | "exited";

/** A call that produced no PDU. */
export class NetSmppError extends Error {
  override name = "NetSmppError";
  /**
   * @param message what went wrong
   * @param kind the class of failure
   * @param command the driver command that failed
   */
  constructor(message: string, readonly kind: NetSmppErrorKind, readonly command: string) {
    super(message);
  }
}

/** Options every request takes. */
export interface NetSmppCallOptions {
  /** How long Net::SMPP's side waits for the answer; 5000 ms unless given. */
  timeoutMs?: number;
  /** Sequence number to send instead of Net::SMPP's counter. */
  sequence_number?: number;
}

/**
 * Optional parameters to send. Uint8Array values go as they are, numbers are
 * packed at the size SMPP 3.4 §5.3.2 gives the TLV, strings go as octets
 * (one char per octet, no NUL added). `raw` adds tags Net::SMPP has no name for.
 */
export interface NetSmppTlvs {
  message_payload?: Uint8Array;
  sar_msg_ref_num?: number;
  sar_total_segments?: number;
  sar_segment_seqnum?: number;
  user_message_reference?: number;
  raw?: { tag: number; value: Uint8Array }[];
  [name: string]: Uint8Array | number | string | { tag: number; value: Uint8Array }[] | undefined;
}

/** Source address fields (SMPP 3.4 §5.2.5-5.2.8). */
export interface NetSmppSource {
  source_addr_ton?: number;
  source_addr_npi?: number;
  source_addr?: string;
}

/** bind_transceiver, bind_transmitter or bind_receiver (SMPP 3.4 §4.1). */
export interface NetSmppBindOptions extends NetSmppCallOptions {
  mode?: "transceiver" | "transmitter" | "receiver";
  system_id: string;
  password: string;
  system_type?: string;
  interface_version?: number;
  addr_ton?: number;
  addr_npi?: number;
  address_range?: string;
}

/** Message fields shared by submit_sm and submit_multi (SMPP 3.4 §4.4.1, §4.5.1). */
export interface NetSmppMessageFields extends NetSmppCallOptions, NetSmppSource {
  service_type?: string;
  esm_class?: number;
  protocol_id?: number;
  priority_flag?: number;
  schedule_delivery_time?: string;
  validity_period?: string;
  registered_delivery?: number;
  replace_if_present_flag?: number;
  data_coding?: number;
  sm_default_msg_id?: number;
  short_message?: Uint8Array;
  tlvs?: NetSmppTlvs;
}

/** submit_sm (SMPP 3.4 §4.4.1). */
export interface NetSmppSubmitSmOptions extends NetSmppMessageFields {
  dest_addr_ton?: number;
  dest_addr_npi?: number;
  destination_addr: string;
}

/** data_sm (SMPP 3.4 §4.7.1); the text goes in `tlvs.message_payload`. */
export interface NetSmppDataSmOptions extends NetSmppCallOptions, NetSmppSource {
  service_type?: string;
  dest_addr_ton?: number;
  dest_addr_npi?: number;
  destination_addr: string;
  esm_class?: number;
  registered_delivery?: number;
  data_coding?: number;
  tlvs?: NetSmppTlvs;
}

/** One destination of submit_multi: an SME address or a distribution list name. */
export type NetSmppMultiDest =
  | { destination_addr: string; dest_addr_ton?: number; dest_addr_npi?: number }
  | { dl_name: string };

/** submit_multi (SMPP 3.4 §4.5.1). */
export interface NetSmppSubmitMultiOptions extends NetSmppMessageFields {
  dests: NetSmppMultiDest[];
}

/** query_sm (SMPP 3.4 §4.8.1). */
export interface NetSmppQuerySmOptions extends NetSmppCallOptions, NetSmppSource {
  message_id: string;
}

/** cancel_sm (SMPP 3.4 §4.9.1). */
export interface NetSmppCancelSmOptions extends NetSmppCallOptions, NetSmppSource {
  service_type?: string;
  message_id?: string;
  dest_addr_ton?: number;
  dest_addr_npi?: number;
  destination_addr?: string;
}

/** replace_sm (SMPP 3.4 §4.10.1). */
export interface NetSmppReplaceSmOptions extends NetSmppCallOptions, NetSmppSource {
  message_id: string;
  schedule_delivery_time?: string;
  validity_period?: string;
  registered_delivery?: number;
  sm_default_msg_id?: number;
  short_message?: Uint8Array;
}

/** How to take the next deliver_sm. */
export interface NetSmppWaitDeliverOptions {
  /** How long to wait for it; 5000 ms unless given. */
  timeoutMs?: number;
  /** command_status of the deliver_sm_resp; 0 unless given. */
  resp_status?: number;
  /** message_id of the deliver_sm_resp; empty unless given. */
  resp_message_id?: string;
  /** Leave the deliver_sm unanswered (a peer that stops acknowledging). */
  no_resp?: boolean;
}

/** What every PDU result carries. */
export interface NetSmppPdu {
  /** Net::SMPP's name of the command, e.g. `"submit_sm_resp"`. */
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  /** The body after the 16-octet header. */
  body_hex: string;
  /** Optional parameters by Net::SMPP's name (or `0xTTTT`), values as hex. */
  tlvs: Record<string, string>;
  /** What Net::SMPP warned about while decoding, when anything. */
  warnings?: string[];
}

/** bind_*_resp. */
export interface NetSmppBindResp extends NetSmppPdu {
  system_id?: string;
}

/** submit_sm_resp, data_sm_resp. */
export interface NetSmppSubmitResp extends NetSmppPdu {
  message_id?: string;
}

/** One unsuccess_sme of submit_multi_resp (SMPP 3.4 §4.5.2). */
export interface NetSmppUnsuccessSme {
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  error_status_code: number;
}

/** submit_multi_resp. */
export interface NetSmppSubmitMultiResp extends NetSmppSubmitResp {
  no_unsuccess?: number;
  unsuccess_sme?: NetSmppUnsuccessSme[];
}

/** query_sm_resp. */
export interface NetSmppQuerySmResp extends NetSmppPdu {
  message_id?: string;
  final_date?: string;
  message_state?: number;
  error_code?: number;
}

/** A deliver_sm as Net::SMPP decoded it. */
export interface NetSmppDeliverSm extends NetSmppPdu {
  service_type: string;
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  protocol_id: number;
  priority_flag: number;
  schedule_delivery_time: string;
  validity_period: string;
  registered_delivery: number;
  replace_if_present_flag: number;
  data_coding: number;
  sm_default_msg_id: number;
  short_message_hex: string;
  /** short_message as octets. */
  short_message: Uint8Array;
  /** The receipted_message_id TLV without its NUL, when present. */
  receipted_message_id?: string;
  /** The message_state TLV, when present. */
  message_state?: number;
}

/** Any PDU as `readPdu` returns it, with its octets. */
export interface NetSmppRawPdu extends NetSmppPdu {
  /** The whole PDU. */
  hex: string;
  [field: string]: unknown;
}

/** Octets to hex, lower case. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hex to octets. */
export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`Cannot read hex: "${hex}"`);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function wireTlvs(tlvs: NetSmppTlvs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tlvs)) {
    if (v === undefined) continue;
    if (k === "raw") {
      out.raw = (v as { tag: number; value: Uint8Array }[]).map((t) => ({
        tag: t.tag,
        hex: toHex(t.value),
      }));
    } else if (v instanceof Uint8Array) out[`${k}_hex`] = toHex(v);
    else out[k] = v;
  }
  return out;
}

/** Options object -> the JSON command of netsmpp_esme.pl. */
function wireCommand(cmd: string, options: object): Record<string, unknown> {
  const out: Record<string, unknown> = { cmd };
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (k === "timeoutMs") out.timeout_ms = v;
    else if (k === "short_message") out.short_message_hex = toHex(v as Uint8Array);
    else if (k === "tlvs") out.tlvs = wireTlvs(v as NetSmppTlvs);
    else out[k] = v;
  }
  return out;
}

/** Splits a byte stream into lines; `next` waits for one. */
class LineQueue {
  #lines: string[] = [];
  #waiter: (() => void) | undefined;
  #ended = false;
  readonly done: Promise<void>;

  constructor(stream: ReadableStream<Uint8Array>, onText?: (text: string) => void) {
    this.done = this.#pump(stream, onText);
  }

  async #pump(stream: ReadableStream<Uint8Array>, onText?: (text: string) => void) {
    let buffered = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      onText?.(text);
      buffered += text;
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      this.#lines.push(...parts);
      this.#waiter?.();
    }
    this.#ended = true;
    this.#waiter?.();
  }

  /** The next line; null at end of stream or after `timeoutMs`. */
  async next(timeoutMs: number): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.#lines.length === 0 && !this.#ended) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      this.#waiter = undefined;
    }
    return this.#lines.shift() ?? null;
  }
}

/** A Net::SMPP ESME in a Perl child process. */
export class NetSmppEsme {
  #child: Deno.ChildProcess;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #stdout: LineQueue;
  #stderrDone: Promise<void>;
  #stderr = "";
  #chain: Promise<unknown> = Promise.resolve();
  #dead: string | undefined;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#stdin = child.stdin.getWriter();
    this.#stdout = new LineQueue(child.stdout);
    this.#stderrDone = new LineQueue(child.stderr, (t) => {
      this.#stderr = (this.#stderr + t).slice(-STDERR_KEEP_CHARS);
    }).done;
  }

  /**
   * Spawns `perl netsmpp_esme.pl` and waits until Net::SMPP has loaded.
   *
   * @param options the perl executable; "perl" from PATH unless given
   * @returns the driver, not yet connected
   * @throws {NetSmppError} kind "exited" when Perl or Net::SMPP cannot start
   */
  static async start(options: { perl?: string } = {}): Promise<NetSmppEsme> {
    const child = new Deno.Command(options.perl ?? "perl", {
      args: [SCRIPT],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const esme = new NetSmppEsme(child);
    const line = await esme.#stdout.next(STARTUP_TIMEOUT_MS);
    let hello: { ready?: boolean; net_smpp_version?: string } = {};
    try {
      hello = JSON.parse(line ?? "{}");
    } catch {
      // Reported below with the line itself.
    }
    if (!hello.ready) {
      esme.#kill();
      await esme.close();
      throw new NetSmppError(
        `Cannot start Net::SMPP: ${line ?? "no ready line"}; stderr: ${esme.#stderr.trim()}`,
        "exited",
        "start",
      );
    }
    esme.netSmppVersion = hello.net_smpp_version ?? "";
    return esme;
  }

  /** The version of Net::SMPP that Perl loaded. */
  netSmppVersion = "";

  /** What the Perl process wrote on stderr (its last 4000 characters). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Opens the TCP connection (TCP_NODELAY set). */
  connect(
    port: number,
    host = "127.0.0.1",
    options: { timeoutMs?: number } = {},
  ): Promise<{ connected: true; local_port: number }> {
    return this.#call("connect", { host, port, ...options });
  }

  /** Sends a bind of `mode` (transceiver unless given) and returns bind_*_resp. */
  bind(options: NetSmppBindOptions): Promise<NetSmppBindResp> {
    return this.#call("bind", options);
  }

  /** Sends submit_sm and returns submit_sm_resp or generic_nack. */
  submitSm(options: NetSmppSubmitSmOptions): Promise<NetSmppSubmitResp> {
    return this.#call("submit_sm", options);
  }

  /** Sends data_sm and returns data_sm_resp or generic_nack. */
  dataSm(options: NetSmppDataSmOptions): Promise<NetSmppSubmitResp> {
    return this.#call("data_sm", options);
  }

  /** Sends submit_multi and returns submit_multi_resp with its unsuccess_sme list. */
  submitMulti(options: NetSmppSubmitMultiOptions): Promise<NetSmppSubmitMultiResp> {
    return this.#call("submit_multi", options);
  }

  /** Sends query_sm and returns query_sm_resp. */
  querySm(options: NetSmppQuerySmOptions): Promise<NetSmppQuerySmResp> {
    return this.#call("query_sm", options);
  }

  /** Sends cancel_sm and returns cancel_sm_resp. */
  cancelSm(options: NetSmppCancelSmOptions): Promise<NetSmppPdu> {
    return this.#call("cancel_sm", options);
  }

  /** Sends replace_sm and returns replace_sm_resp. */
  replaceSm(options: NetSmppReplaceSmOptions): Promise<NetSmppPdu> {
    return this.#call("replace_sm", options);
  }

  /** Sends enquire_link and returns enquire_link_resp. */
  enquireLink(options: NetSmppCallOptions = {}): Promise<NetSmppPdu> {
    return this.#call("enquire_link", options);
  }

  /** Takes the next deliver_sm (queued or new) and answers it unless `no_resp`. */
  async waitDeliver(options: NetSmppWaitDeliverOptions = {}): Promise<NetSmppDeliverSm> {
    const r = await this.#call<NetSmppDeliverSm>("wait_deliver", options);
    return { ...r, short_message: fromHex(r.short_message_hex ?? "") };
  }

  /** Sends unbind, returns unbind_resp and closes the socket unless `keep_open`. */
  unbind(options: NetSmppCallOptions & { keep_open?: boolean } = {}): Promise<NetSmppPdu> {
    return this.#call("unbind", options);
  }

  /** Writes octets as they are (bad input for the SMSC). */
  raw(bytes: Uint8Array): Promise<{ written: number }> {
    return this.#call("raw", { hex: toHex(bytes) });
  }

  /** Returns the next PDU of any kind, unanswered, with its octets. */
  readPdu(options: { timeoutMs?: number } = {}): Promise<NetSmppRawPdu> {
    return this.#call("read_pdu", options);
  }

  /** Closes the TCP connection without unbind. */
  disconnect(): Promise<{ disconnected: true }> {
    return this.#call("disconnect", {});
  }

  /** Ends the Perl process (stdin closed, then SIGKILL after 2 s) and waits for it. */
  async close(): Promise<void> {
    await this.#chain.catch(() => {});
    try {
      await this.#stdin.close();
    } catch {
      // Already closed because the process died.
    }
    const timer = setTimeout(() => this.#kill(), MARGIN_MS);
    await this.#child.status;
    clearTimeout(timer);
    await Promise.all([this.#stdout.done, this.#stderrDone]);
  }

  #kill() {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // It has exited already.
    }
  }

  #call<T>(cmd: string, options: object): Promise<T> {
    const run = this.#chain.catch(() => {}).then(() => this.#exchange<T>(cmd, options));
    this.#chain = run;
    return run;
  }

  async #exchange<T>(cmd: string, options: object): Promise<T> {
    if (this.#dead) throw new NetSmppError(this.#dead, "exited", cmd);
    const wire = wireCommand(cmd, options);
    const waitMs = ((wire.timeout_ms as number | undefined) ?? DEFAULT_TIMEOUT_MS) + MARGIN_MS;
    try {
      await this.#stdin.write(new TextEncoder().encode(JSON.stringify(wire) + "\n"));
    } catch {
      // The read below reports the exit with stderr.
    }
    const line = await this.#stdout.next(waitMs);
    if (line === null) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const ended = await Promise.race([
        this.#child.status.then(() => true),
        new Promise<boolean>((r) => timer = setTimeout(() => r(false), EXIT_GRACE_MS)),
      ]);
      clearTimeout(timer);
      this.#dead = ended
        ? `Cannot run ${cmd}: the Net::SMPP process exited; stderr: ${this.#stderr.trim()}`
        : `Cannot run ${cmd}: the Net::SMPP process gave no answer within ${waitMs} ms`;
      this.#kill();
      throw new NetSmppError(this.#dead, ended ? "exited" : "timeout", cmd);
    }
    const result = JSON.parse(line);
    if (typeof result.error === "string") {
      throw new NetSmppError(result.error, result.kind ?? "failed", cmd);
    }
    return result as T;
  }
}
