import assert from "node:assert/strict";
import { type Request, type Response, socketReason } from "../codec/frame/mod.ts";
import { admissionReason } from "../codec/frame/mod.ts";
import { decodePmsRecord, type PmsRecord } from "../codec/pms/mod.ts";
import { parseConfig } from "../config/load.ts";
import { DecodeError, UsageError } from "../lib/errors.ts";
import { setLogSink } from "../lib/log.ts";
import { toHex } from "../lib/bytes.ts";
import { CoreUnavailableError } from "../transport/core_client.ts";
import { type FrameConnection, listenUnix } from "../transport/unix_socket.ts";
import { runSubmit, type SubmitOptions } from "./submit.ts";
import { describeReason } from "./submit_send.ts";

type Answer = (record: PmsRecord, n: number) => Response | "close" | Promise<Response>;

interface Seen {
  skipRouting: boolean;
  record: PmsRecord;
}

/** A stand-in for core: answers SUBMIT with `answer` and records what it saw. */
async function withFakeCore(
  answer: Answer,
  fn: (dir: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "smsc_submit_" });
  const previous = setLogSink({ write: () => {} });
  const seen: Seen[] = [];
  const handler = (request: Request, connection: FrameConnection) => {
    assert.equal(request.type, "SUBMIT");
    if (request.type !== "SUBMIT") throw new Error("unexpected");
    const record = decodePmsRecord(request.record);
    seen.push({ skipRouting: request.skipRouting, record });
    const a = answer(record, seen.length - 1);
    if (a === "close") {
      connection.close({ reason: "local" });
      return new Promise<Response>(() => {});
    }
    return a;
  };
  const server = await listenUnix(`${dir}/core.sock`, { handler });
  try {
    await fn(dir, seen);
  } finally {
    await server.close();
    setLogSink(previous);
    await Deno.remove(dir, { recursive: true });
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string[];
}

async function submit(dir: string, argv: string[], body: string | Uint8Array): Promise<Run> {
  const out: Run = { code: -1, stdout: "", stderr: [] };
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const options: SubmitOptions = {
    config: parseConfig(`[core]\nstate_dir = "${dir}"\n`, "test"),
    stdin: ReadableStream.from([bytes]),
    random: (max) => 0x2a % max,
    nowMs: () => 0,
    output: { stdout: (t) => out.stdout += t, stderr: (l) => out.stderr.push(l) },
  };
  out.code = await runSubmit(argv, options);
  return out;
}

let nextIndex = 1000;
const ok: Answer = () => ({ type: "SUBMIT", result: "ok", index: nextIndex++ });

Deno.test("runSubmit() submits a short text and prints its index", async () => {
  await withFakeCore(ok, async (dir, seen) => {
    nextIndex = 1000;
    const r = await submit(dir, ["+12125550100", "2125550101"], "hello\n");
    assert.deepEqual(r, { code: 0, stdout: "1000\n", stderr: [] });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].skipRouting, false);
    assert.equal(toHex(seen[0].record.ud), "e8329bfd06", "the trailing newline is dropped");
    assert.equal(seen[0].record.sourceClass, "cli");
  });
});

Deno.test("runSubmit() pipelines every segment on one connection and prints indices in order", async () => {
  // Core holds every answer until all three requests are in: only a pipelining client passes.
  let release!: () => void;
  const all = new Promise<void>((resolve) => release = resolve);
  const answer: Answer = async (_record, n) => {
    if (n === 2) release();
    await all;
    return { type: "SUBMIT", result: "ok", index: 500 + n };
  };
  await withFakeCore(answer, async (dir, seen) => {
    const r = await submit(dir, ["1234", "5678"], "w".repeat(400));
    assert.deepEqual(r, { code: 0, stdout: "500\n501\n502\n", stderr: [] });
    assert.deepEqual(seen.map((s) => s.record.ud[5]), [1, 2, 3], "sequence numbers in order");
    assert.deepEqual(seen.map((s) => s.record.mr), [42, 43, 44]);
  });
});

Deno.test("runSubmit() with --imsi asks core to skip routing", async () => {
  await withFakeCore(ok, async (dir, seen) => {
    const r = await submit(dir, ["--imsi", "001010000000001", "--alpha", "Operator"], "hi");
    assert.equal(r.code, 0);
    assert.equal(seen[0].skipRouting, true);
    assert.equal(seen[0].record.destImsi, "001010000000001");
    assert.deepEqual(seen[0].record.oa, { ton: 5, npi: 0, text: "Operator" });
  });
});

