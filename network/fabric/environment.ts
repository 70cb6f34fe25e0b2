/**
 * Flattens a Fabric config overlay into the environment variables Fabric's viper config reads
 * (`peer.tls.cert.file` → `CORE_PEER_TLS_CERT_FILE`). Lists become Fabric's `[a,b]` form.
 */
export function toFabricEnv(prefix: string, tree: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  const walk = (node: unknown, keys: string[]): void => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, [...keys, k]);
      return;
    }
    const name = [prefix, ...keys].join('_').toUpperCase();
    if (Array.isArray(node)) {
      // Lists of objects (externalBuilders) cannot be expressed as environment variables.
      if (node.every((item) => typeof item !== 'object')) env[name] = `[${node.join(',')}]`;
      return;
    }
    env[name] = String(node);
  };
  walk(tree, []);
  return env;
}
