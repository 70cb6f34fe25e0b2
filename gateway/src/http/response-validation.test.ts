import { Type } from '@sinclair/typebox';
import { acceptsAnyJson, freshJson, responseValidator, ResponseSchemaError } from './response-validation';

const compile = (schema: unknown) => responseValidator()({ schema, url: '/x', method: 'GET', httpStatus: '200' });

test('schemas that admit any JSON value are told apart from constraining ones', () => {
  expect(acceptsAnyJson(Type.Unknown())).toBe(true);
  expect(acceptsAnyJson({})).toBe(true);
  expect(acceptsAnyJson(true)).toBe(true);
  expect(acceptsAnyJson({ description: 'anything', title: 'Any' })).toBe(true);
  expect(acceptsAnyJson(Type.Object({ ok: Type.Boolean() }))).toBe(false);
  expect(acceptsAnyJson({ type: 'object' })).toBe(false);
  expect(acceptsAnyJson({ not: {} })).toBe(false);
  expect(acceptsAnyJson(false)).toBe(false);
});

test('an any-JSON response is serialised as the client will see it', () => {
  const serialize = compile(Type.Unknown());
  const data = { at: new Date('2026-01-02T03:04:05.000Z'), items: [1, 'two', null], nested: { n: 3 } };
  expect(serialize(data)).toBe(JSON.stringify(data));
  expect(serialize(null)).toBe('null');
});

test('a constrained response is still validated and refused when it breaks its schema', () => {
  const serialize = compile(Type.Object({ ok: Type.Boolean() }, { additionalProperties: false }));
  expect(serialize({ ok: true })).toBe('{"ok":true}');
  expect(() => serialize({ ok: 'yes' })).toThrow(ResponseSchemaError);
  expect(() => serialize({ ok: true, extra: 1 })).toThrow(ResponseSchemaError);
});

test('a schema that cannot compile fails when its route is added if eager, on the first response otherwise', () => {
  const broken = { type: 'object', properties: { ok: { type: 'nonsense' } } };
  const route = { schema: broken, url: '/x', method: 'GET', httpStatus: '200' };
  expect(() => responseValidator(true)(route)).toThrow(/schema is invalid/);
  const serialize = responseValidator()(route);
  expect(() => serialize({ ok: true })).toThrow(/schema is invalid/);
});

test('a fresh JSON.parse result is validated as it is, and refused like any other when it breaks its schema', () => {
  const serialize = compile(Type.Object({ ok: Type.Boolean(), at: Type.Optional(Type.String()) }, { additionalProperties: false }));
  expect(serialize(freshJson(JSON.parse('{"ok":true}')))).toBe('{"ok":true}');
  expect(() => serialize(freshJson(JSON.parse('{"ok":"yes"}')))).toThrow(ResponseSchemaError);
  // Unmarked values still go through their JSON form: a Date is checked as the string the client gets.
  expect(serialize({ ok: false, at: new Date('2026-01-02T03:04:05.000Z') })).toBe('{"ok":false,"at":"2026-01-02T03:04:05.000Z"}');
  expect(freshJson(null)).toBeNull();
});
