// What a githubConfigUrl names: an organisation, a repository, or an enterprise.
// The request schema has already normalised it to https://host/org[/repo].

export type GitHubTarget =
  | { kind: "org"; org: string; display: string }
  | { kind: "repo"; owner: string; repo: string; display: string }
  | { kind: "enterprise"; enterprise: string; display: string };

export function parseGitHubTarget(githubConfigUrl: string): GitHubTarget {
  let url: URL;
  try {
    url = new URL(githubConfigUrl);
  } catch {
    throw new TypeError("githubConfigUrl must be a URL such as https://github.com/your-org");
  }
  const [first, second, ...rest] = url.pathname.split("/").filter(Boolean);
  if (first === undefined || rest.length > 0) {
    throw new TypeError("githubConfigUrl must name an organisation or a repository, e.g. https://github.com/your-org/your-repo");
  }
  if (first === "enterprises" && second !== undefined) return { kind: "enterprise", enterprise: second, display: `enterprises/${second}` };
  if (second === undefined) return { kind: "org", org: first, display: first };
  return { kind: "repo", owner: first, repo: second, display: `${first}/${second}` };
}

/** The account that owns the target: the organisation, or the repository's owner. */
export function targetOwner(target: Exclude<GitHubTarget, { kind: "enterprise" }>): string {
  return target.kind === "org" ? target.org : target.owner;
}

// GitHub Apps cannot register enterprise runners; ARC needs a classic PAT there.
export const ENTERPRISE_NOT_SUPPORTED =
  "Enterprise-level runners cannot use a GitHub App: GitHub only lets Apps manage runners of organisations and repositories. Use an organisation or repository URL.";
