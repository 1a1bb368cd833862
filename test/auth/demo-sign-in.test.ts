// Demo sign-in (development only) follows the GitHub sign-in's rule: a person an admin
// deactivated cannot sign in. Real PostgreSQL, through the route handler.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setEnv } from "@/test/harness/set-env";

const LOGIN = "dave-demo";
let restoreEnv: () => void;

beforeAll(() => {
  restoreEnv = setEnv({ DEMO_SIGN_IN: "1" });
  // Another file's imports may have parsed the environment already: start a fresh module graph.
  vi.resetModules();
});

afterAll(async () => {
  restoreEnv();
  const { db } = await import("@/lib/db");
  await db.user.updateMany({ where: { login: LOGIN }, data: { deactivatedAt: null } });
});

describe("demo sign-in", () => {
  it("refuses a deactivated person with a 403 and starts no session", async () => {
    const { db } = await import("@/lib/db");
    const user = await db.user.upsert({ where: { login: LOGIN }, update: { deactivatedAt: new Date() }, create: { login: LOGIN, deactivatedAt: new Date() } });
    const sessions = await db.session.count({ where: { userId: user.id } });
    const { POST } = await import("@/app/api/demo-sign-in/route");
    const form = new FormData();
    form.set("login", LOGIN);
    const res = await POST(new Request("http://portal.test/api/demo-sign-in", { method: "POST", body: form }), { params: Promise.resolve({}) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/deactivated .* reactivate them on the People page/);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(sessions);
  });
});
