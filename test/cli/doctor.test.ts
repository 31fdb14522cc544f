import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctor } from '../../src/cli/doctor.command.ts';
import { redisSettingsChecks, parseInfo } from '../../src/cli/doctor-redis.check.ts';
import { clockCheck, skewFromDateHeader } from '../../src/cli/doctor-report.ts';
import { limitCheck } from '../../src/cli/doctor-salesforce.check.ts';
import { checkSqlite } from '../../src/cli/doctor-sqlite.check.ts';
import { describeChecks, DescribeSObject } from '../../src/cli/salesforce-describe.ts';
import {
  CASE,
  CONTACT,
  CONVERSATION_OWNERSHIP,
} from '../../src/adapters/salesforce/fields.salesforce.ts';
import { captureIo } from './cli-harness.ts';
import { describeBody } from './describe-payloads.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('doctor with a configuration that does not parse', () => {
  it('prints ✖ naming the variable and exits 1 without touching anything else', async () => {
    const out = captureIo();
    const code = await doctor([], { PORT: '99999', SF_CLIENT_ID: 'x' }, out.io);
    expect(code).toBe(1);
    expect(out.stdout()).toMatch(/^✖ config: PORT: .*\n {4}fix: /);
    expect(out.stdout()).toContain('1 check: 0 passed, 0 warnings, 1 failed');
    expect(out.stdout()).not.toContain('redis');
  });
});

describe('redis settings', () => {
  const info = (fields: Record<string, string>) =>
    parseInfo(
      `# Server\r\nredis_version:7.2.4\r\n# Memory\r\n${Object.entries(fields)
        .map(([k, v]) => `${k}:${v}`)
        .join('\r\n')}\r\n`,
    );

  it('passes noeviction with AOF, and says what appendfsync risks', () => {
    const settings = info({ maxmemory_policy: 'noeviction', aof_enabled: '1' });
    expect(redisSettingsChecks(settings, '{c}', 'always').map((r) => r.status)).toEqual([
      'ok',
      'ok',
    ]);
    expect(redisSettingsChecks(settings, '{c}', 'everysec')[1]?.message).toContain(
      'a crash can lose the last second',
    );
    expect(redisSettingsChecks(settings, '{c}', 'no')[1]?.status).toBe('warn');
  });

  it('fails an evicting policy, warns without AOF, fails a Cluster prefix without a hash tag', () => {
    const results = redisSettingsChecks(
      info({ maxmemory_policy: 'allkeys-lru', aof_enabled: '0', cluster_enabled: '1' }),
      'continuity',
    );
    expect(results).toEqual([
      expect.objectContaining({ status: 'fail', message: expect.stringContaining('allkeys-lru') }),
      expect.objectContaining({ status: 'warn', message: expect.stringContaining('appendonly') }),
      expect.objectContaining({ status: 'fail', message: expect.stringContaining('hash tag') }),
    ]);
  });

  it('fails Redis older than 6.2', () => {
    const results = redisSettingsChecks(
      { ...info({ maxmemory_policy: 'noeviction', aof_enabled: '1' }), redis_version: '6.0.9' },
      '{c}',
    );
    expect(results[0]).toMatchObject({ status: 'fail', message: expect.stringContaining('6.2') });
  });
});

