/** The provider-specific options of kind `vertex`: validated, typed and rendered from this description. */
import type { OptionField } from '../../domain/provider-kind.ts';

export const VERTEX_OPTIONS = [
  {
    key: 'project',
    type: 'string',
    label: 'Google Cloud project',
    help: 'The project id the models are billed to. Default: the project_id of the service-account key.',
    placeholder: 'my-project',
  },
  {
    key: 'region',
    type: 'string',
    label: 'Region',
    help: 'Where the models run: us-central1, europe-west4, … or global. Default us-central1.',
    placeholder: 'us-central1',
  },
] as const satisfies readonly OptionField[];
