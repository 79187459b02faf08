/** AWS Bedrock (kind `bedrock`): Converse / ConverseStream, SigV4 credentials or a Bedrock API key. */
import { CLOUD_CHAT_CAPABILITIES } from '../../domain/model-metadata.ts';
import type { ProviderSpoke } from '../types.ts';
import { createBedrockAdapter } from './adapter.ts';
import { BEDROCK_DERIVED_BASE_URL } from './endpoint.ts';
import { BEDROCK_OPTIONS } from './options.ts';

export const bedrockProvider = {
  kind: 'bedrock',
  label: 'AWS Bedrock',
  options: BEDROCK_OPTIONS,
  // No front door speaks Converse: its error bodies never pass through unchanged.
  errorShape: 'bedrock',
  // Claude's reasoningContent signatures must come back to Bedrock unmodified.
  signsReasoning: true,
  unknownModelCapabilities: CLOUD_CHAT_CAPABILITIES,
  presets: [
    {
      id: 'bedrock', name: 'AWS Bedrock', baseUrl: BEDROCK_DERIVED_BASE_URL, needsKey: true, group: 'cloud',
      keyHint: 'An IAM access key id (AKIA…) and its secret, or a Bedrock API key',
      keyUrl: 'https://console.aws.amazon.com/bedrock/home#/api-keys',
      note: 'Key: an IAM access key (requests are signed with SigV4) or a Bedrock API key. Set the region; model ids look like anthropic.claude-sonnet-4-20250514-v1:0, or us.anthropic.… for inference profiles.',
      options: { region: 'us-east-1' },
    },
  ],
  keyForm: {
    type: 'parts',
    choices: [
      {
        id: 'iam', label: 'IAM access key',
        parts: [
          { key: 'accessKeyId', label: 'Access key ID', visible: true },
          { key: 'secretAccessKey', label: 'Secret access key' },
          { key: 'sessionToken', label: 'Session token (temporary credentials)', optional: true },
        ],
      },
      { id: 'api-key', label: 'Bedrock API key' },
    ],
  },
  createAdapter: () => createBedrockAdapter(),
} as const satisfies ProviderSpoke;
