// Fifty MBPP-style evaluation samples written for the bench (a function plus three asserts each),
// the same programs for the browser runMany and both native baselines. Five are deliberately wrong
// (their asserts fail), so every runner must also agree on what failed.

const programs = [
	`def square_sum(n):
    return sum(i * i for i in range(1, n + 1))
assert square_sum(1) == 1
assert square_sum(3) == 14
assert square_sum(10) == 385`,
	`def is_palindrome(s):
    t = ''.join(c.lower() for c in s if c.isalnum())
    return t == t[::-1]
assert is_palindrome('A man, a plan, a canal: Panama')
assert not is_palindrome('hello')
assert is_palindrome('')`,
	`def count_vowels(s):
    return sum(1 for c in s.lower() if c in 'aeiou')
assert count_vowels('Python') == 1
assert count_vowels('AEIOU xyz') == 5
assert count_vowels('') == 0`,
	`def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
assert fib(0) == 0
assert fib(10) == 55
assert fib(30) == 832040`,
	`def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
assert gcd(12, 18) == 6
assert gcd(17, 5) == 1
assert gcd(100, 75) == 25`,
	`def reverse_words(s):
    return ' '.join(reversed(s.split()))
assert reverse_words('hello world') == 'world hello'
assert reverse_words('a b c') == 'c b a'
assert reverse_words('one') == 'one'`,
	`def max_subarray(xs):
    best = cur = xs[0]
    for x in xs[1:]:
        cur = max(x, cur + x)
        best = max(best, cur)
    return best
assert max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6
assert max_subarray([1]) == 1
assert max_subarray([-3, -1, -2]) == -1`,
	`def flatten(xs):
    out = []
    for x in xs:
        if isinstance(x, list):
            out.extend(flatten(x))
        else:
            out.append(x)
    return out
assert flatten([1, [2, [3, 4]], 5]) == [1, 2, 3, 4, 5]
assert flatten([]) == []
assert flatten([[[]]]) == []`,
	`def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True
assert is_prime(2)
assert not is_prime(15)
assert is_prime(97)`,
	`def char_freq(s):
    d = {}
    for c in s:
        d[c] = d.get(c, 0) + 1
    return d
assert char_freq('aab') == {'a': 2, 'b': 1}
assert char_freq('') == {}
assert char_freq('xyzx')['x'] == 2`,
	`def binary_search(xs, target):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
assert binary_search([1, 3, 5, 7, 9], 7) == 3
assert binary_search([1, 3, 5], 4) == -1
assert binary_search([], 1) == -1`,
	`def to_binary(n):
    return bin(n)[2:]
assert to_binary(5) == '101'
assert to_binary(0) == '0'
assert to_binary(255) == '11111111'`,
	`def remove_duplicates(xs):
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
assert remove_duplicates([1, 2, 1, 3, 2]) == [1, 2, 3]
assert remove_duplicates([]) == []
assert remove_duplicates(['a', 'a']) == ['a']`,
	`def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)
assert factorial(0) == 1
assert factorial(5) == 120
assert factorial(10) == 3628800`,
	`def second_largest(xs):
    u = sorted(set(xs))
    return u[-2] if len(u) > 1 else None
assert second_largest([3, 1, 4, 1, 5]) == 4
assert second_largest([2, 2]) is None
assert second_largest([10, 20]) == 10`,
	`def caesar(s, k):
    out = []
    for c in s:
        if c.isalpha():
            base = ord('A') if c.isupper() else ord('a')
            out.append(chr((ord(c) - base + k) % 26 + base))
        else:
            out.append(c)
    return ''.join(out)
assert caesar('abc', 1) == 'bcd'
assert caesar('XYZ', 3) == 'ABC'
assert caesar('Hi!', 0) == 'Hi!'`,
	`def digit_sum(n):
    return sum(int(d) for d in str(abs(n)))
assert digit_sum(123) == 6
assert digit_sum(-45) == 9
assert digit_sum(0) == 0`,
	`def merge_sorted(a, b):
    i = j = 0
    out = []
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    return out + a[i:] + b[j:]
assert merge_sorted([1, 4], [2, 3]) == [1, 2, 3, 4]
assert merge_sorted([], [1]) == [1]
assert merge_sorted([5], []) == [5]`,
	`def word_lengths(s):
    return [len(w) for w in s.split()]
assert word_lengths('the quick fox') == [3, 5, 3]
assert word_lengths('') == []
assert word_lengths('a') == [1]`,
	`def transpose(m):
    return [list(r) for r in zip(*m)]
assert transpose([[1, 2], [3, 4]]) == [[1, 3], [2, 4]]
assert transpose([[1, 2, 3]]) == [[1], [2], [3]]
assert transpose([]) == []`,
	`def count_words(s):
    return len(s.split())
assert count_words('one two three') == 3
assert count_words('   ') == 0
assert count_words('x') == 1`,
	`def lcm(a, b):
    from math import gcd
    return a * b // gcd(a, b)
assert lcm(4, 6) == 12
assert lcm(7, 3) == 21
assert lcm(5, 5) == 5`,
	`def is_anagram(a, b):
    return sorted(a.replace(' ', '').lower()) == sorted(b.replace(' ', '').lower())
assert is_anagram('Listen', 'Silent')
assert not is_anagram('abc', 'abd')
assert is_anagram('a gentleman', 'elegant man')`,
	`def running_sum(xs):
    out, s = [], 0
    for x in xs:
        s += x
        out.append(s)
    return out
assert running_sum([1, 2, 3]) == [1, 3, 6]
assert running_sum([]) == []
assert running_sum([5, -5]) == [5, 0]`,
	`def roman(n):
    vals = [(1000, 'M'), (900, 'CM'), (500, 'D'), (400, 'CD'), (100, 'C'), (90, 'XC'),
            (50, 'L'), (40, 'XL'), (10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')]
    out = ''
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out
assert roman(3) == 'III'
assert roman(1994) == 'MCMXCIV'
assert roman(58) == 'LVIII'`,
	`def chunk(xs, n):
    return [xs[i:i + n] for i in range(0, len(xs), n)]
assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
assert chunk([], 3) == []
assert chunk([1], 1) == [[1]]`,
	`def count_bits(n):
    return bin(n).count('1')
assert count_bits(0) == 0
assert count_bits(7) == 3
assert count_bits(1024) == 1`,
	`def title_case(s):
    return ' '.join(w[:1].upper() + w[1:].lower() for w in s.split())
assert title_case('hello WORLD') == 'Hello World'
assert title_case('a') == 'A'
assert title_case('') == ''`,
	`def pairs_sum(xs, k):
    seen, out = set(), set()
    for x in xs:
        if k - x in seen:
            out.add((min(x, k - x), max(x, k - x)))
        seen.add(x)
    return sorted(out)
assert pairs_sum([1, 2, 3, 4, 5], 6) == [(1, 5), (2, 4)]
assert pairs_sum([], 1) == []
assert pairs_sum([3, 3], 6) == [(3, 3)]`,
	`def matrix_mult(a, b):
    return [[sum(x * y for x, y in zip(r, c)) for c in zip(*b)] for r in a]
assert matrix_mult([[1, 2], [3, 4]], [[5, 6], [7, 8]]) == [[19, 22], [43, 50]]
assert matrix_mult([[1]], [[2]]) == [[2]]
assert matrix_mult([[1, 0], [0, 1]], [[9, 8], [7, 6]]) == [[9, 8], [7, 6]]`,
	`def compress(s):
    if not s:
        return ''
    out, prev, n = [], s[0], 1
    for c in s[1:]:
        if c == prev:
            n += 1
        else:
            out.append(prev + str(n)); prev, n = c, 1
    out.append(prev + str(n))
    return ''.join(out)
assert compress('aaabcc') == 'a3b1c2'
assert compress('') == ''
assert compress('z') == 'z1'`,
	`def power_set(xs):
    out = [[]]
    for x in xs:
        out += [s + [x] for s in out]
    return out
assert len(power_set([1, 2, 3])) == 8
assert power_set([]) == [[]]
assert [1, 2] in power_set([1, 2])`,
	`def nth_triangle(n):
    return n * (n + 1) // 2
assert nth_triangle(1) == 1
assert nth_triangle(4) == 10
assert nth_triangle(100) == 5050`,
	`import re
def extract_numbers(s):
    return [int(x) for x in re.findall(r'-?\\d+', s)]
assert extract_numbers('a1b22c-3') == [1, 22, -3]
assert extract_numbers('none') == []
assert extract_numbers('7') == [7]`,
	`def rotate(xs, k):
    if not xs:
        return xs
    k %= len(xs)
    return xs[-k:] + xs[:-k]
assert rotate([1, 2, 3, 4], 1) == [4, 1, 2, 3]
assert rotate([1, 2, 3], 3) == [1, 2, 3]
assert rotate([], 2) == []`,
	`from collections import Counter
def most_common(xs):
    return Counter(xs).most_common(1)[0][0]
assert most_common([1, 2, 2, 3]) == 2
assert most_common('abca') == 'a'
assert most_common([5]) == 5`,
	`def is_sorted(xs):
    return all(a <= b for a, b in zip(xs, xs[1:]))
assert is_sorted([1, 2, 2, 5])
assert not is_sorted([3, 1])
assert is_sorted([])`,
	`def sum_digits_until_one(n):
    while n >= 10:
        n = sum(int(d) for d in str(n))
    return n
assert sum_digits_until_one(38) == 2
assert sum_digits_until_one(0) == 0
assert sum_digits_until_one(99999) == 9`,
	`def interleave(a, b):
    out = []
    for x, y in zip(a, b):
        out += [x, y]
    n = min(len(a), len(b))
    return out + a[n:] + b[n:]
assert interleave([1, 3], [2, 4]) == [1, 2, 3, 4]
assert interleave([1], [2, 3]) == [1, 2, 3]
assert interleave([], []) == []`,
	`def dict_invert(d):
    return {v: k for k, v in d.items()}
assert dict_invert({'a': 1, 'b': 2}) == {1: 'a', 2: 'b'}
assert dict_invert({}) == {}
assert dict_invert({1: 1}) == {1: 1}`,
	`def perfect(n):
    return n > 1 and sum(d for d in range(1, n) if n % d == 0) == n
assert perfect(6)
assert perfect(28)
assert not perfect(12)`,
	`def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
assert collatz_len(1) == 0
assert collatz_len(6) == 8
assert collatz_len(27) == 111`,
	`def hamming(a, b):
    return sum(x != y for x, y in zip(a, b))
assert hamming('karolin', 'kathrin') == 3
assert hamming('', '') == 0
assert hamming('abc', 'abc') == 0`,
	`def snake_to_camel(s):
    head, *rest = s.split('_')
    return head + ''.join(w.title() for w in rest)
assert snake_to_camel('hello_world') == 'helloWorld'
assert snake_to_camel('a_b_c') == 'aBC'
assert snake_to_camel('x') == 'x'`,
	`def min_max(xs):
    return (min(xs), max(xs))
assert min_max([3, 1, 2]) == (1, 3)
assert min_max([5]) == (5, 5)
assert min_max([-1, -9]) == (-9, -1)`,
	// The five wrong ones: off-by-one, wrong operator, wrong edge case, wrong order, wrong type.
	`def sum_to(n):
    return sum(range(n))
assert sum_to(1) == 1
assert sum_to(4) == 10
assert sum_to(0) == 0`,
	`def area(w, h):
    return w + h
assert area(2, 3) == 6
assert area(1, 1) == 1
assert area(0, 5) == 0`,
	`def safe_div(a, b):
    return a / b
assert safe_div(6, 3) == 2
assert safe_div(1, 0) is None
assert safe_div(0, 1) == 0`,
	`def sort_desc(xs):
    return sorted(xs)
assert sort_desc([1, 3, 2]) == [3, 2, 1]
assert sort_desc([]) == []
assert sort_desc([1]) == [1]`,
	`def join_ints(xs):
    return ','.join(xs)
assert join_ints([1, 2]) == '1,2'
assert join_ints([]) == ''
assert join_ints([3]) == '3'`
];

