import { z } from 'zod';

/** One `host:port` of a Sentinel or Cluster seed list (`[::1]:26379` for IPv6). */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** What every connection to the data nodes authenticates and encrypts with. */
export interface RedisAuth {
  /** ACL user (Redis 6+); unset = the `default` user. */
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** TLS to the data nodes (`rediss://`, or `REDIS_TLS=true` for Sentinel/Cluster). */
  readonly tls: boolean;
  /** PEM bundle of the CA that signed the server certificate; unset = Node's trust store. */
  readonly tlsCa: string | undefined;
}

/**
 * The three shapes operators deploy Redis in (DESIGN §6). Exactly one is
 * chosen from the environment: `REDIS_SENTINELS` → sentinel,
 * `REDIS_CLUSTER_NODES` → cluster, else `REDIS_URL` → one server.
 */
export type RedisTopology =
  | { readonly kind: 'single'; readonly url: string; readonly auth: RedisAuth }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      readonly masterName: string;
      readonly auth: RedisAuth;
      readonly sentinelAuth: Omit<RedisAuth, 'tlsCa'>;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[]; readonly auth: RedisAuth };

const HOST_PORT = /^(?:\[(?<v6>[0-9a-fA-F:.]+)\]|(?<host>[A-Za-z0-9.-]+)):(?<port>\d{1,5})$/;

/** `a:1,b:2` → nodes; one zod schema for both seed lists, naming the bad entry. */
export const RedisNodeList = z
  .string()
  .transform((value, context): RedisNode[] => {
    const nodes: RedisNode[] = [];
    for (const item of value.split(',').map((part) => part.trim())) {
      if (item === '') continue;
      const match = HOST_PORT.exec(item);
      const port = Number(match?.groups?.port);
      if (!match || port < 1 || port > 65535) {
        context.addIssue({ code: 'custom', message: `"${item}" is not host:port` });
        return z.NEVER;
      }
      nodes.push({ host: match.groups!.v6 ?? match.groups!.host!, port });
    }
    if (nodes.length === 0) {
      context.addIssue({ code: 'custom', message: 'needs at least one host:port' });
      return z.NEVER;
    }
    return nodes;
  })
  .optional();

/** `host:port,host:port` for messages (no secrets in a seed list). */
export function describeNodes(nodes: readonly RedisNode[]): string {
  return nodes
    .map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`)
    .join(',');
}

/** A prefix with a `{hash tag}`: every key the bridge writes lands in one Cluster slot. */
export function hasHashTag(prefix: string): boolean {
  return /\{[^{}]+\}/.test(prefix);
}
