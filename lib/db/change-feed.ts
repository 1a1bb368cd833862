import "server-only";
import pg from "pg";
import { log, withoutLogContext } from "@/lib/log";

// PostgreSQL tells every portal process which tables changed: the "portal_notify_change"
// triggers (prisma/migrations/…_change_notifications) notify on CHANNEL with the table's
// name, at commit, whichever process or replica wrote. One dedicated connection per process
// listens. While it is down, changes can be missed, so the feed is not "live" and read
// caches must not serve anything (lib/db/read-cache.ts).

export const CHANGE_CHANNEL = "portal_change";
export const CHANGE_FEED_APPLICATION_NAME = "arc-runner-portal-changes";
const RETRY_MS = { first: 500, max: 30_000 };

/** A table's name, or null: anything may have changed (the feed has just come up or gone down). */
export type ChangeListener = (table: string | null) => void;

interface Feed {
  databaseUrl: string;
  live: boolean;
  client: pg.Client | null;
  retryMs: number;
  timer: NodeJS.Timeout | null;
  stopped: boolean;
}

// On globalThis: Next bundles route handlers and pages separately, and they must share one feed.
const holder = globalThis as unknown as { portalChangeFeed?: Feed; portalChangeListeners?: Set<ChangeListener> };
const listeners = () => (holder.portalChangeListeners ??= new Set());

function emit(table: string | null) {
  for (const listener of listeners()) listener(table);
}

/** Ends a connection that no longer feeds anything; its late errors and end event are nobody's. */
async function closeQuietly(client: pg.Client): Promise<void> {
  client.removeAllListeners();
  client.on("error", () => undefined);
  await client.end().catch(() => undefined);
}

function down(feed: Feed, client: pg.Client, reason: string) {
  if (feed.client !== client) return;
  feed.client = null;
  void closeQuietly(client);
  if (feed.live) log.warn("change feed lost; read caches are bypassed until it is back", { error: reason });
  feed.live = false;
  emit(null);
  if (feed.stopped) return;
  feed.timer = setTimeout(() => connect(feed), feed.retryMs);
  feed.timer.unref();
  feed.retryMs = Math.min(feed.retryMs * 2, RETRY_MS.max);
}

function connect(feed: Feed) {
  feed.timer = null;
  const client = new pg.Client({ connectionString: feed.databaseUrl, keepAlive: true, application_name: CHANGE_FEED_APPLICATION_NAME, connectionTimeoutMillis: 5_000 });
  feed.client = client;
  client.on("error", (err) => down(feed, client, err.message));
  client.on("end", () => down(feed, client, "connection closed"));
  client.on("notification", (n) => n.channel === CHANGE_CHANNEL && emit(n.payload ?? null));
  client
    .connect()
    .then(() => client.query(`LISTEN ${CHANGE_CHANNEL}`))
    .then(() => {
      if (feed.client !== client) return;
      feed.retryMs = RETRY_MS.first;
      // Whatever was read before now may be stale: start from empty caches.
      emit(null);
      feed.live = true;
      log.info("change feed listening; read caches are on");
    })
    .catch((err: Error) => down(feed, client, err.message));
}

/** Calls `listener` with each changed table's name, or null when anything may have changed. */
export function onTableChange(listener: ChangeListener): () => void {
  listeners().add(listener);
  return () => void listeners().delete(listener);
}

/**
 * Opens the process's listening connection unless it is open or opening. Called on first use,
 * not at import (`next build` imports every module), and outside any request's log context:
 * the connection outlives the request that happened to open it.
 */
export function ensureChangeFeed(databaseUrl: string): void {
  const current = holder.portalChangeFeed;
  if (current && current.databaseUrl === databaseUrl) return;
  if (current) void stopChangeFeed();
  const feed: Feed = { databaseUrl, live: false, client: null, retryMs: RETRY_MS.first, timer: null, stopped: false };
  holder.portalChangeFeed = feed;
  withoutLogContext(() => connect(feed));
}

/** Whether every change since the feed came up has been heard (so a cache may trust its entries). */
export function changeFeedLive(): boolean {
  return holder.portalChangeFeed?.live ?? false;
}

/** Closes the listening connection (tests, shutdown). */
export async function stopChangeFeed(): Promise<void> {
  const feed = holder.portalChangeFeed;
  if (!feed) return;
  holder.portalChangeFeed = undefined;
  feed.stopped = true;
  feed.live = false;
  if (feed.timer) clearTimeout(feed.timer);
  const client = feed.client;
  feed.client = null;
  emit(null);
  if (client) await closeQuietly(client);
}
