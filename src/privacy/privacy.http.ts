import { fieldProblems, validationError } from '../errors/field-problems.ts';
import type { HttpRoute } from '../ports/http-route.port.ts';
import { PrivacyRequest, addressesOf } from './privacy.contract.ts';
import type { PrivacyService } from './privacy.service.ts';

export const PRIVACY_PATH = '/v1/privacy/requests';
const PRIVACY_MAX_BYTES = 16 * 1024;

/**
 * `POST /v1/privacy/requests`: a DSR tool (or Genesys-shaped automation)
 * exports or erases one customer, synchronously. Admin tokens only
 * (`ADMIN_API_TOKENS`); the shell answers 403 to a Data Action token.
 */
export function privacyRoute(service: PrivacyService): HttpRoute {
  return {
    method: 'POST',
    path: PRIVACY_PATH,
    input: { from: 'body', maxBytes: PRIVACY_MAX_BYTES },
    audience: 'admin',
    handle: async (body, { tokenId }) => {
      const parsed = PrivacyRequest.safeParse(body);
      if (!parsed.success) throw validationError(fieldProblems(parsed.error));
      const request = parsed.data;
      const caller = `token:${tokenId ?? 'unknown'}`;
      if (request.requestType === 'GDPR_EXPORT') {
        const report = await service.export(addressesOf(request), caller);
        return { status: 200, body: { requestType: request.requestType, ...report } };
      }
      const report = await service.erase(addressesOf(request), { dryRun: request.dryRun }, caller);
      return { status: 200, body: { requestType: request.requestType, ...report } };
    },
  };
}
