import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { readSummary } from "../testkit/readSummary.ts";
import { REPO, runHarness } from "../testkit/runHarness.ts";

/*
 * A config that lives in another team's repository: a folder outside this
 * one, where the harness is installed under its package name, and a config
 * that imports only the package's public entry
 * (`curva-pasukuru-harness/config`). It is run by the harness as a user
 * would, against an in-test server, and must be green; a deep import of a
 * path the package does not export is refused by Node, not silently taken.
 */

const TOKEN = "team-admin-token-7d1e9b3c5a";
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    if (request.url === "/health")
      return response
        .writeHead(200, { "content-type": "application/json" })
        .end('{"status":"ok","services":[{"name":"api","status":"up"}]}');
    if (request.url === "/admin/report")
      return request.headers.authorization?.startsWith("Bearer ") &&
        request.headers.authorization.split(".").length === 3
        ? response.writeHead(200).end("{}")
        : response.writeHead(401).end();
    response.writeHead(404).end();
  });
});
let url = "";
let home = "";
beforeAll(async () => {
  url = await listenOnLoopback(server);
  // The other team's repository: the harness installed by name, as a package manager links it.
  home = await mkdtemp(join(tmpdir(), "team-repo-"));
  await mkdir(join(home, "node_modules"), { recursive: true });
  await symlink(REPO, join(home, "node_modules", "curva-pasukuru-harness"), "dir");
});
afterAll(async () => {
  await closeServer(server);
  await rm(home, { recursive: true, force: true });
});

const CONFIG = `
import { defineConfig, probeEventId, signJwt } from "curva-pasukuru-harness/config";

export default defineConfig({
  targets: {
    team: {
      description: "a team's staging, configured in its own repository (" + probeEventId("run", 1) + ")",
      async setup({ env }) {
        const secret = env.secret("TEAM_JWT_SECRET", { description: "the admin JWT secret" });
        const admin = signJwt({ alg: "HS256", typ: "JWT" }, { sub: "probe", role: "admin" }, secret);
        return {
          profile: {
            services: { api: { url: env.url("TEAM_API_URL", { description: "the API", protocols: ["http:"] }), healthPath: "/health" } },
            databases: {},
            secrets: [secret],
            probe: {
              http: {
                identities: { admin: async () => ({ authorization: "Bearer " + admin }) },
                criticalRoutes: [
                  { service: "api", path: "/health", body: [{ pointer: "/services", every: { pointer: "/status", equals: "up" } }] },
                  { service: "api", path: "/admin/report", identity: "admin" },
                ],
              },
              cleanup: [],
            },
          },
        };
      },
    },
  },
});
`;

describe("a config outside the repository, through the package's public entry", () => {
  it("imports curva-pasukuru-harness/config by name and runs green", async () => {
    const file = join(home, "harness.config.ts");
    const reports = join(home, "reports");
    await writeFile(file, CONFIG);
    const run = await runHarness(
      ["probe", "--config", file, "--target", "team", "--only", "HC4", "--report-dir", reports],
      { TEAM_API_URL: url, TEAM_JWT_SECRET: TOKEN },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = await readSummary(reports);
    expect(summary.checks.map((c) => [c.name.split(" ")[0], c.status])).toEqual([
      ["HC4", "passed"],
    ]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN.slice(0, 6));
  });

  it("a deep import of what the package does not export is refused, naming it", async () => {
    const file = join(home, "deep.config.ts");
    await writeFile(
      file,
      'import { newRunId } from "curva-pasukuru-harness/lib/drivers/runId.ts";\nexport default { targets: { team: newRunId } };\n',
    );
    const run = await runHarness(["probe", "--config", file, "--target", "team"]);
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});
