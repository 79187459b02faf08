/** What the dashboard bundle is built from (see dashboard-freshness.mjs). */
export const DASHBOARD_INPUTS: readonly string[];
export function newestMtimeMs(root: string, entries: readonly string[]): number;
/** null when dist/renderer is up to date, else why it must be built. */
export function dashboardBuildReason(root: string, inputs?: readonly string[]): string | null;
