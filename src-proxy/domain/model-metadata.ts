/** Model metadata: context window, max output, capabilities — as discovered, set, or known by family. */
import { z } from 'zod';
import { lazySchema } from './lazy-schema.ts';

export const CAPABILITIES = ['completion', 'tools', 'vision', 'thinking', 'embedding', 'insert'] as const;
export const capabilitySchema = lazySchema(() => z.enum(CAPABILITIES));
export type Capability = z.infer<typeof capabilitySchema>;

/** What a cloud chat API's model can do when nothing more is known: every such API takes tools. */
export const CLOUD_CHAT_CAPABILITIES: readonly Capability[] = ['completion', 'tools'];

export const modelMetadataSchema = lazySchema(() =>
  z
    .object({
      contextWindow: z.number().int().positive().optional(),
      maxOutputTokens: z.number().int().positive().optional(),
      capabilities: z.array(capabilitySchema).optional(),
      family: z.string().optional(),
      parameterSize: z.string().optional(),
    })
    .strict(),
);
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

/** A model a provider reported (or the user described), addressable as `providerId/model`. */
export interface DiscoveredModel {
  providerId: string;
  /** Upstream model id. */
  model: string;
  /** `providerId/model` */
  address: string;
  metadata: ModelMetadata;
  discoveredAt: number;
}
