import { z } from 'zod';

/**
 * What `POST /v1/events` answers with 202 (DESIGN §4, `IngestResult` in
 * `src/reconcile/ingest.service.ts`). The post-event Data Action's output
 * contract is generated from this schema.
 *
 * It belongs in `src/contracts/events.contract.ts` beside the request schemas;
 * it lives here until that file exports one.
 */
export const EventsAccepted = z
  .object({
    accepted: z.number().int().min(0).describe('Events newly queued for reconcile.'),
    duplicates: z
      .number()
      .int()
      .min(0)
      .describe('Events already received before (not queued again).'),
    ignored: z.number().int().min(0).describe('Well-formed events the bridge does not act on.'),
  })
  .strict();
export type EventsAccepted = z.output<typeof EventsAccepted>;
