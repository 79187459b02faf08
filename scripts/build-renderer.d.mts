/** Builds the dashboard into dist/renderer (see build-renderer.mjs). */
export default function buildRenderer(options?: { quiet?: boolean; logLevel?: 'info' | 'warn' | 'error' | 'silent' }): Promise<void>;
