import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

// The baseline: a bare socket.io server (WebSocket only) that broadcasts one payload to everyone
// when told on stdin (`go <json>`), with no storage, no auth, no rooms.
const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false });
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.stdin.setEncoding('utf8');
let buf = '';
process.stdin.on('data', (chunk: string) => {
  buf += chunk;
  const lines = buf.split('\n');
  buf = lines.pop() ?? '';
  for (const line of lines) if (line.startsWith('go ')) io.emit('poke', JSON.parse(line.slice(3)) as unknown);
});
