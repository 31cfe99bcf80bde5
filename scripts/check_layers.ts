/**
 * Enforces the dependency rule of STYLE.md §2 on every module under src/ and
 * main.ts: which layer may import which, that `_private.ts` files are used
 * only inside their folder, that codec/ and proto/ stay pure, and that only
 * codec/smpp imports npm:smpp. Prints one line per violation and exits 1 when
 * there is any. Run: `deno run --allow-read scripts/check_layers.ts`; a test
 * runs it too.
 *
 * @module
 */

import { findViolations } from "./_layers.ts";

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  const violations = await findViolations(decodeURIComponent(root.pathname).replace(/\/$/, ""));
  for (const v of violations) Deno.stderr.writeSync(new TextEncoder().encode(v + "\n"));
  Deno.exit(violations.length === 0 ? 0 : 1);
}
