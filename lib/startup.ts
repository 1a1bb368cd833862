import { env, EnvError, signInModes } from "@/lib/env";
import { log } from "@/lib/log";

// A bad configuration stops the server here, with a message naming each
// variable, instead of failing on the first request.
try {
  const e = env();
  log.info("portal starting", { signIn: signInModes(e), githubApi: e.GITHUB_API_URL });
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(`[portal] ${err.message}`);
  process.exit(1);
}
