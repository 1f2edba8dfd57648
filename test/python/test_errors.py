# User errors as data: tracebacks of the user's frames only, with the user's line numbers, as
# Python itself formats them; the split of a trailing expression.
import traceback
import unittest

import _execlab as h


def raised(code):
    """The exception that running code (compiled as the user's) raises, with its traceback."""
    try:
        exec(compile(code, h.FILENAME, 'exec'), {'__name__': '__main__'})
    except BaseException as exc:
        return exc
    raise AssertionError('the code raised nothing')


def standard(exc):
    """Python's own traceback text for exc, from the user's first frame on (the test's left out)."""
    return ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next))


RECURSION = '''
def down(n):
    if n == 0:
        raise ValueError('bottom')
    return down(n - 1)

def main(n):
    down(n)

main(DEPTH)
'''


class ErrorInfo(unittest.TestCase):
    def test_user_frames_with_user_lines(self):
        exc = raised('x = 1\n\ndef f():\n    return 1 / 0\n\nf()\n')
        info = h.error_info(exc)
        self.assertEqual(info['type'], 'ZeroDivisionError')
        self.assertEqual(info['message'], 'division by zero')
        self.assertEqual(info['line'], 4)
        self.assertEqual(info['traceback'],
                         'Traceback (most recent call last):\n'
                         '  File "<exec>", line 6, in <module>\n'
                         '  File "<exec>", line 4, in f\n'
                         'ZeroDivisionError: division by zero\n')

    def test_same_text_as_python_for_user_code(self):
        for code in ('raise KeyError("k")', 'def f():\n    g()\nf()', '[1][2]',
                     'class A:\n    def m(self):\n        raise TypeError("t")\nA().m()'):
            with self.subTest(code=code):
                exc = raised(code)
                self.assertEqual(h.error_info(exc)['traceback'], standard(exc))

    def test_repeated_frames_collapse_as_python_does(self):
        for depth in (0, 2, 3, 4, 5, 30):
            with self.subTest(depth=depth):
                exc = raised(RECURSION.replace('DEPTH', str(depth)))
                self.assertEqual(h.error_info(exc)['traceback'], standard(exc))
                self.assertEqual(h.error_info(exc)['line'], 4)

    def test_one_more_time_is_singular(self):
        self.assertEqual(h._repeated(1), '  [Previous line repeated 1 more time]\n')
        self.assertEqual(h._repeated(2), '  [Previous line repeated 2 more times]\n')

    def test_helper_frames_are_left_out(self):
        # A frame of any other file (here this test's and the one exec'd below) is not the user's.
        exc = raised('exec(compile("1/0", "<other>", "exec"))')
        info = h.error_info(exc)
        self.assertNotIn('<other>', info['traceback'])
        self.assertIn('File "<exec>", line 1, in <module>', info['traceback'])
        self.assertEqual(info['line'], 1)

    def test_no_user_frame_gives_the_exception_alone(self):
        info = h.error_info(ValueError('plain'))
        self.assertEqual(info, {'type': 'ValueError', 'message': 'plain',
                                'traceback': 'ValueError: plain\n', 'line': None})

    def test_syntax_error_names_the_user_line(self):
        try:
            h.split_code('a = 1\nb = (2,\n')
        except SyntaxError as exc:
            info = h.error_info(exc)
        self.assertEqual(info['type'], 'SyntaxError')
        self.assertEqual(info['line'], 2)
        self.assertIn('was never closed', info['message'])

    def test_syntax_error_of_other_code_keeps_the_frame_line(self):
        exc = raised('x = 1\ncompile("(", "<other>", "exec")')
        self.assertIsInstance(exc, SyntaxError)
        self.assertEqual(h.error_info(exc)['line'], 2)

    def test_an_exception_that_cannot_be_formatted_is_still_data(self):
        class Odd(Exception):
            def __str__(self):
                raise RuntimeError('no text')

        info = h.error_info(Odd())
        self.assertEqual(info, {'type': 'Odd', 'message': '(error while formatting: RuntimeError)',
                                'traceback': 'Odd', 'line': None})


class SplitCode(unittest.TestCase):
    def test_trailing_expression_is_split_off(self):
        body, last = h.split_code('x = 2\nx * 21')
        ns = {}
        exec(body, ns)
        self.assertEqual(eval(last, ns), 42)

    def test_no_trailing_expression(self):
        body, last = h.split_code('x = 2\nif x:\n    x\n')
        self.assertIsNone(last)
        self.assertEqual(body.co_filename, h.FILENAME)

    def test_empty_code(self):
        body, last = h.split_code('')
        self.assertIsNone(last)

    def test_lines_are_the_users(self):
        body, last = h.split_code('a = 1\n\n\n1 / 0')
        try:
            eval(last, {})
        except ZeroDivisionError as exc:
            self.assertEqual(h.error_info(exc)['line'], 4)


if __name__ == '__main__':
    unittest.main()
