/**
 * Embedding vectors on the OpenAI wire: float arrays, or base64 of little-endian float32 (what
 * the official Node SDK asks for by default and then decodes).
 */
import { GatewayError } from '../../errors/codes.ts';

export function decodeEmbedding(value: number[] | string | undefined): number[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    const length = bytes.byteLength - (bytes.byteLength % 4);
    // Copy: a pooled Buffer's offset need not be 4-byte aligned, which Float32Array requires.
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length));
    return Array.from(floats);
  }
  throw new GatewayError('upstream_bad_response', 'An embedding in the provider answer is missing');
}

export function encodeEmbeddingBase64(vector: number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
