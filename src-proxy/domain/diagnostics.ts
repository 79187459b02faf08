/** The diagnostics bundle as the control API hands it to the dashboard (Settings → Diagnostics). */
export interface DiagnosticsArchive {
  /** `switchboard-diagnostics-2026-11-30T04-40-00Z.tar.gz` */
  fileName: string;
  /** The .tar.gz bytes, base64 (the control transports carry JSON). */
  archiveBase64: string;
  bytes: number;
  /** The files inside, in order. */
  files: string[];
}

/** How many history rows (newest first, never bodies or headers) the bundle holds. */
export const DIAGNOSTICS_HISTORY_ROWS = 500;
