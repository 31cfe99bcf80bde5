import { strictEqual } from "node:assert/strict";
import { renderConfigDoc } from "./doc.ts";

Deno.test("docs/config.md is current with src/config/schema.ts", async () => {
  const committed = await Deno.readTextFile(new URL("../../docs/config.md", import.meta.url));
  strictEqual(
    committed,
    renderConfigDoc(),
    "docs/config.md is stale: run `deno run --allow-write=docs scripts/gen_config_doc.ts`",
  );
});
