/**
 * Azure OpenAI has two URL surfaces (docs/wire-formats.md, "Azure OpenAI"):
 * - classic: `{resource}/openai/deployments/{deployment}/{path}?api-version=…` — the deployment
 *   in the path picks the model, `api-version` is mandatory (404 without it), body `model` is
 *   ignored and not sent;
 * - v1: a base URL ending in `/openai/v1` + the standard OpenAI paths, no api-version, body
 *   `model` = the deployment name.
 * Both take the key in the `api-key` header. Deployments map from model names per provider
 * (`options.deployments`); a model with no entry is its own deployment name, which is how most
 * Azure deployments are named.
 */
import { optionsOf } from '../../domain/provider-kind.ts';
import type { ProviderRecord } from '../../domain/provider.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import type { ResolvedTarget } from '../types.ts';
import { AZURE_OPENAI_OPTIONS } from './options.ts';

/** A current GA data-plane version (classic surface). */
export const DEFAULT_API_VERSION = '2024-10-21';

export type AzurePath = '/chat/completions' | '/completions' | '/embeddings';

export interface AzureSurface {
  kind: 'classic' | 'v1';
  /** URL of an operation for one deployment. */
  url(path: AzurePath, deployment: string): string;
  /** Sets or removes body `model` as the surface requires. */
  setModel(body: Record<string, unknown>, deployment: string): void;
}

export function isV1BaseUrl(baseUrl: string): boolean {
  return /\/openai\/v1$/.test(baseUrl.replace(/\/+$/, ''));
}

export function azureSurface(provider: ProviderRecord): AzureSurface {
  const base = provider.baseUrl.replace(/\/+$/, '');
  if (isV1BaseUrl(base)) {
    return {
      kind: 'v1',
      url: (path) => `${base}${path}`,
      setModel: (body, deployment) => {
        body.model = deployment;
      },
    };
  }
  // Accept the resource URL with or without a trailing /openai.
  const root = base.replace(/\/openai$/, '');
  const version = encodeURIComponent(optionsOf(provider, AZURE_OPENAI_OPTIONS).apiVersion || DEFAULT_API_VERSION);
  return {
    kind: 'classic',
    url: (path, deployment) => `${root}/openai/deployments/${pathSegment(deployment)}${path}?api-version=${version}`,
    setModel: (body) => {
      delete body.model;
    },
  };
}

export function deploymentFor(provider: ProviderRecord, model: string): string {
  return optionsOf(provider, AZURE_OPENAI_OPTIONS).deployments?.[model] ?? model;
}

export function azureHeaders(provider: ProviderRecord, key: ResolvedTarget['key']): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...provider.headers,
    ...(key ? { 'api-key': key.secret } : {}),
  };
}

export function secretsOf(key: ResolvedTarget['key']): string[] {
  return key ? [key.secret] : [];
}
