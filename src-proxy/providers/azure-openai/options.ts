/** The provider-specific options of kind `azure-openai`: validated, typed and rendered from this description. */
import type { OptionField } from '../../domain/provider-kind.ts';

export const AZURE_OPENAI_OPTIONS = [
  {
    key: 'apiVersion',
    type: 'string',
    label: 'API version',
    help: 'The api-version of the classic deployments surface (not used with a base URL ending in /openai/v1).',
    placeholder: '2024-10-21',
  },
  {
    key: 'deployments',
    type: 'map',
    label: 'Deployments',
    help: 'Model name → deployment name; a model without an entry is its own deployment name.',
    keyLabel: 'model',
    valueLabel: 'deployment',
  },
] as const satisfies readonly OptionField[];
