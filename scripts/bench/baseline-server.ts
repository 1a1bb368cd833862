import http from "node:http";
import pg from "pg";

// The physical baseline of `npm run bench`: the least a server can do to
// answer the portal's list APIs with the same JSON. node:http and a pg pool of
// the portal's size; per request one query to resolve the session cookie to a
// person (role and teams), one query for the page; no framework, no ORM, no
// logging. The list statements are the portal's own (lib/requests/queries.ts,
// review-queue.ts), written out. Started as its own process by scripts/bench.ts.

// Times as the ISO text the API sends; timestamp(3) columns hold UTC, as Prisma writes them.
const ISO = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const STATUSES = new Set(["ALL", "DRAFT", "SUBMITTED", "CHANGES_REQUESTED", "REJECTED", "APPROVED", "PROVISIONING", "READY", "FAILED", "DECOMMISSIONED"]);

const SESSION_SQL = `
  SELECT u.id, u.role, array(SELECT m."teamId" FROM "TeamMembership" m WHERE m."userId" = u.id) AS "teamIds"
  FROM "Session" s JOIN "User" u ON u.id = s."userId"
  WHERE s."sessionToken" = $1 AND s.expires > now()`;

// My requests: the person's teams' requests, everyone's for reviewers; newest 200.
const listSql = (where: string) => `
  SELECT r.id, r.number, r.status::text AS status, r.label, r.namespace, t.name AS team, c.name AS cluster,
         (r.spec->>'gpus')::int AS gpus, (r.spec->>'maxRunners')::int AS "maxRunners",
         ${ISO('r."createdAt"')} AS "createdAt", ${ISO('r."updatedAt"')} AS "updatedAt"
  FROM (SELECT r.id FROM "RunnerRequest" r WHERE ${where} ORDER BY r."createdAt" DESC LIMIT 200) page
  JOIN "RunnerRequest" r ON r.id = page.id
  JOIN "Team" t ON t.id = r."teamId"
  JOIN "Cluster" c ON c.id = r."clusterId"
  ORDER BY r."createdAt" DESC`;
const LIST_ALL_SQL = listSql("TRUE");
const LIST_TEAMS_SQL = listSql(`r."teamId" = ANY($1::text[])`);

// The review queue: oldest waiting first, 500 at most.
const queueSql = (where: string) => `
  SELECT r.id, r.number, r.status::text AS status, r."reviewKind"::text AS "reviewKind", r.label, r.namespace, t.slug AS "teamSlug", t.name AS "teamName",
         u.login AS requester, c.name AS cluster, pc.name AS "preferredCluster", (r.spec->>'gpus')::int AS gpus, (r.spec->>'maxRunners')::int AS "maxRunners",
         ${ISO('COALESCE(r."submittedAt", r."createdAt")')} AS "waitingSince"
  FROM (SELECT r.id FROM "RunnerRequest" r WHERE ${where}
        ORDER BY r."submittedAt" ASC NULLS LAST, r."createdAt" ASC LIMIT 500) page
  JOIN "RunnerRequest" r ON r.id = page.id
  JOIN "Team" t ON t.id = r."teamId"
  JOIN "User" u ON u.id = r."requesterId"
  JOIN "Cluster" c ON c.id = r."clusterId"
  LEFT JOIN "Cluster" pc ON pc.id = r."preferredClusterId"
  ORDER BY r."submittedAt" ASC NULLS LAST, r."createdAt" ASC`;
const QUEUE_ALL_SQL = queueSql(`r.status <> 'DRAFT'`);
const QUEUE_ONE_SQL = queueSql(`r.status = $1::"RequestStatus"`);

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const token = /(?:^|;\s*)next-auth\.session-token=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const who = token ? (await pool.query(SESSION_SQL, [token])).rows[0] : undefined;
    if (!who) return send(res, 401, { error: "Sign in to continue." });
    const reviewer = who.role === "REVIEWER" || who.role === "ADMIN";
    if (url.pathname === "/api/requests") {
      const { rows } = reviewer ? await pool.query(LIST_ALL_SQL) : await pool.query(LIST_TEAMS_SQL, [who.teamIds]);
      return send(res, 200, { requests: rows });
    }
    if (url.pathname === "/api/review") {
      if (!reviewer) return send(res, 403, { error: "This needs the reviewer role." });
      const status = url.searchParams.get("status") ?? "SUBMITTED";
      if (!STATUSES.has(status)) return send(res, 400, { error: "The filter is not valid." });
      const { rows } = status === "ALL" ? await pool.query(QUEUE_ALL_SQL) : await pool.query(QUEUE_ONE_SQL, [status]);
      const requests = rows.map(({ teamSlug, teamName, ...r }) => ({ ...r, team: { slug: teamSlug, name: teamName } }));
      return send(res, 200, { requests });
    }
    send(res, 404, { error: "Not found." });
  } catch (err) {
    send(res, 500, { error: (err as Error).message });
  }
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write(`baseline listening on ${process.env.PORT}\n`));
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => server.close(() => pool.end().then(() => process.exit(0))));
