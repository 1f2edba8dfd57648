# Part of the `_execlab` helper, run after helper.py in the same module: the batch half (runMany).
# It runs each sample in a fresh namespace and puts back what it disturbed. Each sample's code is
# compiled once and scanned for the names it uses: every sample gets O(1) checks (sizes of builtins
# and sys.modules, trace hooks); sys, os.environ, cwd, random, warnings are compared only for code
# that names them; module dicts only for code that stores attributes (those names) or uses
# reflection (all); only changes are undone.

# ---------------------------------------------------------------- batch runs (evaluation)
import opcode
from operator import is_
from builtins import all, map, zip, frozenset, tuple, range

_STORE_OPS = (opcode.opmap['STORE_ATTR'], opcode.opmap['DELETE_ATTR'])
_EXTENDED_ARG = opcode.EXTENDED_ARG
_MISSING = object()
_ModuleType = types.ModuleType
_CodeType = types.CodeType

# Names through which code reaches interpreter state without an attribute store naming the
# attribute (reflection, frames, dynamic code, sys.modules). A sample using one of them, as a name
# or as a string constant, gets the full check of every module dict after it runs. This is a guard
# against accidents in generated code, not a sandbox: deliberately obfuscated code can evade it.
_REACH = frozenset((
    '__globals__', '__builtins__', '__self__', '__dict__', '__import__', '__loader__', '__spec__',
    '__subclasses__', '__closure__', '__wrapped__', '__func__', '__code__', '__reduce__',
    '__reduce_ex__', '__setattr__', '__delattr__', '__getattribute__', '__base__', '__bases__',
    '__mro__', '__objclass__', '__defaults__', '__kwdefaults__', '__class__', '__init_subclass__',
    'setattr', 'delattr', 'getattr', 'vars', 'globals', 'locals', 'exec', 'eval', 'compile',
    'breakpoint', 'modules', 'f_globals', 'f_locals', 'f_builtins', 'f_back', 'tb_frame', 'gi_frame',
    'cr_frame', 'ag_frame', 'attrgetter', 'methodcaller', 'import_module', 'reload', 'ctypes', 'gc',
    'inspect', 'importlib', '_getframe', 'get_referents', 'get_referrers', 'builtins', '_execlab',
))


# Names without which code cannot reach a piece of state that is checked only when named.
_RESEED = frozenset(('seed', 'setstate'))
_PROCESS = frozenset(('environ', 'environb', 'putenv', 'unsetenv', 'chdir', 'fchdir'))
_LIMITS = frozenset(('setrecursionlimit', 'set_int_max_str_digits'))
_SYS = frozenset(('sys', 'site'))
_WARN = frozenset(('warnings', 'simplefilter', 'filterwarnings', 'resetwarnings', 'catch_warnings'))
_GATED = _REACH | _RESEED | _PROCESS | _LIMITS | _SYS | _WARN
_NOTHING = frozenset()


class Analysis:
    """A sample compiled once (cached by source) with what its code can touch."""
    __slots__ = ('code', 'tests', 'error', 'stores', 'dynamic', 'reseed', 'process', 'limits', 'sys', 'warn')

    def __init__(self, source):
        self.code = None
        # What runs after self.code in the same namespace: None here, a Joined sample's shared tests.
        self.tests = None
        self.error = None
        self.stores = _NOTHING
        self.dynamic = self.reseed = self.process = self.limits = self.sys = self.warn = False
        try:
            self.code = compile(source, FILENAME, 'exec', _AWAIT)
        # Not BaseException: an interrupt during compilation is the sample's timeout, not its result.
        except Exception as exc:
            self.error = exc
            return
        names = set()
        stores = set()
        _walk(self.code, names, stores)
        if stores:
            self.stores = frozenset(stores)
        hits = names & _GATED
        if hits:
            self.dynamic = not _REACH.isdisjoint(hits)
            self.reseed = not _RESEED.isdisjoint(hits)
            self.process = not _PROCESS.isdisjoint(hits)
            self.limits = not _LIMITS.isdisjoint(hits)
            self.sys = not _SYS.isdisjoint(hits)
            self.warn = not _WARN.isdisjoint(hits)


