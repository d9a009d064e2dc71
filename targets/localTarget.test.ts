import { request } from "undici";
import { describe, expect, it } from "vitest";
import { EnvReader } from "../lib/config/envReader.ts";
import { localTarget } from "./localTarget.ts";

async function opened(purpose: "smoke" | "probe") {
  const session = await localTarget.setup({
    targetName: "local",
    env: new EnvReader({}),
    keepData: false,
    purpose,
  });
  return { profile: session.profile, teardown: session.teardown ?? (async () => {}) };
}

describe("the local target's HTTPS edge", () => {
  it("is started for the probes: T1–T3 get a TLS URL, its CA, and the edge answers", async () => {
    const { profile, teardown } = await opened("probe");
    try {
      const tls = profile.probe?.http?.tls;
      expect(tls?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+/);
      expect(tls?.ca).toContain("BEGIN CERTIFICATE");
      // The http listener redirects to the edge: the edge is really up, not only named.
      const answer = await request(tls?.httpUrl as string, { method: "GET" });
      await answer.body.dump();
      expect(answer.statusCode).toBeGreaterThanOrEqual(300);
      expect(answer.statusCode).toBeLessThan(400);
    } finally {
      await teardown();
    }
  });

  it("is not started for a smoke, which never reaches it (no certificate made, no tls key in the profile)", async () => {
    const { profile, teardown } = await opened("smoke");
    try {
      expect(profile.probe?.http).toBeDefined();
      expect(profile.probe?.http?.tls).toBeUndefined();
    } finally {
      await teardown();
    }
  });
});
