import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * Test support: an in-test HTTP server on loopback, on a port of the
 * kernel's choosing, and its closing (open keep-alive connections first, so
 * close does not wait on them).
 */

/** Listens on 127.0.0.1:0; resolves with `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
