import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * One deliberate violation per rule of `.dependency-cruiser.cjs`, each in a
 * file of its own, planted in a copy of the tree. Every rule must name its
 * file and nothing else may be flagged: a rule that cannot fail (a path typo,
 * a package the cruiser does not resolve) shows up here.
 */
const VIOLATIONS: Record<string, { file: string; source: string }> = {
  'no-circular': {
    file: 'src/domain/zz-cycle-a.ts',
    source: "import { b } from './zz-cycle-b.ts';\nexport const a = () => b;\n",
  },
  'domain-is-pure': {
    file: 'src/domain/zz-impure.ts',
    source:
      "import { systemClock } from '../ports/clock.port.ts';\nexport const now = systemClock;\n",
  },
  'ports-import-only-domain': {
    file: 'src/ports/zz-leaky.port.ts',
    source: "import { ERRORS } from '../errors/catalogue.ts';\nexport const e = ERRORS;\n",
  },
  'slice-ports-import-only-domain-and-contracts': {
    file: 'src/routing/zz-leaky.port.ts',
    source:
      "import { LookupService } from './lookup.service.ts';\nexport const s = LookupService;\n",
  },
  'slices-stay-inside': {
    file: 'src/routing/zz-config.ts',
    source: "import { loadConfig } from '../config/config.ts';\nexport const c = loadConfig;\n",
  },
  'slices-do-not-import-each-other': {
    file: 'src/routing/zz-cross.ts',
    source:
      "import { IngestService } from '../reconcile/ingest.service.ts';\nexport const i = IngestService;\n",
  },
  'slices-do-not-import-each-other (privacy)': {
    file: 'src/privacy/zz-cross.ts',
    source:
      "import { IngestService } from '../reconcile/ingest.service.ts';\nexport const i = IngestService;\n",
  },
  'slices-stay-inside (privacy)': {
    file: 'src/privacy/zz-adapter.ts',
    source:
      "import { createSqliteStore } from '../adapters/sqlite/index.ts';\nexport const s = createSqliteStore;\n",
  },
  'use-cases-reach-io-through-ports': {
    file: 'src/reconcile/zz-redis.ts',
    source: "import { Redis } from 'ioredis';\nexport const r = Redis;\n",
  },
  'http-shell-takes-routes-not-slices': {
    file: 'src/http/zz-slice.ts',
    source:
      "import { LookupService } from '../routing/lookup.service.ts';\nexport const s = LookupService;\n",
  },
  'adapters-see-only-ports-and-contracts-of-slices': {
    file: 'src/adapters/redis/zz-use-case.redis.ts',
    source:
      "import { IngestService } from '../../reconcile/ingest.service.ts';\nexport const i = IngestService;\n",
  },
  'generators-read-contracts-only': {
    file: 'src/genesys-artifacts/zz-service.ts',
    source:
      "import { LookupService } from '../routing/lookup.service.ts';\nexport const s = LookupService;\n",
  },
  'product-code-never-imports-tests-or-benchmarks': {
    file: 'src/cli/zz-fakes.ts',
    source:
      "import { FakeStore } from '../../test/support/fakes.ts';\nexport const f = FakeStore;\n",
  },
  'benchmarks-are-leaves': {
    file: 'test/support/zz-bench.ts',
    source:
      "import { machineDescription } from '../../bench/machine.ts';\nexport const m = machineDescription;\n",
  },
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let copy: string;
let violations: Violation[];

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'cb-layers-'));
  for (const path of [
    'src',
    'test',
    'bench',
    'package.json',
    'tsconfig.json',
    '.dependency-cruiser.cjs',
  ]) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  writeFileSync(
    join(copy, 'src/domain/zz-cycle-b.ts'),
    "import { a } from './zz-cycle-a.ts';\nexport const b = () => a;\n",
  );
  for (const { file, source } of Object.values(VIOLATIONS)) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    writeFileSync(join(copy, file), source);
  }
  let output: string;
  try {
    output = execFileSync(
      join(ROOT, 'node_modules/.bin/depcruise'),
      ['src', 'test', 'bench', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      { cwd: copy, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    // depcruise exits non-zero when it finds violations, which is the point here.
    output = (error as { stdout: string }).stdout;
  }
  violations = (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
}, 60_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it.each(Object.entries(VIOLATIONS))('%s fails on its planted violation', (name, { file }) => {
    const rule = name.replace(/ \(.*\)$/, '');
    const flagged = violations.filter((v) => v.rule.name === rule).map((v) => v.from);
    expect(flagged).toContain(file);
  });

  it('flags nothing but the planted files', () => {
    const planted = new Set([
      ...Object.values(VIOLATIONS).map((v) => v.file),
      'src/domain/zz-cycle-b.ts',
    ]);
    expect(violations.filter((v) => !planted.has(v.from))).toEqual([]);
  });
});
