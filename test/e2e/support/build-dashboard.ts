// Global setup of the e2e run: builds the dashboard once into dist/renderer.
import buildRenderer from '../../../scripts/build-renderer.mjs';

export default async function setup(): Promise<void> {
  await buildRenderer({ quiet: true });
}
