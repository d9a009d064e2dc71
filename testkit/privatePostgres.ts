import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/**
 * Test support: a PostgreSQL server of the test's own, on loopback, started
 * from this machine's Debian binaries (initdb + postgres as the `postgres`
 * user) and removed in `finally`. For faults that would hurt every other
 * test on the shared server, such as a low max_connections being reached.
 */
export interface PrivatePostgres {
  url: string;
  maxConnections: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

async function binDir(): Promise<string> {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? (await readdir(root)).sort() : [];
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no PostgreSQL binaries under ${root} (Debian: postgresql)`);
  return join(root, newest, "bin");
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("runuser", ["-u", "postgres", "--", command, ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

async function ready(url: string, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(100);
    }
  }
}

export async function withPrivatePostgres<T>(
  settings: { maxConnections: number },
  body: (server: PrivatePostgres) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "harness-pg-"));
  let server: ChildProcess | undefined;
  try {
    // initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
    const id = (flag: string) =>
      Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }));
    await chown(dir, id("-u"), id("-g"));
    const bin = await binDir();
    const data = join(dir, "data");
    await run(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    const port = await freePort();
    server = spawn(
      "runuser",
      [
        "-u",
        "postgres",
        "--",
        join(bin, "postgres"),
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        `unix_socket_directories=${dir}`,
        "-c",
        `max_connections=${settings.maxConnections}`,
        "-c",
        "fsync=off",
      ],
      { stdio: "ignore" },
    );
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await ready(url, 15_000);
    return await body({ url, maxConnections: settings.maxConnections });
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once("exit", resolve));
      // runuser passes the signal on; SIGINT is Postgres's fast shutdown.
      server.kill("SIGINT");
      await Promise.race([exited, sleep(10_000)]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    await rm(dir, { recursive: true, force: true });
  }
}
