import { route } from "@/lib/auth/gate";
import { environmentLimits } from "@/lib/clusters/settings";
import { privateKeyProblem } from "@/lib/crypto/private-key";
import { readJson } from "@/lib/http-body";
import { consume, LIMITS } from "@/lib/rate-limit";
import { issuesByField, unprocessable } from "@/lib/http-errors";
import { runGitHubCheck } from "@/lib/requests/github-checks";
import { githubCheckSchema } from "@/lib/requests/schema";

/** The form's "Check with GitHub": { githubConfigUrl, githubApp: { appId, installationId, privateKey } }. */
export const POST = route("signed-in", async ({ req, actor }) => {
  await consume(LIMITS.githubCheck, actor!.id);
  const parsed = githubCheckSchema(environmentLimits()).safeParse(await readJson(req));
  if (!parsed.success) throw unprocessable("Fill in the GitHub URL and the App's credentials first.", issuesByField(parsed.error.issues, "request"));
  const { githubConfigUrl, githubApp } = parsed.data;
  const problem = privateKeyProblem(githubApp.privateKey);
  if (problem) throw unprocessable("The private key is not usable.", { "githubApp.privateKey": [problem] });
  return runGitHubCheck(actor!, { appId: githubApp.appId, installationId: githubApp.installationId, githubConfigUrl }, githubApp.privateKey);
});
