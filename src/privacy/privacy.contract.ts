import { z } from 'zod';

/**
 * `POST /v1/privacy/requests` takes Genesys Cloud's GDPR request shape
 * (`GDPRRequest`, `POST /api/v2/gdpr/requests`; ../shared/reference/genesys.md
 * §4.8): `requestType` and a `subject` (`GDPRSubject`). The bridge reads
 * `subject.phoneNumbers` (any spelling) and, for a WhatsApp business-scoped
 * user id (BSUID), `subject.socialHandle` `{type: "whatsapp", value}`; the
 * other GDPRSubject fields are accepted and ignored. `GDPR_UPDATE` is not
 * supported (the bridge holds nothing a replacement term could update).
 * `dryRun` is the bridge's own addition (a delete that only counts).
 */
export const PRIVACY_REQUEST_TYPES = ['GDPR_EXPORT', 'GDPR_DELETE'] as const;

const address = z.string().min(1).max(200);

export const PrivacyRequest = z.object({
  requestType: z.enum(PRIVACY_REQUEST_TYPES).describe('GDPR_EXPORT or GDPR_DELETE'),
  subject: z
    .looseObject({
      phoneNumbers: z
        .array(address)
        .max(20)
        .optional()
        .describe('The customer\'s numbers, any spelling ("+55 11 98765-4321", "whatsapp:+55…")'),
      socialHandle: z
        .object({
          type: z
            .string()
            .regex(/^whatsapp$/i, 'only socialHandle.type "whatsapp" (a BSUID) is supported'),
          value: address.describe('A WhatsApp business-scoped user id, e.g. BR.1502576394655843'),
        })
        .optional()
        .describe('The WhatsApp business-scoped user id (BSUID) as a social handle'),
    })
    .refine(
      (subject) => (subject.phoneNumbers?.length ?? 0) > 0 || subject.socialHandle !== undefined,
      { message: 'name the customer: subject.phoneNumbers or subject.socialHandle' },
    ),
  dryRun: z.boolean().default(false).describe('GDPR_DELETE only: count, change nothing'),
});
export type PrivacyRequest = z.output<typeof PrivacyRequest>;

/** Per store, what a delete removed (or would remove): `{ sqlite: { historyRows: 3 } }`. */
export const PrivacyDeleteResponse = z.object({
  requestType: z.literal('GDPR_DELETE'),
  dryRun: z.boolean(),
  stores: z.record(z.string(), z.record(z.string(), z.number())),
});

export const PrivacyExportResponse = z.object({
  requestType: z.literal('GDPR_EXPORT'),
  keys: z.array(z.string()).describe('The customer keys the request resolved to'),
  conversationIds: z.array(z.string()),
  stores: z.array(
    z.object({
      store: z.string(),
      items: z.record(z.string(), z.array(z.unknown())),
    }),
  ),
});

/** The addresses a request names: its numbers, then its BSUID. */
export function addressesOf(request: PrivacyRequest): string[] {
  const { phoneNumbers = [], socialHandle } = request.subject;
  return [...phoneNumbers, ...(socialHandle ? [socialHandle.value] : [])];
}
