/**
 * Writes docs/config.md from src/config/schema.ts. Run after changing the
 * schema: `deno run --allow-write=docs scripts/gen_config_doc.ts`. A test
 * checks that the committed file is current.
 *
 * @module
 */

import { renderConfigDoc } from "../src/config/doc.ts";

if (import.meta.main) {
  await Deno.writeTextFile(new URL("../docs/config.md", import.meta.url), renderConfigDoc());
}
