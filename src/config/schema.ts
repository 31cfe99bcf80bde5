/**
 * Every configuration key, declared once (STYLE.md §7): type, default, bounds,
 * unit and the doc text that `docs/config.md` is generated from
 * (`deno run -A scripts/gen_config_doc.ts`; a test keeps it current).
 *
 * Units live in key names (`_s`, `_ms`, `_bytes`). Relative paths are taken
 * relative to the working directory of the process, which is the service
 * directory under runit.
 *
 * @module
 */

import { LOG_LEVELS } from "../lib/log.ts";

/** One key's declaration. */
export type KeySpec =
  | { type: "string"; default: string; doc: string; pattern?: RegExp; patternDoc?: string }
  | { type: "path"; default: string; doc: string }
  | { type: "integer"; default: number; min: number; max: number; unit?: string; doc: string }
  | { type: "boolean"; default: boolean; doc: string }
  | { type: "enum"; values: readonly string[]; default: string; doc: string }
  | { type: "set"; values: readonly string[]; default: readonly string[]; doc: string }
  | { type: "integer-list"; default: readonly number[]; min: number; max: number; doc: string };

/** One `[section]` of the file. */
export interface SectionSpec {
  doc: string;
  keys: Record<string, KeySpec>;
  /**
   * Named sub-tables `[section.<named>.NAME]` (e.g. `[downlink.peer.acme]`):
   * each may set any key of the section for that name alone; keys it leaves
   * out take the section's value.
   */
  named?: { table: string; doc: string; namePattern: RegExp };
}

