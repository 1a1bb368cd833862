import type { PrismaClient } from "@/lib/generated/prisma/client";
import { DEMO_USERS } from "@/lib/auth/demo-users";

/** The cluster every request targets until admins register more (issue: fleet). */
export async function seedDefaultCluster(db: PrismaClient, name: string) {
  return db.cluster.upsert({
    where: { name },
    update: {},
    create: { name, displayName: name === "ossci" ? "OSSCI MI300 cluster" : name },
  });
}

export async function seedDemoUsers(db: PrismaClient) {
  for (const u of DEMO_USERS) {
    const user = await db.user.upsert({
      where: { login: u.login },
      update: { name: u.name, role: u.role },
      create: { login: u.login, name: u.name, role: u.role },
    });
    if (u.team) {
      const team = await db.team.upsert({ where: { slug: u.team.slug }, update: {}, create: u.team });
      await db.teamMembership.upsert({
        where: { teamId_userId: { teamId: team.id, userId: user.id } },
        update: {},
        create: { teamId: team.id, userId: user.id },
      });
    }
  }
}
