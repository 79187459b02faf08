/**
 * Refuses requests that come from web pages (CSRF, rebinding): an `Origin` that is not allowed
 * (including `null`), or a `Sec-Fetch-Site` other than `none`. The token and Host checks carry
 * the weight; this is the belt to their braces. The dashboard's own page may call the control
 * routes from its own origin. Pure and table-tested.
 */
export interface BrowserPolicyInput {
  origin: string | undefined;
  secFetchSite: string | undefined;
  allowedOrigins: readonly string[];
  /** The page origin allowed for this route (control surface only), e.g. http://127.0.0.1:11434 */
  sameOrigin: string | null;
}

export function isBrowserRequestAllowed(input: BrowserPolicyInput): boolean {
  const { origin, secFetchSite } = input;
  const explicitlyAllowed = origin !== undefined && origin !== 'null' && input.allowedOrigins.includes(origin);
  const sameOrigin = origin !== undefined && input.sameOrigin !== null && origin.toLowerCase() === input.sameOrigin.toLowerCase();
  if (origin !== undefined && !explicitlyAllowed && !sameOrigin) return false;
  if (secFetchSite !== undefined && secFetchSite !== 'none') {
    if (explicitlyAllowed) return true;
    return secFetchSite === 'same-origin' && input.sameOrigin !== null && (origin === undefined || sameOrigin);
  }
  return true;
}
