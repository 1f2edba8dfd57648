# Part of the `_execlab` helper, run after batch.py in the same module: human-eval's sandbox
# emulated for the batch samples that ask for it (EvalSample.guard == 'humaneval').
# openai/human-eval human_eval/execution.py `unsafe_execute` runs each check program in a forked
# process, in a fresh temporary directory, after `reliability_guard()` (exit, quit, help and a list
# of os/shutil/subprocess functions set to None, some modules blocked in sys.modules,
# OMP_NUM_THREADS=1) and inside `swallow_io()` (stdin, stdout and stderr one write-only StringIO).
# Those change verdicts: input() fails with an empty message, exit() is "'NoneType' object is not
# callable". Our worker runs the next sample in the same interpreter, so the guard is applied right
# before a sample and undone right after it (undo is idempotent: a stop landing in it retries it).
# Not emulated: faulthandler.disable() (no verdict depends on it) and the memory limit, which
# check_correctness leaves at None.

_GUARD_NONE = (
    ('builtins', ('exit', 'quit', 'help')),
    ('os', ('kill', 'system', 'putenv', 'remove', 'removedirs', 'rmdir', 'fchdir', 'setuid', 'fork',
            'forkpty', 'killpg', 'rename', 'renames', 'truncate', 'replace', 'unlink', 'fchmod',
            'fchown', 'chmod', 'chown', 'chroot', 'lchflags', 'lchmod', 'lchown', 'getcwd', 'chdir')),
    ('shutil', ('rmtree', 'move', 'chown')),
    ('subprocess', ('Popen',)),
)
_GUARD_BLOCKED = ('ipdb', 'joblib', 'resource', 'psutil', 'tkinter')


class _SwallowedIO(io.StringIO):
    """human-eval's WriteOnlyStringIO as stdin, stdout and stderr at once: every read raises
    OSError and readable() is False; what is written goes to the sample's output (stdout)."""

    def __init__(self, sink):
        super().__init__()
        self._sink = sink

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('string argument expected, got ' + repr(type(s).__name__))
        self._sink.write('stdout', s)
        return len(s)

    def getvalue(self):
        # What was written, up to the batch's output cap (the sink keeps no more).
        return self._sink.text('stdout')

    def read(self, *args, **kwargs):
        raise OSError

    def readline(self, *args, **kwargs):
        raise OSError

    def readlines(self, *args, **kwargs):
        raise OSError

    def readable(self, *args, **kwargs):
        return False


class HarnessGuard:
    """reliability_guard + swallow_io + create_tempdir for one batch, applied per sample."""

    def __init__(self):
        # human-eval's guard imports them too; done here, before the batch's baseline is taken.
        import shutil, subprocess
        mods = sys.modules
        self.stream = None
        # (dict, key, original or _MISSING) for each entry the guard sets.
        self.saved = [(mods[m].__dict__, k, mods[m].__dict__.get(k, _MISSING))
                      for m, keys in _GUARD_NONE for k in keys]
        self.blocked = [(k, mods.get(k, _MISSING)) for k in _GUARD_BLOCKED]
        self.cwd = os.getcwd()
        self.env = os.environ.get('OMP_NUM_THREADS')
        self.active = False

    def bind(self, sink):
        """Sends what the guarded samples write to the batch's output sink."""
        self.stream = _SwallowedIO(sink)

    def apply(self):
        """Enters the guard: a fresh empty working directory, the environment, the Nones, the streams."""
        self.active = True
        home = _home[0]
        if home is None or os.listdir(home):
            home = _home[0] = _empty_dir()
        os.chdir(home)
        # Set before os.putenv becomes None, as reliability_guard does.
        os.environ['OMP_NUM_THREADS'] = '1'
        for d, k, _ in self.saved:
            d[k] = None
        mods = sys.modules
        for k, _ in self.blocked:
            mods[k] = None
        sys.stdout = sys.stderr = sys.stdin = self.stream

    def undo(self):
        """Puts back everything apply changed; safe to call again (and when not applied)."""
        if not self.active:
            return
        for d, k, v in self.saved:
            if v is _MISSING:
                d.pop(k, None)
            else:
                d[k] = v
        mods = sys.modules
        for k, v in self.blocked:
            if v is _MISSING:
                mods.pop(k, None)
            else:
                mods[k] = v
        if self.env is None:
            os.environ.pop('OMP_NUM_THREADS', None)
        else:
            os.environ['OMP_NUM_THREADS'] = self.env
        os.chdir(self.cwd)
        home = _home[0]
        if home is not None and os.listdir(home):
            # The sample left files: the next one gets a new empty directory.
            import shutil
            shutil.rmtree(home, ignore_errors=True)
            _home[0] = None
        self.active = False


# The guarded samples' working directory, kept while it stays empty; and a counter naming new ones.
_home = [None]
_dirs = [0]

def _empty_dir():
    while True:
        _dirs[0] += 1
        path = '/tmp/execlab-humaneval-' + str(_dirs[0])
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            continue
