import type platformClient from 'purecloud-platform-client-v2';
import type { ConversationSnapshot } from '../../domain/conversation.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ConversationSource } from '../../reconcile/conversation-source.port.ts';
import {
  snapshotFromAnalyticsConversation,
  snapshotFromMessageConversation,
} from './conversation-snapshot.genesys.ts';
import type { GenesysClient } from './client.genesys.ts';
import {
  AnalyticsConversation,
  AnalyticsConversationQueryResponse,
  MessageConversation,
  epochMs,
  parseBody,
} from './models.genesys.ts';

const DAY_MS = 86_400_000;

export interface GenesysConversationSourceOptions {
  readonly client: GenesysClient;
  readonly logger: Logger;
  /**
   * The analytics `interval` selects conversations that *started* on a day it
   * touches (ConversationQuery docs), so the query starts this much before the
   * sweep window to catch conversations that started earlier and ended inside
   * it; the end filter is applied here. @defaultValue 1 day
   */
  readonly sweepLookbackMs?: number;
  /** @defaultValue 100 */
  readonly pageSize?: number;
  /** Participant attributes recorded as context (CONTEXT_ATTRIBUTES). @defaultValue none */
  readonly contextAttributes?: readonly string[];
  /** Safety bound on pages per sweep; a warning is logged when reached. @defaultValue 1000 */
  readonly maxPages?: number;
}

/**
 * ConversationSource over Genesys Cloud: the message conversation when the
 * conversations API still has it, else analytics details; the sweep through
 * the analytics conversation details query.
 */
export class GenesysConversationSource implements ConversationSource {
  private readonly client: GenesysClient;
  private readonly logger: Logger;
  private readonly lookbackMs: number;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly contextAttributes: readonly string[];

  constructor(options: GenesysConversationSourceOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.lookbackMs = options.sweepLookbackMs ?? DAY_MS;
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = options.maxPages ?? 1000;
    this.contextAttributes = options.contextAttributes ?? [];
  }

  async loadConversation(conversationId: string): Promise<ConversationSnapshot | null> {
    if (conversationId.trim() === '') return null;
    const message = await this.client.request('getConversationsMessage', (apis) =>
      apis.conversations.getConversationsMessage(conversationId),
    );
    if (message !== null) {
      const parsed = parseBody(MessageConversation, message, 'getConversationsMessage');
      return snapshotFromMessageConversation(conversationId, parsed, this.contextAttributes);
    }
    // 404: too old for the conversations API (or not a message conversation);
    // analytics keeps the details.
    const details = await this.client.request('getAnalyticsConversationDetails', (apis) =>
      apis.analytics.getAnalyticsConversationDetails(conversationId),
    );
    if (details === null) return null;
    this.logger.debug({ conversationId }, 'genesys conversation loaded from analytics details');
    const parsed = parseBody(AnalyticsConversation, details, 'getAnalyticsConversationDetails');
    return snapshotFromAnalyticsConversation(conversationId, parsed);
  }

  async listEndedConversations(start: number, end: number): Promise<string[]> {
    if (!(end > start)) return [];
    const ids = new Set<string>();
    for (let pageNumber = 1; ; pageNumber++) {
      const body = await this.client.request('postAnalyticsConversationsDetailsQuery', (apis) =>
        apis.analytics.postAnalyticsConversationsDetailsQuery(this.query(start, end, pageNumber)),
      );
      const page = parseBody(
        AnalyticsConversationQueryResponse,
        body ?? {},
        'postAnalyticsConversationsDetailsQuery',
      );
      for (const conversation of page.conversations) {
        const endedAt = epochMs(conversation.conversationEnd);
        const id = conversation.conversationId ?? '';
        if (id !== '' && endedAt >= start && endedAt < end) ids.add(id);
      }
      const totalHits = page.totalHits ?? 0;
      const lastPage = Math.ceil(totalHits / this.pageSize);
      if (page.conversations.length === 0 || pageNumber >= lastPage) break;
      if (pageNumber >= this.maxPages) {
        this.logger.warn(
          { start, end, totalHits, pages: pageNumber },
          'genesys sweep stopped at the page limit; narrow the sweep window',
        );
        break;
      }
    }
    return [...ids];
  }

  /** Models.ConversationQuery: ended WhatsApp message conversations (analytics enums are lowercase). */
  private query(start: number, end: number, pageNumber: number): platformClient.Models.ConversationQuery {
    const from = new Date(start - this.lookbackMs).toISOString();
    return {
      interval: `${from}/${new Date(end).toISOString()}`,
      order: 'asc',
      orderBy: 'conversationStart',
      conversationFilters: [
        {
          type: 'and',
          predicates: [{ type: 'dimension', dimension: 'conversationEnd', operator: 'exists' }],
        },
      ],
      segmentFilters: [
        {
          type: 'and',
          predicates: [
            { type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'message' },
            { type: 'dimension', dimension: 'messageType', operator: 'matches', value: 'whatsapp' },
          ],
        },
      ],
      paging: { pageSize: this.pageSize, pageNumber },
    };
  }
}
