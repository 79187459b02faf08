/**
 * The one list of error codes a user or client can meet, with the HTTP status and the message
 * that says what to do. The HTTP dialects, the CLI, the control API, the tray and the UI all
 * read from here; each dialect only changes the *shape* of the body.
 */
export const ERROR_CODES = {
  // --- the request itself -------------------------------------------------------------------
  invalid_request: { status: 400, message: 'The request body is not valid: fix the field named in the message and retry.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  unsupported_media_type: { status: 415, message: 'Switchboard accepts only JSON bodies: send the header "Content-Type: application/json".' },
  body_too_large: { status: 413, message: 'The request body is larger than the limit set in Switchboard (Settings → body limit).' },
  not_found: { status: 404, message: 'This path is not an endpoint Switchboard serves. Check the base URL your tool uses.' },
  method_not_allowed: { status: 405, message: 'This endpoint does not accept that HTTP method.' },
  unsupported_feature: { status: 400, message: 'The target provider cannot take a feature this request uses.' },
  image_url_refused: { status: 400, message: 'Switchboard downloads image URLs only over https from public internet addresses (never this machine, its network or link-local space, and no redirects there). Send the image inline as a data: URL instead.' },
  model_management_unsupported: { status: 400, message: 'Models live at your providers: Switchboard cannot pull, push, create, copy or delete them. Add a model alias in Switchboard instead.' },
  // --- who is calling -----------------------------------------------------------------------
  missing_client_token: { status: 401, message: "This endpoint needs a Switchboard client token as the API key (Authorization: Bearer … or x-api-key). Create one on Switchboard's Clients page." },
  invalid_client_token: { status: 401, message: "The client token is not valid or was revoked. Create a new one on Switchboard's Clients page." },
  forbidden_host: { status: 403, message: 'The Host header is not a loopback address of this Switchboard (127.0.0.1, localhost or [::1] with its port). Requests through other names are refused to stop DNS rebinding.' },
  forbidden_origin: { status: 403, message: 'Requests from web pages are refused. Allow this origin in Switchboard → Settings if you trust it.' },
  secrets_not_exported: { status: 403, message: 'Keys and client tokens never leave Switchboard through its control API. To export them, run `switchboard export --include-secrets` in a terminal on this machine (it reads the data folder).' },
  client_token_expired: { status: 401, message: "The client token has expired. Give the client a later expiry (or none) on Switchboard's Clients page, or create a new token there." },
  client_disabled: { status: 403, message: "This client is disabled in Switchboard. Turn it back on on Switchboard's Clients page." },
  // --- governance: what a client may use and how much -----------------------------------------
  model_not_allowed: { status: 403, message: "This client may not use this model. Use one of its allowed models, or add this one to the client's allowed models on Switchboard's Clients page." },
  rate_limited: { status: 429, message: "This client is over its limits in Switchboard (requests or tokens per minute, or requests at once). Retry after the Retry-After seconds, or raise the client's limits on the Clients page." },
  budget_exceeded: { status: 429, message: "This client has spent its budget in Switchboard. It resets when the period ends (Retry-After); raise the budget on the Clients page to continue now." },
  request_cap_reached: { status: 429, message: "This client has made every request its lifetime cap allows; the cap does not reset. Raise or remove the cap on Switchboard's Clients page, or use another client token." },
  pacing_timeout: { status: 429, message: "The provider's pacing limits in Switchboard kept this request waiting longer than the queue allows. Retry after the Retry-After seconds, or raise the provider's limits or Settings → pacing wait." },
  invalid_metrics_token: { status: 401, message: "GET /metrics needs `Authorization: Bearer <token>` with the metrics token (Switchboard → Settings → Metrics) or the dashboard's admin token." },
  invalid_admin_token: { status: 401, message: 'The dashboard token is missing or wrong. Open the dashboard with the address Switchboard printed at start.' },
  // --- routing ------------------------------------------------------------------------------
  model_not_found: { status: 404, message: 'No alias, provider model or provider/model address matches this model name.' },
  invalid_model_name: { status: 400, message: 'This model name cannot be sent to a provider: model names may not contain "..", "#", "?", "\\", control characters, or a "/" where the provider takes none (Gemini, Azure deployments). Check the model name.' },
  model_ambiguous: { status: 400, message: 'More than one provider offers this model: name it as provider/model or create an alias.' },
  provider_not_found: { status: 404, message: 'No provider with this id is configured.' },
  provider_disabled: { status: 503, message: 'The provider for this model is disabled. Enable it in Switchboard → Providers.' },
  no_provider_key: { status: 503, message: 'The provider has no usable key. Add or enable a key in Switchboard → Providers.' },
  response_not_found: { status: 404, message: 'Switchboard keeps no response with this id. It keeps the responses it produced when "store" was true or absent, for the history retention period; otherwise send the whole conversation in "input".' },
  circuit_open: { status: 503, message: "Switchboard could not reach this provider several times in a row, so it skips it for now (no connect timeout waited). It probes the provider in the background and uses it again once it answers; add a fallback target (a local model) to keep answering meanwhile." },
  key_pool_exhausted: { status: 429, message: 'Every key of the provider is cooling down after rate limits or rejections. Wait, or add another key or fallback target.' },
  // --- upstream -----------------------------------------------------------------------------
  upstream_unreachable: { status: 502, message: 'Switchboard could not connect to the provider. Check the provider base URL and your network.' },
  upstream_timeout: { status: 504, message: 'The provider did not answer in time (Settings → timeouts).' },
  upstream_idle_timeout: { status: 504, message: 'The provider stopped sending data mid-answer (Settings → idle timeout).' },
  upstream_total_timeout: { status: 504, message: 'The answer took longer than the total time limit (Settings → total timeout).' },
  upstream_redirect: { status: 502, message: 'The provider answered with a redirect, which Switchboard never follows. Check the provider base URL.' },
  upstream_error: { status: 502, message: 'The provider returned an error.' },
  upstream_auth_failed: { status: 401, message: 'The provider rejected the key. Replace it in Switchboard → Providers.' },
  upstream_forbidden: { status: 403, message: 'The provider refused this request (for this model or this content, not because of the key). Check the model name and your access to it at the provider, or rephrase the request.' },
  upstream_rate_limited: { status: 429, message: 'The provider is rate-limiting this key. Wait, or add another key or fallback target.' },
  upstream_bad_response: { status: 502, message: 'The provider sent a response Switchboard could not read.' },
  upstream_disconnected: { status: 502, message: 'The provider closed the connection before the answer was complete.' },
  oauth_refresh_failed: { status: 502, message: "Switchboard could not refresh the OAuth account's access token, so the account rests and other keys are used. If the token server refused the refresh token, sign in again and give the account its new refresh token in Switchboard → Providers." },
  proxy_unreachable: { status: 502, message: "Switchboard could not connect through the outbound proxy named here. Check the proxy's address and that it is running, or change the provider's or key's proxy in Switchboard → Providers." },
  proxy_auth_failed: { status: 502, message: 'The outbound proxy named here refused its credentials. Fix the user and password in the proxy URL in Switchboard → Providers (or Settings → proxies).' },
  proxy_tls_untrusted: { status: 502, message: "Switchboard does not trust the TLS certificate of the https:// proxy named here, so nothing was sent through it. If your organisation's own certificate authority issued it, add the proxy's CA in Settings → Proxies (proxyCa); otherwise check the proxy's address." },
  content_filtered: { status: 400, message: "The provider's content filter blocked this request. Rephrase the prompt, or adjust the filter policy at the provider." },
  // --- the control API / store ----------------------------------------------------------------
  key_not_found: { status: 404, message: 'No provider key with this id exists; it may have been deleted.' },
  alias_not_found: { status: 404, message: 'No model alias with this name exists.' },
  client_token_not_found: { status: 404, message: 'No client token with this id exists.' },
  already_exists: { status: 409, message: 'Something with this name already exists: pick another name, or edit the existing one instead of creating it again.' },
  secret_storage_unavailable: { status: 503, message: 'No secure storage for keys is available on this system, so Switchboard refuses to store the key unprotected. Set up the OS keyring (or use the headless key file) and retry.' },
  database_corrupt: { status: 500, message: 'The Switchboard database file is damaged. Move switchboard.db (and its -wal/-shm files) out of the data folder to start fresh; keys must then be re-entered.' },
  database_schema_mismatch: { status: 500, message: 'The Switchboard database was written by a different version of Switchboard. Use the matching version, or move switchboard.db aside to start fresh.' },
  client_closed: { status: 499, message: 'The client closed the connection before the answer was complete.' },
  // --- the gateway --------------------------------------------------------------------------
  proxy_stopped: { status: 503, message: 'The Switchboard proxy is stopped. Start it from the tray or the dashboard.' },
  proxy_stopping: { status: 503, message: 'Switchboard is stopping; the answer was cut off. Retry once it runs again.' },
  store_unreachable: { status: 503, message: 'Switchboard cannot reach its PostgreSQL store. Check the --store URL (host, port, database, user, password) and that PostgreSQL is running and accepts connections from this machine.' },
  store_schema_mismatch: { status: 500, message: 'The PostgreSQL store was migrated by a different (newer) version of Switchboard. Run the same Switchboard version on every instance that shares the store.' },
  secret_key_missing: { status: 500, message: 'A PostgreSQL store needs the team secret key that encrypts provider keys at rest: set SWITCHBOARD_SECRET_KEY (64 hex characters) or pass --secret-key-file, the same on every instance.' },
  secret_key_mismatch: { status: 500, message: 'The team secret key does not match the one the PostgreSQL store was written with. Give every instance the key it was first started with (SWITCHBOARD_SECRET_KEY or --secret-key-file).' },
  secret_unavailable: { status: 500, message: 'A stored key could not be decrypted (the OS keyring or key file changed). Re-enter the key in Switchboard → Providers.' },
  port_in_use: { status: 500, message: 'The port is already used by another program.' },
  internal_error: { status: 500, message: 'Switchboard hit an unexpected error. The log has the details.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/** One problem of a rejected control request or config: where (a field path) and what. */
export interface ErrorIssue {
  /** `providers[0].baseUrl`, `id`, … */
  path: string;
  message: string;
  /** 1-based position in a config text, when the input was text. */
  line?: number;
  column?: number;
}

/** The issues to show for an error: its own list, else one for its `param`, else none. */
export function issuesOf(error: GatewayError): ErrorIssue[] | undefined {
  if (error.issues && error.issues.length > 0) return [...error.issues];
  return error.param ? [{ path: error.param, message: error.message }] : undefined;
}

/**
 * An error a user or client can act on. `detail` is appended to the code's message; it must
 * never contain secrets (keys, tokens).
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Body an upstream sent, kept so same-dialect clients can get it unchanged. */
  readonly upstreamBody?: { status: number; contentType?: string; body: Buffer };
  /** Seconds the upstream asked us to wait (429 Retry-After). */
  readonly retryAfterSeconds?: number;
  /** Name of the request field at fault, when known (OpenAI `param`). */
  readonly param?: string;
  /** Every problem with its path (and line/column in a config text), for a UI that marks fields. */
  readonly issues?: readonly ErrorIssue[];

  constructor(
    code: ErrorCode,
    detail?: string,
    options: {
      status?: number;
      upstreamBody?: GatewayError['upstreamBody'];
      retryAfterSeconds?: number;
      param?: string;
      issues?: readonly ErrorIssue[];
      /** What to do about this case, said instead of the code's general message (a field's own fix). */
      advice?: string;
      cause?: unknown;
    } = {},
  ) {
    const base = ERROR_CODES[code];
    const advice = options.advice ?? base.message;
    super(detail ? `${detail}${/[.!?]$/.test(detail) ? '' : '.'} ${advice}` : advice, { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? base.status;
    this.upstreamBody = options.upstreamBody;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param;
    this.issues = options.issues;
  }
}

/** Turns anything thrown into a GatewayError without leaking internals to the client. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', undefined, { cause: error });
}
