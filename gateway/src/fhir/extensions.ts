/**
 * The project's extensions: where a ledger field has no home in FHIR it travels in an extension
 * under `urn:healthledger:fhir:extension:<name>` (docs/design/fhir.md lists them). A plain
 * object (a stamp, a benefit line) becomes a complex extension with one sub-extension per field,
 * so the mapping back is generic and exact.
 */
import { extensionUrl } from './codes';
import type { Extension } from './types';

type Scalar = string | number | boolean;
/** A JSON object of scalars and nested objects (no arrays: repeat the extension instead). */
export type ExtensionObject = { [field: string]: Scalar | ExtensionObject | undefined };

const INT32_MAX = 2 ** 31 - 1;

function scalarExtension(url: string, value: Scalar): Extension {
  if (typeof value === 'string') return { url, valueString: value };
  if (typeof value === 'boolean') return { url, valueBoolean: value };
  // FHIR integers are 32-bit; larger amounts (minor units of money) go as decimals.
  return Number.isInteger(value) && Math.abs(value) <= INT32_MAX ? { url, valueInteger: value } : { url, valueDecimal: value };
}

function objectExtension(url: string, value: ExtensionObject): Extension {
  const extension: Extension[] = [];
  for (const [field, v] of Object.entries(value)) {
    if (v === undefined) continue;
    extension.push(typeof v === 'object' ? objectExtension(field, v) : scalarExtension(field, v));
  }
  return { url, extension };
}

/** A project extension named `name` (none when `value` is undefined). */
export function ext(name: string, value: Scalar | ExtensionObject | undefined): Extension[] {
  if (value === undefined) return [];
  const url = extensionUrl(name);
  return [typeof value === 'object' ? objectExtension(url, value) : scalarExtension(url, value)];
}

/** A project extension holding a code. */
export function codeExt(name: string, code: string | undefined): Extension[] {
  return code === undefined ? [] : [{ url: extensionUrl(name), valueCode: code }];
}

/** A project extension holding a dateTime. */
export function dateTimeExt(name: string, value: string | undefined): Extension[] {
  return value === undefined ? [] : [{ url: extensionUrl(name), valueDateTime: value }];
}

/** Every extension named `name` on an element. */
export function extensionsNamed(element: { extension?: Extension[] } | undefined, name: string): Extension[] {
  const url = extensionUrl(name);
  return (element?.extension ?? []).filter((e) => e.url === url);
}

function scalarOf(e: Extension): Scalar | undefined {
  return e.valueString ?? e.valueCode ?? e.valueDateTime ?? e.valueInteger ?? e.valueDecimal ?? e.valueBoolean;
}

/** The scalar value of the extension `name`, if present. */
export function extValue(element: { extension?: Extension[] } | undefined, name: string): Scalar | undefined {
  const [first] = extensionsNamed(element, name);
  return first === undefined ? undefined : scalarOf(first);
}

/** The string value of the extension `name`, if present. */
export function extString(element: { extension?: Extension[] } | undefined, name: string): string | undefined {
  const v = extValue(element, name);
  return typeof v === 'string' ? v : undefined;
}

/** A complex extension back as the object it was made from. */
export function objectOf(e: Extension): ExtensionObject {
  const out: ExtensionObject = {};
  for (const sub of e.extension ?? []) out[sub.url] = sub.extension ? objectOf(sub) : scalarOf(sub);
  return out;
}

/** The object of the complex extension `name`, if present. */
export function extObject(element: { extension?: Extension[] } | undefined, name: string): ExtensionObject | undefined {
  const [first] = extensionsNamed(element, name);
  return first === undefined ? undefined : objectOf(first);
}