describe('salesforce describe', () => {
  const parse = (body: unknown) => DescribeSObject.parse(body);

  it('passes an org where force-app is deployed', () => {
    for (const object of [CONTACT, CASE, CONVERSATION_OWNERSHIP]) {
      const results = describeChecks(
        object,
        parse(describeBody(object.object)),
        'Continuity_VIP__c',
      );
      expect(results).toEqual([expect.objectContaining({ status: 'ok' })]);
    }
  });

  it('names each field that is missing, too short, of the wrong type or read-only', () => {
    const body = describeBody('Contact', (fields) =>
      fields
        .filter((f) => f.name !== 'Last_Agent_Id__c')
        .map((f) => (f.name === 'Last_Queue_Id__c' ? { ...f, length: 18 } : f))
        .map((f) => (f.name === 'Last_Interaction_At__c' ? { ...f, type: 'date' } : f))
        .map((f) =>
          f.name === 'Last_Agent_Name__c' ? { ...f, createable: false, updateable: false } : f,
        ),
    );
    const messages = describeChecks(CONTACT, parse(body), 'Continuity_VIP__c').map(
      (r) => r.message,
    );
    expect(messages).toEqual([
      'Contact.Last_Agent_Id__c is missing (or not visible to the integration user)',
      'Contact.Last_Agent_Name__c is read-only for the integration user (the bridge writes it)',
      'Contact.Last_Queue_Id__c holds 18 characters; the bridge needs 36',
      'Contact.Last_Interaction_At__c is of type date; the bridge needs DateTime',
    ]);
  });

  it('with create_contact, asks for the contact-creation set when the keys cannot be set', () => {
    // The integration set alone: the WhatsApp keys are readable, not createable.
    const body = parse(describeBody('Contact'));
    expect(describeChecks(CONTACT, body, 'Continuity_VIP__c', false)).toEqual([
      expect.objectContaining({ status: 'ok' }),
    ]);
    const messages = describeChecks(CONTACT, body, 'Continuity_VIP__c', true).map((r) => r.message);
    expect(messages).toEqual([
      'Contact.WhatsApp_Number__c cannot be set on a new Contact (UNKNOWN_CUSTOMER=create_contact): assign the Continuity_Bridge_Contact_Creation permission set',
      'Contact.WhatsApp_User_Id__c cannot be set on a new Contact (UNKNOWN_CUSTOMER=create_contact): assign the Continuity_Bridge_Contact_Creation permission set',
    ]);
  });

  it('checks the configured VIP field instead of the default one', () => {
    const body = parse(describeBody('Contact'));
    const results = describeChecks(CONTACT, body, 'Is_VIP__c');
    expect(results).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: expect.stringContaining('Contact.Is_VIP__c is missing'),
      }),
    ]);
  });

  it('checks the Source__c picklist values and the child relationship', () => {
    const history = describeBody('Conversation_Ownership__c', (fields) =>
      fields.map((f) =>
        f.name === 'Source__c' ? { ...f, picklistValues: [{ value: 'event', active: true }] } : f,
      ),
    );
    expect(describeChecks(CONVERSATION_OWNERSHIP, parse(history), 'x')[0]?.message).toBe(
      'Conversation_Ownership__c.Source__c lacks the picklist value(s) sweep, manual',
    );
    const contact = { ...describeBody('Contact'), childRelationships: [] };
    expect(describeChecks(CONTACT, parse(contact), 'Continuity_VIP__c')[0]?.message).toContain(
      'no child relationship Conversation_Ownerships__r',
    );
  });
});

describe('budgets and clocks', () => {
  it('reads Sforce-Limit-Info, shows usage and the reserve, and warns below it', () => {
    expect(limitCheck('api-usage=10018/100000')).toMatchObject({
      status: 'ok',
      message:
        'API budget: 89,982 of 100,000 requests left (rolling 24 h, 10 % used); reserve 10 % (10,000 requests, SF_API_RESERVE_PERCENT)',
    });
    expect(limitCheck('api-usage=95000/100000; api-bursts=1/750')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('below it, lookups make no Salesforce call'),
    });
    expect(limitCheck('api-usage=85000/100000', 20)).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('reserve 20 % (20,000 requests'),
    });
    expect(limitCheck(null).status).toBe('warn');
  });

  it('warns above 2 s of skew beyond what a Date header can measure', () => {
    const now = Date.parse('2026-11-25T12:00:00.000Z');
    const header = new Date(now).toUTCString();
    expect(
      clockCheck('x', 'Salesforce', skewFromDateHeader(header, now + 400, now + 600)).status,
    ).toBe('ok');
    const ahead = clockCheck('x', 'Salesforce', skewFromDateHeader(header, now + 5200, now + 5200));
    expect(ahead).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('4.7 s ahead of Salesforce'),
    });
    expect(clockCheck('x', 'Genesys', skewFromDateHeader(undefined, 0, 0)).status).toBe('warn');
  });
});

describe('sqlite store', () => {
  it('passes a file still to be created, fails a path through a file or a file that is no database', () => {
    const dir = tempDir('cb-doctor-');
    expect(checkSqlite(join(dir, 'not-yet', 'store.sqlite'))[0]?.status).toBe('ok');
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'this is not a database, just some text');
    expect(checkSqlite(join(file, 'store.sqlite'))[0]).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('is a file, not a directory'),
    });
    expect(checkSqlite(file)[0]).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('is not a SQLite database'),
    });
  });
});
