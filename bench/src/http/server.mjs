// The child process of the HTTP scenario: `node server.mjs <contender>` with the JWKS settings
// in BENCH_SERVER (JSON). It listens on 127.0.0.1 and a free port and reports the port over IPC.
// The parent may then send { cmd: 'mark' } (answered { cmd: 'mark' }) before the timed run and
// { cmd: 'read' } after it, answered { cmd: 'read', cpuUs, requests }: this process's CPU time
// (user + system, all threads) and the requests it got since the mark.
import { createServer } from 'node:http';
import { HTTP_APPS } from './apps.mjs';

const name = process.argv[2];
const config = JSON.parse(process.env.BENCH_SERVER ?? '{}');
const factory = HTTP_APPS[name];
if (!factory || !process.send) {
  console.error(`bench server: unknown contender "${name}", or not started with an IPC channel`);
  process.exit(2);
}

const server = createServer(await factory(config));
server.keepAliveTimeout = 60_000;
let requests = 0;
server.on('request', () => {
  requests++;
});
let mark = { cpu: process.cpuUsage(), requests };
process.on('message', (message) => {
  if (message?.cmd === 'mark') {
    mark = { cpu: process.cpuUsage(), requests };
    process.send({ cmd: 'mark' });
  } else if (message?.cmd === 'read') {
    const { user, system } = process.cpuUsage(mark.cpu);
    process.send({ cmd: 'read', cpuUs: user + system, requests: requests - mark.requests });
  }
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
// The parent ends the run by disconnecting; a lost parent ends it too.
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
