# Output capture under a byte budget, streamed in batches; input() and stdin through the host.
import sys
import unittest

import _execlab as h


class Emitted:
    """An emit callback that keeps what the sink sends to the host."""

    def __init__(self):
        self.calls = []

    def __call__(self, stream, text):
        self.calls.append((stream, text))


class SinkBudget(unittest.TestCase):
    def test_output_under_the_budget_is_kept_whole(self):
        sink = h.Sink(100)
        sink.write('stdout', 'out\n')
        sink.write('stderr', 'err\n')
        sink.write('stdout', 'more')
        self.assertEqual(sink.text('stdout'), 'out\nmore')
        self.assertEqual(sink.text('stderr'), 'err\n')
        self.assertEqual(sink.truncated, {'stdout': False, 'stderr': False})

    def test_cut_at_the_budget_with_a_marker(self):
        sink = h.Sink(10)
        sink.write('stdout', 'abcdefgh')
        sink.write('stdout', 'ijklmnop')
        self.assertEqual(sink.text('stdout'), 'abcdefghij' + h._MARK.format(10))
        self.assertEqual(sink.truncated, {'stdout': True, 'stderr': False})
        self.assertTrue(sink.full)

    def test_the_budget_is_shared_and_later_writes_mark_their_stream(self):
        sink = h.Sink(6)
        sink.write('stdout', 'abcd')
        sink.write('stderr', 'efgh')
        sink.write('stdout', 'more')
        self.assertEqual(sink.text('stderr'), 'ef' + h._MARK.format(6))
        self.assertEqual(sink.text('stdout'), 'abcd')
        self.assertEqual(sink.truncated, {'stdout': True, 'stderr': True})

    def test_budget_counts_utf8_bytes_and_never_splits_a_character(self):
        sink = h.Sink(5)
        sink.write('stdout', 'aé€b')  # 1 + 2 + 3 + 1 bytes: 'aé' fits, '€' would not
        self.assertEqual(sink.text('stdout'), 'aé' + h._MARK.format(5))
        self.assertEqual(sink.used, 5)

    def test_lone_surrogates_are_counted_not_rejected(self):
        sink = h.Sink(100)
        sink.write('stdout', '\ud800x')
        self.assertEqual(sink.used, 4)
        self.assertEqual(sink.text('stdout'), '\ud800x')

    def test_reset_empties_the_sink_for_the_next_sample(self):
        sink = h.Sink(4)
        sink.write('stdout', 'too long')
        sink.reset()
        sink.write('stdout', 'ok')
        self.assertEqual(sink.text('stdout'), 'ok')
        self.assertEqual(sink.truncated, {'stdout': False, 'stderr': False})
        self.assertFalse(sink.full)


class SinkStreaming(unittest.TestCase):
    def test_first_complete_line_goes_out_at_once(self):
        emitted = Emitted()
        sink = h.Sink(1000, emitted)
        sink.write('stdout', 'partial')
        self.assertEqual(emitted.calls, [])
        sink.write('stdout', ' line\n')
        self.assertEqual(emitted.calls, [('stdout', 'partial line\n')])

    def test_later_lines_are_batched_until_flushed(self):
        emitted = Emitted()
        sink = h.Sink(1 << 20, emitted)
        sink.write('stdout', 'first\n')
        sink.last = float('inf')  # as if no time had passed since the last flush
        for i in range(10):
            sink.write('stdout', 'line\n')
        self.assertEqual(len(emitted.calls), 1)
        sink.flush()
        self.assertEqual(emitted.calls[1], ('stdout', 'line\n' * 10))

    def test_a_batch_goes_out_at_4096_bytes(self):
        emitted = Emitted()
        sink = h.Sink(1 << 20, emitted)
        sink.first = False
        sink.last = float('inf')
        sink.write('stdout', 'x' * 4095)
        self.assertEqual(emitted.calls, [])
        sink.write('stdout', 'y')
        self.assertEqual(emitted.calls, [('stdout', 'x' * 4095 + 'y')])

    def test_a_change_of_stream_flushes_the_other_one_first(self):
        emitted = Emitted()
        sink = h.Sink(1000, emitted)
        sink.first = False
        sink.last = float('inf')
        sink.write('stdout', 'o')
        sink.write('stderr', 'e')
        sink.flush()
        self.assertEqual(emitted.calls, [('stdout', 'o'), ('stderr', 'e')])

    def test_without_emit_nothing_is_streamed(self):
        sink = h.Sink(100)
        sink.write('stdout', 'a\n')
        self.assertEqual(sink.pending, [])


class Streams(unittest.TestCase):
    def test_writer_takes_str_only(self):
        w = h.Writer(h.Sink(100), 'stdout')
        self.assertEqual(w.write('héllo'), 5)
        with self.assertRaisesRegex(TypeError, 'must be str, not bytes'):
            w.write(b'x')
        self.assertEqual((w.name, w.encoding, w.writable(), w.isatty()),
                         ('<stdout>', 'utf-8', True, False))

    def test_reader_asks_for_a_line(self):
        asked = []
        r = h.Reader(lambda prompt: asked.append(prompt) or 'answer')
        self.assertEqual(r.readline(), 'answer\n')
        self.assertEqual(asked, [''])
        self.assertEqual(h.Reader(lambda prompt: None).readline(), '')


class Input(unittest.TestCase):
    def setUp(self):
        self.saved = sys.stdout
        self.sink = h.Sink(100)
        sys.stdout = h.Writer(self.sink, 'stdout')

    def tearDown(self):
        sys.stdout = self.saved

    def test_prompt_is_printed_and_the_answer_returned(self):
        asked = []
        read = h.make_input(lambda prompt: asked.append(prompt) or 'Ada')
        self.assertEqual(read('name? '), 'Ada')
        self.assertEqual(asked, ['name? '])
        self.assertEqual(self.sink.text('stdout'), 'name? ')

    def test_no_answer_is_end_of_file(self):
        with self.assertRaisesRegex(EOFError, 'EOF when reading a line'):
            h.make_input(lambda prompt: None)()

    def test_without_a_host_reader_input_explains_why(self):
        with self.assertRaises(RuntimeError) as caught:
            h.make_input(None)('? ')
        self.assertIn('cross-origin isolation', str(caught.exception))
        self.assertEqual(self.sink.text('stdout'), '? ')


if __name__ == '__main__':
    unittest.main()
