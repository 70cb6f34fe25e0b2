import {
  expiryFromYymmdd,
  gs1CheckDigit,
  isValidGtin14,
  isValidSerial,
  isValidSscc18,
  parseDigitalLink,
  parseElementString,
  parseSgtinUrn,
  parseSsccUrn,
  sgtinUrn,
  ssccUrn,
  toGtin14,
} from './gs1';

// Test vectors from the GS1 EPC Tag Data Standard and GS1 Digital Link examples.
const TDS_GTIN = '80614141123458';
const TDS_SSCC = '106141412345678908';

describe('GS1 check digits', () => {
  it.each([TDS_GTIN, '09506000134352', '00012345678905'])('accepts GTIN-14 %s', (gtin) => {
    expect(isValidGtin14(gtin)).toBe(true);
  });
  it.each(['80614141123459', '09506000134353', '0950600013435', '0950600013435X', ''])('rejects GTIN-14 %s', (gtin) => {
    expect(isValidGtin14(gtin)).toBe(false);
  });
  it('computes the mod-10 check digit', () => {
    expect(gs1CheckDigit('0950600013435')).toBe(2);
    expect(gs1CheckDigit('10614141234567890')).toBe(8);
  });
  it('validates SSCC-18 check digits', () => {
    expect(isValidSscc18(TDS_SSCC)).toBe(true);
    expect(isValidSscc18('106141412345678909')).toBe(false);
    expect(isValidSscc18('10614141234567890')).toBe(false);
  });
  it('pads GTIN-8/12/13 to GTIN-14 and rejects wrong lengths or digits', () => {
    expect(toGtin14('9506000134352')).toBe('09506000134352');
    expect(toGtin14('012345678905')).toBe('00012345678905');
    expect(toGtin14('9506000134353')).toBeUndefined();
    expect(toGtin14('123')).toBeUndefined();
  });
  it('accepts the AI 21 character set up to 20 characters only', () => {
    expect(isValidSerial("A1b2-./:;<=>?_!\"%&'()*+,")).toBe(false); // 25 characters
    expect(isValidSerial("Ab-./:;<=>?_!\"%&'()*")).toBe(true);
    expect(isValidSerial('with space')).toBe(false);
    expect(isValidSerial('hash#')).toBe(false);
    expect(isValidSerial('')).toBe(false);
  });
});

describe('EPC URNs', () => {
  it('converts the TDS SGTIN example both ways', () => {
    expect(sgtinUrn(TDS_GTIN, '6789', 7)).toBe('urn:epc:id:sgtin:0614141.812345.6789');
    expect(parseSgtinUrn('urn:epc:id:sgtin:0614141.812345.6789')).toEqual({ gtin: TDS_GTIN, serial: '6789', companyPrefixLength: 7 });
  });
  it('converts the TDS SSCC example both ways', () => {
    expect(ssccUrn(TDS_SSCC, 7)).toBe('urn:epc:id:sscc:0614141.1234567890');
    expect(parseSsccUrn('urn:epc:id:sscc:0614141.1234567890')).toEqual({ sscc: TDS_SSCC, companyPrefixLength: 7 });
  });
  it.each([6, 9, 12])('round-trips an SGTIN with a %i-digit company prefix and escaped serial', (length) => {
    const urn = sgtinUrn('09506000134352', 'a/b%c?"&<>', length);
    expect(urn).toContain('a%2Fb%25c%3F%22%26%3C%3E');
    expect(parseSgtinUrn(urn)).toEqual({ gtin: '09506000134352', serial: 'a/b%c?"&<>', companyPrefixLength: length });
  });
  it('rejects malformed URNs', () => {
    expect(parseSgtinUrn('urn:epc:id:sgtin:0614141.81234.6789')).toBeUndefined(); // 12 digits
    expect(parseSgtinUrn('urn:epc:id:sgtin:0614141.812345.with space')).toBeUndefined();
    expect(parseSgtinUrn('urn:epc:id:sgtin:0614141.812345.%E0%A4%A')).toBeUndefined();
    expect(parseSsccUrn('urn:epc:id:sscc:0614141.123456789')).toBeUndefined();
    expect(() => sgtinUrn(TDS_GTIN, '1', 5)).toThrow(RangeError);
  });
});

describe('element strings and Digital Link', () => {
  it('parses the human-readable form', () => {
    expect(parseElementString('(01)09506000134352(17)271231(10)LOT-7(21)SER/1', 2026)).toEqual({ gtin: '09506000134352', expiry: '2027-12-31', lot: 'LOT-7', serial: 'SER/1' });
  });
  it('parses the raw barcode form with GS separators', () => {
    expect(parseElementString(']d2010950600013435217270600' + '10LOT7\u001d21S1', 2026)).toEqual({ gtin: '09506000134352', expiry: '2027-06-30', lot: 'LOT7', serial: 'S1' });
  });
  it('rejects a wrong check digit or an unknown AI', () => {
    expect(parseElementString('(01)09506000134353(21)S1', 2026)).toBeUndefined();
    expect(parseElementString('(01)09506000134352(99)X', 2026)).toBeUndefined();
    expect(parseElementString('01095060001343529912', 2026)).toBeUndefined();
  });
  it('resolves two-digit years around the reference year', () => {
    expect(expiryFromYymmdd('991231', 2026)).toBe('1999-12-31');
    expect(expiryFromYymmdd('760101', 2026)).toBe('2076-01-01');
    expect(expiryFromYymmdd('770101', 2026)).toBe('1977-01-01');
    expect(expiryFromYymmdd('280200', 2026)).toBe('2028-02-29');
    expect(expiryFromYymmdd('270230', 2026)).toBeUndefined();
    expect(expiryFromYymmdd('271301', 2026)).toBeUndefined();
  });
  it('parses Digital Link URIs with path and query attributes', () => {
    expect(parseDigitalLink('https://id.gs1.org/01/09506000134352/10/L1/21/S%2F1?17=271231', 2026)).toEqual({ gtin: '09506000134352', lot: 'L1', serial: 'S/1', expiry: '2027-12-31' });
    expect(parseDigitalLink('https://example.com/x/01/9506000134352/21/S1', 2026)).toEqual({ gtin: '09506000134352', serial: 'S1' });
    expect(parseDigitalLink(`https://id.gs1.org/00/${TDS_SSCC}`, 2026)).toEqual({ sscc: TDS_SSCC });
    expect(parseDigitalLink('https://id.gs1.org/01/09506000134353/21/S1', 2026)).toBeUndefined();
    expect(parseDigitalLink('https://example.com/nothing', 2026)).toBeUndefined();
  });
});
