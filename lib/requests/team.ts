import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import type { Prisma } from "@/lib/generated/prisma/client";
import { unprocessable } from "@/lib/http-errors";
import { appendTeamEvent } from "@/lib/teams/events";

// Letters of other scripts spelled in Latin, so that a team's slug still reads like its name.
const TRANSLITERATION: Record<string, string> = Object.fromEntries(
  [
    "а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:i к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:kh ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:yu я:ya і:i ї:i є:ie ґ:g",
    "α:a β:b γ:g δ:d ε:e ζ:z η:i θ:th ι:i κ:k λ:l μ:m ν:n ξ:x ο:o π:p ρ:r σ:s ς:s τ:t υ:y φ:f χ:ch ψ:ps ω:o",
    "ß:ss æ:ae œ:oe ø:o đ:d ł:l þ:th ð:d ı:i",
  ]
    .join(" ")
    .split(" ")
    .map((pair) => pair.split(":") as [string, string]),
);

const slugOf = (text: string) =>
  text
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** The slug teams got before transliteration: every name without Latin letters or digits became "team". */
function legacySlug(name: string): string {
  return slugOf(name.normalize("NFKD").toLowerCase()).slice(0, 63) || "team";
}

/**
 * A team's slug, its identity by name ("ROCm" and "rocm" are one team). Latin names keep the slug
 * they always had (accents dropped). A name with any other letters is transliterated where we know
 * how, and always gets a short hash of the name: "Команда" and "Komanda", or two Chinese names,
 * are different teams and must not share (and so be refused) one slug.
 */
export function teamSlug(name: string): string {
  const folded = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  if (!/[^\x00-\x7f]/.test(folded)) return legacySlug(name);
  const spelled = slugOf([...folded].map((c) => TRANSLITERATION[c] ?? c).join(""));
  const hash = createHash("sha256").update(name.normalize("NFKC").toLowerCase().trim()).digest("hex").slice(0, 8);
  return `${(spelled || "team").slice(0, 54).replace(/-+$/, "")}-${hash}`;
}

/**
 * The team with this name: by its slug, or, for a team created before slugs were transliterated,
 * by the slug it got then when its name is the same.
 */
export async function findTeamByName(tx: Prisma.TransactionClient, name: string) {
  const found = await tx.team.findUnique({ where: { slug: teamSlug(name) } });
  if (found || legacySlug(name) === teamSlug(name)) return found;
  const legacy = await tx.team.findUnique({ where: { slug: legacySlug(name) } });
  const same = (a: string) => a.normalize("NFKC").toLowerCase().trim();
  return legacy && same(legacy.name) === same(name) ? legacy : null;
}

/**
 * The team a request is filed under. A new team name creates the team with
 * the requester as its first member; an existing team accepts requests only
 * from its members, so nobody can file under (and then read) another team.
 * Its members add people on the team's page (lib/teams/members.ts).
 */
export async function teamForRequest(tx: Prisma.TransactionClient, actor: Actor, name: string) {
  const existing = await findTeamByName(tx, name);
  if (!existing) {
    const team = await tx.team.create({ data: { slug: teamSlug(name), name, members: { create: { userId: actor.id } } } });
    await appendTeamEvent(tx, { teamId: team.id, actorId: actor.id, action: "TEAM_CREATED", targetLogin: actor.login });
    return team;
  }
  const member = await tx.teamMembership.findUnique({ where: { teamId_userId: { teamId: existing.id, userId: actor.id } }, select: { userId: true } });
  if (!member) {
    // Nothing about the team's members: who is in a team is for its members (and staff) to see.
    throw unprocessable(
      `Team name "${name}" belongs to an existing team you are not a member of. Ask one of its members to add you on the team's page (Teams), or use your own team's name.`,
      { team: [`Team name "${existing.name}" is taken; ask one of its members to add you, or use your own team's name.`] },
    );
  }
  return existing;
}
