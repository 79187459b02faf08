/**
 * Names of the OpenAI-family endpoints a same-dialect call can ask a provider to take unchanged
 * (NativeCall.endpoint): the front door that received the body and the provider that forwards
 * it agree on these.
 */
export const OPENAI_CHAT_ENDPOINT = 'openai.chat';
export const OPENAI_COMPLETIONS_ENDPOINT = 'openai.completions';
export const OPENAI_EMBEDDINGS_ENDPOINT = 'openai.embeddings';
export const RESPONSES_ENDPOINT = 'responses.create';
