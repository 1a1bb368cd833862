import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

// Each test file gets its own copy of the freshly migrated database, so files
// running in parallel cannot see each other's rows ("nothing changed"
// assertions compare whole tables). Copying a template takes ~100 ms.
const template = new URL(inject("databaseUrl"));
const name = `${template.pathname.slice(1)}_f${randomBytes(4).toString("hex")}`;
const server = new URL(template);
server.pathname = "/postgres";

const client = new pg.Client({ connectionString: server.toString() });
await client.connect();
for (let attempt = 0; ; attempt++) {
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.pathname.slice(1)}"`);
    break;
  } catch (err) {
    // Two copies of one template at the same instant: PostgreSQL refuses the second.
    if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
  }
}
await client.end();

const own = new URL(template);
own.pathname = `/${name}`;
process.env.DATABASE_URL = own.toString();