/** The whole file: section name to section. */
export const SCHEMA = {
  log: {
    doc: "Logging. Lines go to standard output, one event per line, for runit's svlogd.",
    keys: {
      level: {
        type: "enum",
        values: LOG_LEVELS,
        default: "info",
        doc: "Most verbose level written: error, warn, notice, info or debug. " +
          "Peer misbehaviour is logged at notice; subscriber numbers only at debug.",
      },
    },
  },
  core: {
    doc: "The core daemon: the message store and the local socket.",
    keys: {
      state_dir: {
        type: "path",
        default: "state",
        doc: "Directory holding pms.bin, historical-mb, numbers.db and core.sock. " +
          "Created on first start when missing.",
      },
      socket_path: {
        type: "path",
        default: "",
        doc: 'Path of the local Unix socket; "" means core.sock inside state_dir.',
      },
      validity_s_default: {
        type: "integer",
        default: 172800,
        min: 60,
        max: 63 * 7 * 86400,
        unit: "seconds",
        doc: "Validity period given to a message whose source sets none (seed 2.4.4). " +
          "SMPP peers and the upstream usually set none.",
      },
      validity_s_max: {
        type: "integer",
        default: 604800,
        min: 60,
        max: 63 * 7 * 86400,
        unit: "seconds",
        doc: "Longest validity period a source may ask for; longer requests are capped to it.",
      },
      retry_delays: {
        type: "string",
        default: "30s,1m,2m,5m,10m,30m,1h",
        pattern: /^\s*[1-9][0-9]*[smh]\s*(,\s*[1-9][0-9]*[smh]\s*)*$/,
        patternDoc: "a comma list of durations such as 30s,5m,1h",
        doc: "Waits between delivery attempts after a temporary failure: durations with unit " +
          "s, m or h, never decreasing; the last repeats until the message expires. Each wait is " +
          "stretched by up to 25 % per message so that messages that failed together do not " +
          "retry together (docs/retry.md).",
      },
      peer_window: {
        type: "integer",
        default: 1,
        min: 1,
        max: 1000,
        unit: "messages",
        doc: "DELIVER_TO_PEER transfers outstanding per SMPP peer at once; 1 is the seed's " +
          "one-at-a-time, a window speeds up peers that answer concurrently.",
      },
      imsi_lookup_window: {
        type: "integer",
        default: 4,
        min: 1,
        max: 1000,
        unit: "requests",
        doc: "MSISDN-to-IMSI lookups (MT_FIND_IMSI) outstanding at once toward the IMSI-lookup " +
          "role handler; each looks up one MSISDN for all the messages waiting for it.",
      },
      imsi_cache_s: {
        type: "integer",
        default: 60,
        min: 0,
        max: 86400,
        unit: "seconds",
        doc: "How long a looked-up IMSI is reused for further messages to the same MSISDN " +
          "(seed 2.6.1.3): longer saves lookups, shorter lets SIM changes take effect sooner.",
      },
      demo_numbers: {
        type: "boolean",
        default: true,
        doc: "When numbers.db holds no local numbers at start-up (peers do not count), add " +
          "the fictional subscribers +1 212 555 0100 to 0109 (GSM kind, may send upstream, " +
          "test IMSIs 001010000000100-109) so that a fresh SMSC can be tried at once. Set " +
          "false on a real site.",
      },
    },
  },
  store: {
    doc: "The persistent message store, pms.bin (docs/pms-format.md).",
    keys: {
      pms_batch_records_max: {
        type: "integer",
        default: 4096,
        min: 1,
        max: 65536,
        unit: "records",
        doc: "Largest group commit: records written by one write and made durable by one " +
          "fdatasync. Also the most damaged records at the end of pms.bin that start-up treats " +
          "as a torn write and cuts off (with the limits of docs/pms-format.md for zeros and " +
          "free space); more stops start-up. Do not lower it right after a crash.",
      },
      pms_write_ahead_kib: {
        type: "integer",
        default: 256,
        min: 0,
        max: 1024,
        unit: "KiB",
        doc: "Free space core keeps written ahead of the last record of pms.bin, so that a group " +
          "commit overwrites space the file already has instead of growing it. On ext4 and XFS " +
          "that spares each fdatasync a journal commit, about half its time. 0 writes none: " +
          "for copy-on-write file systems (btrfs, ZFS), where it saves nothing. Readers, and a " +
          "core started with another value, accept the free space of any value.",
      },
    },
  },
  socket: {
    doc: "The local socket between core and the other components (docs/socket-protocol.md).",
    keys: {
      requests_in_flight_max: {
        type: "integer",
        default: 256,
        min: 1,
        max: 65536,
        unit: "requests",
        doc: "Requests from one connection being handled at once; core stops reading that " +
          "connection beyond this (back-pressure).",
      },
      request_timeout_ms: {
        type: "integer",
        default: 30000,
        min: 100,
        max: 600000,
        unit: "milliseconds",
        doc: "How long a request waits for its response before it fails.",
      },
    },
  },
  up: {
    doc: "`smsc up`: how it restarts and stops its children (docs/up.md).",
    keys: {
      restart_backoff_ms_min: {
        type: "integer",
        default: 1000,
        min: 100,
        max: 3_600_000,
        unit: "milliseconds",
        doc: "Wait before the first restart of a child that exited; it doubles at each restart.",
      },
      restart_backoff_ms_max: {
        type: "integer",
        default: 60000,
        min: 100,
        max: 3_600_000,
        unit: "milliseconds",
        doc: "Longest wait between restarts.",
      },
      restart_reset_ms: {
        type: "integer",
        default: 60000,
        min: 1000,
        max: 86_400_000,
        unit: "milliseconds",
        doc: "A child that stayed up this long is restarted after the shortest wait again.",
      },
      stop_timeout_ms: {
        type: "integer",
        default: 10000,
        min: 100,
        max: 600_000,
        unit: "milliseconds",
        doc: "How long `up` waits after SIGTERM to a child before it sends SIGKILL.",
      },
    },
  },
  user: {
    doc: "`smsc user NUMBER`, the restricted end-user mode (docs/dump.md).",
    keys: {
      body_bytes_max: {
        type: "integer",
        default: 16384,
        min: 1,
        max: 1_048_576,
        unit: "bytes",
        doc: "Largest message body `smsc user NUMBER send` reads from standard input.",
      },
    },
  },
  numbering: {
    doc: "The numbering plan applied to every destination and source (seed 1.1, 2.4.1).",
    keys: {
      plan: {
        type: "enum",
        values: ["nanp", "e164"],
        default: "nanp",
        doc: "nanp: North American Numbering Plan (10/11-digit national forms, 5-6 digit " +
          "short codes to the upstream, 4-digit local numbers). e164: generic E.164 for " +
          "sites elsewhere, shaped by the keys below.",
      },
      country_code: {
        type: "string",
        default: "",
        pattern: /^([1-9][0-9]{0,2})?$/,
        patternDoc: "1-3 digits, not starting with 0, or empty",
        doc: 'e164 only: the site\'s country code, e.g. "44"; "" accepts only international forms.',
      },
      national_prefix: {
        type: "string",
        default: "0",
        pattern: /^[0-9]{0,3}$/,
        patternDoc: "0-3 digits",
        doc: 'e164 only: trunk prefix of national dialling, e.g. "0"; "" for none.',
      },
      international_prefix: {
        type: "string",
        default: "00",
        pattern: /^[0-9]{0,4}$/,
        patternDoc: "0-4 digits",
        doc: 'e164 only: prefix of international dialling, e.g. "00"; "" for none.',
      },
      national_number_lengths: {
        type: "integer-list",
        default: [],
        min: 1,
        max: 15,
        doc: "e164 only: lengths of national numbers dialled without a prefix; often empty.",
      },
      short_code_lengths: {
        type: "integer-list",
        default: [],
        min: 3,
        max: 8,
        doc: "e164 only: lengths of public short codes routed to the upstream.",
      },
      local_short_length: {
        type: "integer",
        default: 4,
        min: 0,
        max: 6,
        unit: "digits",
        doc: "e164 only: length of local short numbers, usable by local origins only; 0 disables.",
      },
    },
  },
  filters: {
    doc: "TP-PID and TP-DCS allow lists for messages from untrusted sources (seed 2.4.3). " +
      "Lists are comma-separated octets and ranges, decimal or 0x hex.",
    keys: {
      untrusted_sources: {
        type: "set",
        values: ["gsm", "downstream", "upstream"],
        default: ["gsm", "downstream", "upstream"],
        doc:
          "Sources whose messages are filtered; the command line (`smsc submit`) is always trusted.",
      },
      pid_allow: {
        type: "string",
        default: "0x00-0x1f",
        doc: "TP-PID values accepted from untrusted sources; the default allows only the " +
          "000xxxxx range (no silent SMS, no SIM data download).",
      },
      dcs_allow: {
        type: "string",
        default: "0x00,0x08",
        doc: "TP-DCS values accepted from untrusted sources; the default allows GSM 7 bit " +
          "and UCS-2 text only (no message-waiting indication, no class 2 SIM data).",
      },
    },
  },
  core_client: {
    doc: "How role handlers (downlink, uplink, gsmif) keep their connection to core " +
      "(docs/role-client.md).",
    keys: {
      reconnect_delay_ms_min: {
        type: "integer",
        default: 100,
        min: 1,
        max: 60_000,
        unit: "ms",
        doc: "First wait before reconnecting to core or asking again for a refused role; " +
          "doubles on each failure.",
      },
      reconnect_delay_ms_max: {
        type: "integer",
        default: 10_000,
        min: 1,
        max: 600_000,
        unit: "ms",
        doc: "Longest wait between two attempts; at least reconnect_delay_ms_min.",
      },
      request_timeout_ms: {
        type: "integer",
        default: 30_000,
        min: 100,
        max: 600_000,
        unit: "ms",
        doc: "How long a role handler waits for core to answer one request before it " +
          "counts the outcome as unknown (an ESME then gets ESME_RSYSERR).",
      },
    },
  },
  downlink: {
    doc: "The SMPP 3.4 server for downstream peers (`smsc downlink PEER`, docs/downlink.md). " +
      "Every key here is the default for all peers; a table `[downlink.peer.NAME]` sets keys " +
      "for the peer NAME alone (its `listen` at least: a peer without a listener is not " +
      "served). The peer itself (system_id, password, allowed networks, number pool, " +
      "maximum binds) lives in numbers.db (`smsc numbers peer …`).",
    named: {
      table: "peer",
      doc: "`[downlink.peer.NAME]`: any key of `[downlink]`, for the downstream peer NAME " +
        "(a peer of numbers.db). `smsc up` starts one downlink per such table with a listener.",
      namePattern: /^[a-z0-9][a-z0-9_-]{0,31}$/,
    },
    keys: {
      listen: {
        type: "string",
        default: "",
        pattern: /^$|^(\[[0-9a-fA-F:.]+\]|[0-9.]+|localhost):[0-9]{1,5}$/,
        patternDoc: '"" or ADDRESS:PORT, e.g. "127.0.0.1:2775"',
        doc: 'Plain TCP listener, ADDRESS:PORT; "" for none.',
      },
      tls_listen: {
        type: "string",
        default: "",
        pattern: /^$|^(\[[0-9a-fA-F:.]+\]|[0-9.]+|localhost):[0-9]{1,5}$/,
        patternDoc: '"" or ADDRESS:PORT',
        doc: 'TLS listener, ADDRESS:PORT; "" for none. Needs tls_cert and tls_key.',
      },
      tls_cert: {
        type: "path",
        default: "",
        doc: "PEM certificate chain of the TLS listener.",
      },
      tls_key: {
        type: "path",
        default: "",
        doc: "PEM private key of the TLS listener; keep it readable by the service user only.",
      },
      window: {
        type: "integer",
        default: 10,
        min: 1,
        max: 1000,
        doc: "deliver_sm sent to one bind and not yet answered; core.peer_window bounds " +
          "what core hands the peer in all.",
      },
      in_flight_max: {
        type: "integer",
        default: 100,
        min: 1,
        max: 10_000,
        doc: "Requests from one bind being handled at once (waiting for core) before the " +
          "server stops reading that bind: back-pressure toward the ESME.",
      },
      core_in_flight_max: {
        type: "integer",
        default: 256,
        min: 1,
        max: 10_000,
        doc: "Submits of all the peer's binds waiting for core at once; more wait their " +
          "turn, taken round robin over the binds.",
      },
      bind_core_in_flight_max: {
        type: "integer",
        default: 32,
        min: 1,
        max: 10_000,
        doc: "Submits of one bind waiting for core at once, so that a bind with a deep " +
          "window cannot crowd out the others (their latency stays their own).",
      },
      submit_rate_max: {
        type: "integer",
        default: 0,
        min: 0,
        max: 1_000_000,
        unit: "per second",
        doc: "Messages one bind may submit per second (a burst of one second is allowed); " +
          "past it the bind is answered ESME_RTHROTTLED. 0 = no limit.",
      },
      response_timeout_ms: {
        type: "integer",
        default: 30_000,
        min: 100,
        max: 600_000,
        unit: "ms",
        doc: "How long a deliver_sm or enquire_link waits for its response; a deliver_sm " +
          "without one counts as a temporary failure.",
      },
      enquire_link_ms: {
        type: "integer",
        default: 30_000,
        min: 0,
        max: 3_600_000,
        unit: "ms",
        doc: "Send enquire_link after this long without traffic on a bind; 0 never. An " +
          "unanswered one closes the bind.",
      },
      inactivity_ms: {
        type: "integer",
        default: 300_000,
        min: 0,
        max: 86_400_000,
        unit: "ms",
        doc: "Close a bind that sends no PDU for this long; 0 never.",
      },
      bind_timeout_ms: {
        type: "integer",
        default: 10_000,
        min: 100,
        max: 600_000,
        unit: "ms",
        doc: "A connection that has not bound within this time is closed.",
      },
      unbound_max: {
        type: "integer",
        default: 256,
        min: 1,
        max: 100_000,
        doc: "Connections that have not bound yet, in all; more are closed at once (each " +
          "holds memory and a bind timer until bind_timeout_ms).",
      },
      unbound_per_address_max: {
        type: "integer",
        default: 16,
        min: 1,
        max: 100_000,
        doc: "Connections not bound yet from one address; more from it are closed at once.",
      },
      max_pdu_bytes: {
        type: "integer",
        default: 70_000,
        min: 1024,
        max: 1_000_000,
        unit: "bytes",
        doc: "Largest PDU accepted; a larger command_length gets generic_nack and the " +
          "connection is closed. message_payload needs up to 64 KiB.",
      },
      auth_delay_ms_min: {
        type: "integer",
        default: 1000,
        min: 0,
        max: 600_000,
        unit: "ms",
        doc: "After a failed bind from an address, its next bind answer waits this long; " +
          "doubles per further failure.",
      },
      auth_delay_ms_max: {
        type: "integer",
        default: 30_000,
        min: 0,
        max: 600_000,
        unit: "ms",
        doc: "Longest wait imposed on an address after failed binds.",
      },
      check_source: {
        type: "boolean",
        default: true,
        doc: "Refuse a source_addr outside the peer's number pool (ESME_RINVSRCADR); false " +
          "lets the peer send from any number, e.g. a trusted aggregator.",
      },
    },
  },
  uplink: {
    doc: "The SMPP client to the upstream SMSC (`smsc uplink`, docs/uplink.md), bound as " +
      'transceiver. With host "" there is no upstream: `smsc up` does not start it and ' +
      "messages to the outside world wait in core.",
    keys: {
      host: {
        type: "string",
        default: "",
        pattern: /^$|^[A-Za-z0-9.:-]{1,253}$/,
        patternDoc: '"" or a host name or address',
        doc: 'Host of the upstream SMSC; "" for none.',
      },
      port: {
        type: "integer",
        default: 2775,
        min: 1,
        max: 65535,
        doc: "TCP port of the upstream SMSC.",
      },
      tls: {
        type: "boolean",
        default: false,
        doc: "Connect with TLS, checking the upstream's certificate against the system's " +
          "roots or tls_ca.",
      },
      tls_ca: {
        type: "path",
        default: "",
        doc: "PEM CA certificate(s) to trust for the upstream instead of the system roots.",
      },
      system_id: {
        type: "string",
        default: "",
        pattern: /^[\x21-\x7e]{0,15}$/,
        patternDoc: "0-15 printable ASCII characters",
        doc: "system_id of our bind.",
      },
      password: {
        type: "string",
        default: "",
        pattern: /^[\x20-\x7e]{0,8}$/,
        patternDoc: "0-8 printable ASCII characters",
        doc: "Password of our bind; never logged. Keep the config file readable by the " +
          "service user only.",
      },
      system_type: {
        type: "string",
        default: "",
        pattern: /^[\x20-\x7e]{0,12}$/,
        patternDoc: "0-12 printable ASCII characters",
        doc: "system_type of our bind, if the upstream wants one.",
      },
      window: {
        type: "integer",
        default: 10,
        min: 1,
        max: 1000,
        doc: "submit_sm sent and not yet answered; core.peer_window bounds what core hands " +
          "the uplink.",
      },
      submit_rate_max: {
        type: "integer",
        default: 0,
        min: 0,
        max: 1_000_000,
        unit: "per second",
        doc: "The upstream's TPS limit: submit_sm are paced evenly to at most this rate. " +
          "0 = no limit.",
      },
      throttle_pause_ms: {
        type: "integer",
        default: 1000,
        min: 0,
        max: 600_000,
        unit: "ms",
        doc: "After ESME_RTHROTTLED or ESME_RMSGQFUL, send nothing for about this long " +
          "(with jitter, doubling while it repeats, up to 16 times).",
      },
      response_timeout_ms: {
        type: "integer",
        default: 30_000,
        min: 100,
        max: 600_000,
        unit: "ms",
        doc: "How long a submit_sm, bind or enquire_link waits for its response.",
      },
      enquire_link_ms: {
        type: "integer",
        default: 30_000,
        min: 0,
        max: 3_600_000,
        unit: "ms",
        doc: "Send enquire_link after this long without traffic; an unanswered one drops " +
          "the link. 0 never.",
      },
      inactivity_ms: {
        type: "integer",
        default: 0,
        min: 0,
        max: 86_400_000,
        unit: "ms",
        doc: "Drop the link when the upstream sends nothing for this long; 0 never.",
      },
      reconnect_delay_ms_min: {
        type: "integer",
        default: 1000,
        min: 1,
        max: 600_000,
        unit: "ms",
        doc: "First wait before reconnecting after any failure; doubles per failure, with " +
          "jitter.",
      },
      reconnect_delay_ms_max: {
        type: "integer",
        default: 60_000,
        min: 1,
        max: 3_600_000,
        unit: "ms",
        doc: "Longest wait between reconnects.",
      },
    },
  },
  gsmif: {
    doc: "The subscriber interface (`smsc gsmif`, docs/gsmif.md): SMS over SIP (3GPP TS " +
      "24.341) on TCP and WebSocket, with a registrar. `smsc up` starts it when a listener " +
      "is set.",
    keys: {
      listen_tcp: {
        type: "string",
        default: "",
        pattern: /^$|^(\[[0-9a-fA-F:.]+\]|[0-9.]+|localhost):[0-9]{1,5}$/,
        patternDoc: '"" or ADDRESS:PORT, e.g. "127.0.0.1:5060"',
        doc: 'SIP over TCP listener (RFC 3261), ADDRESS:PORT; "" for none.',
      },
      listen_ws: {
        type: "string",
        default: "",
        pattern: /^$|^(\[[0-9a-fA-F:.]+\]|[0-9.]+|localhost):[0-9]{1,5}$/,
        patternDoc: '"" or ADDRESS:PORT',
        doc: 'SIP over WebSocket listener (RFC 7118, subprotocol "sip"), ADDRESS:PORT; "" ' +
          "for none.",
      },
      domain: {
        type: "string",
        default: "smsc.local",
        pattern: /^[A-Za-z0-9.-]{1,253}$/,
        patternDoc: "a domain name",
        doc: "The SIP domain of the subscribers (sip:+NUMBER@domain) and the digest realm.",
      },
      smsc_address: {
        type: "string",
        default: "12125550199",
        pattern: /^[0-9]{1,20}$/,
        patternDoc: "1-20 digits, international form without +",
        doc: "The SMSC's own E.164 number: RP-Originator Address of MT RP-DATA, which " +
          "handsets show as the service centre. The default is a fictional 555 number.",
      },
      outbound_proxy: {
        type: "string",
        default: "",
        pattern: /^$|^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$/,
        patternDoc: '"" or HOST:PORT',
        doc: "Send every MT MESSAGE to this proxy over TCP (an IMS S-CSCF or a Kamailio) " +
          'instead of the registered contacts; "" to use the registrar.',
      },
      allow_unauthenticated: {
        type: "boolean",
        default: false,
        doc: "Accept REGISTER and MESSAGE without digest authentication, trusting the " +
          "From number. Only behind a proxy that authenticates (outbound_proxy set).",
      },
      digest_algorithms: {
        type: "set",
        values: ["SHA-256", "MD5"],
        default: ["SHA-256", "MD5"],
        doc: "Digest algorithms offered, one WWW-Authenticate each in this order; a client " +
          "answering with another is refused. Some clients take the first challenge whatever " +
          "it is (sipp 3.6 cannot do SHA-256), others the last (JsSIP): order accordingly.",
      },
      register_expires_max_s: {
        type: "integer",
        default: 3600,
        min: 60,
        max: 86_400,
        unit: "s",
        doc: "Longest registration granted; longer requests are shortened.",
      },
      register_expires_min_s: {
        type: "integer",
        default: 60,
        min: 1,
        max: 3600,
        unit: "s",
        doc: "Shortest registration accepted; shorter requests get 423 Interval Too Brief.",
      },
      mt_retry_delays: {
        type: "string",
        default: "30s,1m,2m,5m,15m,30m,1h",
        pattern: /^\s*[1-9][0-9]*[smh]\s*(,\s*[1-9][0-9]*[smh]\s*)*$/,
        patternDoc: "a comma-separated list like 30s,1m,1h",
        doc: "Waits between MT attempts to a subscriber who did not answer or is not " +
          "registered; the last repeats until the message expires. A REGISTER or RP-SMMA " +
          "from the subscriber retries at once.",
      },
      transaction_timeout_ms: {
        type: "integer",
        default: 32_000,
        min: 100,
        max: 600_000,
        unit: "ms",
        doc: "How long a MESSAGE we send waits for its final response (RFC 3261 Timer F).",
      },
      rp_ack_timeout_ms: {
        type: "integer",
        default: 30_000,
        min: 100,
        max: 600_000,
        unit: "ms",
        doc: "After the 2xx to an MT MESSAGE, how long we wait for the subscriber's RP-ACK " +
          "or RP-ERROR before the attempt counts as failed.",
      },
      max_message_bytes: {
        type: "integer",
        default: 16_384,
        min: 1024,
        max: 65_536,
        unit: "bytes",
        doc: "Largest SIP message accepted (header and body); a larger one gets 413 or 513 " +
          "and its connection is closed.",
      },
      keepalive_ms: {
        type: "integer",
        default: 30_000,
        min: 0,
        max: 3_600_000,
        unit: "ms",
        doc: "Send a CRLF keep-alive (TCP) or WebSocket ping after this long without " +
          "traffic; 0 never.",
      },
    },
  },
} as const satisfies Record<string, SectionSpec>;

