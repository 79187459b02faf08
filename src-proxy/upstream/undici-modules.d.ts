// Types of the undici modules upstream/undici-lean.ts imports by path (undici ships types for its
// index only). Each is a CommonJS module: its default import is its module.exports.
declare module 'undici/lib/dispatcher/agent.js' {
  const Agent: unknown;
  export default Agent;
}
declare module 'undici/lib/dispatcher/proxy-agent.js' {
  const ProxyAgent: unknown;
  export default ProxyAgent;
}
declare module 'undici/lib/dispatcher/pool.js' {
  const Pool: unknown;
  export default Pool;
}
declare module 'undici/lib/dispatcher/client.js' {
  const Client: unknown;
  export default Client;
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  const Dispatcher: { prototype: object };
  export default Dispatcher;
}
declare module 'undici/lib/core/symbols.js' {
  const symbols: { kPipelining: symbol };
  export default symbols;
}
declare module 'undici/lib/api/index.js' {
  const api: object;
  export default api;
}
declare module 'undici/lib/core/util.js' {
  const util: { parseHeaders(raw: Buffer[]): Record<string, string | string[]> };
  export default util;
}
