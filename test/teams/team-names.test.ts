// Issue 15, item 12: every non-Latin team name used to get the slug "team", so the second such
// team was refused as "taken" (and told the first one's members). Slugs are now unique and readable.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createRequest } from "@/lib/requests/create";
import { teamSlug } from "@/lib/requests/team";
import { makeActor, requestBody } from "../requests/fixtures";

describe("team slugs", () => {
  it("keeps the slug Latin names always had", () => {
    expect(teamSlug("ROCm")).toBe("rocm");
    expect(teamSlug("nod.ai")).toBe("nod-ai");
    expect(teamSlug("Café Team")).toBe("cafe-team");
  });

  it("transliterates other scripts and adds a short hash, so different names never share a slug", () => {
    expect(teamSlug("Команда")).toMatch(/^komanda-[0-9a-f]{8}$/);
    expect(teamSlug("Ομάδα")).toMatch(/^omada-[0-9a-f]{8}$/);
    expect(teamSlug("团队")).toMatch(/^team-[0-9a-f]{8}$/);
    const names = ["团队", "小组", "チーム", "팀", "Команда", "Komanda", "فريق"];
    expect(new Set(names.map(teamSlug)).size).toBe(names.length);
    // The same name, however it is typed, is the same team.
    expect(teamSlug("КОМАНДА")).toBe(teamSlug("команда"));
  });

  it("two teams with non-Latin names are two teams, each created by its first request", async () => {
    const a = await makeActor();
    const b = await makeActor();
    await createRequest(a, requestBody({ team: "研究组" }), "submit");
    await createRequest(b, requestBody({ team: "开发组" }), "submit");
    const teams = await db.team.findMany({ where: { name: { in: ["研究组", "开发组"] } }, include: { members: true } });
    expect(teams).toHaveLength(2);
    expect(teams.every((t) => t.members.length === 1 && t.slug !== "team")).toBe(true);
  });

  it("a team created before transliteration (slug 'team') is still found by its name", async () => {
    const founder = await makeActor();
    const team = await db.team.create({ data: { slug: "team", name: "Разработка", members: { create: { userId: founder.id } } } });
    const { id } = await createRequest({ ...founder, teamIds: [team.id] }, requestBody({ team: "Разработка" }), "submit");
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id } })).teamId).toBe(team.id);
    // Another non-Latin name is not that team.
    const other = await makeActor();
    await createRequest(other, requestBody({ team: "Тестирование" }), "submit");
    expect(await db.team.count({ where: { name: "Тестирование" } })).toBe(1);
  });
});
