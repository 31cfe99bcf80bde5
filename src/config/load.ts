/**
 * Loads `config.toml`: TOML text to a validated, frozen `ResolvedConfig`, or a
 * `ConfigError` naming the dotted key. Unknown sections and keys are refused,
 * so that a misspelt key never silently falls back to its default.
 *
 * @module
 */

import { parse as parseToml, TomlError } from "smol-toml";
import { ConfigError } from "../lib/errors.ts";
import { type KeySpec, type ResolvedConfig, SCHEMA, type SectionSpec } from "./schema.ts";

function describe(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value) ?? String(value);
}

function checkValue(key: string, spec: KeySpec, value: unknown): unknown {
  const bad = (want: string) =>
    new ConfigError(
      key,
      `Cannot load config: key "${key}" must be ${want}: current value is ${describe(value)}`,
    );
  switch (spec.type) {
    case "string":
    case "path":
      if (typeof value !== "string") throw bad("a string");
      if (spec.type === "string" && spec.pattern && !spec.pattern.test(value)) {
        throw bad(spec.patternDoc ?? `a string matching ${spec.pattern}`);
      }
      return value;
    case "integer": {
      const n = typeof value === "bigint" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n)) throw bad("an integer");
      if (n < spec.min || n > spec.max) throw bad(`${spec.min}-${spec.max}`);
      return n;
    }
    case "boolean":
      if (typeof value !== "boolean") throw bad("true or false");
      return value;
    case "enum":
      if (typeof value !== "string" || !spec.values.includes(value)) {
        throw bad(`one of ${spec.values.join(", ")}`);
      }
      return value;
    case "set": {
      const want = `a list of distinct values from ${spec.values.join(", ")}`;
      if (!Array.isArray(value)) throw bad(want);
      for (const v of value) if (typeof v !== "string" || !spec.values.includes(v)) throw bad(want);
      if (new Set(value).size !== value.length) throw bad(want);
      return Object.freeze([...value]);
    }
    case "integer-list": {
      const want = `a list of integers ${spec.min}-${spec.max}`;
      if (!Array.isArray(value)) throw bad(want);
      const out = value.map((v) => typeof v === "bigint" ? Number(v) : v);
      for (const n of out) {
        if (typeof n !== "number" || !Number.isInteger(n) || n < spec.min || n > spec.max) {
          throw bad(want);
        }
      }
      return Object.freeze(out);
    }
  }
}

function resolveSection(name: string, spec: SectionSpec, raw: unknown): Record<string, unknown> {
  if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) {
    throw new ConfigError(name, `Cannot load config: "${name}" must be a table`);
  }
  const given = (raw ?? {}) as Record<string, unknown>;
  const named = spec.named;
  for (const key of Object.keys(given)) {
    if (!(key in spec.keys) && key !== named?.table) {
      throw new ConfigError(`${name}.${key}`, `Cannot load config: unknown key "${name}.${key}"`);
    }
  }
  const out = resolveKeys(name, spec.keys, given, undefined);
  if (named) {
    const tables = given[named.table] ?? {};
    const where = `${name}.${named.table}`;
    if (typeof tables !== "object" || tables === null || Array.isArray(tables)) {
      throw new ConfigError(where, `Cannot load config: "${where}" must be a table`);
    }
    const byName: Record<string, unknown> = {};
    for (const [entry, table] of Object.entries(tables)) {
      if (!named.namePattern.test(entry)) {
        throw new ConfigError(
          `${where}.${entry}`,
          `Cannot load config: "${where}.${entry}" is not a valid name (${named.namePattern})`,
        );
      }
      if (typeof table !== "object" || table === null || Array.isArray(table)) {
        throw new ConfigError(
          `${where}.${entry}`,
          `Cannot load config: "${where}.${entry}" must be a table`,
        );
      }
      for (const key of Object.keys(table)) {
        if (!(key in spec.keys)) {
          throw new ConfigError(
            `${where}.${entry}.${key}`,
            `Cannot load config: unknown key "${where}.${entry}.${key}"`,
          );
        }
      }
      byName[entry] = Object.freeze(
        resolveKeys(`${where}.${entry}`, spec.keys, table as Record<string, unknown>, out),
      );
    }
    out[named.table] = Object.freeze(byName);
  }
  return Object.freeze(out);
}

// Each key: the given value checked, else the fallback table's, else the default.
function resolveKeys(
  prefix: string,
  keys: Record<string, KeySpec>,
  given: Record<string, unknown>,
  fallback: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, keySpec] of Object.entries(keys)) {
    const value = key in given
      ? checkValue(`${prefix}.${key}`, keySpec, given[key])
      : fallback
      ? fallback[key]
      : keySpec.default;
    out[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
  }
  return out;
}

/**
 * Parses and validates TOML text.
 *
 * @param text the TOML document
 * @param source a file path or "embedded defaults", kept in the result and used in errors
 * @returns the frozen configuration with every key present
 * @throws {ConfigError} on a TOML syntax error, an unknown key or a bad value
 */
export function parseConfig(text: string, source: string): ResolvedConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? ` at line ${e.line}` : "";
    const what = (e as Error).message.split("\n")[0];
    throw new ConfigError("", `Cannot load config: ${source} is not valid TOML${where}: ${what}`, {
      cause: e,
    });
  }
  const sections = SCHEMA as Record<string, SectionSpec>;
  for (const name of Object.keys(doc)) {
    if (!(name in sections)) {
      throw new ConfigError(name, `Cannot load config: unknown section "${name}"`);
    }
  }
  const out: Record<string, unknown> = { source };
  for (const [name, spec] of Object.entries(sections)) {
    out[name] = resolveSection(name, spec, doc[name]);
  }
  return Object.freeze(out) as unknown as ResolvedConfig;
}

/** URL of the embedded defaults (included in the compiled binary by scripts/build). */
export const EMBEDDED_CONFIG_URL = new URL("../../config.toml", import.meta.url);

/**
 * Reads the configuration: `path` when given, else the embedded `config.toml`.
 *
 * @throws {ConfigError} when the file cannot be read or does not validate
 */
export async function readConfig(path?: string): Promise<ResolvedConfig> {
  const source = path ?? "embedded defaults";
  let text: string;
  try {
    text = await Deno.readTextFile(path ?? EMBEDDED_CONFIG_URL);
  } catch (e) {
    throw new ConfigError(
      "",
      `Cannot load config: cannot read ${source}: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return parseConfig(text, source);
}
