/** Where GeoReport v2 is served. */
export const OPEN311_BASE = '/open311/v2';

/** The service account Open311 cases name as their creator (role `service`, cannot log in). */
export const SERVICE_USERNAME = 'open311';
export const SERVICE_DISPLAY_NAME = 'Open311';

/** The station key whose code prefixes Open311 case numbers (never a workstation's: those are UUIDs). */
export const OPEN311_STATION_KEY = 'server:open311';

/** The team whose workstations get Open311 cases when nothing else is configured. */
export const DEFAULT_OPEN311_TEAM = 'team-a';

/** The actor of every step the server takes for an Open311 request. */
export const OPEN311_ACTOR = { kind: 'system', id: 'open311', station: null } as const;

export interface Open311Config {
  /** The team that receives Open311 cases (server option `open311Team`, env OPEN311_TEAM). */
  team: string;
  /** Id of the seeded service account. */
  serviceUserId: string;
  /**
   * The public URL of the endpoint for discovery (option `open311BaseUrl`, env OPEN311_BASE_URL);
   * when unset, built from the request's Host header.
   */
  baseUrl: string | undefined;
  /** When the service list was last loaded (discovery `changeset`). */
  changeset: string;
}
