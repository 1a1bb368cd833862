/** Names the chart derives from the scale-set name (its "fullname" is `<name>-gha-rs`). */
export function scaleSetObjectNames(label: string) {
  const fullname = `${label}-gha-rs`;
  return {
    autoscalingRunnerSet: label,
    noPermissionServiceAccount: `${fullname}-no-permission`,
    managerRole: `${fullname}-manager`,
    managerRoleBinding: `${fullname}-manager`,
  };
}
