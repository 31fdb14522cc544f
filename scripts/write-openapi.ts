// npm run openapi — writes docs/openapi.json from the zod contracts.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../src/main.ts';

writeFileSync(
  new URL('../docs/openapi.json', import.meta.url),
  `${JSON.stringify(openApiDocument(), null, 2)}\n`,
);
console.log('wrote docs/openapi.json');
