/** Dependency direction: app → server → gateway; app → features → components → lib. Nothing points back up. */
module.exports = {
  forbidden: [
    {
      name: "gateway-is-framework-free",
      comment: "src/gateway is the pure core: no Next, React, Prisma, server glue or UI.",
      severity: "error",
      from: { path: "^src/gateway" },
      to: { path: ["^src/(server|app|features|components|trpc|generated)", "node_modules/(next|react|react-dom|@prisma|pg|undici)/"] },
    },
    {
      name: "server-does-not-reach-ui",
      severity: "error",
      from: { path: "^src/server" },
      to: { path: "^src/(app|features|components|trpc)" },
    },
    {
      name: "features-do-not-reach-server",
      comment: "UI slices talk to the server through tRPC only.",
      severity: "error",
      from: { path: "^src/(features|components)" },
      to: { path: "^src/(server|app)" },
    },
    {
      name: "components-only-render",
      severity: "error",
      from: { path: "^src/components" },
      to: { path: "^src/(features|trpc)" },
    },
    {
      name: "testing-support-stays-in-tests",
      comment: "The simulated upstream is for tests, e2e and the benchmark, never product code.",
      severity: "error",
      from: { path: "^src/(gateway|server|app|features|components)", pathNot: "\\.test\\.ts$" },
      to: { path: "^src/testing" },
    },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "(^src/generated|\\.snap$)" },
  },
};
