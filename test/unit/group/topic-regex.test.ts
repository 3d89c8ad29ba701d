import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import { combineServerRegex, toServerRegex } from '../../../src/group/topic-regex.js';

// Built from strings: the linter rewrites literals of these (valid, rarely wanted) patterns.
const ANY_CHAR = ['a', '[^]', 'b'].join('');
const EMPTY_CLASS = ['[', ']'].join('');

describe('toServerRegex (JavaScript RegExp → RE2/J whole-name match)', () => {
  it('wraps the pattern so a match anywhere in the name still matches the whole name', () => {
    assert.equal(toServerRegex(/orders/), '.*(?:orders).*');
    assert.equal(toServerRegex(/^orders-\d+$/), '.*(?:^orders-\\d+$).*');
  });

  it('the wrapped pattern matches the same topic names as the RegExp does', () => {
    // Checked with JavaScript's engine on patterns whose syntax both engines share.
    for (const re of [/orders/, /^orders-\d+$/, /a|b/, /^(pay|ship)ments\./]) {
      const whole = new RegExp(`^(?:${toServerRegex(re)})$`);
      for (const name of ['orders', 'orders-1', 'x-orders-y', 'a', 'zzz', 'payments.eu', 'eu.payments.x']) {
        assert.equal(whole.test(name), re.test(name), `${re} on ${name}`);
      }
    }
  });

  it('writes the flags inline', () => {
    assert.equal(toServerRegex(/Orders/i), '(?i).*(?:Orders).*');
    assert.equal(toServerRegex(/a.b/is), '(?is).*(?:a.b).*');
    assert.equal(toServerRegex(/a/g), '.*(?:a).*', 'g only matters to stateful JavaScript matching');
  });

  it('rewrites the JavaScript spellings RE2 writes differently', () => {
    assert.equal(toServerRegex(/(?<env>prod|dev)-x/), '.*(?:(?P<env>prod|dev)-x).*');
    assert.equal(toServerRegex(/caf\u00e9/), '.*(?:caf\\x{00e9}).*');
    assert.equal(toServerRegex(/a\/b/), '.*(?:a/b).*');
    assert.equal(toServerRegex(new RegExp(ANY_CHAR)), '.*(?:a(?s:.)b).*');
    assert.equal(toServerRegex(/[(?=x)]/), '.*(?:[(?=x)]).*', 'inside a class, (?= is three characters');
  });

  it('refuses what RE2 cannot do, with a typed error naming the feature', () => {
    const cases: Array<[RegExp, RegExp]> = [
      [/orders-(?!test)/, /lookahead/],
      [/orders-(?=x)/, /lookahead/],
      [/(?<=x)orders/, /lookbehind/],
      [/(?<!x)orders/, /lookbehind/],
      [/(a)\1/, /backreference/],
      [/(?<n>a)\k<n>/, /named backreference/],
      [/\cJ/, /control-character/],
      [new RegExp(EMPTY_CLASS), /empty character class/],
    ];
    for (const [re, message] of cases) {
      assert.throws(
        () => toServerRegex(re),
        (e: unknown) => e instanceof KafkaJSInvalidArgument && message.test((e as Error).message),
        String(re),
      );
    }
  });

  it('combines several patterns into one alternation; none is null', () => {
    assert.equal(combineServerRegex([]), null);
    assert.equal(combineServerRegex([/a/]), '.*(?:a).*');
    assert.equal(combineServerRegex([/a/, /b/i]), '(?:.*(?:a).*)|(?:(?i).*(?:b).*)');
  });
});
