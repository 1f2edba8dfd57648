# Shared tests (pass@k): a task's tests are compiled once and moved to each sample's lines; the
# result must be what `code + '\n' + tests` compiled as one program gives.
import unittest
import warnings

import _execlab as h

TESTS = 'assert f(1) == 1\nassert f(2) == 3\n'


def failing_line(analysis):
    """Line of the user's frame where running the analysed sample (code, then tests) fails."""
    ns = {'__name__': '__main__'}
    try:
        exec(analysis.code, ns)
        if analysis.tests is not None:
            exec(analysis.tests, ns)
    except BaseException as exc:
        return h.error_info(exc)['line']
    return None


class Lines(unittest.TestCase):
    def test_each_line_end_counts_once(self):
        cases = {'': 0, 'a': 0, 'a\n': 1, 'a\r': 1, 'a\r\n': 1, 'a\n\n': 2, 'a\r\r\n\n': 3,
                 '\r\n\r\n': 2, 'a\n\rb': 2}
        for text, n in cases.items():
            with self.subTest(text=text):
                self.assertEqual(h._lines(text), n)

    def test_as_the_compiler_counts_them(self):
        for text in ('x = 1\n', 'x = 1\r', 'x = 1\r\n', 'x = 1\n\r\n\ry = 2\r\n', '\n\n\r'):
            with self.subTest(text=text):
                tree = compile(text + 'marker\n', h.FILENAME, 'exec', flags=0x400)  # ast only
                self.assertEqual(tree.body[-1].lineno - 1, h._lines(text))


class Moved(unittest.TestCase):
    def test_every_code_object_moves_down(self):
        co = compile('def f():\n    def g():\n        return 1\n    return g\n',
                     h.FILENAME, 'exec')
        moved = h._moved(co, 10)

        def first_lines(c):
            out = [c.co_firstlineno]
            for k in c.co_consts:
                if type(k) is type(c):
                    out.extend(first_lines(k))
            return out

        self.assertEqual(first_lines(moved), [n + 10 for n in first_lines(co)])
        ns = {}
        exec(moved, ns)
        self.assertEqual(ns['f']()(), 1)

    def test_line_numbers_inside_move_with_the_code(self):
        moved = h._moved(compile('x = 1\nraise ValueError', h.FILENAME, 'exec'), 5)
        try:
            exec(moved, {})
        except ValueError as exc:
            self.assertEqual(h.error_info(exc)['line'], 7)


class Placement(unittest.TestCase):
    def test_split_only_when_it_gives_the_same_program(self):
        self.assertIsInstance(h.analyse_sample('def f(x):\n    return x\n', TESTS), h.Joined)
        self.assertIs(h.analyse_sample('x = 1', None), h.analyse('x = 1'))
        self.assertIs(h.analyse_sample('x = 1', ''), h.analyse('x = 1'))
        joined_as_one = {
            'code sets a __future__ flag': ('from __future__ import annotations\nx = 1', TESTS),
            'code does not compile alone': ('def f(x):', '    return x\nassert f(1) == 1'),
            'tests do not compile alone': ('x = 1', '  indented = 1'),
            'tests start with a docstring': ('x = 1', '"""doc"""\nassert x == 1'),
            'tests annotate at module level': ('x = 1', 'y: int = 2'),
            'tests import from __future__': ('x = 1', 'from __future__ import annotations'),
            'tests warn when compiled': ('x = 1', 'assert (x, "always true")'),
        }
        for why, (code, tests) in joined_as_one.items():
            # The joined program warns as well: not this test's output.
            with self.subTest(why=why), warnings.catch_warnings():
                warnings.simplefilter('ignore')
                self.assertNotIsInstance(h.analyse_sample(code, tests), h.Joined)

    def test_failing_assert_names_the_line_of_the_joined_program(self):
        body = 'def f(x):\n    return x'
        for end in ('', '\n', '\r', '\r\n', '\n\n', '\r\r', '\n\r'):
            code = body + end
            with self.subTest(code=code):
                split = h.analyse_sample(code, TESTS)
                self.assertIsInstance(split, h.Joined)
                whole = h.Analysis(code + '\n' + TESTS)
                self.assertEqual(failing_line(split), failing_line(whole))
                self.assertIsNotNone(failing_line(whole))

    def test_tests_are_compiled_once_per_text_and_placed_per_offset(self):
        tests = 'assert g() == 2  # placed once\n'
        one = h.analyse_sample('def g():\n    return 1\n', tests)
        two = h.analyse_sample('def g():\n    return 2\n', tests)
        three = h.analyse_sample('\n\ndef g():\n    return 2\n', tests)
        self.assertIs(one.tests, two.tests)
        self.assertIsNot(one.tests, three.tests)
        self.assertEqual(three.tests.co_firstlineno, one.tests.co_firstlineno + 2)

    def test_joined_flags_are_the_union_of_both_parts(self):
        j = h.analyse_sample('import random\nrandom.seed(1)\nclass C: pass\nC.a = 1',
                             'import os\nos.chdir("/")\nC.b = 2')
        self.assertIsInstance(j, h.Joined)
        self.assertTrue(j.reseed and j.process)
        self.assertFalse(j.dynamic or j.limits or j.sys or j.warn)
        self.assertEqual(j.stores, frozenset({'a', 'b'}))


if __name__ == '__main__':
    unittest.main()
