/** The provider-specific options of kind `anthropic`: validated, typed and rendered from this description. */
import type { OptionField } from '../../domain/provider-kind.ts';

export const ANTHROPIC_OPTIONS = [
  {
    key: 'anthropicVersion',
    type: 'string',
    label: 'anthropic-version',
    help: 'Sent when the client sends none (Anthropic clients send their own).',
    placeholder: '2023-06-01',
  },
] as const satisfies readonly OptionField[];
