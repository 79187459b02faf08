/** The provider-specific options of kind `bedrock`: validated, typed and rendered from this description. */
import type { OptionField } from '../../domain/provider-kind.ts';

export const BEDROCK_OPTIONS = [
  {
    key: 'region',
    type: 'string',
    label: 'AWS region',
    help: 'Where the models run (signs the requests and picks bedrock-runtime.<region>.amazonaws.com). Default us-east-1.',
    placeholder: 'us-east-1',
  },
] as const satisfies readonly OptionField[];
