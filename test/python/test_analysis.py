# runMany's analysis of a sample (what its code can touch, which decides what is checked and put
# back after it) and the dict restore it relies on.
import unittest

import _execlab as h

FLAGS = ('dynamic', 'reseed', 'process', 'limits', 'sys', 'warn')


def flags(source):
    a = h.Analysis(source)
    if a.error is not None:
        raise a.error
    return {name for name in FLAGS if getattr(a, name)}


class Flags(unittest.TestCase):
    def test_plain_code_touches_nothing_gated(self):
        a = h.Analysis('def f(x):\n    return [i * x for i in range(3)]\nassert f(2) == [0, 2, 4]')
        self.assertIsNone(a.error)
        self.assertEqual(flags('x = sorted([3, 1, 2])'), set())
        self.assertEqual(a.stores, frozenset())

    def test_each_gate_is_set_by_its_names(self):
        cases = {
            'import random\nrandom.seed(1)': {'reseed'},
            'import os\nos.environ["A"] = "1"': {'process'},
            'import os\nos.chdir("/")': {'process'},
            'import sys\nsys.setrecursionlimit(50)': {'sys', 'limits'},
            'import warnings\nwarnings.simplefilter("error")': {'warn'},
            'setattr(object(), "a", 1)': {'dynamic'},
            'f = lambda: 0\nf.__globals__': {'dynamic'},
            'import importlib': {'dynamic'},
        }
        for source, expected in cases.items():
            with self.subTest(source=source):
                self.assertEqual(flags(source), expected)

    def test_names_in_string_constants_count(self):
        # getattr(x, '__dict__') reaches as far as x.__dict__ does.
        self.assertIn('dynamic', flags('name = "__dict__"'))
        self.assertIn('dynamic', flags('names = ("a", ("b", frozenset({"__class__"})))\n'
                                       'x = names'))

    def test_nested_code_is_walked(self):
        self.assertEqual(flags('def f():\n    def g():\n        import random\n'
                               '        random.seed(0)\n    return g'), {'reseed'})
        self.assertEqual(flags('class C:\n    def m(self):\n        return vars(self)'),
                         {'dynamic'})

    def test_attribute_stores_are_named(self):
        a = h.Analysis('import math\nmath.pi = 3\ndel math.e\nclass C: pass\nC.x = 1')
        self.assertEqual(a.stores, frozenset({'pi', 'e', 'x'}))
        self.assertEqual(flags('import math\nmath.pi = 3'), set())

    def test_stores_past_256_names_are_read_through_extended_args(self):
        names = ['n%d' % i for i in range(300)]
        source = 'class O: pass\no = O()\n' + ''.join('o.%s = %d\n' % (n, i)
                                                      for i, n in enumerate(names))
        self.assertEqual(h.Analysis(source).stores, frozenset(names))

    def test_code_that_does_not_compile_keeps_its_error(self):
        a = h.Analysis('def f(:\n    pass')
        self.assertIsNone(a.code)
        self.assertIsInstance(a.error, SyntaxError)
        self.assertEqual(a.error.filename, h.FILENAME)

    def test_analyses_are_cached_by_source(self):
        source = 'cached = 1  # test_analysis'
        self.assertIs(h.analyse(source), h.analyse(source))
        self.assertIsNot(h.analyse(source), h.Analysis(source))


class PutBack(unittest.TestCase):
    def test_dict_is_made_equal_to_the_saved_one(self):
        a, b = object(), object()
        saved = {'keep': a, 'changed': a, 'removed': b}
        live = {'keep': a, 'changed': b, 'added': a}
        h._put_back(live, saved)
        self.assertEqual(live, saved)
        self.assertIs(live['changed'], a)

    def test_same_compares_identity_not_equality(self):
        one, other = [1], [1]
        self.assertTrue(h._same({'a': one}, [one]))
        self.assertFalse(h._same({'a': other}, [one]))
        self.assertFalse(h._same({'a': one, 'b': one}, [one]))


if __name__ == '__main__':
    unittest.main()
