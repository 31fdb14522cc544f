/**
 * Runs a generated inbound message flow (the parsed Archy YAML) the way
 * Architect would for one message, against a described Genesys org: which
 * users and queues exist, what the lookup answered, which schedule groups are
 * closed and which emergency groups active. It knows only the constructs the
 * generator emits and throws on anything else, so a new construct cannot pass
 * unplayed.
 *
 * Modelled on the documented behaviour (../shared/reference/archy.md): a
 * transfer that succeeds ends the flow; a Transfer to ACD fails (and the flow
 * goes on with the next action) when its queue is NOT_SET, when a preferred
 * agent is NOT_SET (the pessimistic reading), or with more than 20 pairs
 * (TooManyPreferredAgents); Find Users by Id keeps the order of the ids,
 * NOT_SET where a user is unknown.
 */

type Value = unknown;
const NOT_SET = Symbol('NOT_SET');
type Node = Record<string, unknown>;

export interface Org {
  /** Queue id → queue name. */
  readonly queues: Readonly<Record<string, string>>;
  readonly users: ReadonlySet<string>;
  readonly closedScheduleGroups?: ReadonlySet<string>;
  readonly holidayScheduleGroups?: ReadonlySet<string>;
  readonly activeEmergencyGroups?: ReadonlySet<string>;
}

export type LookupOutcome =
  | { readonly path: 'success'; readonly output: Record<string, unknown> }
  | { readonly path: 'failure' | 'timeout' };

export interface AttemptedTransfer {
  readonly name: string;
  readonly queueId: string | undefined;
  readonly preferredAgents: ReadonlyArray<{ agent: string; score: number }>;
  readonly priority: number;
  readonly succeeded: boolean;
}

export interface FlowRun {
  readonly transfers: AttemptedTransfer[];
  /** The transfer that took the customer, or undefined when the flow ran off its end. */
  readonly routedBy: AttemptedTransfer | undefined;
  readonly messages: string[];
  readonly participantData: Record<string, string>;
}

const MAX_PAIRS = 20;

class Player {
  readonly vars = new Map<string, Value>();
  readonly run: FlowRun = { transfers: [], routedBy: undefined, messages: [], participantData: {} };
  readonly org: Org;
  readonly lookup: LookupOutcome;
  constructor(
    org: Org,
    lookup: LookupOutcome,
    message: { senderAddress: string; conversationId: string; isNewConversation: boolean },
  ) {
    this.org = org;
    this.lookup = lookup;
    this.vars.set('Message.Message.senderAddress', message.senderAddress);
    this.vars.set('Message.ConversationId', message.conversationId);
    this.vars.set('Message.IsNewConversation', message.isNewConversation);
  }

  /** Runs actions; true when a transfer took the customer. */
  actions(list: unknown): boolean {
    for (const action of (list ?? []) as Node[]) if (this.action(action)) return true;
    return false;
  }

  private outputs(body: Node, key: string): unknown {
    return ((body.outputs ?? {}) as Record<string, { actions: unknown } | undefined>)[key]?.actions;
  }

  private action(node: Node): boolean {
    const [kind, raw] = Object.entries(node)[0]!;
    const body = raw as Node;
    switch (kind) {
      case 'updateData':
        for (const statement of body.statements as Node[]) {
          const inner = Object.values(statement)[0] as { variable: string; value: Node };
          this.vars.set(inner.variable, this.value(inner.value));
        }
        return false;
      case 'callData': {
        if (this.lookup.path !== 'success') return this.actions(this.outputs(body, this.lookup.path));
        const action = Object.values(Object.values(body.category as Node)[0] as Node)[0] as Node;
        const bound = Object.values(action)[0] as { successOutputs: Record<string, { var: string }> };
        for (const [output, target] of Object.entries(bound.successOutputs))
          this.vars.set(target.var, this.lookup.output[output]);
        return this.actions(this.outputs(body, 'success'));
      }
      case 'decision': {
        const yes = this.value(body.condition as Node) === true;
        return this.actions(this.outputs(body, yes ? 'yes' : 'no'));
      }
      case 'switch': {
        const firstTrue = (body.evaluate as Node).firstTrue as {
          cases: Array<{ case: { value: Node; actions: unknown } }>;
          default?: { actions: unknown };
        };
        const hit = firstTrue.cases.find((c) => this.value(c.case.value) === true);
        return this.actions(hit ? hit.case.actions : firstTrue.default?.actions);
      }
      case 'findUsersById': {
        const ids = this.value(body.userIds as Node) as string[];
        const users = ids.slice(0, 50).map((id) => (this.org.users.has(id) ? id : NOT_SET));
        this.vars.set((body.findResult as { var: string }).var, users);
        const found = users.filter((u) => u !== NOT_SET).length;
        const path = found === users.length ? 'found' : found > 0 ? 'partiallyFound' : 'notFound';
        return this.actions(this.outputs(body, path));
      }
      case 'evaluateScheduleGroup': {
        const emergency = this.value(body.emergencyGroup as Node);
        const group = this.value(body.scheduleGroup as Node);
        if (typeof emergency === 'string' && this.org.activeEmergencyGroups?.has(emergency))
          return this.actions(this.outputs(body, 'emergency'));
        if (typeof group === 'string' && this.org.holidayScheduleGroups?.has(group))
          return this.actions(this.outputs(body, 'holiday'));
        if (typeof group === 'string' && this.org.closedScheduleGroups?.has(group))
          return this.actions(this.outputs(body, 'closed'));
        return false; // open: on with the next action
      }
      case 'setParticipantData':
        for (const a of body.attributes as Array<{ attribute: { name: Node; value: Node } }>) {
          const value = this.value(a.attribute.value);
          if (typeof value !== 'string') throw new Error(`participant data must be a string`);
          this.run.participantData[String(this.value(a.attribute.name))] = value;
        }
        return false;
      case 'sendResponse':
        this.run.messages.push(String(this.value(body.messageBody as Node)));
        return false;
      case 'transferToAcd':
        return this.transfer(body);
      default:
        throw new Error(`the message flow player does not know "${kind}"`);
    }
  }

