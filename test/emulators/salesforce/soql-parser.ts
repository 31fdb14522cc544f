// The SOQL subset the bridge's adapter sends (src/adapters/salesforce/queries.salesforce.ts),
// parsed with a small tokenizer and run against the emulator's tables:
//   SELECT f, …, (SELECT f, … FROM ChildRelationship [WHERE …] [ORDER BY …] [LIMIT n])
//   FROM Object [WHERE cond AND cond …] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n]
// with cond := f = literal | f != literal | f IN (literal, …) | f < literal (also <=, >, >=);
// literal := 'text' | null | true | false | n | a dateTime (`2026-01-02T03:04:05Z`, unquoted,
// the SOQL "Date Formats and Date Literals" form; the retention pass sends it).
// Anything else (OR, LIKE, functions, relationship paths, unknown fields) is an
// error in Salesforce's shape, so drift between the adapter and the org is loud.

export class SoqlError extends Error {
  readonly errorCode: string;
  constructor(errorCode: string, message: string) {
    super(message);
    this.errorCode = errorCode;
  }
}

/** An unquoted SOQL dateTime literal, as epoch ms. */
export class DateTimeLiteral {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
}
export type Literal = string | number | boolean | null | DateTimeLiteral;
export type Comparison = '<' | '<=' | '>' | '>=';
export interface Condition {
  readonly field: string;
  readonly op: '=' | '!=' | 'in' | Comparison;
  readonly values: readonly Literal[];
}
export interface Order {
  readonly field: string;
  readonly desc: boolean;
  readonly nullsLast: boolean;
}
type Item =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'sub'; readonly query: Query };
export interface Query {
  readonly from: string;
  readonly items: readonly Item[];
  readonly where: readonly Condition[];
  readonly order: readonly Order[];
  readonly limit: number | undefined;
}
interface Token {
  readonly kind: 'string' | 'number' | 'word' | 'punct' | 'datetime';
  readonly text: string;
  readonly value: Literal;
  readonly at: number;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})/;
const COMPARISONS: readonly string[] = ['<', '<=', '>', '>='];
const malformed = (message: string) => new SoqlError('MALFORMED_QUERY', message);

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const at = i;
    const ch = soql[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'") {
      let text = '';
      for (i += 1; soql[i] !== "'"; i += 1) {
        if (i >= soql.length)
          throw malformed(`line 1:${at} mismatched character '<EOF>' expecting '''`);
        if (soql[i] === '\\') {
          const escaped = ESCAPES[soql[i + 1] ?? ''];
          if (escaped === undefined)
            throw malformed(
              `Invalid string literal '${soql.slice(at, i + 2)}'. Illegal character sequence '\\${soql[i + 1] ?? ''}' in string literal.`,
            );
          text += escaped;
          i += 1;
        } else text += soql[i];
      }
      i += 1;
      tokens.push({ kind: 'string', text: soql.slice(at, i), value: text, at });
      continue;
    }
    const dateTime = DATETIME.exec(soql.slice(i));
    if (dateTime) {
      i += dateTime[0].length;
      const value = new DateTimeLiteral(Date.parse(dateTime[0]));
      tokens.push({ kind: 'datetime', text: dateTime[0], value, at });
      continue;
    }
    const match = /^(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(!=|<=|>=|[(),=<>]))/.exec(
      soql.slice(i),
    );
    if (!match) throw malformed(`line 1:${at} no viable alternative at character '${ch}'`);
    i += match[0].length;
    if (match[1]) tokens.push({ kind: 'number', text: match[0], value: Number(match[0]), at });
    else if (match[2]) {
      const lower = match[0].toLowerCase();
      const value =
        lower === 'null' ? null : lower === 'true' ? true : lower === 'false' ? false : match[0];
      tokens.push({ kind: 'word', text: match[0], value, at });
    } else tokens.push({ kind: 'punct', text: match[0], value: match[0], at });
  }
  return tokens;
}

/** Parses one SOQL statement of the supported subset; throws MALFORMED_QUERY otherwise. */
export function parseSoql(soql: string): Query {
  const tokens = tokenize(soql);
  let pos = 0;
  const peek = () => tokens[pos];
  const unexpected = (): never => {
    const token = peek();
    throw malformed(
      `${soql}\nERROR at Row:1:Column:${(token?.at ?? soql.length) + 1}\nunexpected token: ${token ? `'${token.text}'` : '<EOF>'}`,
    );
  };
  const isWord = (word: string) => peek()?.kind === 'word' && peek()!.text.toLowerCase() === word;
  const expectWord = (word: string) => (isWord(word) ? void (pos += 1) : unexpected());
  const expectPunct = (text: string) =>
    peek()?.kind === 'punct' && peek()!.text === text ? void (pos += 1) : unexpected();
  const name = (): string => {
    const token = peek();
    if (token?.kind !== 'word' || typeof token.value !== 'string') return unexpected();
    pos += 1;
    return token.text;
  };
  const literal = (): Literal => {
    const token = peek();
    if (
      !token ||
      token.kind === 'punct' ||
      (token.kind === 'word' && typeof token.value === 'string')
    )
      return unexpected();
    pos += 1;
    return token.value;
  };
  const query = (): Query => {
    expectWord('select');
    const items: Item[] = [];
    do {
      if (peek()?.text === '(') {
        pos += 1;
        items.push({ kind: 'sub', query: query() });
        expectPunct(')');
      } else items.push({ kind: 'field', name: name() });
    } while (peek()?.text === ',' && (pos += 1));
    expectWord('from');
    const from = name();
    const where: Condition[] = [];
    if (isWord('where')) {
      do {
        pos += 1;
        const field = name();
        if (isWord('in')) {
          pos += 1;
          expectPunct('(');
          const values = [literal()];
          while (peek()?.text === ',') {
            pos += 1;
            values.push(literal());
          }
          expectPunct(')');
          where.push({ field, op: 'in', values });
        } else {
          const op = peek()?.text;
          if (op === '=' || op === '!=') {
            pos += 1;
            where.push({ field, op, values: [literal()] });
          } else if (op !== undefined && COMPARISONS.includes(op)) {
            pos += 1;
            where.push({ field, op: op as Comparison, values: [literal()] });
          } else return unexpected();
        }
      } while (isWord('and'));
    }
    const order: Order[] = [];
    if (isWord('order')) {
      pos += 1;
      expectWord('by');
      do {
        const field = name();
        const desc = isWord('desc')
          ? ((pos += 1), true)
          : isWord('asc')
            ? ((pos += 1), false)
            : false;
        let nullsLast = false; // SOQL sorts nulls first unless told otherwise
        if (isWord('nulls')) {
          pos += 1;
          nullsLast = isWord('last');
          if (!nullsLast) expectWord('first');
          else pos += 1;
        }
        order.push({ field, desc, nullsLast });
      } while (peek()?.text === ',' && (pos += 1));
    }
    let limit: number | undefined;
    if (isWord('limit')) {
      pos += 1;
      const value = literal();
      if (typeof value !== 'number') return unexpected();
      limit = value;
    }
    return { from, items, where, order, limit };
  };
  const parsed = query();
  if (pos !== tokens.length) unexpected();
  return parsed;
}
