# The Python half of the engine, installed once per interpreter as the module `_execlab`. All
# per-run work (capture, split of a trailing expression, tracebacks, the batch loop) happens in
# Python so that a run costs one JS->Python call and returns one JSON string.
#
# The module is this file, then batch.py, then shared_tests.py, executed as one source (see
# helperParts in workers/python-helper.ts); the later parts use the names defined here.

import sys, builtins, ast, traceback, json, os, io, types, time, asyncio
from asyncio import events as _events
import math, re, collections, itertools, functools, heapq, bisect, string, operator, random, linecache
# Bound here so that a sample deleting or patching builtins cannot break the harness itself.
from builtins import (len, type, id, dict, set, list, getattr, isinstance, str, repr, enumerate,
                      compile, exec, eval, min, float, BaseException, Exception, AssertionError,
                      KeyboardInterrupt, SyntaxError, TypeError, RuntimeError, EOFError, ValueError,
                      ImportError)

# VERSION, a hash of the helper's sources, is set by the installer (workers/python-helper.ts).
FILENAME = '<exec>'
_perf = time.perf_counter
_MARK = '\n[output truncated: more than {} bytes]\n'

class Sink:
    """Keeps stdout+stderr up to a shared byte budget and streams it to the host in batches."""
    __slots__ = ('emit', 'cap', 'used', 'parts', 'pending', 'pending_stream', 'pending_size', 'last', 'first', 'truncated', 'full')

    def __init__(self, cap, emit=None):
        self.emit = emit
        self.cap = cap
        self.used = 0
        self.parts = {'stdout': [], 'stderr': []}
        self.pending = []
        self.pending_stream = None
        self.pending_size = 0
        self.last = _perf()
        # The run's first complete line goes out at once: code that prints and then computes shows
        # its output (and keeps it if it must then be hard-stopped).
        self.first = True
        self.truncated = {'stdout': False, 'stderr': False}
        self.full = False

    def write(self, name, s):
        if self.full:
            self.truncated[name] = True
            return
        size = len(s) if s.isascii() else len(s.encode('utf-8', 'surrogatepass'))
        room = self.cap - self.used
        if size > room:
            if s.isascii():
                s = s[:room]
            else:
                s = s.encode('utf-8', 'surrogatepass')[:room].decode('utf-8', 'ignore')
            s += _MARK.format(self.cap)
            self.full = True
            self.truncated[name] = True
            size = room
        self.used += size
        self.parts[name].append(s)
        if self.emit is not None:
            if self.pending_stream != name and self.pending:
                self.flush()
            self.pending_stream = name
            self.pending.append(s)
            self.pending_size += size
            # Batched so that a print loop does not flood the host with one message per line.
            if (self.pending_size >= 4096 or _perf() - self.last >= 0.016
                    or (self.first and s.endswith('\n'))):
                self.flush()

    def flush(self):
        if self.pending:
            text = ''.join(self.pending)
            self.pending = []
            self.pending_size = 0
            self.emit(self.pending_stream, text)
        self.last = _perf()
        self.first = False

    def reset(self):
        """Empties the sink for the next batch sample (one sink serves a whole batch)."""
        self.used = 0
        self.parts = {'stdout': [], 'stderr': []}
        self.truncated = {'stdout': False, 'stderr': False}
        self.full = False

    def text(self, name):
        return ''.join(self.parts[name])


class Writer(io.TextIOBase):
    """sys.stdout / sys.stderr replacement writing into a Sink."""
    # A stop can cut __init__ short; the unfinished object is then flushed as it is collected.
    _sink = None

    def __init__(self, sink, name):
        self._sink = sink
        self._name = name

    @property
    def encoding(self):
        return 'utf-8'

    @property
    def name(self):
        return '<' + self._name + '>'

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not ' + type(s).__name__)
        self._sink.write(self._name, s)
        return len(s)

    def flush(self):
        if self._sink is not None and self._sink.emit is not None:
            self._sink.flush()


class Reader(io.TextIOBase):
    """sys.stdin replacement asking the host for a line."""

    def __init__(self, ask):
        self._ask = ask

    def readable(self):
        return True

    def readline(self, size=-1):
        line = self._ask('')
        return '' if line is None else line + '\n'


_no_input = ('input() needs cross-origin isolation (SharedArrayBuffer + Atomics) so the worker can wait '
             'for your answer; this page is not cross-origin isolated (the server does not send '
             'COOP/COEP headers), so input() is unavailable here.')

def make_input(ask):
    def input(prompt=''):
        """Reads a line from the host (the page asks the user)."""
        out = sys.stdout
        if prompt != '':
            out.write(str(prompt))
        try:
            out.flush()
        except Exception:
            pass
        if ask is None:
            raise RuntimeError(_no_input)
        line = ask(str(prompt))
        if line is None:
            raise EOFError('EOF when reading a line')
        return str(line)
    return input


