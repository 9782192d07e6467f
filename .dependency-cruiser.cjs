// The walls of src/, checked by `npm test` (test/walls.test.ts): every folder imports only
// downward in this list of rooms, never a room above it nor a sibling on its own level, and no
// module takes part in an import cycle. Tests and benchmarks may import anything.
/** Rooms from the bottom up; rooms in one inner list are siblings that must not import each other. */
const ROOMS = [
  ["src/input-file\\.ts"],
  ["src/validation\\.ts", "src/paths\\.ts"],
  ["src/io/"],
  ["src/model/"],
  ["src/scenario/"],
  ["src/contracts/"],
  ["src/layout\\.ts"],
  ["src/kernels/"],
  ["src/calculator/", "src/world/"],
  ["src/twin/", "src/auth/"],
  ["src/policy/"],
  ["src/control/"],
  ["src/run/"],
  ["src/results/"],
  ["src/sweep/"],
  ["src/env/"],
  ["src/view/"],
  ["src/cli\\.ts"],
];

const forbidden = [
  { name: "no-cycle", severity: "error", comment: "a module must not import itself through others", from: { path: "^src/" }, to: { circular: true } },
  {
    name: "known-room", severity: "error", comment: "every module of src/ belongs to a room listed in .dependency-cruiser.cjs",
    from: { path: "^src/", pathNot: ROOMS.flat().map((r) => `^${r}`) }, to: {},
  },
];
// Results know nothing of how trials ran: only the contracts and the lowest rooms.
forbidden.push({
  name: "results-from-contracts", severity: "error", comment: "src/results/ reads records through src/contracts/ only",
  from: { path: "^src/results/" }, to: { path: "^src/", pathNot: ["^src/results/", "^src/contracts/", "^src/io/", "^src/validation\\.ts", "^src/input-file\\.ts", "^src/paths\\.ts"] },
});
ROOMS.forEach((level, k) => {
  const above = ROOMS.slice(k + 1).flat();
  for (const room of level) {
    const siblings = level.filter((r) => r !== room);
    const targets = [...above, ...siblings];
    if (targets.length === 0) continue;
    forbidden.push({
      name: `downward-only:${room.replace(/\\/g, "")}`, severity: "error",
      comment: `${room.replace(/\\/g, "")} may import only rooms below it`,
      from: { path: `^${room}` }, to: { path: targets.map((r) => `^${r}`) },
    });
  }
});

module.exports = {

  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