def _walk(co, names, stores):
    names.update(co.co_names)
    raw = co.co_code
    ops = raw[::2]
    if _STORE_OPS[0] in ops or _STORE_OPS[1] in ops:
        ext = 0
        for k in range(0, len(raw), 2):
            op = raw[k]
            arg = raw[k + 1] | ext
            ext = arg << 8 if op == _EXTENDED_ARG else 0
            if op in _STORE_OPS:
                stores.add(co.co_names[arg])
    for c in co.co_consts:
        t = type(c)
        if t is str:
            names.add(c)
        elif t is _CodeType:
            _walk(c, names, stores)
        elif t is tuple or t is frozenset:
            _strings(c, names)


def _strings(values, names):
    for c in values:
        t = type(c)
        if t is str:
            names.add(c)
        elif t is tuple or t is frozenset:
            _strings(c, names)


# Compiled samples by source: an evaluation often holds the same program many times (identical
# completions), and a code object is immutable, so running it again in a fresh namespace is the
# same as compiling it again. Bounded; cleared when full.
_analyses = {}

def analyse(source):
    a = _analyses.get(source)
    if a is None:
        if len(_analyses) >= 4096:
            _analyses.clear()
        a = _analyses[source] = Analysis(source)
    return a


def _put_back(d, saved):
    """Makes dict d equal to saved again, entry by entry (d may be in use while we do it)."""
    for k in [k for k in d if k not in saved]:
        del d[k]
    for k, v in saved.items():
        if d.get(k, _MISSING) is not v:
            d[k] = v


def _same(d, saved_values):
    return len(d) == len(saved_values) and all(map(is_, d.values(), saved_values))


