/** A client token as it may leave the core: a name and a hint, the token itself only once. */
export interface ClientTokenInfo {
  id: string;
  name: string;
  /** e.g. "sb-…4f2c" */
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface CreatedClientToken extends ClientTokenInfo {
  /** Shown once, at creation. */
  token: string;
}
