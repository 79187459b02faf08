/** Azure OpenAI (kind `azure-openai`): classic deployments or the v1 surface, key in `api-key`. */
import { CLOUD_CHAT_CAPABILITIES } from '../../domain/model-metadata.ts';
import type { ProviderSpoke } from '../types.ts';
import { AZURE_OPENAI_OPTIONS } from './options.ts';
import { createAzureOpenAiAdapter } from './adapter.ts';

export const azureOpenAiProvider = {
  kind: 'azure-openai',
  label: 'Azure OpenAI',
  options: AZURE_OPENAI_OPTIONS,
  errorShape: 'openai',
  signsReasoning: true,
  unknownModelCapabilities: CLOUD_CHAT_CAPABILITIES,
  presets: [
    {
      id: 'azure', name: 'Azure OpenAI', baseUrl: 'https://{resource}.openai.azure.com', needsKey: true, group: 'cloud',
      keyHint: 'KEY 1 or KEY 2 of the Azure OpenAI resource (Keys and Endpoint)',
      keyUrl: 'https://portal.azure.com/#view/Microsoft_Azure_ProjectOxford/CognitiveServicesHub/~/OpenAI',
      note: 'Replace {resource} with your Azure resource name; map model names to deployment names after adding.',
      options: { apiVersion: '2024-10-21' },
    },
  ],
  createAdapter: createAzureOpenAiAdapter,
} as const satisfies ProviderSpoke;
