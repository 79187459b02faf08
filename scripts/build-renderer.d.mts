/** Builds the dashboard into dist/renderer (see build-renderer.mjs). */
export default function buildRenderer(options?: { quiet?: boolean }): Promise<void>;
