import { describe, expect, it } from "vitest";
import { webhookMessage, type RequestNotice } from "./webhook-message";

const notice = (over: Partial<RequestNotice>): RequestNotice => ({
  kind: "provisioning",
  requestId: "r1",
  number: 7,
  label: "linux-mi300-gpu-1",
  team: "rocm",
  status: "DECOMMISSIONED",
  actor: "alice",
  reason: null,
  url: "https://portal.example/requests/r1",
  ...over,
});

describe("webhookMessage", () => {
  it("escapes &, < and > in every person-written string, so Slack neither pings nor disguises links", () => {
    const m = webhookMessage(notice({ team: "<!here> & co", actor: "<@U123>", label: "<x>", reason: "No longer needed <!channel>\nsee <https://evil.example|the portal> & bye" }));
    for (const text of [m.text, m.blocks[0]!.text.text]) {
      expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
      expect(text).toContain("(team &lt;!here&gt; &amp; co)");
      expect(text).toContain("by @&lt;@U123&gt;");
      expect(text).toContain("`&lt;x&gt;`");
      expect(text).toContain("> No longer needed &lt;!channel&gt;\n> see &lt;https://evil.example|the portal&gt; &amp; bye");
    }
    // The portal's own link stays a link.
    expect(m.blocks[0]!.text.text).toMatch(/<https:\/\/portal\.example\/requests\/r1\|Open request #7>$/);
  });
});
