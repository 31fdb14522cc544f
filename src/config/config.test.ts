import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { tempDir } from '../../test/support/temp-dir.ts';

const dir = tempDir('cb-config-');

describe('loadConfig', () => {
  it('works with an empty environment: embedded store, no Genesys, 7-day window', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.redis.topology).toMatchObject({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(config.store).toEqual({ kind: 'sqlite', path: './data/continuity.sqlite' });
    expect(config.genesys).toEqual({ enabled: false });
    expect(config.policy.defaults.affinityWindowMs).toBe(7 * 24 * 3_600_000);
    expect(config.lookup.deadlineMs).toBe(2000);
    expect(config.reconcile.messageTypes).toEqual(['WHATSAPP']);
    expect(Object.isFrozen(config.policy.defaults)).toBe(true);
  });

  it('keeps admin tokens apart from API tokens; privacy defaults a DPO can read', () => {
    const config = loadConfig({
      API_TOKENS: 'token-aaaaaaaaaaaaaaaa',
      ADMIN_API_TOKENS: 'admin-bbbbbbbbbbbbbbbb',
    });
    expect(config.http.adminTokens).toEqual(['admin-bbbbbbbbbbbbbbbb']);
    expect(config.privacy).toEqual({
      hashSecret: undefined,
      tombstoneTtlSeconds: 8 * 24 * 3600,
      rewriteDebounceMs: 60_000,
      historyRetentionDays: 365,
      failedJobRetentionDays: 30,
    });
  });

  it('splits several API tokens (rotation)', () => {
    const config = loadConfig({ API_TOKENS: ' token-aaaaaaaaaaaaaaaa , token-bbbbbbbbbbbbbbbb ' });
    expect(config.http.apiTokens).toEqual(['token-aaaaaaaaaaaaaaaa', 'token-bbbbbbbbbbbbbbbb']);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ REDIS_URL: 'http://localhost' }, /^REDIS_URL: /],
    [{ API_TOKENS: 'short' }, /^API_TOKENS\.0: each token needs at least 16 characters/],
    [{ API_TOKENS: 't'.repeat(257) }, /^API_TOKENS\.0: each token has at most 256 bytes/],
    [
      { API_TOKENS: 'token-aaaaaaaaaaaaaaaa', ADMIN_API_TOKENS: 'ç'.repeat(129) },
      /^ADMIN_API_TOKENS\.0: each admin token has at most 256 bytes/,
    ],
    [{ LOOKUP_DEADLINE_MS: '10' }, /^LOOKUP_DEADLINE_MS: /],
    [
      { API_TOKENS: 'token-aaaaaaaaaaaaaaaa', ADMIN_API_TOKENS: 'token-aaaaaaaaaaaaaaaa' },
      /^ADMIN_API_TOKENS: a token is also in API_TOKENS/,
    ],
    [{ PRIVACY_HASH_SECRET: 'too-short' }, /^PRIVACY_HASH_SECRET: needs at least 32 characters/],
    [{ OWNER_RULE: 'middle' }, /^OWNER_RULE: /],
    [{ SF_CLIENT_SECRET: 'x' }, /^SF_CLIENT_ID: required/],
    [
      { SF_CLIENT_ID: 'id', SF_PRIVATE_KEY: 'not a key', SF_USERNAME: 'u' },
      /^SF_PRIVATE_KEY: not a PEM/,
    ],
    [
      { SF_CLIENT_ID: 'id', SF_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----' },
      /^SF_USERNAME: required/,
    ],
    [{ GENESYS_CLIENT_ID: 'id' }, /^GENESYS_CLIENT_SECRET: required/],
    [{ QUEUE_POLICY_FILE: '/nonexistent/policy.json' }, /^QUEUE_POLICY_FILE: cannot read/],
    [{ REDIS_SENTINELS: 'a:26379,b' }, /^REDIS_SENTINELS: "b" is not host:port/],
    [{ REDIS_SENTINELS: 'a:26379' }, /^REDIS_SENTINEL_MASTER: required/],
    [{ REDIS_SENTINEL_MASTER: 'mymaster' }, /^REDIS_SENTINELS: required/],
    [{ REDIS_CLUSTER_NODES: 'a:99999' }, /^REDIS_CLUSTER_NODES: "a:99999" is not host:port/],
    [{ REDIS_CLUSTER_NODES: ' , ' }, /^REDIS_CLUSTER_NODES: needs at least one/],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_PREFIX: 'continuity' }, /^REDIS_PREFIX: .*hash tag/],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 'b:26379' }, /^REDIS_SENTINELS: set either/],
    [{ REDIS_WAIT_TIMEOUT_MS: '5000' }, /^REDIS_WAIT_TIMEOUT_MS: /],
    [{ REDIS_WAIT_REPLICAS: 'all' }, /^REDIS_WAIT_REPLICAS: /],
    [{ REDIS_TLS_CA_PATH: '/nonexistent/ca.pem' }, /^REDIS_TLS_CA_PATH: cannot read/],
  ])('stops with one line naming the variable for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as { code: string }).code).toBe('CB_ERR_CONFIG');
    }
  });

  it('selects the Salesforce store and its auth flow from the credentials', () => {
    const jwt = loadConfig({
      SF_CLIENT_ID: 'id',
      SF_USERNAME: 'bridge@example.com',
      SF_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
    });
    expect(jwt.store).toMatchObject({
      kind: 'salesforce',
      apiVersion: '68.0',
      auth: { flow: 'jwt', username: 'bridge@example.com' },
    });
    expect(
      jwt.store.kind === 'salesforce' && jwt.store.auth.flow === 'jwt' && jwt.store.auth.privateKey,
    ).toContain('\nabc\n');
    const cc = loadConfig({ SF_CLIENT_ID: 'id', SF_CLIENT_SECRET: 'secret' });
    expect(cc.store).toMatchObject({ kind: 'salesforce', auth: { flow: 'client_credentials' } });
  });

  it('reads NEGATIVE_CACHE_TTL_S (900 s by default; the older NEGATIVE_CACHE_TTL_SECONDS when it is not set) and SF_API_RESERVE_PERCENT (10)', () => {
    expect(loadConfig({}).lookup.negativeCacheTtlSeconds).toBe(900);
    expect(loadConfig({ NEGATIVE_CACHE_TTL_S: '60' }).lookup.negativeCacheTtlSeconds).toBe(60);
    expect(loadConfig({ NEGATIVE_CACHE_TTL_SECONDS: '120' }).lookup.negativeCacheTtlSeconds).toBe(
      120,
    );
    expect(
      loadConfig({ NEGATIVE_CACHE_TTL_S: '60', NEGATIVE_CACHE_TTL_SECONDS: '120' }).lookup
        .negativeCacheTtlSeconds,
    ).toBe(60);
    expect(() => loadConfig({ NEGATIVE_CACHE_TTL_S: '0' })).toThrowError(/NEGATIVE_CACHE_TTL_S/);
    const salesforce = { SF_CLIENT_ID: 'id', SF_CLIENT_SECRET: 'secret' };
    expect(loadConfig(salesforce).store).toMatchObject({ apiReservePercent: 10 });
    expect(loadConfig({ ...salesforce, SF_API_RESERVE_PERCENT: '0' }).store).toMatchObject({
      apiReservePercent: 0,
    });
    expect(() => loadConfig({ ...salesforce, SF_API_RESERVE_PERCENT: '95' })).toThrowError(
      /SF_API_RESERVE_PERCENT/,
    );
  });

  it('reads one server from REDIS_URL: TLS from rediss://, the ACL user, secrets not in messages', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://bridge:s%3Acret@redis.example:6380/2' });
    expect(config.redis.topology).toEqual({
      kind: 'single',
      url: 'rediss://bridge:s%3Acret@redis.example:6380/2',
      auth: { username: 'bridge', password: 's:cret', tls: true, tlsCa: undefined },
    });
    expect(config.redis.description).toBe('rediss://redis.example:6380/2');
    expect(config.redis.ack).toEqual({ replicas: 0, timeoutMs: 500 });
    const fromEnv = loadConfig({
      REDIS_URL: 'redis://h:1',
      REDIS_PASSWORD: 'p',
      REDIS_TLS: 'true',
    });
    expect(fromEnv.redis.topology.auth).toMatchObject({ password: 'p', tls: true });
  });

  it('reads Sentinel: sentinels, master, passwords of both; waits for one replica by default', () => {
    const file = join(dir, 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----');
    const config = loadConfig({
      REDIS_SENTINELS: 'sentinel-1:26379, [::1]:26380',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_PASSWORD: 'data-secret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_PATH: file,
    });
    expect(config.redis.topology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'mymaster',
      auth: {
        username: undefined,
        password: 'data-secret',
        tls: true,
        tlsCa: '-----BEGIN CERTIFICATE-----',
      },
      sentinelAuth: { username: undefined, password: 'sentinel-secret', tls: false },
    });
    expect(config.redis.description).toBe(
      'sentinel master mymaster via sentinel-1:26379,[::1]:26380',
    );
    expect(config.redis.description).not.toContain('secret');
    expect(config.redis.ack.replicas).toBe(1);
    const relaxed = loadConfig({
      REDIS_SENTINELS: 's:26379',
      REDIS_SENTINEL_MASTER: 'm',
      REDIS_WAIT_REPLICAS: '0',
    });
    expect(relaxed.redis.ack.replicas).toBe(0);
  });

  it('reads Cluster seeds and keeps the hash-tagged prefix', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_WAIT_REPLICAS: '1' });
    expect(config.redis.topology).toMatchObject({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
    });
    expect(config.redis.prefix).toBe('{continuity}');
    expect(config.redis.ack.replicas).toBe(1);
  });

  it('reads per-queue overrides from the policy file', () => {
    const file = join(dir, 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        queues: { 'q-sales': { affinityWindowHours: 48, fallbackQueueId: 'q-overflow' } },
      }),
    );
    const config = loadConfig({ QUEUE_POLICY_FILE: file });
    expect(config.policy.perQueue['q-sales']).toEqual({
      affinityWindowMs: 48 * 3_600_000,
      fallbackQueueId: 'q-overflow',
    });
  });

  it('names the bad entry in the policy file', () => {
    const file = join(dir, 'bad-policy.json');
    writeFileSync(file, JSON.stringify({ queues: { 'q-sales': { affinityWindowHours: -1 } } }));
    expect(() => loadConfig({ QUEUE_POLICY_FILE: file })).toThrowError(
      /QUEUE_POLICY_FILE: queues\.q-sales\.affinityWindowHours/,
    );
    writeFileSync(file, '{not json');
    expect(() => loadConfig({ QUEUE_POLICY_FILE: file })).toThrowError(/is not valid JSON/);
  });
});

describe('README configuration table', () => {
  it('documents every environment variable the bridge reads', async () => {
    const { readFileSync } = await import('node:fs');
    const { EnvSchema } = await import('./env.schema.ts');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = Object.keys(EnvSchema.shape).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
