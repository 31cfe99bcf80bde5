/**
 * A test peer handler as its own process, for the end-to-end benchmark: it
 * takes the upstream's role on the socket given as the first argument,
 * accepts every DELIVER_TO_PEER at once, prints "ready", and runs until
 * killed. A separate process, as the real uplink is.
 *
 * @module
 */

import { CoreClient } from "../../src/transport/core_client.ts";

const c = await CoreClient.connect(Deno.args[0]);
const ok = new TextEncoder().encode("x");
c.onRequest(() => ({ type: "DELIVER_TO_PEER", result: "ok", extraInfo: ok }));
if ((await c.registerRole("peer", "")).result !== "ok") Deno.exit(1);
await c.setServiceState(true);
Deno.stdout.writeSync(new TextEncoder().encode("ready\n"));
await c.closed;
