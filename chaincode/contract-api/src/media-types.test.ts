import { contentProblem, isRecordMediaType, mediaTypeOf, RECORD_MEDIA_TYPES } from './media-types';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => new TextEncoder().encode(s);
const dicom = (tag: string) => Uint8Array.from([...new Uint8Array(128), ...text(tag), 0x02, 0x00]);

test('each type accepts its own documents', () => {
  expect(contentProblem('application/json', text('{"a":[1,2.50]}'))).toBeUndefined();
  expect(contentProblem('application/json', text('"just a string"'))).toBeUndefined();
  expect(contentProblem('text/plain', text('Seen today — BP 120/80'))).toBeUndefined();
  expect(contentProblem('text/plain', text(''))).toBeUndefined();
  expect(contentProblem('application/pdf', text('%PDF-1.7\n'))).toBeUndefined();
  expect(contentProblem('image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBeUndefined();
  expect(contentProblem('image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0))).toBeUndefined();
  expect(contentProblem('application/dicom', dicom('DICM'))).toBeUndefined();
});

test('refuses what is not a document of the type, saying so without quoting it', () => {
  expect(contentProblem('application/json', text('not json'))).toBe('application/json content must be one JSON value');
  expect(contentProblem('application/json', bytes(0x22, 0xff, 0x22))).toBe('application/json content must be UTF-8');
  expect(contentProblem('text/plain', bytes(0xc3, 0x28))).toBe('text/plain content must be UTF-8');
  expect(contentProblem('application/pdf', bytes(0x89, 0x50, 0x4e, 0x47))).toMatch(/not application\/pdf/);
  expect(contentProblem('image/png', text('%PDF-1.7'))).toMatch(/not image\/png/);
  expect(contentProblem('image/jpeg', bytes(0xff, 0xd8))).toMatch(/not image\/jpeg/);
  expect(contentProblem('application/dicom', dicom('DICX'))).toMatch(/not application\/dicom/);
  expect(contentProblem('application/dicom', text('DICM'))).toMatch(/not application\/dicom/);
});

test('versions written before media types hold JSON; the list is closed', () => {
  expect(mediaTypeOf({})).toBe('application/json');
  expect(mediaTypeOf({ contentType: 'image/png' })).toBe('image/png');
  expect(RECORD_MEDIA_TYPES.every(isRecordMediaType)).toBe(true);
  expect(isRecordMediaType('image/gif')).toBe(false);
  expect(isRecordMediaType('application/json; charset=utf-8')).toBe(false);
});
