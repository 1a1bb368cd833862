"use client";

import { useEffect, useMemo, useState } from "react";
import type { RequestLimits } from "@/lib/requests/schema";

type SchemaModule = typeof import("@/lib/requests/schema");

/**
 * The shared zod schemas the form checks answers with while the person types, loaded after
 * the page is up: zod and the key checks are a fifth of the form page's JavaScript. Until they
 * arrive (a moment after the page shows) this is null and the form checks nothing itself; a
 * submission then is checked by the server against the very same schema.
 */
export function useFormSchemas(limits: RequestLimits) {
  const [schemas, setSchemas] = useState<SchemaModule | null>(null);
  useEffect(() => {
    let live = true;
    void import("@/lib/requests/schema").then((m) => live && setSchemas(m));
    return () => {
      live = false;
    };
  }, []);
  return useMemo(() => (schemas ? { request: schemas.requestSchema(limits), scaleSet: schemas.scaleSetSchema(limits) } : null), [schemas, limits]);
}
