/** A certificate as the dashboard shows it (settings.proxyCa): who it names and until when it holds. */
export interface CertificateSummary {
  /** "CN=Corp Root CA, O=Corp". */
  subject: string;
  issuer: string;
  /** Epoch ms. */
  validFrom: number;
  validTo: number;
  expired: boolean;
  /** Whether it is a CA certificate (basicConstraints CA:TRUE). */
  ca: boolean;
  fingerprint256: string;
}
