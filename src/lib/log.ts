/**
 * The only writer of log lines (STYLE.md §7): one event per line on stdout, for
 * runit's svlogd, in the form `<level> <category>[<instance>] <message> key=value …`.
 * No timestamps: svlogd adds them. Message text and credentials are never
 * logged; callers pass numbers only at debug level.
 *
 * @module
 */

/** Severity, most severe first. */
export type LogLevel = "error" | "warn" | "notice" | "info" | "debug";

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, notice: 2, info: 3, debug: 4 };

/** All levels in order, for config validation. */
export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "notice", "info", "debug"];

/** Where lines go; tests replace it to capture output. */
export interface LogSink {
  write(line: string): void;
}

const encoder = new TextEncoder();
const stdoutSink: LogSink = {
  write(line) {
    const bytes = encoder.encode(line + "\n");
    let off = 0;
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  },
};

/** Writes lines to stderr: for one-shot tools whose stdout carries results. */
export const stderrSink: LogSink = {
  write(line) {
    const bytes = encoder.encode(line + "\n");
    let off = 0;
    while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
  },
};

let threshold = RANK.info;
let sink: LogSink = stdoutSink;

/** Sets the most verbose level that is written. */
export function setLogLevel(level: LogLevel): void {
  threshold = RANK[level];
}

/** Replaces the sink (tests); returns the previous one. */
export function setLogSink(next: LogSink): LogSink {
  const prev = sink;
  sink = next;
  return prev;
}

function formatValue(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v) ?? String(v);
  return /^[^\s"=]*$/.test(s) && s.length > 0 ? s : JSON.stringify(s);
}

/** A logger for one category and optional instance, e.g. `downlink.acme[seq=42]`. */
export class Logger {
  readonly category: string;
  readonly instance?: string;

  constructor(category: string, instance?: string) {
    this.category = category;
    this.instance = instance;
  }

  /** A logger with the same category and another instance. */
  with(instance: string): Logger {
    return new Logger(this.category, instance);
  }

  /** Writes one line when `level` passes the threshold. */
  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    if (RANK[level] > threshold) return;
    let line = `${level} ${this.category}${this.instance ? `[${this.instance}]` : ""} ${message}`;
    for (const [k, v] of Object.entries(fields)) {
      if (v !== undefined) line += ` ${k}=${formatValue(v)}`;
    }
    sink.write(line);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.log("error", message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log("warn", message, fields);
  }
  notice(message: string, fields?: Record<string, unknown>): void {
    this.log("notice", message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log("info", message, fields);
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    this.log("debug", message, fields);
  }
}
