// Ids that come from URLs. Ours are cuids; anything that could not be one (a NUL byte, which
// PostgreSQL refuses in text, an RTL override, 5 000 characters) is refused before it reaches
// the database, and never echoed back.
const URL_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const isUrlId = (id: string): boolean => URL_ID.test(id);
