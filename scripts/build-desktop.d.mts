// Types for build-desktop.mjs.
export default function buildDesktop(options?: { quiet?: boolean; outdir?: string }): Promise<void>;
