/** The outcome of a policy check; `message` is Fabric's failure text. */
export type PolicyResult = { ok: true } | { ok: false; message: string };
