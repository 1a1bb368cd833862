import { HttpError, badRequest } from "@/lib/http-errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The JSON body of a request, at most 1 MiB. Requiring application/json also
 * stops cross-site form posts: a browser cannot send that type to another
 * site without a CORS preflight, which the portal never grants.
 */
export async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "Send the request body as JSON (Content-Type: application/json).");
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, "The request body is larger than 1 MiB.");
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new HttpError(413, "The request body is larger than 1 MiB.");
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
}
