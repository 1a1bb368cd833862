/** A registered cluster as pickers show it; never its connection. */
export interface ClusterOption {
  id: string;
  name: string;
  displayName: string;
}

export const clusterLabel = (c: ClusterOption) => (c.displayName && c.displayName !== c.name ? `${c.displayName} (${c.name})` : c.name);
