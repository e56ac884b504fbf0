import { startServer, type RunningServer, type ServerOptions } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import type { TokenSigner } from '../../src/server/auth/token';
import type { Cleanup } from './cleanup';
import type { FreshStorage, StorageBackend } from './backends';

/** A fresh storage on `backend` and a server in this process on a free port; both end with `cleanup`. */
export async function startTestServer(
  backend: StorageBackend,
  cleanup: Cleanup,
  extra: Partial<ServerOptions> = {},
): Promise<{ storage: FreshStorage; server: RunningServer }> {
  const storage = await backend.fresh();
  cleanup.add(() => storage.dispose());
  const server = await startServer({ port: 0, dataDir: storage.dataDir, databaseUrl: storage.databaseUrl, logger: createLogger({}, 'error'), ...extra });
  cleanup.add(() => server.close());
  return { storage, server };
}

/** The server's own signer (its keyring in force), to mint access tokens for test users. */
export function tokenSignerOf(server: RunningServer): Promise<TokenSigner> {
  return Promise.resolve(server.signer);
}
