/** Types of scripts/team-local/start-team.mjs. */
interface Closable {
  url: string;
  close(): Promise<void>;
}
export interface LocalTeamInfo {
  url: string;
  storeUrl: string;
  sharedUrl: string;
  instances: Array<{ name: string; port: number }>;
  adminToken: string | null;
  clientToken: string | null;
}
export declare function startTeam(options: {
  servers: {
    startPostgresServer(options: { user: string }): Promise<Closable>;
    startRedisServer(): Promise<Closable>;
    createTestDatabase(serverUrl: string, options: { name: string }): Promise<string>;
  };
  lbPort?: number;
  lbHost?: string;
  onStep?: (text: string) => void;
}): { started: Promise<LocalTeamInfo>; close(): Promise<void> };
