import pg from "pg";

/** Everything about a database's public schema that Prisma's datamodel determines. */
export async function catalog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
          character_maximum_length, numeric_precision, datetime_precision
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`),
      constraints: await q(`SELECT rel.relname AS table_name, con.conname, con.contype, pg_get_constraintdef(con.oid) AS def
        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace
        WHERE n.nspname = 'public' AND rel.relname <> '_prisma_migrations' ORDER BY 1, 2`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`),
      enums: await q(`SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' ORDER BY 1, 3`),
      triggers: await q(`SELECT event_object_table, trigger_name, action_timing, event_manipulation
        FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 4`),
    };
  } finally {
    await client.end();
  }
}
