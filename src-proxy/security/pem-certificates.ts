/**
 * What PEM certificates say about themselves (subject, issuer, validity), read with Node's own
 * X.509 parser — for settings.proxyCa, so a pasted CA is checked when it is saved and the
 * dashboard can show whose it is and until when it holds, instead of failing later at a TLS
 * handshake. Certificates are public: nothing here is secret.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateSummary } from '../domain/certificate.ts';

const BLOCK = /-----BEGIN CERTIFICATE-----\r?\n([\s\S]*?)-----END CERTIFICATE-----/g;

/** Every certificate of the PEM text, or an Error saying which one is not usable and why. */
export function describePemCertificates(pem: string, now = Date.now()): CertificateSummary[] {
  const blocks = [...pem.matchAll(BLOCK)].map((match) => match[0]);
  if (blocks.length === 0) throw new Error('no certificate found: paste PEM text starting with -----BEGIN CERTIFICATE----- (a .pem or .crt file)');
  return blocks.map((block, index) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`certificate ${index + 1} of ${blocks.length} cannot be read (${reason}): paste it whole, as the file has it`, { cause: error });
    }
    const validTo = Date.parse(certificate.validTo);
    return {
      subject: oneLine(certificate.subject),
      issuer: oneLine(certificate.issuer),
      validFrom: Date.parse(certificate.validFrom),
      validTo,
      expired: validTo < now,
      ca: certificate.ca,
      fingerprint256: certificate.fingerprint256,
    };
  });
}

/** "CN=Corp Root CA\nO=Corp" → "CN=Corp Root CA, O=Corp". */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}
