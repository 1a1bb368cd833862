import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A real HTTP receiver on loopback that fails the first delivery, as a flaky Slack would.
const received: { status: number; body: { text: string; metadata: { event_type: string } } }[] = [];
let failNext = 1;
let hang = false;
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    if (hang) return; // never answers
    const status = failNext-- > 0 ? 500 : 200;
    received.push({ status, body: JSON.parse(body) });
    res.writeHead(status).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  // Before anything reads the environment.
  process.env.WEBHOOK_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  const { stopWebhooks } = await import("@/lib/notify/queue");
  await stopWebhooks();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("outgoing webhook", () => {
  it("sends Slack-compatible JSON on submit and on a decision, retrying a failed delivery", async () => {
    const { startWebhookWorker } = await import("@/lib/notify/queue");
    const { createRequest } = await import("@/lib/requests/create");
    const { act } = await import("@/lib/requests/actions");
    const { makeActor, requestBody } = await import("@/test/requests/fixtures");
    await startWebhookWorker(1);
    const requester = await makeActor({ team: "hooks" });
    const body = requestBody({ team: "hooks" });
    const { id } = await createRequest(requester, body, "submit");
    const reviewer = await makeActor({ role: "REVIEWER" });
    await act(reviewer, id, { action: "reject", reason: "Use the CPU pool <!channel>." });

    await until(() => received.filter((r) => r.status === 200).length >= 2, 40_000);
    const delivered = received.filter((r) => r.status === 200).map((r) => r.body);
    expect(received[0]!.status).toBe(500); // the first attempt failed and was retried
    const texts = delivered.map((d) => d.text).join("\n");
    expect(texts).toContain(`\`${body.label}\` (team hooks) was submitted for review`);
    expect(texts).toMatch(new RegExp(`\`${body.label}\`.*was rejected by @${reviewer.login}\\.\\n> Use the CPU pool &lt;!channel&gt;\\.`));
    expect(texts).not.toContain("<!channel>");
    expect(delivered.map((d) => d.metadata.event_type).sort()).toEqual(["arc_runner_request_decision", "arc_runner_request_submitted"]);
    expect(JSON.stringify(received)).not.toContain("PRIVATE KEY");
  }, 60_000);

  it("a receiver that never answers does not hold up a decision", async () => {
    hang = true;
    const { createRequest } = await import("@/lib/requests/create");
    const { act } = await import("@/lib/requests/actions");
    const { makeActor, requestBody } = await import("@/test/requests/fixtures");
    const requester = await makeActor({ team: "hooks2" });
    const { id } = await createRequest(requester, requestBody({ team: "hooks2" }), "submit");
    const reviewer = await makeActor({ role: "REVIEWER" });
    const t = Date.now();
    await act(reviewer, id, { action: "request_changes", reason: "Smaller, please." });
    expect(Date.now() - t).toBeLessThan(3_000);
  });
});
