/** The provider-specific options of kind `openai`: validated, typed and rendered from this description. */
import type { OptionField } from '../../domain/provider-kind.ts';

export const OPENAI_OPTIONS = [
  {
    key: 'supportsResponses',
    type: 'boolean',
    label: 'Offers /v1/responses',
    help: 'Responses clients (Codex) go straight to its /v1/responses. Assumed only for api.openai.com.',
  },
] as const satisfies readonly OptionField[];
