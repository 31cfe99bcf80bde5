import assert from "node:assert/strict";
import { MESSAGE_TYPE, REQUEST_SIDE, SOCKET_REASONS } from "./mod.ts";

const DOC = new URL("../../../docs/socket-protocol.md", import.meta.url);

Deno.test("docs/socket-protocol.md lists the message types, codes and sides of the code", async () => {
  const text = await Deno.readTextFile(DOC);
  const rows = [
    ...text.matchAll(/^\| `0x([0-9a-f]{2})` +\| ([A-Z_]+) +\| (client|core) +\| (.*?) *\|$/gm),
  ]
    .filter((m) => !m[4].startsWith("reserved"))
    .map((m) => [m[2], parseInt(m[1], 16), m[3]]);
  const code = Object.entries(MESSAGE_TYPE).map(([name, c]) => [
    name,
    c,
    REQUEST_SIDE[name as keyof typeof REQUEST_SIDE],
  ]);
  assert.deepEqual(rows, code);
});

Deno.test("docs/socket-protocol.md lists the socket reasons of the code", async () => {
  const doc = await Deno.readTextFile(DOC);
  const text = doc.slice(doc.indexOf("Socket reasons:"), doc.indexOf("### 4.2"));
  const rows = [...text.matchAll(/^\| (\d+) +\| ([a-z-]+) +\| /gm)].map((
    m,
  ) => [Number(m[1]), m[2]]);
  assert.deepEqual(rows, SOCKET_REASONS.map((r) => [r.code, r.name]));
});
