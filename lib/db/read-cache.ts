import "server-only";
import { env } from "@/lib/env";
import { countCacheRead } from "@/lib/metrics";
import { changeFeedLive, ensureChangeFeed, onTableChange } from "./change-feed";

// In-process caches of hot reads (the session lookup, the request lists) that stay correct
// without asking the database: an entry is dropped as soon as PostgreSQL reports a change to
// a table it was read from (change-feed.ts), and nothing is served while that report could be
// missed. Writes made by this process through the gate drop every entry before they answer
// (invalidateReadCaches), so a person always reads their own writes. READ_CACHE=off turns
// every cache into a pass-through.

export interface ReadCacheOptions {
  /** The tables the cached reads come from: a change to any of them drops every entry. */
  tables: readonly string[];
  maxEntries: number;
  /** A bound on staleness should a notification ever be lost without the connection dropping. */
  ttlMs: number;
}

export interface ReadCache<T> {
  /** The cached value for `key`, or `load()`'s. Values are shared between callers: they are frozen. */
  get(key: string, load: () => Promise<T>): Promise<T>;
}

interface Entry {
  value: unknown;
  storedAt: number;
}

interface Store {
  entries: Map<string, Entry>;
  /** Bumped on every drop: a read that started before a change must not store what it read. */
  generation: number;
}

// One store per cache name on globalThis: Next bundles pages and route handlers separately,
// each with its own copy of a module, and they should share entries and invalidation.
const holder = globalThis as unknown as { portalReadCaches?: Map<string, Store> };
const stores = () => (holder.portalReadCaches ??= new Map());

function clear(store: Store) {
  store.entries.clear();
  store.generation++;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function storeFor(name: string, tables: readonly string[]): Store {
  let store = stores().get(name);
  if (!store) {
    const created: Store = { entries: new Map(), generation: 0 };
    stores().set(name, created);
    const watched = new Set(tables);
    onTableChange((table) => {
      if (table === null || watched.has(table)) clear(created);
    });
    store = created;
  }
  return store;
}

export function readCache<T>(name: string, options: ReadCacheOptions): ReadCache<T> {
  return {
    async get(key, load) {
      const { READ_CACHE, DATABASE_URL } = env();
      if (READ_CACHE === "on") ensureChangeFeed(DATABASE_URL);
      if (READ_CACHE === "off" || !changeFeedLive()) {
        countCacheRead(name, "bypass");
        return load();
      }
      const store = storeFor(name, options.tables);
      const hit = store.entries.get(key);
      if (hit && Date.now() - hit.storedAt < options.ttlMs) {
        countCacheRead(name, "hit");
        return hit.value as T;
      }
      countCacheRead(name, "miss");
      const started = store.generation;
      const value = await load();
      // null and undefined are not kept: an unknown session token must not take a slot.
      if (value != null && started === store.generation && changeFeedLive()) {
        store.entries.delete(key);
        store.entries.set(key, { value: deepFreeze(value), storedAt: Date.now() });
        // Maps iterate in insertion order: the first key is the oldest entry.
        if (store.entries.size > options.maxEntries) store.entries.delete(store.entries.keys().next().value!);
      }
      return value;
    },
  };
}

/** Drops every entry of every cache: after this process's own writes, before it answers. */
export function invalidateReadCaches(): void {
  for (const store of stores().values()) clear(store);
}
