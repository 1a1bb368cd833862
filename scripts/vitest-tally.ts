// Counts of vitest's JSON report (`--reporter=json`) for the one summary line of `npm test`.

interface VitestFile {
  status: string;
  message?: string;
  assertionResults: { status: string }[];
}

export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: VitestFile[];
}

/**
 * Tests, not suites: vitest's numFailedTestSuites also counts every describe block around a
 * failing test, so one failure read as three. A file that failed with no failing test in it
 * (it did not load, or a hook outside any test threw) counts as one failure, or it would pass
 * unnoticed.
 */
export function tallyVitest(report: VitestReport): { passed: number; failed: number; skipped: number } {
  const failedOutsideTests = report.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((t) => t.status === "failed")).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + failedOutsideTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}
