/**
 * KIP-848 server-side regular-expression subscriptions: the member sends its pattern as
 * ConsumerGroupHeartbeat's `SubscribedTopicRegex` (v1+, Kafka 4.0+) and the group coordinator
 * resolves it against every topic, new ones included. The coordinator compiles the pattern with
 * RE2/J and requires it to match the WHOLE topic name, while a JavaScript RegExp subscription
 * (KafkaJS's `subscribe({ topics: [/…/] })`) matches when it is found anywhere in the name. So a
 * JavaScript pattern is translated: wrapped as `.*(?:…).*` (search semantics under a full match),
 * its flags written inline, and the few JavaScript spellings RE2 writes differently rewritten.
 * What RE2 cannot do (lookaround, backreferences) is refused with a typed error rather than sent
 * to fail on the broker.
 */

import { KafkaJSInvalidArgument } from '../errors/network.js';

/** Translates one JavaScript RegExp to the RE2/J pattern the coordinator matches whole names with. */
export function toServerRegex(re: RegExp): string {
  const refuse = (what: string): never => {
    throw new KafkaJSInvalidArgument(
      'topics',
      `the pattern ${String(re)} uses ${what}, which the broker's regular expressions (RE2/J) do not support; ` +
        `rewrite it, or subscribe with groupProtocol: 'classic' (patterns resolved by the client)`,
    );
  };
  if (re.flags.includes('v')) refuse('the v (unicode sets) flag');
  const src = re.source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (/[1-9]/.test(n) && !inClass) refuse('a backreference');
      if (n === 'k' && src[i + 2] === '<') refuse('a named backreference');
      if (n === 'c') refuse('a control-character escape (\\c)');
      if (n === 'u' && /^[0-9A-Fa-f]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += `\\x{${src.slice(i + 2, i + 6)}}`;
        i += 5;
        continue;
      }
      if (n === 'u' && src[i + 2] === '{') {
        const end = src.indexOf('}', i + 3);
        if (end < 0) refuse('an unterminated \\u{…} escape');
        out += `\\x{${src.slice(i + 3, end)}}`;
        i = end;
        continue;
      }
      if (n === '/') {
        out += '/';
        i += 1;
        continue;
      }
      out += c + n;
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      // `[^]` is "any character" in JavaScript and an unterminated class in RE2.
      if (src.startsWith('[^]', i)) {
        out += '(?s:.)';
        i += 2;
        continue;
      }
      // `[]` matches nothing in JavaScript; RE2 reads `]` first in a class as a literal.
      if (src.startsWith('[]', i)) refuse('an empty character class ([])');
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in RE2 but ends the class in JavaScript.
      if (src[i + 1] === '^') {
        out += '^';
        i += 1;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const kind = src.slice(i + 2, i + 4);
      if (kind.startsWith('=') || kind.startsWith('!')) refuse('a lookahead');
      if (kind === '<=' || kind === '<!') refuse('a lookbehind');
      if (kind.startsWith('<')) {
        // Named group: JavaScript's (?<name>…) is RE2's (?P<name>…).
        out += '(?P<';
        i += 2;
        continue;
      }
    }
    out += c;
  }
  const flags = [
    re.flags.includes('i') ? 'i' : '',
    re.flags.includes('s') ? 's' : '',
    re.flags.includes('m') ? 'm' : '',
  ]
    .filter(Boolean)
    .join('');
  return `${flags ? `(?${flags})` : ''}.*(?:${out}).*`;
}

/** Several patterns as one (the heartbeat carries one): any of them. Null when there are none. */
export function combineServerRegex(patterns: readonly RegExp[]): string | null {
  if (patterns.length === 0) return null;
  const parts = patterns.map(toServerRegex);
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(?:${p})`).join('|');
}
