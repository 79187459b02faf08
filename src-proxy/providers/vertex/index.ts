/** Vertex AI (kind `vertex`): Gemini and Claude publisher models, a service-account JSON key or an OAuth account. */
import { CLOUD_CHAT_CAPABILITIES } from '../../domain/model-metadata.ts';
import type { ProviderSpoke } from '../types.ts';
import { createVertexAdapter } from './adapter.ts';
import { VERTEX_DERIVED_BASE_URL } from './endpoint.ts';
import { VERTEX_OPTIONS } from './options.ts';

export const vertexProvider = {
  kind: 'vertex',
  label: 'Google Vertex AI',
  options: VERTEX_OPTIONS,
  // Its errors come in Google's shape or Anthropic's, depending on the model and the failure:
  // never passed through unchanged to a client of either dialect.
  errorShape: 'vertex',
  // Gemini thought signatures and Claude thinking signatures must come back unmodified.
  signsReasoning: true,
  unknownModelCapabilities: CLOUD_CHAT_CAPABILITIES,
  presets: [
    {
      id: 'vertex', name: 'Google Vertex AI', baseUrl: VERTEX_DERIVED_BASE_URL, needsKey: true, group: 'cloud',
      keyHint: 'A service-account JSON key (role Vertex AI User), or an OAuth account',
      keyUrl: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
      note: 'Key: paste the service-account JSON key (IAM → Service accounts → Keys → Add key → JSON; role "Vertex AI User"). Set the region (or global); the project defaults to the key\'s project_id. Models: gemini-2.5-flash, claude-sonnet-4-5@20250929, …',
      options: { region: 'us-central1' },
    },
  ],
  keyForm: {
    type: 'json-file', label: 'Service-account JSON key',
    hint: 'Paste the JSON key file or choose it; it is stored encrypted and never shown again.',
    requiredFields: ['client_email', 'private_key'],
  },
  createAdapter: () => createVertexAdapter(),
} as const satisfies ProviderSpoke;
