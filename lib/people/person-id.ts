import { badRequest } from "@/lib/http-errors";

// Person ids come from URLs. Ours are cuids; anything that could not be one is refused in
// words before it reaches the database, and never echoed back.
const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function requirePersonId(id: string | undefined): string {
  if (!id || !PERSON_ID.test(id)) throw badRequest("That is not a person's id: open the person from the People page.");
  return id;
}
