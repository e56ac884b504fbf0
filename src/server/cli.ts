import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './app';
import { createLogger } from './log';
import { tlsFromArgs } from './tls';
import { ADMIN_COMMANDS_HELP, runAdminCommand } from './admin-cli';

const HELP = `usage: npm run server -- [--port <n|0>] [--host 127.0.0.1] [--data <dir>]
  storage: SQLite file in <data>/server.sqlite, or PostgreSQL when DATABASE_URL is set
  TLS: --tls-cert <cert.pem> --tls-key <key.pem> (or HOTLINE_TLS_CERT, HOTLINE_TLS_KEY): HTTPS and WSS on the same port
  Open311: OPEN311_TEAM (team receiving Open311 cases, default team-a), OPEN311_BASE_URL (public endpoint URL for discovery)
  token keys: HOTLINE_TOKEN_SECRET (kid:base64[,kid:base64…], first signs), else HOTLINE_TOKEN_KEYS_FILE, else <data>/token-keys.json
usage: npm run server -- [--data <dir>] <command> [arg]
${ADMIN_COMMANDS_HELP}`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4100' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: './data/server' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const [command, ...args] = positionals;
  if (command) {
    const done = await runAdminCommand(command, args, { dataDir: path.resolve(values.data), databaseUrl: process.env.DATABASE_URL, print: (line) => console.log(line) });
    if (!done) {
      console.error(`unknown command ${command}\n${HELP}`);
      process.exit(2);
    }
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid --port ${values.port}\n${HELP}`);
    process.exit(2);
  }
  const log = createLogger({ svc: 'server' });
  const tls = tlsFromArgs({ cert: values['tls-cert'], key: values['tls-key'] });
  const server = await startServer({ port, host: values.host, tls, dataDir: path.resolve(values.data), databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, logger: log,
    open311Team: process.env.OPEN311_TEAM, open311BaseUrl: process.env.OPEN311_BASE_URL });
  console.log(`server listening on ${server.url}`);
  const stop = (signal: string) => {
    log.info('stopping', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
