import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';
import type { Logger } from './log';

/**
 * Several server nodes on one database: pokes (and any room broadcast) fan out through Redis
 * pub/sub with socket.io's Redis adapter. Clients use the WebSocket transport only, so no sticky
 * sessions are needed.
 */
export async function attachRedisAdapter(io: Server, url: string, log: Logger): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on('error', (error: unknown) => log.warn('redis error', { error }));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  log.info('redis adapter attached', { url: url.replace(/\/\/[^@]*@/, '//***@') });
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
