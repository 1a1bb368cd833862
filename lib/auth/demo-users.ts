import type { Role } from "@/lib/generated/prisma/enums";

// Seeded people for trying the portal without a GitHub OAuth app.
export const DEMO_USERS: { login: string; name: string; role: Role; team?: { slug: string; name: string } }[] = [
  { login: "alice-demo", name: "Alice (requester, team rocm)", role: "REQUESTER", team: { slug: "rocm", name: "ROCm" } },
  { login: "dave-demo", name: "Dave (requester, team nod-ai)", role: "REQUESTER", team: { slug: "nod-ai", name: "nod.ai" } },
  { login: "bob-demo", name: "Bob (OSSCI reviewer)", role: "REVIEWER" },
  { login: "carol-demo", name: "Carol (portal admin)", role: "ADMIN" },
];

export const isDemoLogin = (login: string) => DEMO_USERS.some((u) => u.login === login);
