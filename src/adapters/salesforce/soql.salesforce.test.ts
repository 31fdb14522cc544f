import { describe, expect, it } from 'vitest';
import { chunkedQueries, soqlInList, soqlLiteral } from './soql.salesforce.ts';
import {
  contactByKeyQuery,
  contactsByKeysQueries,
  historyByKeyQuery,
} from './queries.salesforce.ts';

describe('soqlLiteral', () => {
  it('quotes plain values', () => {
    expect(soqlLiteral('5511987654321')).toBe("'5511987654321'");
  });

  it('escapes single quotes so input cannot close the literal', () => {
    expect(soqlLiteral("' OR Name != '")).toBe("'\\' OR Name != \\''");
  });

  it('escapes backslashes before quotes', () => {
    expect(soqlLiteral("a\\' OR Id != null OR Name = '")).toBe(
      "'a\\\\\\' OR Id != null OR Name = \\''",
    );
  });

  it.each(['a\nb', 'a\u0000b', 'tab\there', 'del\u007f'])(
    'rejects control characters (%j)',
    (value) => {
      expect(() => soqlLiteral(value)).toThrow(/control character/);
    },
  );

  it('builds IN lists and refuses empty ones', () => {
    expect(soqlInList(['a', "b'c"])).toBe("('a', 'b\\'c')");
    expect(() => soqlInList([])).toThrow();
  });
});

describe('chunkedQueries', () => {
  const build = (chunk: readonly string[]) =>
    `SELECT Id FROM Contact WHERE X IN ${soqlInList(chunk)}`;

  it('keeps every query under the encoded budget and loses no value', () => {
    const values = Array.from(
      { length: 200 },
      (_, i) => `BR.${String(i).padStart(4, '0')}${'x'.repeat(120)}`,
    );
    const queries = chunkedQueries(values, build);
    expect(queries.length).toBeGreaterThan(1);
    for (const q of queries) expect(encodeURIComponent(q).length).toBeLessThanOrEqual(15_000);
    const seen = queries.flatMap((q) => [...q.matchAll(/'(BR\.[^']+)'/g)].map((m) => m[1]));
    expect(seen.sort()).toEqual([...values].sort());
  });

  it('uses one query for a batch of 200 phone numbers and drops duplicates', () => {
    const values = Array.from({ length: 200 }, (_, i) => `55119876${String(i).padStart(5, '0')}`);
    const queries = chunkedQueries([...values, ...values], build);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.match(/'/g)).toHaveLength(400);
  });

  it('throws when a single value cannot fit', () => {
    expect(() => chunkedQueries(['x'.repeat(100)], build, 50)).toThrow(/exceeds/);
  });
});

describe('queries', () => {
  it('finds a Contact by number with the open Case and recent history in one query', () => {
    const soql = contactByKeyQuery({ kind: 'phone', value: '5511987654321' }, 'Continuity_VIP__c');
    expect(soql).toMatch(
      /^SELECT Id, WhatsApp_Number__c, WhatsApp_User_Id__c, Continuity_VIP__c, Last_Agent_Id__c/,
    );
    expect(soql).toContain(
      '(SELECT Id, CaseNumber, Last_Conversation_Id__c, Last_Interaction_At__c FROM Cases WHERE IsClosed = false ORDER BY CreatedDate DESC LIMIT 1)',
    );
    expect(soql).toMatch(
      /\(SELECT Conversation_Id__c, .* FROM Conversation_Ownerships__r ORDER BY Ended_At__c DESC NULLS LAST, Conversation_Id__c DESC LIMIT 10\)/,
    );
    // Any form the CRM may hold (with or without Brazil's ninth digit); the
    // first created Contact when there are duplicates.
    expect(soql).toMatch(
      /FROM Contact WHERE WhatsApp_Number__c IN \('5511987654321', '551187654321'\) ORDER BY CreatedDate ASC, Id ASC LIMIT 1$/,
    );
  });

  it('uses the BSUID field for a BSUID key', () => {
    const key = { kind: 'bsuid', value: 'BR.1502576394655843' } as const;
    expect(contactByKeyQuery(key, 'Continuity_VIP__c')).toContain(
      "WHERE WhatsApp_User_Id__c = 'BR.1502576394655843'",
    );
    expect(historyByKeyQuery(key)).toContain(
      "FROM Conversation_Ownership__c WHERE Contact__c = null AND WhatsApp_User_Id__c = 'BR.1502576394655843'",
    );
  });

  it('does not repeat the VIP field when it is one of the selected fields', () => {
    const [soql] = contactsByKeysQueries('phone', ['1'], 'Last_Agent_Id__c');
    expect(soql!.match(/Last_Agent_Id__c/g)).toHaveLength(1);
  });
});