def error_info(exc):
    """LeTI-style error: user frames only (<exec>), line numbers as in the user's code."""
    try:
        return _error_info(exc)
    except BaseException as inner:
        return {'type': type(exc).__name__, 'message': '(error while formatting: ' + type(inner).__name__ + ')',
                'traceback': type(exc).__name__, 'line': None}


def _error_info(exc):
    frames = _user_frames(exc.__traceback__)
    lines = ''.join(traceback.format_exception_only(type(exc), exc))
    line = frames[-1][0] if frames else None
    if isinstance(exc, SyntaxError) and exc.filename == FILENAME:
        line = exc.lineno
    text = lines
    if frames:
        text = 'Traceback (most recent call last):\n' + _format_frames(frames) + lines
    msg = str(exc)
    return {'type': type(exc).__name__, 'message': msg, 'traceback': text, 'line': line}


def _user_frames(tb):
    frames = []
    while tb is not None:
        co = tb.tb_frame.f_code
        if co.co_filename == FILENAME:
            frames.append((tb.tb_lineno, co.co_name))
        tb = tb.tb_next
    return frames


def _format_frames(frames):
    # As traceback.StackSummary.format for sourceless frames (user code has no file for linecache,
    # whose failing lookups cost more than the rest of a batch sample), repeats collapsed alike.
    out = []
    last = None
    count = 0
    for frame in frames:
        if frame != last:
            if count > 3:
                out.append(_repeated(count - 3))
            last = frame
            count = 0
        count += 1
        if count <= 3:
            out.append('  File "' + FILENAME + '", line ' + str(frame[0]) + ', in ' + frame[1] + '\n')
    if count > 3:
        out.append(_repeated(count - 3))
    return ''.join(out)


def _repeated(n):
    return '  [Previous line repeated ' + str(n) + ' more time' + ('s' if n > 1 else '') + ']\n'


# Top-level `await` is allowed (as in Pyodide's console): code that uses it compiles to a coroutine
# (CO_COROUTINE, inspect's constant), which run_awaitable drives; any other code runs as before.
_AWAIT = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
_CO_COROUTINE = 0x80

def split_code(code):
    """Compiles code into (body, trailing expression or None), keeping the user's line numbers."""
    tree = ast.parse(code, FILENAME, 'exec')
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, FILENAME, 'exec', _AWAIT)
    return body, (compile(last, FILENAME, 'eval', _AWAIT) if last is not None else None)


def awaits(code):
    """Whether a compiled body or expression uses top-level await (is a coroutine's code)."""
    return code is not None and code.co_flags & _CO_COROUTINE != 0


async def run_cell_async(body, last, ns):
    """A cell that uses top-level await, as one coroutine: its body, then its trailing part."""
    r = eval(body, ns)
    if awaits(body):
        await r
    if last is None:
        return None
    v = eval(last, ns)
    if awaits(last):
        v = await v
    return v


class _Waiter:
    """The selector of _SyncLoop: no I/O, only waiting for the next timer."""

    def select(self, timeout=None):
        if timeout is None:
            raise RuntimeError('top-level await: the code waits for something nothing will complete '
                               '(a JavaScript promise cannot be awaited inside a run)')
        if timeout > 0:
            # time.sleep is the interruptible one (install_sleep): Stop ends a long asyncio.sleep.
            time.sleep(timeout)
        return []

    def close(self):
        pass


class _SyncLoop(asyncio.BaseEventLoop):
    """An event loop that runs inside the current call: tasks, futures and timers, no I/O."""

    def __init__(self):
        super().__init__()
        self._selector = _Waiter()

    def _process_events(self, event_list):
        pass


def run_awaitable(coro):
    """Runs a coroutine to its end inside this synchronous call, as asyncio.run would."""
    # Pyodide's WebLoop counts as running: a private loop may only run while it is set aside.
    # The run stays one synchronous call, so output, budgets, Stop and hard stops work as for any run.
    outer = _events._get_running_loop()
    _events._set_running_loop(None)
    loop = _SyncLoop()
    try:
        try:
            result = loop.run_until_complete(coro)
        except BaseException as e:
            _blame_suspended_line(e, coro)
            # A stop that lands between two steps of the loop can leave a task that no callback
            # will wake, so cancelling it can only fail: that failure must not hide the stop.
            try:
                asyncio.runners._cancel_all_tasks(loop)
            except Exception:
                pass
            raise
        asyncio.runners._cancel_all_tasks(loop)
        return result
    finally:
        _close_loop(loop)
        _events._set_running_loop(outer)


def _close_loop(loop):
    """Closes a private loop, even one a stop left marked as running (inside its own clean-up)."""
    if loop.is_running():
        loop._run_forever_cleanup()
    loop.close()


