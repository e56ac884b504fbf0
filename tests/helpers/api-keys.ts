import fs from 'node:fs';
import path from 'node:path';
import { API_KEYS_FILE } from '../../src/server/seed';
import { shippedReferenceSet } from '../../src/server/reference/reference-set';

/** The API key secrets a server wrote at its first start in `dataDir`, by key id. */
export function readApiKeys(dataDir: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(dataDir, API_KEYS_FILE), 'utf8')) as Record<string, string>;
}

/** A unit's secret, found through the unit's `apiKeyId` in the reference data. */
export function unitKey(keys: Readonly<Record<string, string>>, unitId: string): string {
  const keyId = shippedReferenceSet().unit(unitId)?.apiKeyId;
  const secret = keyId === undefined ? undefined : keys[keyId];
  if (secret === undefined) throw new Error(`no API key for unit ${unitId}`);
  return secret;
}
