# Part of the `_execlab` helper, run after batch.py in the same module: the shared-tests half of
# runMany. A sample may give its tests apart from its code (`tests`), and the tests of a task, the
# same text for every sample of it in a pass@k evaluation, are compiled once and re-used with their
# line numbers moved to where they fall in that sample's program. The result must be what running
# `code + '\n' + tests` as one program gives; wherever the two could differ, the sample is compiled
# as that one program instead (see `analyse_sample`).

# ---------------------------------------------------------------- shared tests (pass@k)
import __future__
import warnings as _warnings_module

_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag
del _name


# Names in a tests text that alone would not mean what they mean after the code: a leading
# string sets __doc__ (a docstring), module-level annotations set __annotate__ for that part only,
# and a __future__ import is legal at the start of the tests but not after the code.
_WHOLE_MODULE = frozenset(('__doc__', '__annotate__', '__conditional_annotations__', '__future__'))


def _lines(text):
    # As the compiler counts them: \r\n, \r and \n each end a line.
    n = text.count('\n')
    return n if '\r' not in text else n + text.count('\r') - text.count('\r\n')


def _moved(co, lines):
    """co with every line number (its own and its nested code's) moved down by lines."""
    consts = co.co_consts
    for c in consts:
        if type(c) is _CodeType:
            consts = tuple(_moved(c, lines) if type(c) is _CodeType else c for c in consts)
            return co.replace(co_firstlineno=co.co_firstlineno + lines, co_consts=consts)
    return co.replace(co_firstlineno=co.co_firstlineno + lines)


class Tests:
    """A tests text compiled on its own, and its code placed at each line offset asked for."""
    __slots__ = ('analysis', 'placed')

    def __init__(self, analysis):
        self.analysis = analysis
        self.placed = {}

    def at(self, lines):
        co = self.placed.get(lines)
        if co is None:
            if len(self.placed) >= 16:
                self.placed.clear()
            co = self.placed[lines] = _moved(self.analysis.code, lines)
        return co


# Tests texts by source; None for a text that must be compiled with its sample's code.
_tests = {}

def _tests_part(tests):
    t = _tests.get(tests, _MISSING)
    if t is _MISSING:
        if len(_tests) >= 512:
            _tests.clear()
        with _warnings_module.catch_warnings(record=True) as caught:
            _warnings_module.simplefilter('always')
            a = Analysis(tests)
        # Not split: a text that does not compile alone (the error must name the whole program's
        # line), one whose compile warns (each sample's output must show the warning), or one that
        # uses a name only a whole module sets (see _WHOLE_MODULE).
        ok = a.error is None and not caught and _WHOLE_MODULE.isdisjoint(a.code.co_names)
        t = _tests[tests] = Tests(a) if ok else None
    return t


class Joined:
    """A sample's code and its shared tests, run one after the other in one namespace."""
    __slots__ = ('code', 'tests', 'error', 'stores', 'dynamic', 'reseed', 'process', 'limits', 'sys', 'warn')

    def __init__(self, a, t, tests_code):
        self.code = a.code
        self.tests = tests_code
        self.error = None
        self.stores = a.stores | t.stores if t.stores else a.stores
        self.dynamic = a.dynamic or t.dynamic
        self.reseed = a.reseed or t.reseed
        self.process = a.process or t.process
        self.limits = a.limits or t.limits
        self.sys = a.sys or t.sys
        self.warn = a.warn or t.warn


def analyse_sample(code, tests):
    """The analysis of code + '\n' + tests, with the tests compiled once per text when that gives
    the same program: the code compiles alone and sets no __future__ flag (which would change how
    the tests compile), and the tests compile alone (so they start a statement of their own)."""
    if not tests:
        return analyse(code)
    a = analyse(code)
    if a.error is None and not a.code.co_flags & _FUTURE_FLAGS:
        t = _tests_part(tests)
        if t is not None:
            # The joining '\n' ends the code's last line, or with a trailing \r forms one \r\n.
            return Joined(a, t.analysis, t.at(_lines(code) + (not code.endswith('\r'))))
    return analyse(code + '\n' + tests)
