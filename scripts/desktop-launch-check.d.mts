// Types for desktop-launch-check.mjs (a plain script, so `npm start` needs no TypeScript step).
export interface ElectronFacts {
  platform: string;
  env: Record<string, string | undefined>;
  binaryPath: string | null;
  binaryExists: boolean;
  downloadError: string | null;
}
export function electronUnavailableReason(facts: ElectronFacts): string | null;
export function electronFacts(root: string, env?: Record<string, string | undefined>): ElectronFacts;
