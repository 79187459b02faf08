/** Types of deploy/topology.mjs (the team server's topology, one source of truth). */
export declare const postgres: { readonly service: string; readonly port: number; readonly database: string; readonly user: string; readonly env: readonly string[] };
export declare const valkey: { readonly service: string; readonly port: number };
export declare const INSTANCE_ENV: readonly string[];
export declare const INSTANCE_PORT: number;
export declare const CONFIG_FILE: string;
export declare const INSTANCE_ARGS: readonly string[];
export declare const instances: ReadonlyArray<{ readonly service: string; readonly port: number }>;
export declare const loadBalancer: { readonly service: string; readonly port: number; readonly upstreams: readonly string[] };
export declare const services: readonly string[];
export declare function instanceEnv(where: { storeUrl: string; sharedUrl: string; secretKey: string; dataDir: string }): Record<string, string>;
