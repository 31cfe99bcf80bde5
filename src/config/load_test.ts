import { deepStrictEqual, match, strictEqual, throws } from "node:assert/strict";
import { parseConfig, readConfig } from "./load.ts";
import { SCHEMA } from "./schema.ts";
import { ConfigError } from "../lib/errors.ts";

function configError(text: string, key: string, message?: RegExp) {
  throws(() => parseConfig(text, "test.toml"), (e) => {
    if (!(e instanceof ConfigError)) return false;
    strictEqual(e.key, key);
    if (message) match(e.message, message);
    return true;
  });
}

Deno.test("readConfig() loads the embedded config.toml with every schema default", async () => {
  const config = await readConfig();
  strictEqual(config.source, "embedded defaults");
  for (const [section, spec] of Object.entries(SCHEMA)) {
    for (const [key, keySpec] of Object.entries(spec.keys)) {
      deepStrictEqual(
        (config as unknown as Record<string, Record<string, unknown>>)[section][key],
        keySpec.default,
        `${section}.${key}`,
      );
    }
  }
});

Deno.test("config.toml mentions every key of the schema with a comment above it", async () => {
  const text = await Deno.readTextFile(new URL("../../config.toml", import.meta.url));
  const lines = text.split("\n");
  for (const [section, spec] of Object.entries(SCHEMA)) {
    const start = lines.indexOf(`[${section}]`);
    if (start < 0) throw new Error(`config.toml lacks [${section}]`);
    for (const key of Object.keys(spec.keys)) {
      const at = lines.findIndex((l, i) => i > start && l.startsWith(`${key} =`));
      if (at < 0) throw new Error(`config.toml lacks ${section}.${key}`);
      if (!lines[at - 1].startsWith("#")) throw new Error(`${section}.${key} has no comment`);
    }
  }
});

Deno.test("parseConfig() fills defaults for an empty file and freezes the result", () => {
  const config = parseConfig("", "empty");
  strictEqual(config.log.level, "info");
  strictEqual(Object.isFrozen(config), true);
  strictEqual(Object.isFrozen(config.core), true);
});

Deno.test("parseConfig() refuses unknown sections and keys, naming them", () => {
  configError("[nope]\n", "nope", /unknown section "nope"/);
  configError("[log]\nlevle = 'info'\n", "log.levle", /unknown key "log.levle"/);
  configError("stray = 1\n", "stray");
});

Deno.test("parseConfig() refuses values of the wrong type or outside their set", () => {
  configError('[log]\nlevel = "loud"\n', "log.level", /must be one of error, warn/);
  configError("[log]\nlevel = 3\n", "log.level");
  configError("[core]\nstate_dir = 1\n", "core.state_dir", /must be a string/);
  configError("log = 1\n", "log", /must be a table/);
});

Deno.test("parseConfig() reports TOML syntax errors with the line", () => {
  configError("[log]\nlevel = \n", "", /not valid TOML at line 2/);
});

Deno.test("parseConfig() checks lists: members of a set, integers within bounds", () => {
  const ok = parseConfig(
    '[filters]\nuntrusted_sources = ["gsm"]\n[numbering]\nshort_code_lengths = [5, 6]\n',
    "t",
  );
  deepStrictEqual(ok.filters.untrusted_sources, ["gsm"]);
  deepStrictEqual(ok.numbering.short_code_lengths, [5, 6]);
  strictEqual(Object.isFrozen(ok.numbering.short_code_lengths), true);
  configError(
    '[filters]\nuntrusted_sources = ["cli"]\n',
    "filters.untrusted_sources",
    /distinct values from gsm/,
  );
  configError('[filters]\nuntrusted_sources = ["gsm", "gsm"]\n', "filters.untrusted_sources");
  configError("[filters]\nuntrusted_sources = 1\n", "filters.untrusted_sources");
  configError(
    "[numbering]\nshort_code_lengths = [2]\n",
    "numbering.short_code_lengths",
    /integers 3-8/,
  );
  configError('[numbering]\ncountry_code = "0"\n', "numbering.country_code", /1-3 digits/);
  configError("[core]\nvalidity_s_max = 10\n", "core.validity_s_max", /must be 60-/);
});

Deno.test("parseConfig() resolves [downlink.peer.NAME] tables over the [downlink] values", () => {
  const config = parseConfig(
    `[downlink]\nwindow = 5\n[downlink.peer.acme]\nlisten = "127.0.0.1:2775"\n` +
      `[downlink.peer.beta]\nwindow = 7\ntls_listen = "[::1]:3550"\n`,
    "test.toml",
  );
  strictEqual(config.downlink.window, 5);
  strictEqual(config.downlink.peer.acme.listen, "127.0.0.1:2775");
  strictEqual(config.downlink.peer.acme.window, 5);
  strictEqual(config.downlink.peer.beta.window, 7);
  strictEqual(config.downlink.peer.beta.tls_listen, "[::1]:3550");
  strictEqual(config.downlink.peer.beta.listen, "");
  deepStrictEqual(Object.keys(config.downlink.peer), ["acme", "beta"]);
  deepStrictEqual(parseConfig("", "t").downlink.peer, {});
});

Deno.test("parseConfig() refuses bad [downlink.peer.NAME] tables, naming the key", () => {
  configError(`[downlink.peer.acme]\nlistn = "x"\n`, "downlink.peer.acme.listn", /unknown key/);
  configError(`[downlink.peer.acme]\nwindow = 0\n`, "downlink.peer.acme.window", /1-1000/);
  configError(`[downlink.peer.Acme]\nwindow = 2\n`, "downlink.peer.Acme", /not a valid name/);
  configError(`[downlink]\npeer = 3\n`, "downlink.peer", /must be a table/);
  configError(
    `[downlink.peer.acme]\nlisten = "2775"\n`,
    "downlink.peer.acme.listen",
    /ADDRESS:PORT/,
  );
});
