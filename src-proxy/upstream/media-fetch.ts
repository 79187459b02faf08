/**
 * Downloads of URLs a client put in a request (images for providers that take them only inline),
 * kept apart from provider calls because the client, not the configuration, chose the address
 * (finding 5 of issue 11). Only https; every address the host name resolves to must pass the
 * address rule (default: public and not this machine's), checked when the connection is made —
 * the lookup the socket itself uses — so a name that resolves differently a moment later (DNS
 * rebinding) cannot slip past. No redirects here (the caller re-checks each hop), and a time
 * budget of its own.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request } from './undici-lean.ts';
import { GatewayError } from '../errors/codes.ts';
import { toAbortSignal, type CallSignal } from './call-signal.ts';
import { createPublicAddressRule } from './public-address.ts';

export interface MediaFetchOptions {
  /** Which resolved addresses may be reached. Default: public ones that are not this machine's. */
  allowAddress?: (address: string) => boolean;
  /** Extra trusted CA certificates (PEM), e.g. for a test server's own certificate. */
  ca?: string;
  /** Whole-download budget in ms (default 30 s). */
  totalMs?: number;
}

export interface MediaResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Buffer>;
}

export interface MediaFetcher {
  get(url: URL, signal: CallSignal): Promise<MediaResponse>;
  close(): Promise<void>;
}

/** Thrown from the socket's lookup; found again in the error undici reports. */
class RefusedAddress extends Error {}

function refusal(url: URL, address: string): GatewayError {
  return new GatewayError('image_url_refused', `${url.host} resolves to ${address}, which is not a public internet address`, { param: 'messages' });
}

function findRefusal(error: unknown): RefusedAddress | null {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof RefusedAddress) return current;
  }
  return null;
}

export function createMediaFetcher(options: MediaFetchOptions = {}): MediaFetcher {
  const allow = options.allowAddress ?? createPublicAddressRule();
  const totalMs = options.totalMs ?? 30_000;

  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const refused = addresses.find((entry) => !allow(entry.address));
      if (refused || addresses.length === 0) return callback(new RefusedAddress(refused?.address ?? 'no address'), '', 4);
      if (lookupOptions.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const agent = new Agent({ connect: { timeout: 10_000, lookup: guardedLookup, ...(options.ca ? { ca: options.ca } : {}) }, keepAliveTimeout: 4_000, connections: 16 });

  return {
    async get(url, signal) {
      if (url.protocol !== 'https:') {
        throw new GatewayError('image_url_refused', `Images are downloaded only over https, not from "${url.protocol}//${url.host}"`, { param: 'messages' });
      }
      // A literal address never goes through the lookup: check it here.
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(literal) !== 0 && !allow(literal)) throw refusal(url, literal);
      try {
        const response = await request(url, {
          method: 'GET',
          headers: { accept: 'image/*,application/pdf;q=0.9,*/*;q=0.5' },
          signal: AbortSignal.any([toAbortSignal(signal), AbortSignal.timeout(totalMs)]),
          dispatcher: agent,
          headersTimeout: totalMs,
          bodyTimeout: totalMs,
          maxRedirections: 0,
        } as Parameters<typeof request>[1]);
        return { status: response.statusCode, headers: response.headers as IncomingHttpHeaders, body: response.body as AsyncIterable<Buffer> };
      } catch (error) {
        const refused = findRefusal(error);
        if (refused) throw refusal(url, refused.message);
        if (signal.aborted && signal.reason instanceof GatewayError) throw signal.reason;
        const code = (error as { code?: string }).code ?? (error as Error).name;
        throw new GatewayError('invalid_request', `Downloading the image from ${url.host} failed (${code})`, { param: 'messages', cause: error });
      }
    },
    close: () => agent.close(),
  };
}
