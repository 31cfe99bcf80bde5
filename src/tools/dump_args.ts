/**
 * The command-line parsing of `smsc dump`, shared with `smsc user`: strict
 * node:util parseArgs with our one-line messages, and the range and filter
 * options turned into the values of a `DumpPlan`.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../lib/errors.ts";
import { DEST_CLASSES, DISPOSITIONS, type PmsState, SOURCE_CLASSES } from "../codec/pms/mod.ts";
import { choices, type DumpFilter, normalizeNumber } from "./dump_filter.ts";
import { parseDumpTime } from "./dump_time.ts";
import type { DumpStart } from "./dump_reader.ts";

/**
 * Parses a non-negative integer option.
 *
 * @param text the value, or undefined when absent
 * @param option the option name, for the error
 * @returns the number, or undefined
 * @throws {UsageError} when it is not a decimal integer 0 to 2^53-1
 */
export function parseCount(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(text)) {
    throw new UsageError(`${option} "${text}": expected a whole number`);
  }
  return Number(text);
}

/**
 * Runs node:util parseArgs strictly and turns its errors into `UsageError`
 * in our one-line style.
 *
 * @param argv the arguments
 * @param options the parseArgs option table
 * @returns the parsed values and positionals
 * @throws {UsageError} on an unknown option or a missing value
 */
export function parseStrict(
  argv: string[],
  options: ParseArgsOptionsConfig,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return r as {
      values: Record<string, string | boolean | string[] | undefined>;
      positionals: string[];
    };
  } catch (e) {
    const message = (e as Error).message;
    const unknown = message.match(/Unknown option '([^']+)'/);
    if (unknown) throw new UsageError(`unknown option "${unknown[1]}"`);
    const missing = message.match(/Option '([^']+)' argument missing/);
    if (missing) throw new UsageError(`option "${missing[1].split(/[ ,]/)[0]}" needs a value`);
    const ambiguous = message.match(/Option '([^' ,]+)[^']*' argument is ambiguous/);
    if (ambiguous) {
      const o = ambiguous[1];
      throw new UsageError(`option "${o}": give a value starting with "-" as ${o}=VALUE`);
    }
    throw new UsageError(message.split("\n")[0].replace(/\.$/, ""));
  }
}

/** The value of a string option, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function list(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/**
 * Turns the filter options into a `DumpFilter`; absent options leave no key.
 *
 * @param values parsed option values
 * @returns the filter
 * @throws {UsageError} on a bad number or a value outside a choice list
 */
export function filterOf(values: Record<string, unknown>): DumpFilter {
  const filter: DumpFilter = {};
  const n = (key: string) => {
    const v = str(values[key]);
    return v === undefined ? undefined : normalizeNumber(v, `--${key}`);
  };
  if (values.number !== undefined) filter.number = n("number");
  if (values["from-number"] !== undefined) filter.fromNumber = n("from-number");
  if (values["to-number"] !== undefined) filter.toNumber = n("to-number");
  if (values.peer !== undefined) filter.peer = str(values.peer);
  filter.destClasses = choices(list(values.class), DEST_CLASSES, "--class");
  filter.sourceClasses = choices(list(values["source-class"]), SOURCE_CLASSES, "--source-class");
  filter.states = choices<PmsState>(list(values.state), ["active", "historical"], "--state");
  filter.dispositions = choices(list(values.disposition), DISPOSITIONS, "--disposition");
  for (const k of Object.keys(filter) as (keyof DumpFilter)[]) {
    if (filter[k] === undefined) delete filter[k];
  }
  return filter;
}

/**
 * Turns `--from`, `--index`, `--until` and `--count` into the range of a plan.
 *
 * @param values parsed option values
 * @returns the start, the end time and the count
 * @throws {UsageError} on a bad value, or `--from` together with `--index`
 */
export function rangeOf(
  values: Record<string, unknown>,
): { start: DumpStart; untilMs?: number; count?: number } {
  if (values.from !== undefined && values.index !== undefined) {
    throw new UsageError("--from and --index cannot be used together");
  }
  const from = str(values.from);
  const index = parseCount(str(values.index), "--index");
  const until = str(values.until);
  const start: DumpStart = from !== undefined
    ? { kind: "time", ms: parseDumpTime(from, "--from") }
    : index !== undefined
    ? { kind: "index", id: index }
    : { kind: "begin" };
  const range: { start: DumpStart; untilMs?: number; count?: number } = { start };
  if (until !== undefined) range.untilMs = parseDumpTime(until, "--until");
  const count = parseCount(str(values.count), "--count");
  if (count !== undefined) range.count = count;
  return range;
}
