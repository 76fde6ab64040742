/** @type {import('next').NextConfig} */
const nextConfig = {
  // Keep `next dev` from writing agent files into the project root (stack-notes.md).
  agentRules: false,
  experimental: { agentUpgrade: false },
  poweredByHeader: false,
  // Native/WASM and pooled-connection packages stay outside the server bundle.
  serverExternalPackages: ["pg", "@electric-sql/pglite", "undici", "@prisma/client", "@prisma/adapter-pg"],
};

export default nextConfig;
