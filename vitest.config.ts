import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "{lib,targets,fixtures,smoke,load,watch,probe,cli,bench,testkit,tools,deploy,examples}/**/*.test.ts",
    ],
    // Integration tests start real stacks against one Postgres and one Redis;
    // two files at a time is what a 2-core machine holds without timeouts.
    maxWorkers: 2,
    // Tests that spawn the CLI run the bin, as users do: the build is made from this source first.
    globalSetup: ["testkit/buildDist.globalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