  private transfer(body: Node): boolean {
    const queue = this.value(body.targetQueue as Node);
    const pairs = body.preferredAgents
      ? (this.value(body.preferredAgents as Node) as Array<{ agent: unknown; score: number }> | typeof NOT_SET)
      : [];
    const list = pairs === NOT_SET || pairs === undefined ? [] : pairs;
    const queueId = typeof queue === 'string' ? queue : undefined;
    const succeeded =
      queueId !== undefined &&
      list.length <= MAX_PAIRS &&
      list.every((p) => typeof p.agent === 'string');
    const attempt: AttemptedTransfer = {
      name: String(body.name),
      queueId,
      preferredAgents: list.map((p) => ({ agent: String(p.agent), score: p.score })),
      priority: Number(this.value(body.priority as Node)),
      succeeded,
    };
    this.run.transfers.push(attempt);
    if (succeeded) Object.assign(this.run, { routedBy: attempt });
    return succeeded;
  }

  value(node: Node): Value {
    if ('lit' in node) {
      const lit = node.lit;
      if (lit && typeof lit === 'object' && 'name' in lit) return this.queueByName(String(lit.name));
      return lit;
    }
    if ('exp' in node) return this.expression(String(node.exp).trim());
    if ('noValue' in node) return NOT_SET;
    throw new Error(`unknown value ${JSON.stringify(node)}`);
  }

  /** A literal `name:` is a queue (transfer) or a schedule group (evaluate): both resolve by name. */
  private queueByName(name: string): Value {
    const id = Object.entries(this.org.queues).find(([, n]) => n === name)?.[0];
    return id ?? name;
  }

  private expression(text: string): Value {
    const eq = splitTop(text, '==');
    if (eq.length === 2) return this.expression(eq[0]!) === this.expression(eq[1]!);
    const str = /^"([^"]*)"$/.exec(text);
    if (str) return str[1];
    if (/^-?\d+$/.test(text)) return Number(text);
    if (text === 'NOT_SET') return NOT_SET;
    if (/^[A-Za-z][\w.]*$/.test(text)) {
      if (!this.vars.has(text)) throw new Error(`undeclared or unset variable ${text}`);
      return this.vars.get(text);
    }
    const call = /^(\w+)\((.*)\)$/.exec(text);
    if (!call) throw new Error(`the player cannot read the expression ${text}`);
    const args = splitTop(call[2]!, ',').map((a) => this.expression(a.trim()));
    return this.call(call[1]!, args);
  }

  private call(name: string, args: Value[]): Value {
    const [a, b] = args;
    switch (name) {
      case 'IsNotSetOrEmpty':
        return a === NOT_SET || a === undefined || a === '' || (Array.isArray(a) && a.length === 0);
      case 'MakeList':
        return args;
      case 'FindUserById':
        return typeof a === 'string' && this.org.users.has(a) ? a : NOT_SET;
      case 'FindQueueById':
        return typeof a === 'string' && a in this.org.queues ? a : NOT_SET;
      case 'MakeListAgentScorePair': {
        const users = a as Value[];
        const scores = b as number[];
        if (users.length !== scores.length) throw new Error('MakeListAgentScorePair: lengths differ');
        return users.map((agent, i) => ({ agent: agent === NOT_SET ? NOT_SET : agent, score: scores[i]! }));
      }
      case 'ToString':
        return a === NOT_SET ? NOT_SET : String(a);
      case 'FindEmergencyGroup':
        return a;
      case 'ToScheduleGroup':
        return NOT_SET;
      default:
        throw new Error(`the player does not know the function ${name}()`);
    }
  }
}

/** Splits at `separator` outside quotes and parentheses. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i).trim());
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** Plays `flow` (the parsed YAML document) for one WhatsApp message. */
export function playMessageFlow(
  flow: Record<string, unknown>,
  org: Org,
  lookup: LookupOutcome,
  message = { senderAddress: '+5511987654321', conversationId: 'conv-1', isNewConversation: true },
): FlowRun {
  const root = flow.inboundShortMessage as {
    variables: Node[];
    states: Array<{ state: { actions: unknown } }>;
  };
  const player = new Player(org, lookup, message);
  for (const declaration of root.variables) {
    const v = Object.values(declaration)[0] as { name: string; initialValue: Node };
    player.vars.set(v.name, player.value(v.initialValue));
  }
  player.actions(root.states[0]!.state.actions);
  return player.run;
}
