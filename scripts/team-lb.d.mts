/** Types of scripts/team-lb.mjs (team:local's round-robin load balancer). */
export declare function startLoadBalancer(options: { host?: string; port: number; upstreams: Array<{ host: string; port: number }> }): Promise<{ port: number; close(): Promise<void> }>;
