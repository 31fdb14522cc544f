import { seededRandom } from '../../src/demo/seeded-random.ts';

/*
 * Malformed requests for the fuzz test, from a seed: every run sends the same
 * ones. Each carries one of the planted customer numbers somewhere (a field,
 * an id, the query, a header), so the test can tell whether any reached the
 * log unmasked.
 */

export const PLANTED_NUMBERS = ['61412320476', '5511987654321', '14155550199', '447700900123'];

export interface FuzzRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

function junkValue(random: Random, number: string, depth = 0): unknown {
  const choices: (() => unknown)[] = [
    () => number,
    () => `conv-${number}`,
    () => `+${number}`,
    () => Math.floor(random() * 1e15),
    () => random() * 1e308 * (random() < 0.5 ? -1 : 1),
    () => null,
    () => true,
    () => '',
    () => 'x'.repeat(Math.floor(random() * 5000)),
    () => '\u0000\ud800\uffff',
    () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
    () => [],
    () =>
      depth < 4
        ? Object.fromEntries(
            Array.from({ length: 3 }, (_, i) => [`k${i}`, junkValue(random, number, depth + 1)]),
          )
        : {},
  ];
  return pick(random, choices)();
}

function validEvent(number: string, conversationId: string): Record<string, unknown> {
  return {
    eventTime: Date.now() - 60_000,
    conversationId,
    participantId: '7fe59e83-106c-412b-930f-b2e1ec6efc56',
    mediaType: 'MESSAGE',
    messageType: 'WHATSAPP',
    addressFrom: `+${number}`,
    userId: '91979899-5186-4cee-beaa-1abafca462f9',
    queueId: '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec',
  };
}

/** A body that is wrong in one of many ways, for `path`. */
function hostileBody(random: Random, number: string, path: string): string {
  const event = validEvent(number, `conv-${number}`);
  const base = path === '/v1/events' ? event : { address: `+${number}` };
  const mutations: (() => string)[] = [
    // Broken JSON.
    () => JSON.stringify(base).slice(0, Math.floor(random() * 40)),
    () => `{"address": "${number}"`,
    () =>
      Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))).toString('latin1'),
    // Wrong types and unknown fields.
    () => JSON.stringify({ ...base, [pick(random, Object.keys(base))]: junkValue(random, number) }),
    () => JSON.stringify({ ...base, [`extra_${number}`]: junkValue(random, number) }),
    () => JSON.stringify(junkValue(random, number)),
    // Many items, each wrong.
    () => JSON.stringify(Array.from({ length: 1 + Math.floor(random() * 800) }, () => ({}))),
    () =>
      JSON.stringify(
        Array.from({ length: 1 + Math.floor(random() * 50) }, () => ({
          detail: { topicName: `v2.detail.events.conversation.conv-${number}.acw` },
        })),
      ),
    // Deep nesting, in an unknown field of a valid event or bare.
    () => {
      const depth = 65 + Math.floor(random() * 5000);
      return `${JSON.stringify(base).slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    },
    () => '['.repeat(10_000),
    // Prototype tricks.
    () => `{"__proto__":{"address":"${number}"},"address":{"__proto__":"x"}}`,
  ];
  return pick(random, mutations)();
}

/** `count` hostile requests against `path`, from `seed`. */
export function hostileRequests(
  seed: number,
  count: number,
  path: string,
  token: string,
): FuzzRequest[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const number = pick(random, PLANTED_NUMBERS);
    const auth: Record<string, string> =
      random() < 0.1
        ? pick<Record<string, string>>(random, [
            {},
            { 'x-api-key': `${token}x` },
            { authorization: `Basic ${number}` },
          ])
        : { 'x-api-key': token };
    const headers: Record<string, string> = {
      ...auth,
      'content-type': random() < 0.9 ? 'application/json' : pick(random, ['text/plain', '']),
      'x-request-id': random() < 0.3 ? `req-${number}` : `req-${Math.floor(random() * 1e6)}`,
    };
    if (path === '/v1/routing/lookup' && random() < 0.3) {
      const query = pick(random, [
        `address=${number}&address=${number}`,
        `address=${'9'.repeat(Math.floor(random() * 3000))}`,
        `address[__proto__]=${number}`,
        `queueId=${number}`,
        `address=%E0%A4%A`,
      ]);
      return { method: 'GET', path: `${path}?${query}`, headers };
    }
    return { method: 'POST', path, headers, body: hostileBody(random, number, path) };
  });
}
