import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from './problem.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Deepest nesting of arrays and objects accepted. Genesys bodies nest about 5
 * levels; 5,000 would overflow the stack when the event is stored, turning a
 * body that can never be stored into a 503 its sender retries forever.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when `text` nests arrays/objects deeper than `limit` (strings skipped); one pass, no parse. */
export function nestsDeeperThan(text: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/**
 * A lean JSON body reader for small bodies on the hot path, where body-parser's
 * generality (charsets, inflation, verify hooks) costs more than the lookup
 * itself. Refuses a declared oversize body before reading it, stops reading
 * once the limit is passed, and answers 400 / 413 / 415 with the same problem
 * documents as everywhere else. Calls `onBody` only with parsed JSON.
 */
export function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  limitBytes: number,
  onBody: (body: unknown) => void,
): void {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    return sendProblem(
      res,
      'CB_ERR_UNSUPPORTED_MEDIA_TYPE',
      'Send the body as Content-Type: application/json.',
    );
  }
  const tooLarge = () => {
    res.setHeader('Connection', 'close');
    sendProblem(res, 'CB_ERR_PAYLOAD_TOO_LARGE', `The body exceeds ${limitBytes} bytes.`);
  };
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  req.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > limitBytes) {
      done = true;
      return tooLarge();
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (done) return;
    done = true;
    const raw = Buffer.concat(chunks, size);
    if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
      return sendProblem(
        res,
        'CB_ERR_VALIDATION',
        `The body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels.`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendProblem(res, 'CB_ERR_MALFORMED_JSON', 'The body could not be parsed as JSON.');
    }
    onBody(body);
  });
  req.on('error', () => {
    done = true;
  });
}