class Baseline:
    """Interpreter state a sample may disturb, captured once per batch."""

    def __init__(self):
        self.modules = sys.modules
        self.mods = dict(self.modules)
        self.mod_values = list(self.mods.values())
        self.bd = builtins.__dict__
        self.bsaved = dict(self.bd)
        self.bvalues = list(self.bsaved.values())
        self.sd = sys.__dict__
        self.ssaved = dict(self.sd)
        self.svalues = list(self.ssaved.values())
        self.lists = [(l, list(l)) for l in (sys.path, sys.meta_path, sys.path_hooks)]
        self.limit = sys.getrecursionlimit()
        self.digits = sys.get_int_max_str_digits()
        self.cwd = os.getcwd()
        self.envsaved = dict(os.environ._data)
        warn = self.mods.get('warnings')
        self.warnings = (warn, list(warn.filters)) if warn is not None else None
        rnd = self.mods.get('random')
        self.random = (rnd, rnd.getstate()) if rnd is not None else None
        # Module dicts and their copies, as parallel lists for C-level passes (map(len, ...)).
        self.dicts = []
        self.copies = []
        self.by_module = {}
        self.lens = None
        self.index = None
        self._snapshot(self.mod_values)

    def _snapshot(self, modules):
        for mod in modules:
            d = getattr(mod, '__dict__', None)
            if type(d) is dict and id(mod) not in self.by_module:
                copy = dict(d)
                self.by_module[id(mod)] = (d, copy)
                self.dicts.append(d)
                self.copies.append(copy)
        self.lens = None
        self.index = None

    def restore(self, a):
        """Puts back what the analysed sample may have disturbed; cheap unless its code reaches far."""
        sd = self.sd
        ss = self.ssaved
        sd['stdout'] = ss['stdout']
        sd['stderr'] = ss['stderr']
        sd['stdin'] = ss['stdin']
        if sys.gettrace() is not None:
            sys.settrace(None)
        if sys.getprofile() is not None:
            sys.setprofile(None)
        dynamic = a.dynamic
        # Without reflection, code reaches sys only by naming it, and builtins or an existing
        # sys.modules entry not at all; the size checks are O(1) and catch the rest of the cases.
        if dynamic or a.sys:
            if not _same(sd, self.svalues):
                _put_back(sd, ss)
                self.svalues = list(sd.values())
            for live, saved in self.lists:
                if live != saved:
                    live[:] = saved
        if dynamic or a.limits:
            if sys.getrecursionlimit() != self.limit:
                sys.setrecursionlimit(self.limit)
            if sys.get_int_max_str_digits() != self.digits:
                sys.set_int_max_str_digits(self.digits)
        mods = self.modules
        full = dynamic
        if len(mods) != len(self.mods) or (dynamic and not _same(mods, self.mod_values)):
            full = self._modules(a) or full
        bd = self.bd
        if len(bd) != len(self.bvalues) or (dynamic and not _same(bd, self.bvalues)):
            _put_back(bd, self.bsaved)
            self.bvalues = list(bd.values())
        if full:
            for d, copy in zip(self.dicts, self.copies):
                if d != copy:
                    _put_back(d, copy)
        elif a.stores:
            self._stores(a.stores)
        if dynamic or a.process:
            self._process()
        if self.random is not None and (a.reseed or dynamic):
            self.random[0].setstate(self.random[1])
        if dynamic or a.warn:
            self._warnings()

    def _warnings(self):
        # A filter such as "error" would turn the next samples' warnings (even the compiler's) into errors.
        w = self.warnings
        if w is not None and w[0].filters != w[1]:
            w[0].filters[:] = w[1]
            w[0]._filters_mutated()

    def _process(self):
        env = os.environ
        if env._data != self.envsaved:
            env.clear()
            env.update({env.decodekey(k): env.decodevalue(v) for k, v in self.envsaved.items()})
        try:
            if os.getcwd() != self.cwd:
                os.chdir(self.cwd)
        except Exception:
            os.chdir(self.cwd)

    def _modules(self, a):
        """sys.modules changed: put back replaced or removed entries; keep or evict new imports.

        A module the sample imported stays imported (a warm import cache is legitimate, and each
        sample would otherwise pay for the import again) unless the sample may have changed it:
        its code uses reflection or stores an attribute whose name the module defines. Returns
        True when every module dict must then be checked.
        """
        mods = self.modules
        saved = self.mods
        new = [k for k in mods if k not in saved]
        for k, v in saved.items():
            if mods.get(k, _MISSING) is not v:
                mods[k] = v
        if not new:
            self.mod_values = list(mods.values())
            return False
        stores = a.stores
        keep = not a.dynamic
        if keep:
            for k in new:
                d = getattr(mods[k], '__dict__', None)
                if not isinstance(mods[k], _ModuleType) or type(d) is not dict or not stores.isdisjoint(d):
                    keep = False
                    break
        if not keep:
            for k in new:
                mods.pop(k, None)
            self.mod_values = list(mods.values())
            return True
        added = [mods[k] for k in new]
        for k in new:
            saved[k] = mods[k]
            # Importing a submodule binds it in its package: that binding is part of the import.
            parent, _, child = k.rpartition('.')
            entry = self.by_module.get(id(saved.get(parent)))
            if entry is not None and entry[0].get(child, _MISSING) is mods[k]:
                entry[1][child] = mods[k]
        self.mod_values = list(mods.values())
        self._snapshot(added)
        return False

    def _stores(self, stores):
        """Attribute stores may have hit a module: check those names, and every dict's size."""
        if self.lens is None:
            self.lens = list(map(len, self.copies))
        if list(map(len, self.dicts)) != self.lens:
            for d, copy in zip(self.dicts, self.copies):
                if len(d) != len(copy):
                    _put_back(d, copy)
        index = self.index
        if index is None:
            index = self.index = {}
            for d, copy in zip(self.dicts, self.copies):
                for k, v in copy.items():
                    index.setdefault(k, []).append((d, v))
        for name in stores:
            for d, v in index.get(name, ()):
                if d.get(name, _MISSING) is not v:
                    d[name] = v


