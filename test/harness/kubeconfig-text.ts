/**
 * A kubeconfig for an API server at `server` with a bearer `token` and no TLS check: for clusters
 * that never answer, or whose connection the portal only stores and summarises.
 */
export const tokenKubeconfig = (server: string, token = "t") => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: "${token}" } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;
