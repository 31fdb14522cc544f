import type { z } from 'zod';
import { BridgeError } from './catalogue.ts';

/** One problem with one field of a request, as problem details list it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** zod issues → `[{field: 'address', message: '…'}]`. */
export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '';
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { field: path || keys || '(body)', message: issue.message };
  });
}

/**
 * The 400 a request with bad fields gets: a one-line detail naming them, and
 * the list itself (`errors`), which the HTTP shell renders as problem details.
 */
export function validationError(problems: readonly FieldProblem[]): BridgeError {
  const detail = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new BridgeError('CB_ERR_VALIDATION', detail, { details: { errors: problems } });
}
