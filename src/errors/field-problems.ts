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

/** At most this many problems are listed; the rest are counted (`errorsOmitted`). */
export const MAX_LISTED_PROBLEMS = 20;
/** A field path or message longer than this is cut: a hostile key can be a megabyte long. */
const MAX_TEXT = 200;

const cut = (text: string): string =>
  text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}… (${text.length} characters)`;

/**
 * The 400 a request with bad fields gets: a one-line detail naming them, and
 * the list itself (`errors`), which the HTTP shell renders as problem details.
 * Both are bounded, so the answer to a hostile body stays a few kilobytes
 * however many items it holds: the first problems, then how many more.
 */
export function validationError(problems: readonly FieldProblem[]): BridgeError {
  const listed = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => ({ field: cut(p.field), message: cut(p.message) }));
  const omitted = problems.length - listed.length;
  const shown = listed.slice(0, 3).map((p) => `${p.field}: ${p.message}`);
  const more = problems.length - shown.length;
  const detail = more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
  return new BridgeError('CB_ERR_VALIDATION', detail, {
    details: { errors: listed, ...(omitted > 0 && { errorsOmitted: omitted }) },
  });
}
