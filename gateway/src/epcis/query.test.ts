import { HttpProblem } from '../errors/problem';
import { matchesQuery, mergeHistories, parseEventQuery, type EpcisEventJson } from './query';

const EPC_A = 'urn:epc:id:sgtin:0614141.107346.A1';
const EPC_B = 'urn:epc:id:sgtin:0614141.107346.B2';
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return err instanceof HttpProblem ? err.problem.code : 'not a problem';
  }
  return undefined;
};

describe('EPCIS query parameters', () => {
  it('needs the packs named, by SGTIN, and refuses what it cannot answer by name', () => {
    expect(codeOf(() => parseEventQuery({ EQ_bizStep: 'shipping' }, 2026))).toBe('EPCIS_QUERY_TOO_COMPLEX');
    expect(codeOf(() => parseEventQuery({ MATCH_epc: 'urn:epc:idpat:sgtin:0614141.107346.*' }, 2026))).toBe('EPCIS_QUERY_TOO_COMPLEX');
    expect(codeOf(() => parseEventQuery({ MATCH_epc: EPC_A, EQ_quantity: '3' }, 2026))).toBe('EPCIS_QUERY_PARAMETER_INVALID');
    expect(codeOf(() => parseEventQuery({ MATCH_epc: EPC_A, GE_eventTime: 'yesterday' }, 2026))).toBe('EPCIS_QUERY_PARAMETER_INVALID');
    expect(codeOf(() => parseEventQuery({ MATCH_epc: [EPC_A, EPC_B] }, 2026))).toBe('EPCIS_QUERY_PARAMETER_INVALID');
    expect(parseEventQuery({ MATCH_epc: `${EPC_A}|https://id.gs1.org/01/10614141073464/21/A1`, EQ_bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping' }, 2026)).toMatchObject({
      packs: [{ gtin: '10614141073464', serial: 'A1' }],
      lists: { EQ_bizStep: ['shipping'] },
    });
  });
});

describe('EPCIS query answers', () => {
  const shipping: EpcisEventJson = { type: 'ObjectEvent', eventID: 'urn:healthledger:tx:1', eventTime: '2026-03-01T10:00:00Z', action: 'OBSERVE', bizStep: 'shipping', epcList: [EPC_A] };
  const packing: EpcisEventJson = { type: 'AggregationEvent', eventID: 'urn:healthledger:tx:0', eventTime: '2026-03-01T09:00:00+02:00', action: 'ADD', bizStep: 'packing', parentID: 'urn:epc:id:sscc:0614141.1234567890', childEPCs: [EPC_B] };

  it('merges one event seen from several packs, oldest first', () => {
    const merged = mergeHistories([[shipping], [{ ...shipping, epcList: [EPC_B] }, packing]]);
    expect(merged).toEqual([packing, { ...shipping, epcList: [EPC_A, EPC_B] }]);
  });

  it('filters by type, step (any CBV form), time and EPC', () => {
    const q = (params: Record<string, string>) => parseEventQuery({ MATCH_anyEPC: `${EPC_A}|${EPC_B}`, ...params }, 2026);
    expect(matchesQuery(shipping, q({ EQ_bizStep: 'urn:epcglobal:cbv:bizstep:shipping' }))).toBe(true);
    expect(matchesQuery(packing, q({ EQ_bizStep: 'shipping' }))).toBe(false);
    expect(matchesQuery(packing, q({ eventType: 'ObjectEvent|AggregationEvent' }))).toBe(true);
    expect(matchesQuery(shipping, q({ GE_eventTime: '2026-03-01T10:00:00Z', LT_eventTime: '2026-03-01T10:00:01Z' }))).toBe(true);
    expect(matchesQuery(shipping, q({ LT_eventTime: '2026-03-01T10:00:00Z' }))).toBe(false);
    expect(matchesQuery(packing, parseEventQuery({ MATCH_epc: EPC_A }, 2026))).toBe(false);
    expect(matchesQuery(packing, parseEventQuery({ MATCH_epc: 'https://id.gs1.org/01/10614141073464/21/B2' }, 2026))).toBe(true);
  });
});
