// Raw HTTP for the strictness tests; not a test file itself. A server kept open for a whole
// file, and requests written byte by byte, so that header values no HTTP client would send
// (control characters, bytes that are not Latin-1) still reach the app.
import { createServer, type RequestListener } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Serves `listener` on a loopback port until `close()`. */
export async function listen(listener: RequestListener): Promise<Listening> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  /** The status line and header lines, as sent. */
  head: string;
  body: string;
}

/**
 * Sends `GET path` with `Authorization: <value>` written as raw UTF-8 bytes, on its own
 * connection, and reads the answer until the server closes it.
 */
export function rawAuthorization(port: number, path: string, value: string): Promise<RawResponse> {
  const request = Buffer.concat([
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`, 'latin1'),
    Buffer.from('Authorization: ', 'latin1'),
    Buffer.from(value, 'utf8'),
    Buffer.from('\r\n\r\n', 'latin1'),
  ]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? '' : text.slice(split + 4) });
    });
  });
}
