/**
 * A {@link CertificateAuthority} over a Fabric CA server's REST API (`/api/v1/register`, `/enroll`,
 * `/reenroll`, `/revoke`, `/gencrl`). Enroll authenticates with HTTP basic auth (id and secret);
 * the others with Fabric CA's token: `base64(certPEM) "." base64(signature)`, the ECDSA signature
 * over SHA-256 of `method "." base64(uri) "." base64(body) "." base64(certPEM)` made with the key of
 * the identity named by the certificate — the registrar for register/revoke/gencrl, the identity
 * itself for reenroll. Answers arrive as `{success, result, errors: [{code, message}]}`.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { signLowS } from '@healthledger/fabric-core/crypto';
import { CaError, type CaRefusal, type CertificateAuthority, type CurrentEnrollment, type RegistrationRequest } from './authority';

/** The identity the gateway registers and revokes with (`hf.Registrar.Roles` includes `client`). */
export interface Registrar {
  certPem: string;
  privateKey: KeyObject;
}

interface CaResponse<T> {
  success: boolean;
  result?: T;
  errors?: Array<{ code: number; message: string }>;
}

/** Fabric CA error codes (its caerrors package) the identity routes tell apart. */
const ERROR_CODES: Record<number, CaRefusal> = {
  10: 'unknown', // ErrRevokeIDNotFound
  20: 'bad-secret', // ErrAuthenticationFailure: wrong secret, or max enrollments reached
  28: 'revoked', // ErrCertRevoked
  49: 'unknown', // ErrGettingUser
  66: 'revoked', // ErrCertAlreadyRevoked
  70: 'revoked', // ErrRevokedID
};

const b64 = (data: string | Uint8Array): string => Buffer.from(data).toString('base64');

/** Fabric CA's authorization token for one request. */
export function fabricCaToken(certPem: string, key: KeyObject, method: string, uri: string, body: string): string {
  const payload = `${method}.${b64(uri)}.${b64(body)}.${b64(certPem)}`;
  // Fabric CA verifies a DER ECDSA signature over SHA-256 of the payload, and refuses a high S.
  return `${b64(certPem)}.${b64(signLowS(key, Buffer.from(payload)))}`;
}

/** One Fabric CA server (optionally one named CA of it). */
export class FabricCaClient implements CertificateAuthority {
  readonly kind = 'fabric-ca';

  /**
   * @param url - The server's base URL, e.g. `https://ca.hospital1.example.com:7054` (https with a
   *   private CA: trust it through NODE_EXTRA_CA_CERTS).
   * @param registrar - The registrar identity, enrolled beforehand ({@link FabricCaClient.enrollRegistrar}).
   * @param caName - The CA name when the server runs several.
   */
  constructor(
    private readonly url: string,
    private readonly registrar: Registrar | undefined,
    private readonly caName?: string,
  ) {}

  /** Enrolls the registrar (e.g. the bootstrap admin) with its secret, for a key the caller made. */
  static enrollRegistrar(url: string, name: string, secret: string, csrPem: string, caName?: string): Promise<string> {
    return new FabricCaClient(url, undefined, caName).enroll(name, secret, csrPem);
  }

  async register(request: RegistrationRequest): Promise<string> {
    const body = {
      id: request.name,
      type: 'client',
      affiliation: request.affiliation,
      max_enrollments: 1,
      attrs: Object.entries(request.attrs).map(([name, value]) => ({ name, value, ecert: true })),
      ...this.named(),
    };
    const result = await this.call<{ secret: string }>('/api/v1/register', body, this.registrarOrFail());
    return result.secret;
  }

  async enroll(name: string, secret: string, csrPem: string): Promise<string> {
    const authorization = `Basic ${b64(`${name}:${secret}`)}`;
    const result = await this.post<{ Cert: string }>('/api/v1/enroll', { certificate_request: csrPem, ...this.named() }, authorization);
    return Buffer.from(result.Cert, 'base64').toString('utf8');
  }

  async reenroll(_name: string, current: CurrentEnrollment, csrPem: string): Promise<string> {
    if (!current.privateKey) throw new CaError('needs-key', 'Fabric CA re-enrolls only with a request signed by the current key');
    const result = await this.call<{ Cert: string }>('/api/v1/reenroll', { certificate_request: csrPem, ...this.named() }, { certPem: current.certPem, privateKey: current.privateKey });
    return Buffer.from(result.Cert, 'base64').toString('utf8');
  }

  async revoke(name: string, reason: string): Promise<string[]> {
    const result = await this.call<{ RevokedCerts?: Array<{ Serial: string }> }>('/api/v1/revoke', { id: name, reason, ...this.named() }, this.registrarOrFail());
    return (result.RevokedCerts ?? []).map((c) => c.Serial.toLowerCase());
  }

  async generateCrl(): Promise<string> {
    const result = await this.call<{ CRL: string }>('/api/v1/gencrl', { ...this.named() }, this.registrarOrFail());
    return Buffer.from(result.CRL, 'base64').toString('utf8');
  }

  private registrarOrFail(): Registrar {
    if (!this.registrar) throw new CaError('unavailable', 'no registrar identity is configured for this Fabric CA');
    return this.registrar;
  }

  private named(): { caname?: string } {
    return this.caName ? { caname: this.caName } : {};
  }

  /** A token-authenticated POST as `signer`. */
  private call<T>(path: string, body: object, signer: Registrar): Promise<T> {
    const text = JSON.stringify(body);
    return this.post<T>(path, text, fabricCaToken(signer.certPem, signer.privateKey, 'POST', path, text));
  }

  private async post<T>(path: string, body: object | string, authorization: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    } catch (err) {
      throw new CaError('unavailable', `Fabric CA at ${this.url} is unreachable: ${(err as Error).message}`);
    }
    let parsed: CaResponse<T>;
    try {
      parsed = (await res.json()) as CaResponse<T>;
    } catch {
      throw new CaError('unavailable', `Fabric CA answered ${res.status} without a JSON body`);
    }
    if (parsed.success && parsed.result !== undefined) return parsed.result;
    throw refusalOf(res.status, parsed.errors ?? []);
  }
}

function refusalOf(status: number, errors: Array<{ code: number; message: string }>): CaError {
  const message = errors.map((e) => `${e.code}: ${e.message}`).join('; ') || `HTTP ${status}`;
  if (/already registered/i.test(message)) return new CaError('exists', message);
  if (/revoked/i.test(message)) return new CaError('revoked', message);
  const coded = errors.map((e) => ERROR_CODES[e.code]).find((r) => r !== undefined);
  if (coded) return new CaError(coded, message);
  if (status === 401) return new CaError('bad-secret', message);
  if (status === 400) return new CaError('bad-request', message);
  if (status === 404) return new CaError('unknown', message);
  return new CaError('unavailable', message);
}

/** The certificate's serial as Fabric CA prints it (hex, lower case, no leading zeros). */
export function fabricCaSerial(certPem: string): string {
  return BigInt(`0x${new X509Certificate(certPem).serialNumber}`).toString(16);
}
