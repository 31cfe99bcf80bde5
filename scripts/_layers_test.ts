import { deepStrictEqual } from "node:assert/strict";
import { findViolations } from "./_layers.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");

Deno.test("the source tree keeps the dependency rule of STYLE.md §2", async () => {
  deepStrictEqual(await findViolations(ROOT), []);
});

Deno.test("findViolations() reports wrong-way imports, private files, impurity and npm:smpp", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const files: Record<string, string> = {
      "main.ts": 'import "./src/cli/x.ts";\n',
      "src/cli/x.ts": "export const x = 1;\n",
      "src/codec/a/mod.ts": 'import { y } from "../../core/y.ts";\nexport const t = Date.now();\n',
      "src/codec/a/_p.ts": "export const p = 1;\n",
      "src/codec/b/mod.ts": 'import { p } from "../a/_p.ts";\nimport smpp from "npm:smpp@0.5.1";\n',
      "src/core/y.ts": 'export { x } from "../cli/x.ts";\n',
      "src/roles/r.ts": 'import { y } from "../core/y.ts";\n',
    };
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${tmp}/${path.split("/").slice(0, -1).join("/")}`, { recursive: true });
      await Deno.writeTextFile(`${tmp}/${path}`, text);
    }
    deepStrictEqual(await findViolations(tmp), [
      "src/codec/a/mod.ts: layer codec must not import layer core (src/core/y.ts)",
      "src/codec/a/mod.ts: codec must stay pure but uses Date.now",
      "src/codec/b/mod.ts: imports src/codec/a/_p.ts, which is private to src/codec/a",
      "src/codec/b/mod.ts: imports npm:smpp outside src/codec/smpp",
      'src/codec/b/mod.ts: codec must not import npm package "npm:smpp@0.5.1"',
      "src/core/y.ts: layer core must not import layer cli (src/cli/x.ts)",
      "src/roles/r.ts: layer roles must not import layer core (src/core/y.ts)",
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
