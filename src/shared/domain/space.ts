import { z } from 'zod';

/**
 * A data space: `live` is the city's real work; `training` is practice. Each space has its own
 * server store and its own local store on the workstation, chosen by the session, so a query in
 * one space cannot see the other's cases by construction.
 */
export const Space = z.enum(['live', 'training']);
export type Space = z.infer<typeof Space>;

export const SPACES: readonly Space[] = Space.options;

/**
 * The prefix of case numbers made in a space: a practice case number (`T0001-000042`) can never
 * be read to a caller as a real one (`S0001-000042`). The station keeps its code; only the letter differs.
 */
export function numberPrefix(space: Space, station: string): string {
  return space === 'training' ? `T${station.slice(1)}` : station;
}
