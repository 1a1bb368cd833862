// Runs once when a server starts: a bad configuration stops it here, with a
// message naming each variable, instead of failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, signInModes, EnvError } = await import("@/lib/env");
  try {
    const e = env();
    console.log(`[portal] sign-in: ${signInModes(e)}`);
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(`[portal] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
