# The tracer's pure parts: value reprs for trace steps (workers/python/tracer.py).
import unittest

import _execlab as h


class Broken:
    def __repr__(self):
        raise ValueError('no')


class Show(unittest.TestCase):
    def test_small_values_are_their_repr(self):
        self.assertEqual(h.show(3, 50), '3')
        self.assertEqual(h.show('ab', 50), "'ab'")
        self.assertEqual(h.show(None, 50), 'None')
        self.assertEqual(h.show([1, [2]], 50), '[1, [2]]')

    def test_long_reprs_are_cut_to_the_cap_with_an_ellipsis(self):
        r = h.show('x' * 100, 20)
        self.assertEqual(r, "'" + 'x' * 16 + '...')
        self.assertEqual(len(r), 20)

    def test_containers_past_twenty_items_are_summarised_with_their_size(self):
        self.assertEqual(h.show(set(range(25)), 500).endswith('...} (25 items)'), True)
        self.assertEqual(h.show(dict.fromkeys(range(21)), 500)[-12:], '} (21 items)')
        self.assertEqual(h.show(list(range(20)), 500), repr(list(range(20))))

    def test_a_failing_repr_is_described_not_raised(self):
        self.assertEqual(h.show(Broken(), 80), '<Broken object (repr failed: ValueError)>')


class Leftovers(unittest.TestCase):
    def test_put_back_removes_a_tracer_hook_a_stop_left(self):
        import sys
        tracer = h.Tracer(10, 50)
        tracer.start(h.Sink(100))
        h.put_back()
        self.assertIsNone(sys.gettrace())
