import { describe, expect, it } from "vitest";
import { kubeConfigFromText } from "./inline-kubeconfig";

const kubeconfig = (user: string, extra = "") => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://k8s.example:6443/"}}]
users: [{name: u, user: ${user}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: arc}}]
current-context: x
${extra}`;

describe("kubeConfigFromText", () => {
  it("builds the client's config from the checked fields only", () => {
    const kc = kubeConfigFromText(kubeconfig("{token: t, extensions: [{name: e, extension: {x: 1}}]}", "preferences: {}\n"));
    expect(kc.getCurrentCluster()).toEqual({ name: "c", server: "https://k8s.example:6443", caData: undefined, tlsServerName: undefined, skipTLSVerify: false });
    expect(kc.getCurrentUser()).toEqual({ name: "u", token: "t", certData: undefined, keyData: undefined });
  });

  it("checks the map a repeated key leaves, whichever came first", () => {
    // The later key wins: an exec plugin written first never reaches the client, one written last is refused.
    expect(kubeConfigFromText(kubeconfig("{exec: {command: /bin/sh}}, user: {token: t}")).getCurrentUser()).toMatchObject({ token: "t" });
    expect(() => kubeConfigFromText(kubeconfig("{token: t}, user: {exec: {command: /bin/sh}}"))).toThrow(/^users\[0\]\.user\.exec is not allowed/);
  });

  it("reads a map of 22,000 keys in one pass (the parser's own duplicate check compared every pair)", () => {
    const big = kubeconfig("{token: t}", `preferences: {${Array.from({ length: 22_000 }, (_, i) => `k${i}: v`).join(", ")}}\n`);
    expect(kubeConfigFromText(big).getCurrentUser()?.token).toBe("t");
  });

  it("refuses what is not a kubeconfig, in words that never quote it", () => {
    expect(() => kubeConfigFromText("users:\n- name: a\n  user:\n    token: SECRET-TOKEN\n   x: 1")).toThrow(/^The kubeconfig cannot be read: .*line 5, column 1$/);
    expect(() => kubeConfigFromText("- a\n- b\n")).toThrow(/not a YAML mapping/);
    expect(() => kubeConfigFromText(kubeconfig("{token: t}").replace("current-context: x", "current-context: y"))).toThrow(/no current-context with a cluster/);
    expect(() => kubeConfigFromText(kubeconfig("{client-certificate-data: QQ==}"))).toThrow(/needs both client-certificate-data and client-key-data/);
    expect(() => kubeConfigFromText(kubeconfig("{token: 42}"))).toThrow(/^users\[0\]\.user\.token must be text$/);
    expect(() => kubeConfigFromText(kubeconfig("{token: t}").replace('"https://k8s.example:6443/"', '"https://admin:pw@k8s.example"'))).toThrow(/server is not allowed: it carries a user name or password/);
  });
});