/** The distinct bench programs. */
export const samplePrograms = programs;

/** How many of the distinct programs fail by design (the last five). */
export const failingPrograms = 5;

/** A program as a task's candidate answer (`code`, up to its first assert) and its tests. */
export function splitProgram(program) {
	const at = program.search(/^assert /m);
	return { code: program.slice(0, at).replace(/\n$/, ''), tests: program.slice(at) };
}

/**
 * A batch of `n` samples cycling through the programs, as `{id, code, tests}` (EvalSample shape):
 * 40 samples of each of the 50 tasks in 2000, as in a pass@k evaluation. Unless `repeated`, each
 * sample's answer is made unique by a comment, as generated answers are, while a task's tests stay
 * the same text for all its samples, as a dataset's tests are: a runner that caches compiled code
 * by source must not be timed on 1950 cache hits out of 2000 (`salt` makes the answers unique
 * across batches too). `joined` gives each sample as one program (`code` + '\n' + `tests`).
 */
export function sampleBatch(n, { repeated = false, salt = '', joined = false } = {}) {
	return Array.from({ length: n }, (_, i) => {
		const { code, tests } = splitProgram(programs[i % programs.length]);
		const answer = repeated ? code : `${code}\n# sample ${salt}${i}`;
		return joined
			? { id: `s${i}`, code: `${answer}\n${tests}` }
			: { id: `s${i}`, code: answer, tests };
	});
}

/** The whole program a sample stands for, as the native baselines run it. */
export function programOf(sample) {
	return sample.tests === undefined ? sample.code : `${sample.code}\n${sample.tests}`;
}

/** Number of samples in a batch of `n` expected to pass. */
export function expectedPasses(n) {
	let passes = 0;
	for (let i = 0; i < n; i++) if (i % programs.length < programs.length - failingPrograms) passes++;
	return passes;
}
