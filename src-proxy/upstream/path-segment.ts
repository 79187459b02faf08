/**
 * One URL path segment made from a name (a model, a deployment). Encoded, and never `.` or `..`,
 * which URL normalisation would turn into a step up the path. The router refuses such names with
 * a clear 400 before a key is chosen (upstream/model-name.ts); this is the last guard
 * where the URL is built.
 */
import { GatewayError } from '../errors/codes.ts';

export function pathSegment(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) {
    throw new GatewayError('invalid_model_name', `"${name.slice(0, 80)}" cannot be one URL path segment`, { param: 'model' });
  }
  return encodeURIComponent(name);
}
