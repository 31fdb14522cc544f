import platformClient from 'purecloud-platform-client-v2';
import { BridgeError } from '../../errors/catalogue.ts';

/**
 * Turns `GENESYS_REGION` into the environment host the SDK expects
 * (`ApiClient.setEnvironment`). Accepted forms:
 * - a `PureCloudRegionHosts` key: `eu_west_1` (also `eu-west-1`, any case);
 * - a host: `mypurecloud.ie`, `api.mypurecloud.ie`, `login.mypurecloud.ie`,
 *   `https://api.mypurecloud.ie/` (protocol, `api.`/`login.` and trailing `/` are dropped).
 * The SDK would take a typo like `mypurecloud.eu` silently; a value that is
 * neither a known key nor host-shaped is rejected here with CB_ERR_CONFIG.
 */
export function resolveEnvironment(region: string): string {
  const trimmed = region.trim();
  const hosts: Record<string, string> = platformClient.PureCloudRegionHosts;
  const key = trimmed.toLowerCase().replace(/-/g, '_');
  const known = hosts[key];
  if (known !== undefined) return known;
  const host = trimmed
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .replace(/^(api|login)\./, '');
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return host;
  throw new BridgeError(
    'CB_ERR_CONFIG',
    `GENESYS_REGION: '${region}' is neither a region key (${Object.keys(hosts).join(', ')}) nor a host like mypurecloud.ie`,
  );
}
