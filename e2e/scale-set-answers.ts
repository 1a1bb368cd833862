// Kept apart from fixtures.ts (which opens the run's database): specs with their own portal import it too.

/** A scale set's answers on the e2e organisation (no GitHub App): what the form's fields hold for a small GPU runner. */
export function scaleSetAnswers(over: { team: string; label: string } & Record<string, unknown>) {
  return {
    contact: `@${over.team}`,
    githubConfigUrl: "https://github.com/e2e-org",
    namespace: `arc-${over.label}`,
    memory: "8Gi",
    cpu: "2",
    gpus: 1,
    minRunners: 0,
    maxRunners: 2,
    docker: false,
    ...over,
  };
}