def _blame_suspended_line(exc, coro):
    """Where a stop landed in the loop's own code, names the user's line the cell was waiting on."""
    if _user_frames(exc.__traceback__):
        return
    frame = None
    while coro is not None:
        f = getattr(coro, 'cr_frame', None) or getattr(coro, 'gi_frame', None)
        if f is not None and f.f_code.co_filename == FILENAME:
            frame = f
        coro = getattr(coro, 'cr_await', None) or getattr(coro, 'gi_yieldfrom', None)
    if frame is not None:
        exc.__traceback__ = types.TracebackType(exc.__traceback__, frame, frame.f_lasti,
                                                frame.f_lineno)


sessions = {}

def namespace(name):
    ns = sessions.get(name)
    if ns is None:
        ns = sessions[name] = {'__name__': '__main__', '__builtins__': builtins}
    return ns


def reset(name):
    sessions.pop(name, None)


_saved = None
# Freed when user code runs out of memory (the heap cannot grow past its cap), so that the helper
# can still report the MemoryError and the next run can compile even if the session holds the rest.
_reserve = None
_RESERVE_BYTES = 4 << 20

def _take_reserve():
    global _reserve
    try:
        _reserve = bytearray(_RESERVE_BYTES)
    except MemoryError:
        pass


def run(code, session, cap, emit, ask, tracer=None):
    """Runs one cell in a session (under tracer when given); returns the result as a JSON string."""
    global _saved, _reserve
    if _reserve is None:
        _take_reserve()
    sink = Sink(cap, emit)
    _saved = sys.stdout, sys.stderr, sys.stdin, builtins.input
    value = None
    error = None
    t0 = _perf()
    try:
        sys.stdout = Writer(sink, 'stdout')
        sys.stderr = Writer(sink, 'stderr')
        sys.stdin = Reader(ask) if ask is not None else _saved[2]
        builtins.input = make_input(ask)
        ns = namespace(session)
        body, last = split_code(code)
        if tracer is not None:
            tracer.start(sink)
        if awaits(body) or awaits(last):
            # One loop for the whole cell: tasks the body starts belong to the awaited part too.
            v = run_awaitable(run_cell_async(body, last, ns))
        else:
            exec(body, ns)
            v = None if last is None else eval(last, ns)
        if v is not None:
            value = repr(v)
    except BaseException as exc:
        if isinstance(exc, MemoryError):
            _reserve = None
        error = error_info(exc)
    finally:
        if tracer is not None:
            tracer.stop()
        duration = (_perf() - t0) * 1000
        put_back()
        try:
            if emit is not None:
                sink.flush()
        except BaseException:
            pass
    result = {
        'ok': error is None, 'stdout': sink.text('stdout'), 'stderr': sink.text('stderr'),
        'value': value, 'error': error, 'durationMs': duration, 'truncated': sink.truncated,
    }
    if tracer is not None:
        result['trace'] = tracer.result(sink.parts['stdout'])
    return json.dumps(result)


def put_back():
    """Puts back the streams run() redirected; the host calls it when a stop escaped run()."""
    global _saved
    # A stop that escaped a traced run may have skipped its tracer's stop(): the hook goes too.
    # The tracer part is installed on first use (installTracer), so Tracer may not exist yet.
    tracer_type = globals().get('Tracer')
    if tracer_type is not None and isinstance(getattr(sys.gettrace(), '__self__', None), tracer_type):
        sys.settrace(None)
    if _saved is not None:
        sys.stdout, sys.stderr, sys.stdin, builtins.input = _saved
        _saved = None


# ---------------------------------------------------------------- confinement and hooks

def _network_module(name):
    return name == 'pyodide_js' or name == 'pyodide.http' or name.startswith('pyodide.http.')

class NetworkFinder:
    """Refuses to import Pyodide's network modules while the session has no network."""
    blocked = True

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if cls.blocked and _network_module(name):
            raise ImportError('network access is disabled in this session (' + name + ' is blocked); '
                              'the session option allowNetwork enables it', name=name)
        return None

_stash = {}

def set_network(allowed):
    """Blocks or restores pyodide.http / pyodide_js (the JS globals are handled by the worker)."""
    NetworkFinder.blocked = not allowed
    if NetworkFinder not in sys.meta_path:
        sys.meta_path.insert(0, NetworkFinder)
    pkg = sys.modules.get('pyodide')
    if allowed:
        for name, mod in _stash.items():
            if name == 'pyodide.http' and pkg is not None:
                pkg.http = mod
            sys.modules[name] = mod
        _stash.clear()
    else:
        for name in [n for n in sys.modules if _network_module(n)]:
            _stash[name] = sys.modules.pop(name)
        if pkg is not None and 'http' in pkg.__dict__:
            _stash.setdefault('pyodide.http', pkg.__dict__.pop('http'))


def install_sleep(wait):
    """Makes time.sleep wait on the interrupt flag (wait(ms) returns early once it is set)."""
    def sleep(secs, /):
        if secs < 0:
            raise ValueError('sleep length must be non-negative')
        end = _perf() + secs
        while True:
            left = end - _perf()
            if left <= 0:
                return
            wait(min(left, 0.1) * 1000)
    sleep.__doc__ = time.sleep.__doc__
    time.sleep = sleep