Deno.test("runSubmit() --sms-lang sends the lines of the language", async () => {
  await withFakeCore(ok, async (dir, seen) => {
    const input = "dcs 0 septet\nsr\nmsg-udh 050003AA020141\nmsg-udh 050003AA020242\n";
    const r = await submit(dir, ["--sms-lang", "1234", "5678"], input);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.split("\n").length, 3);
    assert.deepEqual(seen.map((s) => [s.record.srr, s.record.udhi, s.record.udl]), [
      [true, true, 8],
      [true, true, 8],
    ]);
  });
});

Deno.test("runSubmit() reports a rejection with its reason name and exits 65", async () => {
  const reason = admissionReason("dest-unroutable");
  await withFakeCore(
    () => ({
      type: "SUBMIT",
      result: "rejected",
      reason: { code: reason.code, text: reason.name },
    }),
    async (dir) => {
      const r = await submit(dir, ["1234", "5678"], "hello");
      assert.deepEqual(r, {
        code: 65,
        stdout: "",
        stderr: ["smsc submit: rejected: dest-unroutable: no route leads to the destination"],
      });
    },
  );
});

Deno.test("runSubmit() names the segments accepted around a rejected one", async () => {
  const answer: Answer = (_r, n) =>
    n === 1
      ? { type: "SUBMIT", result: "rejected", reason: socketReason("overloaded") }
      : { type: "SUBMIT", result: "ok", index: 70 + n };
  await withFakeCore(answer, async (dir) => {
    const r = await submit(dir, ["1234", "5678"], "v".repeat(400));
    assert.deepEqual(r, {
      code: 65,
      stdout: "70\n72\n",
      stderr: [
        "smsc submit: rejected: overloaded: the receiver is over a queue bound; retry later",
        "smsc submit: 2 of 3 segments were accepted and stay active: 70 72 " +
        "(cancel them if the message is useless without the rest)",
      ],
    });
  });
});

Deno.test("runSubmit() exits 69 when the connection ends before every answer", async () => {
  const answer: Answer = (_r, n) => n === 0 ? { type: "SUBMIT", result: "ok", index: 9 } : "close";
  await withFakeCore(answer, async (dir) => {
    const r = await submit(dir, ["1234", "5678"], "u".repeat(200));
    assert.equal(r.code, 69);
    assert.equal(r.stdout, "9\n");
    assert.match(r.stderr[0], /^smsc submit: Cannot submit segment 2 of 2: /);
    assert.equal(
      r.stderr[1],
      "smsc submit: 1 of 2 segments were accepted and stay active: 9 " +
        "(cancel them if the message is useless without the rest)",
    );
  });
});

Deno.test("runSubmit() throws CoreUnavailableError when core is not running", async () => {
  const dir = await Deno.makeTempDir({ prefix: "smsc_submit_" });
  try {
    await assert.rejects(submit(dir, ["1234", "5678"], "hello"), CoreUnavailableError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSubmit() checks arguments and input before it connects", async () => {
  const dir = await Deno.makeTempDir({ prefix: "smsc_submit_" });
  try {
    // No core listens: each of these must fail for its own reason, not for the socket.
    await assert.rejects(submit(dir, ["1234"], "hello"), UsageError);
    await assert.rejects(
      submit(dir, ["1234", "5678"], new Uint8Array([0x68, 0xff])),
      (e) => e instanceof DecodeError && /not valid UTF-8/.test(e.message),
    );
    await assert.rejects(submit(dir, ["--sms-lang", "1", "2"], "frobnicate 1\n"), DecodeError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("describeReason() names admission, socket and unknown reasons", () => {
  assert.deepEqual(describeReason({ code: 0x0107, text: "x" }), {
    name: "pid-filtered",
    message: "TP-PID is not allowed from this source (seed 2.4.3)",
  });
  assert.equal(describeReason(socketReason("shutting-down")).name, "shutting-down");
  assert.deepEqual(describeReason({ code: 0x2345, text: "new thing" }), {
    name: "0x2345",
    message: "new thing",
  });
});
