import type { RequestHandler } from 'express';
import { sendProblem } from './problem.ts';

/**
 * A lean JSON body reader for the lookup's hot path: a few hundred bytes per
 * request, where body-parser's generality (charsets, inflation, verify hooks)
 * costs more than the lookup itself. Refuses a declared oversize body before
 * reading it, stops reading once the limit is passed, and answers 400 / 413 /
 * 415 with the same problem documents as everywhere else.
 */
export function readJsonBody(limitBytes: number): RequestHandler {
  return (req, res, next) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
      return sendProblem(
        res,
        'CB_ERR_UNSUPPORTED_MEDIA_TYPE',
        'Send the body as Content-Type: application/json.',
      );
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limitBytes) {
      res.set('Connection', 'close');
      return sendProblem(res, 'CB_ERR_PAYLOAD_TOO_LARGE', `The body exceeds ${limitBytes} bytes.`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limitBytes) {
        done = true;
        res.set('Connection', 'close');
        sendProblem(res, 'CB_ERR_PAYLOAD_TOO_LARGE', `The body exceeds ${limitBytes} bytes.`);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        req.body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch {
        return sendProblem(res, 'CB_ERR_MALFORMED_JSON', 'The body could not be parsed as JSON.');
      }
      next();
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      next(error);
    });
  };
}
