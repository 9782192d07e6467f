import { defineConfig } from "vitest/config";

// The real-Slurm test (test/slurm/): it installs Slurm and munge, starts their daemons as root,
// and runs a job array, so it runs on its own, after `npm run build`:
//   npx vitest run --config vitest.slurm.config.ts
export default defineConfig({
  test: {
    include: ["test/slurm/**/*.test.ts"],
    testTimeout: 15 * 60_000,
    hookTimeout: 16 * 60_000,
    teardownTimeout: 3 * 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
