import type { AddressInfo, Server } from 'node:net';

export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
}

/**
 * Listens and resolves with the bound address. A taken port becomes a one-line error naming the
 * environment variable to change, not a stack trace.
 */
export function listenOn(server: Server, port: number, host: string, variable: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(`port ${port} on ${host} is already in use: set ${variable} to a free port`),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new PortInUseError(`no permission to listen on port ${port}: set ${variable} to a port above 1023`),
        );
      } else {
        reject(error);
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
