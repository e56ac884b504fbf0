import crypto from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, Poke, decodeFrame } from '../src/shared/sync/protocol';

/**
 * N lightweight workstations in one process: each holds a real WebSocket to the server, validates
 * every poke with the protocol's zod schema and keeps the change it carries (no local SQLite: on a
 * real floor every workstation applies it in its own database on its own PC, in parallel).
 * Prints `ready` once all are connected, then one JSON line with each arrival time (epoch ms).
 */
const [url, mode, countRaw, token] = process.argv.slice(2);
const count = Number(countRaw);
const now = () => performance.timeOrigin + performance.now();
const sockets: Socket[] = [];
const arrivals: number[] = [];
let connected = 0;
let deadline: NodeJS.Timeout | undefined;

function finish(): void {
  if (deadline) clearTimeout(deadline);
  console.log(JSON.stringify({ arrivals, count }));
  for (const s of sockets) s.disconnect();
  setTimeout(() => process.exit(0), 200);
}

for (let i = 0; i < count; i += 1) {
  const socket = io(url ?? '', {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(mode === 'ours' ? { auth: { token, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION } } : {}),
  });
  let got = false;
  socket.on('poke', (raw: unknown) => {
    const at = now();
    let decoded: unknown;
    try {
      decoded = decodeFrame(raw);
    } catch {
      return;
    }
    const poke = Poke.safeParse(decoded);
    if (got || !poke.success || !poke.data.changes?.some((c) => c.entity === 'case')) return;
    got = true;
    arrivals.push(at);
    if (arrivals.length === count) finish();
  });
  socket.on('connect', () => {
    connected += 1;
    if (connected === count) {
      console.log('ready');
      deadline = setTimeout(finish, 30_000);
    }
  });
  socket.on('connect_error', (e) => {
    console.error(`connect_error ${e.message}`);
  });
  sockets.push(socket);
}
