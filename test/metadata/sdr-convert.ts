/**
 * Offline conversion of `force-app` to Metadata API format with
 * @salesforce/source-deploy-retrieve: the same converter `sf project deploy`
 * runs before it talks to an org, so no org or credentials are needed.
 */
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { child, list, parseXml, str } from '../support/metadata-xml.ts';

export interface Conversion {
  /** `Type:fullName` of each source component SDR resolved (children excluded). */
  readonly components: string[];
  /** package.xml members by metadata type. */
  readonly members: Record<string, string[]>;
  readonly packageXml: string;
}

export async function convertForceApp(
  packageDir: string,
  outputDirectory: string,
  apiVersion: string,
): Promise<Conversion> {
  const set = ComponentSet.fromSource(packageDir);
  set.sourceApiVersion = apiVersion;
  const components = set
    .getSourceComponents()
    .toArray()
    .map((c) => `${c.type.name}:${c.fullName}`)
    .sort();
  const packageXml = await set.getPackageXml();
  const members: Record<string, string[]> = {};
  for (const type of list(child(parseXml(packageXml, 'package.xml'), 'Package'), 'types')) {
    members[str(type, 'name')] = list(type, 'members').map(String).sort();
  }
  await new MetadataConverter().convert(set, 'metadata', {
    type: 'directory',
    outputDirectory,
    genUniqueDir: false,
  });
  return { components, members, packageXml };
}
