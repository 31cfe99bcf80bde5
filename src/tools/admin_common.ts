/**
 * What the sub-subcommands of `smsc numbers` share: the context they run in,
 * their table entry, and small helpers for numbers, passwords and listings.
 *
 * @module
 */

import type { ParseArgsOptionsConfig } from "node:util";
import { type NumbersDb, NumbersDbError } from "../store/numbers_db.ts";

/** What a sub-subcommand runs with. */
export interface Context {
  db: NumbersDb;
  args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };
  print(line: string): void;
  readStdin(): Promise<string>;
  /** The realm `sip-user set` uses without --realm. */
  sipRealm: string;
}

/** One sub-subcommand: its synopsis, options, argument count and action. */
export interface Sub {
  synopsis: string;
  options: ParseArgsOptionsConfig;
  positionals: [number, number];
  readOnly: boolean;
  run(ctx: Context): void | Promise<void>;
}

/** The `--json` option of the listings. */
export const JSON_OPTION = { json: { type: "boolean" } } as const;

/**
 * Normalizes an operator's number: drops "+", dashes and spaces.
 *
 * @throws {NumbersDbError} "invalid" when what is left is not 1-15 digits
 */
export function operatorNumber(text: string): string {
  const digits = text.replace(/^\+/, "").replace(/[-\s]/g, "");
  if (!/^[1-9][0-9]{0,14}$/.test(digits)) {
    throw new NumbersDbError(
      "invalid",
      `Cannot use number "${text}": expected E.164 like +13105550101`,
    );
  }
  return digits;
}

/** Throws the "not there" refusal of a remove command. */
export function notFound(what: string): never {
  throw new NumbersDbError("not-found", `Cannot remove ${what}: it is not there`);
}

/** Reads a password from standard input, without its line end. */
export async function readPassword(ctx: Context): Promise<string> {
  // One trailing newline is the end of the line, not part of the password.
  return (await ctx.readStdin()).replace(/\r?\n$/, "");
}

/** Prints rows as text lines, or with --json as one JSON object per line. */
export function listJson(ctx: Context, rows: unknown[], text: (row: never) => string): void {
  for (const row of rows) {
    ctx.print(ctx.args.values.json ? JSON.stringify(row) : text(row as never));
  }
}