class _Everything:
    """An analysis that admits the sample may have touched anything: the end-of-batch restore."""
    stores = frozenset()
    dynamic = True
    reseed = True
    process = True
    limits = True
    sys = True
    warn = True

_EVERYTHING = _Everything()


def _run_sample(code, tests, sink, out, err, guard):
    sink.reset()
    sys.stdout = out
    sys.stderr = err
    a = _EVERYTHING
    ns = None
    try:
        # Compiled after the redirect: compiler warnings belong to the sample's output.
        a = analyse_sample(code, tests)
        if a.error is not None:
            return 'error', a.error, a, None
        ns = {'__name__': '__main__', '__builtins__': builtins}
        if guard is not None:
            guard.apply()
        if awaits(a.code) or awaits(a.tests):
            run_awaitable(run_cell_async(a.code, a.tests, ns))
        else:
            exec(a.code, ns)
            if a.tests is not None:
                exec(a.tests, ns)
    except AssertionError as exc:
        return 'failed', exc, a, ns
    except KeyboardInterrupt as exc:
        return 'timeout', exc, a, ns
    except BaseException as exc:
        return 'error', exc, a, ns
    return 'passed', None, a, ns


def _settle(base, a, ns, guard, leave=True):
    # An interrupt meant for a sample that just finished may land here: finish the restore anyway.
    while True:
        try:
            if guard is not None:
                guard.undo()
                if leave:
                    guard.leave()
            base.restore(a)
            if guard is not None and (a.dynamic or a.process):
                # The restore may have changed directory: the next guarded sample goes back.
                guard.inside = False
            if ns is not None:
                ns.clear()
            return
        except KeyboardInterrupt:
            continue


_batch = None

def begin_batch(samples_json):
    """Holds a batch and the interpreter state to put back after each of its samples."""
    global _batch
    samples = json.loads(samples_json)
    # Created before the baseline: the guard imports what it patches.
    guard = HarnessGuard() if any(s.get('guard') == 'humaneval' for s in samples) else None
    _batch = (samples, [], Baseline(), guard)


def run_batch(cap, ctl):
    """Runs the held batch's samples that have no result yet (the host calls it again when a stop
    meant for a sample that had just ended escaped the loop); ctl.start(i) publishes progress,
    ctl.target() names an interrupted sample."""
    samples, results, base, guard = _batch
    sink = Sink(cap)
    if guard is not None:
        guard.bind(sink)
    out_w = Writer(sink, 'stdout')
    err_w = Writer(sink, 'stderr')
    start = ctl.start
    target = ctl.target
    t0 = _perf()
    try:
        for i in range(len(results), len(samples)):
            sample = samples[i]
            code = sample['code']
            tests = sample.get('tests')
            g = guard if sample.get('guard') == 'humaneval' else None
            # The guard's directory is left only when the next sample runs unguarded.
            stay = g is not None and i + 1 < len(samples) and samples[i + 1].get('guard') == 'humaneval'
            start(i)
            status, error, a, ns = _run_sample(code, tests, sink, out_w, err_w, g)
            _settle(base, a, ns, g, not stay)
            if status == 'timeout' and target() != i:
                # The interrupt was meant for another sample or raised by the code itself: run once more.
                start(i)
                t0 = _perf()
                status, error, a, ns = _run_sample(code, tests, sink, out_w, err_w, g)
                _settle(base, a, ns, g, not stay)
                if status == 'timeout' and target() != i:
                    status = 'error'
            t1 = _perf()
            results.append({
                'id': sample['id'], 'status': status,
                'error': None if error is None else error_info(error),
                'stdout': sink.text('stdout'), 'durationMs': (t1 - t0) * 1000,
            })
            t0 = t1
    finally:
        _settle(base, _EVERYTHING, None, guard)
    return json.dumps(results)
