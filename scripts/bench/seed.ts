import { randomBytes } from "node:crypto";
import pg from "pg";

// Bulk seeding for `npm run bench`: 10,000 runner requests over 40 teams, each
// with the timeline its status implies (42,000 audit events in all), in a few
// INSERT … SELECT statements. The shapes are the portal's own (StoredSpec, a
// GitHub check of realistic size), so the list queries read what they would
// read in production.
//
// No request is APPROVED or PROVISIONING: those would be picked up by the
// provisioning worker, whose work must not run during the list benchmark.

export const BENCH_CLUSTER = { id: "bench-cluster", name: "ossci" };
export const TEAMS = 40;
export const USERS = 200;

export interface Seeded {
  requests: number;
  events: number;
  /** Session cookies. */
  reviewer: string;
  /** A member of team-0, which holds 1/40 of the requests. */
  member: string;
  memberTeamSize: number;
}

const cookieOf = (token: string) => `next-auth.session-token=${token}`;

export async function seedRequests(url: string, requests: number): Promise<Seeded> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const reviewerToken = randomBytes(32).toString("hex");
  const memberToken = randomBytes(32).toString("hex");
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO "Cluster" (id, name, "displayName", "updatedAt") VALUES ($1, $2, $2, now())`, [BENCH_CLUSTER.id, BENCH_CLUSTER.name]);
    await client.query(
      `INSERT INTO "Team" (id, slug, name) SELECT 'team-' || t, 'bench-team-' || t, 'Bench team ' || t FROM generate_series(0, $1::int - 1) t`,
      [TEAMS],
    );
    await client.query(
      `INSERT INTO "User" (id, login, name, role, "updatedAt")
       SELECT 'user-' || u, 'bench-user-' || u, 'Bench user ' || u, 'REQUESTER'::"Role", now() FROM generate_series(0, $1::int - 1) u
       UNION ALL SELECT 'user-reviewer', 'bench-reviewer', 'Bench reviewer', 'REVIEWER'::"Role", now()`,
      [USERS],
    );
    await client.query(
      `INSERT INTO "TeamMembership" ("teamId", "userId") SELECT 'team-' || (u % $2::int), 'user-' || u FROM generate_series(0, $1::int - 1) u`,
      [USERS, TEAMS],
    );
    await client.query(
      `INSERT INTO "Session" (id, "sessionToken", "userId", expires) VALUES
         ('session-reviewer', $1, 'user-reviewer', now() + interval '1 day'),
         ('session-member', $2, 'user-0', now() + interval '1 day')`,
      [reviewerToken, memberToken],
    );

    // Request i: team i % 40, filed by one of that team's five members, one minute after request i - 1.
    await client.query(
      `CREATE TEMP TABLE bench_rows ON COMMIT DROP AS
       SELECT i, i % $2::int AS t, (i % $2::int) + $2::int * ((i / $2::int) % ($3::int / $2::int)) AS u,
              (ARRAY['DRAFT','SUBMITTED','CHANGES_REQUESTED','REJECTED','READY','READY','READY','FAILED','DECOMMISSIONED'])[1 + i % 9] AS st,
              now() - ($1::int - i) * interval '1 minute' AS created
       FROM generate_series(0, $1::int - 1) i`,
      [requests, TEAMS, USERS],
    );
    await client.query(
      `INSERT INTO "RunnerRequest" (id, status, "reviewKind", "teamId", "requesterId", "clusterId", label, namespace, spec,
                                    "approvedSpec", "approvedAt", "githubCheck", "privateKeyFingerprint", version,
                                    "submittedAt", "createdAt", "updatedAt")
       SELECT 'req-' || lpad(i::text, 6, '0'), st::"RequestStatus", 'NEW', 'team-' || t, 'user-' || u, $1,
              'bench-' || i, 'arc-bench-' || i, spec,
              CASE WHEN st IN ('READY', 'FAILED', 'DECOMMISSIONED') THEN spec END,
              CASE WHEN st IN ('READY', 'FAILED', 'DECOMMISSIONED') THEN created + interval '30 minutes' END,
              CASE WHEN st <> 'DRAFT' THEN check_ END,
              'SHA256:' || encode(sha256(i::text::bytea), 'base64'),
              1 + i % 5,
              CASE WHEN st <> 'DRAFT' THEN created + interval '5 minutes' END,
              created, created + interval '1 hour'
       FROM bench_rows,
       LATERAL (SELECT jsonb_build_object(
         'team', 'Bench team ' || t, 'contact', 'lead' || t || '@example.com', 'githubConfigUrl', 'https://github.com/bench-org-' || t,
         'label', 'bench-' || i, 'namespace', 'arc-bench-' || i, 'memory', (16 * (1 + i % 8)) || 'Gi', 'cpu', (2 * (1 + i % 8))::text,
         'gpus', i % 9, 'minRunners', i % 2, 'maxRunners', 1 + i % 20, 'docker', i % 3 = 0,
         'githubApp', jsonb_build_object('appId', (100000 + t)::text, 'installationId', (5000000 + t)::text,
                                         'keyFingerprint', 'SHA256:' || encode(sha256(i::text::bytea), 'base64'))) AS spec) s,
       LATERAL (SELECT jsonb_build_object(
         'checkedAt', created,
         'credentials', jsonb_build_object('status', 'ok', 'checkedAt', created, 'steps', jsonb_build_array(
           jsonb_build_object('step', 'app', 'ok', true, 'skipped', false, 'message', 'GitHub App bench-app-' || t || ' (ID ' || (100000 + t) || ') exists and the private key signs for it.'),
           jsonb_build_object('step', 'installation', 'ok', true, 'skipped', false, 'message', 'The App is installed on bench-org-' || t || ' (installation ' || (5000000 + t) || ') for all repositories.'),
           jsonb_build_object('step', 'permissions', 'ok', true, 'skipped', false, 'message', 'The installation may manage self-hosted runners (organization_self_hosted_runners: write).'),
           jsonb_build_object('step', 'token', 'ok', true, 'skipped', false, 'message', 'An installation token was issued and can list the organisation''s runner groups.'))),
         'standing', jsonb_build_object('status', 'ok', 'ok', true, 'message', 'bench-user-' || u || ' is an active member of bench-org-' || t || '.')) AS check_) c`,
      [BENCH_CLUSTER.id],
    );
    await client.query(
      `INSERT INTO "LabelClaim" ("clusterId", label, "requestId")
       SELECT $1, 'bench-' || i, 'req-' || lpad(i::text, 6, '0') FROM bench_rows WHERE st IN ('SUBMITTED', 'CHANGES_REQUESTED', 'READY', 'FAILED')`,
      [BENCH_CLUSTER.id],
    );
    // The timeline each status implies: 1 to 9 events per request.
    const events = await client.query(
      `INSERT INTO "RequestEvent" (id, "requestId", "actorId", type, "toStatus", message, changes, "createdAt")
       SELECT 'ev-' || i || '-' || j, 'req-' || lpad(i::text, 6, '0'),
              CASE WHEN type IN ('draft_saved', 'submitted', 'request_decommission') THEN 'user-' || u
                   WHEN type IN ('approve', 'reject', 'request_changes') THEN 'user-reviewer' END,
              type,
              (CASE type WHEN 'draft_saved' THEN 'DRAFT' WHEN 'submitted' THEN 'SUBMITTED' WHEN 'request_decommission' THEN 'SUBMITTED'
                         WHEN 'request_changes' THEN 'CHANGES_REQUESTED' WHEN 'reject' THEN 'REJECTED' WHEN 'approve' THEN 'APPROVED'
                         WHEN 'start_provisioning' THEN 'PROVISIONING' WHEN 'provisioning_failed' THEN 'FAILED'
                         WHEN 'provisioned' THEN CASE WHEN st = 'DECOMMISSIONED' AND j > 4 THEN 'DECOMMISSIONED' ELSE 'READY' END END)::"RequestStatus",
              CASE WHEN type IN ('provision_step', 'decommission_step') THEN 'Applied the runner scale set objects (step ' || j || ')'
                   WHEN type = 'provisioning_failed' THEN 'The API server refused the AutoscalingRunnerSet: namespace quota exceeded.'
                   WHEN type IN ('reject', 'request_changes', 'request_decommission') THEN 'Please use a smaller maxRunners for a first scale set.' END,
              CASE WHEN type = 'approve' THEN jsonb_build_object('maxRunners', jsonb_build_object('before', 20, 'after', 1 + i % 20)) END,
              created + j * interval '2 minutes'
       FROM bench_rows
       CROSS JOIN LATERAL unnest(CASE st
         WHEN 'DRAFT' THEN ARRAY['draft_saved']
         WHEN 'SUBMITTED' THEN ARRAY['submitted']
         WHEN 'CHANGES_REQUESTED' THEN ARRAY['submitted', 'request_changes']
         WHEN 'REJECTED' THEN ARRAY['submitted', 'reject']
         WHEN 'READY' THEN ARRAY['submitted', 'approve', 'start_provisioning', 'provision_step', 'key_deleted', 'provisioned']
         WHEN 'FAILED' THEN ARRAY['submitted', 'approve', 'start_provisioning', 'provision_step', 'provisioning_failed']
         ELSE ARRAY['submitted', 'approve', 'start_provisioning', 'provisioned', 'request_decommission', 'approve', 'start_provisioning', 'decommission_step', 'provisioned']
       END) WITH ORDINALITY AS e(type, j)`,
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "RunnerRequest" WHERE "teamId" = 'team-0'`);
    return {
      requests,
      events: events.rowCount ?? 0,
      reviewer: cookieOf(reviewerToken),
      member: cookieOf(memberToken),
      memberTeamSize: rows[0].n,
    };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * Submitted requests ready for approval and provisioning, each with its own sealed key
 * (the same one: sealing is the portal's, the key only has to be a real one).
 */
export async function seedSubmitted(
  url: string,
  opts: { count: number; prefix: string; sealedKey: string; fingerprint: string },
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Team" (id, slug, name) VALUES ('team-prov', 'bench-prov', 'Bench provisioning')
       ON CONFLICT DO NOTHING`,
    );
    await client.query(
      `INSERT INTO "User" (id, login, name, role, "updatedAt") VALUES ('user-prov', 'bench-prov', 'Bench prov', 'REQUESTER', now())
       ON CONFLICT DO NOTHING`,
    );
    await client.query(`INSERT INTO "TeamMembership" ("teamId", "userId") VALUES ('team-prov', 'user-prov') ON CONFLICT DO NOTHING`);
    const { rows } = await client.query(
      `INSERT INTO "RunnerRequest" (id, status, "reviewKind", "teamId", "requesterId", "clusterId", label, namespace, spec,
                                    "privateKeyCiphertext", "privateKeyFingerprint", "submittedAt", "updatedAt")
       SELECT $2::text || '-' || i, 'SUBMITTED', 'NEW', 'team-prov', 'user-prov', $3, $2::text || '-' || i, 'arc-' || $2::text || '-' || i,
              jsonb_build_object('team', 'Bench provisioning', 'contact', '@bench', 'githubConfigUrl', 'https://github.com/bench-org',
                'label', $2::text || '-' || i, 'namespace', 'arc-' || $2::text || '-' || i, 'memory', '8Gi', 'cpu', '2', 'gpus', 1,
                'minRunners', 0, 'maxRunners', 2, 'docker', false,
                'githubApp', jsonb_build_object('appId', '123456', 'installationId', '654321', 'keyFingerprint', $5::text)),
              $4, $5, now(), now()
       FROM generate_series(1, $1::int) i
       RETURNING id`,
      [opts.count, opts.prefix, BENCH_CLUSTER.id, opts.sealedKey, opts.fingerprint],
    );
    await client.query(
      `INSERT INTO "LabelClaim" ("clusterId", label, "requestId") SELECT $1, label, id FROM "RunnerRequest" WHERE id LIKE $2 || '-%'`,
      [BENCH_CLUSTER.id, opts.prefix],
    );
    return rows.map((r) => r.id as string).sort((a, b) => Number(a.split("-").at(-1)) - Number(b.split("-").at(-1)));
  } finally {
    await client.end();
  }
}
