import { badRequest } from "@/lib/http-errors";
import { isUrlId } from "@/lib/url-id";

export function requirePersonId(id: string | undefined): string {
  if (!id || !isUrlId(id)) throw badRequest("That is not a person's id: open the person from the People page.");
  return id;
}
