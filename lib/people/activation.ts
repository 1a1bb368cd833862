import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { endAccess } from "@/lib/auth/deactivate";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { conflict, notFoundError } from "@/lib/http-errors";
import { requirePersonId } from "./person-id";

// An admin deactivates or reactivates a person on the People page. Each change and its
// PersonEvent are one transaction, and a refusal writes nothing.

export interface ActivationResult {
  login: string;
  active: boolean;
  sessionsEnded?: number;
  /** Something the admin should know, e.g. the environment still names this person an admin. */
  warning?: string;
}

function adminListWarning(login: string, admins: string[]): string | undefined {
  if (!admins.includes(login.toLowerCase())) return undefined;
  return `ADMIN_LOGINS still names @${login}. Deactivation wins: they cannot sign in while deactivated. Remove them from ADMIN_LOGINS too, or a reactivation makes them an admin again at their next sign-in.`;
}

export async function deactivatePerson(actor: Actor, rawId: string | undefined, admins: string[] = env().ADMIN_LOGINS): Promise<ActivationResult> {
  const id = requirePersonId(rawId);
  if (id === actor.id) {
    throw conflict("You cannot deactivate yourself: you would lose access at once, and nobody could see why. Ask another admin.");
  }
  return db.$transaction(async (tx) => {
    // FOR UPDATE: two admins deactivating the same person at once write one event, not two.
    const [person] = await tx.$queryRaw<{ login: string; deactivatedAt: Date | null }[]>`
      SELECT login, "deactivatedAt" FROM "User" WHERE id = ${id} FOR UPDATE`;
    if (!person) throw notFoundError("That person does not exist.");
    if (person.deactivatedAt) throw conflict(`@${person.login} is already deactivated.`);
    const { sessionsEnded } = await endAccess(tx, id);
    const warning = adminListWarning(person.login, admins);
    await tx.personEvent.create({ data: { userId: id, actorId: actor.id, action: "DEACTIVATED", sessionsEnded, note: warning ?? null } });
    return { login: person.login, active: false, sessionsEnded, ...(warning ? { warning } : {}) };
  });
}

export async function reactivatePerson(actor: Actor, rawId: string | undefined): Promise<ActivationResult> {
  const id = requirePersonId(rawId);
  return db.$transaction(async (tx) => {
    const [person] = await tx.$queryRaw<{ login: string; deactivatedAt: Date | null }[]>`
      SELECT login, "deactivatedAt" FROM "User" WHERE id = ${id} FOR UPDATE`;
    if (!person) throw notFoundError("That person does not exist.");
    if (!person.deactivatedAt) throw conflict(`@${person.login} is active: there is nothing to reactivate.`);
    await tx.user.update({ where: { id }, data: { deactivatedAt: null } });
    await tx.personEvent.create({ data: { userId: id, actorId: actor.id, action: "REACTIVATED" } });
    return { login: person.login, active: true };
  });
}
