/** The engine as a library: what src-main, the tests and the bench import. */
export { createGateway, SWITCHBOARD_VERSION } from './create-gateway.ts';
export type { Gateway, GatewayOptions } from './gateway-types.ts';
export type * from './control/contract.ts';
export { GatewayError, ERROR_CODES } from './errors/codes.ts';
export { openStore } from './store/create-store.ts';
export type { SecretCipher, Store } from './store/types.ts';
