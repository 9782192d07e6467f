import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Slurm test starts real daemons: `npm run test:slurm` (CI) runs it on its own.
    exclude: [...configDefaults.exclude, "test/slurm/**"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
