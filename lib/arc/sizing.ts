// The sizing helper beside the min/max fields: a suggestion from how long jobs take and how
// often they come. The person may ignore it.
//
// busy = jobs per hour × minutes per job / 60: the average number of jobs running at once.
// ARC runs minRunners idle runners plus one runner per assigned job, capped at maxRunners, so
// minRunners does not have to cover busy, only hide start-up time:
// - min: jobs expected to arrive while a new runner pod starts (about 5 minutes with large
//   GPU images), rounded; 0 for light traffic, where an idle GPU runner would mostly wait.
// - max: min plus busy with two standard deviations of headroom, treating job arrivals as
//   random (Poisson, so the spread is √busy); beyond max, jobs queue on GitHub.
// Both are capped by the cluster's ceiling.

export const RUNNER_STARTUP_MINUTES = 5;

export type SizingSuggestion = {
  busyRunners: number;
  minRunners: number;
  maxRunners: number;
  /** True when the ceiling, not the load, decided a number. */
  cappedByCeiling: boolean;
};

export function suggestSizing(jobMinutes: number, jobsPerHour: number, ceiling: number): SizingSuggestion | undefined {
  if (!(jobMinutes > 0) || !(jobsPerHour >= 0) || !Number.isFinite(jobMinutes * jobsPerHour) || !(ceiling >= 1)) {
    return undefined;
  }
  const busyRunners = (jobsPerHour * jobMinutes) / 60;
  const warm = Math.round((jobsPerHour * RUNNER_STARTUP_MINUTES) / 60);
  const peak = Math.max(1, Math.ceil(busyRunners + 2 * Math.sqrt(busyRunners)));
  const wanted = warm + peak;
  return {
    busyRunners,
    minRunners: Math.min(warm, ceiling),
    maxRunners: Math.min(wanted, ceiling),
    cappedByCeiling: wanted > ceiling,
  };
}
