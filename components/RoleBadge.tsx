import type { Role } from "@/lib/generated/prisma/enums";

const STYLE: Record<Role, string> = {
  REQUESTER: "bg-slate-100 text-slate-700",
  REVIEWER: "bg-amber-100 text-amber-800",
  ADMIN: "bg-purple-100 text-purple-800",
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STYLE[role]}`} aria-label={`role ${role.toLowerCase()}`}>
      {role.toLowerCase()}
    </span>
  );
}
