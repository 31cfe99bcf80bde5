/**
 * Renders the configuration reference (docs/config.md) from the schema, so
 * that the documentation of every key has one source.
 *
 * @module
 */

import { type KeySpec, SCHEMA, type SectionSpec } from "./schema.ts";

function typeOf(spec: KeySpec): string {
  switch (spec.type) {
    case "integer":
      return `integer ${spec.min}-${spec.max}${spec.unit ? ` (${spec.unit})` : ""}`;
    case "enum":
      return `one of ${spec.values.map((v) => `\`${v}\``).join(", ")}`;
    case "set":
      return `list of ${spec.values.map((v) => `\`${v}\``).join(", ")}`;
    case "integer-list":
      return `list of integers ${spec.min}-${spec.max}`;
    case "string":
      return spec.patternDoc ? `string (${spec.patternDoc})` : "string";
    default:
      return spec.type;
  }
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** The Markdown text of docs/config.md. */
export function renderConfigDoc(): string {
  const out = [
    "# Configuration reference",
    "",
    "Generated from `src/config/schema.ts` by `scripts/gen_config_doc.ts`; do not edit by hand.",
    "",
    "smsc reads one TOML file: `--config PATH`, else `$SMSC_CONFIG`, else the embedded",
    "`config.toml`. A key left out takes its default. An unknown section or key, or a value",
    "of the wrong type or outside its range, stops start-up with one line naming the key.",
    "Relative paths are relative to the working directory of the process (under runit,",
    "the service directory).",
    "",
  ];
  for (const [name, section] of Object.entries(SCHEMA as Record<string, SectionSpec>)) {
    out.push(
      `## [${name}]`,
      "",
      section.doc,
      "",
      "| key | type | default | meaning |",
      "| --- | --- | --- | --- |",
    );
    for (const [key, spec] of Object.entries(section.keys)) {
      const def = JSON.stringify(spec.default);
      out.push(
        `| \`${name}.${key}\` | ${cell(typeOf(spec))} | \`${cell(def)}\` | ${cell(spec.doc)} |`,
      );
    }
    if (section.named) out.push("", section.named.doc);
    out.push("");
  }
  return out.join("\n");
}
