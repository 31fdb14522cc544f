import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * docs/privacy.md is the DPO's map of personal data (issue 16, item 1). This
 * keeps it true: every Redis key family the code defines, every SQLite table
 * and every field of the bridge's Salesforce objects must be named there.
 */

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path, keep);
    return keep(path) ? [path] : [];
  });
}

type Sources = Readonly<Record<string, string>>;

/** Names an interpolated family resolves to (a queue name held in a variable). */
const RESOLVED: Record<string, string> = {
  RECONCILE_QUEUE: 'reconcile',
  'this.#options.queueName': 'reconcile',
};

/** `{prefix}:<family>` of every key the product code builds after its prefix, and of BullMQ queues. */
export function redisFamilies(sources: Sources): string[] {
  const families = new Set<string>();
  for (const [path, text] of Object.entries(sources)) {
    for (const [, family] of text.matchAll(/\$\{[\w.#]*prefix\}:(\$\{[\w.#]+\}|[\w-]+)/gi)) {
      const interpolated = /^\$\{(.+)\}$/.exec(family!)?.[1];
      const name = interpolated === undefined ? family! : RESOLVED[interpolated];
      if (!name) throw new Error(`${path}: cannot tell the key family of \${${interpolated}}`);
      families.add(`{prefix}:${name}`);
    }
    for (const [, queue] of text.matchAll(/new (?:Queue|Worker)(?:<[^>]*>)?\((\w+)/g)) {
      const name = RESOLVED[queue!];
      if (name) families.add(`{prefix}:${name}`);
    }
  }
  return [...families].sort();
}

export function sqliteTables(sources: Sources): string[] {
  const tables = Object.values(sources).flatMap((text) =>
    [...text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((m) => m[1]!),
  );
  return [...new Set(tables)].sort();
}

/** `Object.Field__c` for every field file of force-app. */
export function salesforceFields(paths: readonly string[]): string[] {
  return paths
    .map((path) => /objects\/([^/]+)\/fields\/([^/]+)\.field-meta\.xml$/.exec(path))
    .flatMap((m) => (m ? [`${m[1]}.${m[2]}`] : []))
    .sort();
}

/** What the map does not name. */
export function unlisted(map: string, sources: Sources, fieldPaths: readonly string[]): string[] {
  return [
    ...redisFamilies(sources).filter((family) => !map.includes(family)),
    ...sqliteTables(sources).filter((table) => !map.includes(`\`${table}\``)),
    ...salesforceFields(fieldPaths).filter((field) => {
      const [object, name] = field.split('.') as [string, string];
      return !map.includes(`\`${name}\``) || !map.includes(object);
    }),
  ];
}

const productSources: Sources = Object.fromEntries(
  files(join(ROOT, 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts')).map((p) => [
    relative(ROOT, p),
    readFileSync(p, 'utf8'),
  ]),
);
const fieldPaths = files(join(ROOT, 'force-app'), (p) => p.endsWith('.field-meta.xml')).map((p) =>
  relative(ROOT, p),
);
const map = readFileSync(join(ROOT, 'docs/privacy.md'), 'utf8');

describe('docs/privacy.md, the map of personal data', () => {
  it('finds what the code defines (so the check below has something to check)', () => {
    expect(redisFamilies(productSources)).toEqual(
      expect.arrayContaining([
        '{prefix}:conv',
        '{prefix}:owner',
        '{prefix}:lock',
        '{prefix}:erased',
        '{prefix}:reconcile',
      ]),
    );
    expect(sqliteTables(productSources)).toEqual(['conversation_ownership', 'customer']);
    expect(salesforceFields(fieldPaths)).toContain('Conversation_Ownership__c.Notes__c');
  });

  it('names every Redis key family, SQLite table and Salesforce field of the bridge', () => {
    expect(unlisted(map, productSources, fieldPaths)).toEqual([]);
  });

  it('fails for a new key family, table or field the map does not name', () => {
    const added = {
      ...productSources,
      'src/adapters/redis/zz.redis.ts': 'const k = `${this.#prefix}:drafts:${id}`;',
      'src/adapters/sqlite/zz.sqlite.ts': 'CREATE TABLE IF NOT EXISTS transcript (x TEXT)',
    };
    const fields = [
      ...fieldPaths,
      'force-app/main/default/objects/Contact/fields/Birthday__c.field-meta.xml',
    ];
    expect(unlisted(map, added, fields)).toEqual([
      '{prefix}:drafts',
      'transcript',
      'Contact.Birthday__c',
    ]);
    expect(() => redisFamilies({ 'x.ts': 'const k = `${prefix}:${unknownName}:x`;' })).toThrow(
      /cannot tell the key family/,
    );
  });
});
