import { describe, expect, it } from 'vitest';
import { toYaml, yamlScalar, type YamlValue } from './yaml.writer.ts';

// `yaml` is a dependency of vite (and so of vitest), not of this package: the
// round-trip checks run when it is installed and are skipped otherwise.
const yaml = await import('yaml').catch(() => null);

describe('yamlScalar', () => {
  it.each([
    ['Flow.action', 'Flow.action'],
    ['Message.Message.senderAddress', 'Message.Message.senderAddress'],
    ['en-us', 'en-us'],
    ['Continuity Bridge - Routing Lookup v1', 'Continuity Bridge - Routing Lookup v1'],
    ['yes', '"yes"'],
    ['No', '"No"'],
    ['true', '"true"'],
    ['null', '"null"'],
    ['0', '"0"'],
    ['', '""'],
    ['a: b', '"a: b"'],
    ['# comment', '"# comment"'],
    ['Flow.action == "agent"', '"Flow.action == \\"agent\\""'],
    ['/inboundShortMessage/states/state[A_10]', '"/inboundShortMessage/states/state[A_10]"'],
    ['Known agent?', '"Known agent?"'],
    ['trailing ', '"trailing "'],
  ])('%j → %s', (input, expected) => {
    expect(yamlScalar(input)).toBe(expected);
  });

  it('writes numbers, booleans and null plainly', () => {
    expect([yamlScalar(8), yamlScalar(true), yamlScalar(false), yamlScalar(null)]).toEqual([
      '8',
      'true',
      'false',
      'null',
    ]);
  });
});

describe('toYaml', () => {
  const doc: { [key: string]: YamlValue } = {
    flow: {
      name: 'Test',
      states: [
        {
          state: {
            name: 'Initial',
            actions: [{ decision: { outputs: { yes: { actions: [] } } } }],
          },
        },
      ],
      list: ['a', 1, true],
      empty: {},
    },
  };

  it('lays sequences out the way Archy exports do', () => {
    expect(toYaml(doc, ['header', ''])).toBe(
      [
        '# header',
        '#',
        'flow:',
        '  name: Test',
        '  states:',
        '    - state:',
        '        name: Initial',
        '        actions:',
        '          - decision:',
        '              outputs:',
        '                "yes":',
        '                  actions: []',
        '  list:',
        '    - a',
        '    - 1',
        '    - true',
        '  empty: {}',
        '',
      ].join('\n'),
    );
  });

  it.skipIf(!yaml)('round-trips through a YAML parser', () => {
    const tricky: { [key: string]: YamlValue } = {
      a: 'Flow.action == "agent"',
      b: ['yes', 'no', 'on', 'x: y', '- dash', 'multi\nline', '#hash', 'ünïcode …'],
      c: { 'userParams.key': { noValue: true }, '': 'empty key' },
    };
    expect(yaml!.parse(toYaml(tricky))).toEqual(tricky);
    expect(yaml!.parse(toYaml(doc))).toEqual(doc);
  });
});
