/**
 * Overlays generated settings on a Fabric release's default configuration (core.yaml,
 * orderer.yaml): objects merge key by key, anything else (including lists) is replaced.
 */
export function overlay(base: unknown, top: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(top)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(top)) out[key] = overlay(base[key], value);
    return out;
  }
  return top === undefined ? base : top;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
