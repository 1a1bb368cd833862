import type { Metadata } from "next";
import { EmptyState } from "@/components/EmptyState";
import { PeopleHistory } from "@/components/people/PeopleHistory";
import { PeopleTable } from "@/components/people/PeopleTable";
import { pageActor } from "@/lib/auth/gate";
import { listPeople, peopleHistory } from "@/lib/people/queries";

export const metadata: Metadata = { title: "People" };

export default async function AdminPeoplePage() {
  const actor = await pageActor("admin", "/admin/people");
  const [people, history] = await Promise.all([listPeople(), peopleHistory()]);
  const deactivated = people.filter((p) => p.deactivatedAt).length;
  return (
    <section>
      <h1 className="text-2xl font-semibold">People</h1>
      <p className="mt-1 text-sm text-slate-600">
        Everyone who has signed in. Roles are granted at each sign-in from ADMIN_LOGINS, REVIEWER_LOGINS and REVIEWER_TEAM. People who
        acted cannot be deleted (the audit names them): deactivate them instead.
      </p>
      {people.length > 0 ? (
        <p className="mt-3 text-sm text-slate-700">
          {people.length} {people.length === 1 ? "person" : "people"} · {deactivated} deactivated
        </p>
      ) : null}
      <div className="mt-6">
        {people.length === 0 ? (
          <EmptyState title="Nobody has signed in yet">People appear here after their first sign-in with GitHub.</EmptyState>
        ) : (
          <PeopleTable people={people} self={actor.login} />
        )}
      </div>
      <h2 className="mt-10 text-lg font-semibold">History</h2>
      <div className="mt-3">
        <PeopleHistory events={history} />
      </div>
    </section>
  );
}