/** The validated, frozen configuration that travels through the program. */
export interface ResolvedConfig {
  readonly log: { readonly level: (typeof LOG_LEVELS)[number] };
  readonly core: {
    readonly state_dir: string;
    readonly socket_path: string;
    readonly validity_s_default: number;
    readonly validity_s_max: number;
    readonly demo_numbers: boolean;
    readonly retry_delays: string;
    readonly peer_window: number;
    readonly imsi_lookup_window: number;
    readonly imsi_cache_s: number;
  };
  readonly store: { readonly pms_batch_records_max: number; readonly pms_write_ahead_kib: number };
  readonly socket: { readonly requests_in_flight_max: number; readonly request_timeout_ms: number };
  readonly up: {
    readonly restart_backoff_ms_min: number;
    readonly restart_backoff_ms_max: number;
    readonly restart_reset_ms: number;
    readonly stop_timeout_ms: number;
  };
  readonly user: { readonly body_bytes_max: number };
  readonly numbering: {
    readonly plan: "nanp" | "e164";
    readonly country_code: string;
    readonly national_prefix: string;
    readonly international_prefix: string;
    readonly national_number_lengths: readonly number[];
    readonly short_code_lengths: readonly number[];
    readonly local_short_length: number;
  };
  readonly filters: {
    readonly untrusted_sources: readonly ("gsm" | "downstream" | "upstream")[];
    readonly pid_allow: string;
    readonly dcs_allow: string;
  };
  readonly core_client: {
    readonly reconnect_delay_ms_min: number;
    readonly reconnect_delay_ms_max: number;
    readonly request_timeout_ms: number;
  };
  readonly downlink: DownlinkSettings & {
    /** Per-peer settings, each complete (the section's values filled in). */
    readonly peer: Readonly<Record<string, DownlinkSettings>>;
  };
  readonly uplink: {
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
    readonly tls_ca: string;
    readonly system_id: string;
    readonly password: string;
    readonly system_type: string;
    readonly window: number;
    readonly submit_rate_max: number;
    readonly throttle_pause_ms: number;
    readonly response_timeout_ms: number;
    readonly enquire_link_ms: number;
    readonly inactivity_ms: number;
    readonly reconnect_delay_ms_min: number;
    readonly reconnect_delay_ms_max: number;
  };
  readonly gsmif: {
    readonly listen_tcp: string;
    readonly listen_ws: string;
    readonly domain: string;
    readonly smsc_address: string;
    readonly outbound_proxy: string;
    readonly allow_unauthenticated: boolean;
    readonly digest_algorithms: readonly ("SHA-256" | "MD5")[];
    readonly register_expires_max_s: number;
    readonly register_expires_min_s: number;
    readonly mt_retry_delays: string;
    readonly transaction_timeout_ms: number;
    readonly rp_ack_timeout_ms: number;
    readonly max_message_bytes: number;
    readonly keepalive_ms: number;
  };
  /** Where the values came from: a file path, or "embedded defaults". */
  readonly source: string;
}

/** The keys of `[downlink]`, for one peer. */
export interface DownlinkSettings {
  readonly listen: string;
  readonly tls_listen: string;
  readonly tls_cert: string;
  readonly tls_key: string;
  readonly window: number;
  readonly in_flight_max: number;
  readonly core_in_flight_max: number;
  readonly bind_core_in_flight_max: number;
  readonly submit_rate_max: number;
  readonly response_timeout_ms: number;
  readonly enquire_link_ms: number;
  readonly inactivity_ms: number;
  readonly bind_timeout_ms: number;
  readonly unbound_max: number;
  readonly unbound_per_address_max: number;
  readonly max_pdu_bytes: number;
  readonly auth_delay_ms_min: number;
  readonly auth_delay_ms_max: number;
  readonly check_source: boolean;
}
