/**
 * A test peer handler as its own process (so that tests can SIGKILL it): it
 * takes the upstream's role on the socket named by the first argument,
 * accepts every DELIVER_TO_PEER with message id "m<id>", prints "ready" and
 * then "got <id>" for each transfer (not with a second argument "--quiet",
 * for benchmarks), and runs until killed.
 *
 * @module
 */

import { CoreClient } from "../../src/transport/core_client.ts";

const out = (line: string) => Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
const quiet = Deno.args[1] === "--quiet";
const c = await CoreClient.connect(Deno.args[0]);
c.onRequest((req) => {
  if (req.type !== "DELIVER_TO_PEER") throw new Error(req.type);
  if (!quiet) out(`got ${req.index}`);
  return {
    type: "DELIVER_TO_PEER",
    result: "ok",
    extraInfo: new TextEncoder().encode(`m${req.index}`),
  };
});
if ((await c.registerRole("peer", "")).result !== "ok") Deno.exit(3);
await c.setServiceState(true);
out("ready");
await c.closed;
