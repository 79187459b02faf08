/**
 * The front doors this build serves. Adding a front door = one folder + one line in FRONT_DOORS;
 * its name, paths, token source, endpoint and error shape come from its own declaration.
 */
import type { GatewayEndpoint } from '../domain/endpoints.ts';
import type { ErrorResponse } from '../http/route-config.ts';
import type { GatewayError } from '../errors/codes.ts';
import { anthropicDialect } from './anthropic/index.ts';
import { ollamaDialect } from './ollama/index.ts';
import { openAiDialect } from './openai/index.ts';
import { geminiDialect } from './gemini/index.ts';
import { responsesDialect } from './responses/index.ts';
import type { Dialect } from './types.ts';

/** In the order the endpoints are listed; the first is the fallback for paths no door owns. */
export const FRONT_DOORS = [openAiDialect, anthropicDialect, ollamaDialect, responsesDialect, geminiDialect] as const;

export type DialectName = (typeof FRONT_DOORS)[number]['name'];

export interface FrontDoors {
  readonly all: readonly Dialect[];
  byName(name: string | undefined): Dialect;
  /** For requests that matched no route: the door owning the longest prefix of the path. */
  forPath(url: string): Dialect;
  /** The error body a door renders (by name), for code that only knows the door's name. */
  renderError(name: string, error: GatewayError): ErrorResponse;
  /** The base URLs to give tools, one per door that has its own, in registry order. */
  endpoints(): GatewayEndpoint[];
}

export function createFrontDoors(doors: readonly Dialect[] = FRONT_DOORS): FrontDoors {
  const fallback = doors[0];
  if (!fallback) throw new Error('At least one front door must be registered');
  const byName = new Map(doors.map((door) => [door.name, door]));
  if (byName.size !== doors.length) throw new Error('Two front doors share a name');
  const prefixes = doors
    .flatMap((door) => door.pathPrefixes.map((prefix) => ({ prefix, door })))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const endpoints = doors.flatMap((door) => (door.endpoint ? [door.endpoint] : []));

  const find = (name: string | undefined) => (name === undefined ? fallback : byName.get(name) ?? fallback);
  return {
    all: doors,
    byName: find,
    forPath(url) {
      const path = url.split('?', 1)[0] ?? '';
      return prefixes.find(({ prefix }) => path.startsWith(prefix) || `${path}/` === prefix)?.door ?? fallback;
    },
    renderError: (name, error) => find(name).renderError(error),
    endpoints: () => endpoints.map((endpoint) => ({ ...endpoint })),
  };
}
