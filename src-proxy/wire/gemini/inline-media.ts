/**
 * Gemini cannot fetch arbitrary URLs (docs/wire-formats.md, "Images"): an image given as a URL is
 * downloaded here and sent inline as base64. The client chose that address, so it goes through
 * the media fetcher (upstream/media-fetch.ts): https only, public addresses only, its own time
 * budget; a size cap here, and a few redirects followed by hand, each hop checked again.
 */
import { GatewayError } from '../../errors/codes.ts';
import type { MediaResponse } from '../../upstream/media-fetch.ts';
import type { UpstreamContext } from '../../providers/types.ts';

/** Gemini's inline-data request limit is 20 MB; a larger image could never be sent anyway. */
export const MAX_INLINE_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export interface InlineData {
  mimeType: string;
  data: string;
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  heic: 'image/heic', heif: 'image/heif', pdf: 'application/pdf',
};

function shortUrl(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}

function mediaTypeOf(contentType: string | string[] | undefined, url: URL): string {
  const header = (Array.isArray(contentType) ? contentType[0] : contentType)?.split(';')[0]?.trim().toLowerCase();
  if (header && header !== 'application/octet-stream' && header !== 'binary/octet-stream') return header;
  const extension = url.pathname.split('.').pop()?.toLowerCase() ?? '';
  const guessed = EXTENSION_TYPES[extension];
  if (!guessed) throw new GatewayError('unsupported_feature', `The image at ${shortUrl(url.href)} has no usable content type; send it as a data: URL`);
  return guessed;
}

/**
 * Lets go of a response whose body is not wanted. Breaking out of the body's async iteration
 * destroys it with its listeners in place; destroying an unread undici body directly would
 * raise an unhandled AbortError.
 */
async function release(response: MediaResponse): Promise<void> {
  for await (const _chunk of response.body) break;
}

function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GatewayError('invalid_request', `The image URL "${shortUrl(raw)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayError('unsupported_feature', `Images for Gemini must be https or data: URLs, not "${url.protocol}"`);
  }
  return url;
}

/** Downloads one image and returns it as Gemini `inlineData`. */
export async function downloadInlineData(raw: string, context: UpstreamContext): Promise<InlineData> {
  let url = parseHttpUrl(raw);
  const media = context.media;
  if (!media) throw new GatewayError('image_url_refused', 'This call cannot download images; send the image as a data: URL');
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await media.get(url, context.signal);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && typeof location === 'string') {
      await release(response);
      url = parseHttpUrl(new URL(location, url).href);
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      await release(response);
      throw new GatewayError('invalid_request', `Downloading the image ${shortUrl(url.href)} for Gemini failed with HTTP ${response.status}`);
    }
    let mimeType: string;
    try {
      mimeType = mediaTypeOf(response.headers['content-type'], url);
    } catch (error) {
      await release(response);
      throw error;
    }
    const declared = Number(response.headers['content-length']);
    if (declared > MAX_INLINE_BYTES) {
      await release(response);
      throw new GatewayError('body_too_large', `The image ${shortUrl(url.href)} is larger than Gemini's 20 MB inline limit`);
    }
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > MAX_INLINE_BYTES) {
        // Throwing out of the loop ends the iteration, which releases the connection.
        throw new GatewayError('body_too_large', `The image ${shortUrl(url.href)} is larger than Gemini's 20 MB inline limit`);
      }
      parts.push(chunk);
    }
    return { mimeType, data: Buffer.concat(parts).toString('base64') };
  }
  throw new GatewayError('invalid_request', `The image URL ${shortUrl(raw)} redirects more than ${MAX_REDIRECTS} times`);
}

/** Downloads every distinct URL in parallel; the map is keyed by the URL as the client sent it. */
export async function downloadAll(urls: Iterable<string>, context: UpstreamContext): Promise<Map<string, InlineData>> {
  const unique = [...new Set(urls)];
  const results = await Promise.all(unique.map((url) => downloadInlineData(url, context)));
  return new Map(unique.map((url, index) => [url, results[index]!]));
}
