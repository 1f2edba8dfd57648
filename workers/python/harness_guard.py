# Part of the `_execlab` helper, run after batch.py in the same module: human-eval's sandbox
# emulated for the batch samples that ask for it (EvalSample.guard == 'humaneval').
# openai/human-eval human_eval/execution.py `unsafe_execute` runs each check program in a forked
# process, in a fresh temporary directory, after `reliability_guard()` (exit, quit, help and a list
# of os/shutil/subprocess functions set to None, some modules blocked in sys.modules,
# OMP_NUM_THREADS=1) and inside `swallow_io()` (stdin, stdout and stderr one write-only StringIO).
# Those change verdicts: input() fails with an empty message, exit() is "'NoneType' object is not
# callable". Our worker runs the next sample in the same interpreter, so the guard is applied right
# before a sample and undone right after it (undo is idempotent: a stop landing in it retries it).
# The empty directory is the exception: consecutive guarded samples share it while it stays empty.
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
        # Per namespace (module dict, sys.modules): {key: None}, the originals, the keys it lacked;
        # dict.update does each side in one call.
        self.parts = [_part(mods[m].__dict__, keys) for m, keys in _GUARD_NONE]
        self.parts.append(_part(mods, _GUARD_BLOCKED))
        self.cwd = os.getcwd()
        # os.environ's own store: setting it through os.environ would also call putenv, which no
        # Python code in the worker can tell apart (there are no child processes).
        env = os.environ
        self.env = env._data
        self.env_key = env.encodekey('OMP_NUM_THREADS')
        self.env_one = env.encodevalue('1')
        self.env_saved = self.env.get(self.env_key, _MISSING)
        self.active = False
        # Whether the working directory is the guarded one: a flag, since a system call costs more
        # than a short sample in the browser. Cleared by leave, and by the batch when its restore
        # may have changed directory (batch.py _settle).
        self.inside = False

    def bind(self, sink):
        """Sends what the guarded samples write to the batch's output sink."""
        self.stream = _SwallowedIO(sink)

    def apply(self):
        """Enters the guard: a fresh empty working directory, the environment, the Nones, the streams."""
        self.active = True
        # Consecutive guarded samples share the directory while it stays empty: in the browser,
        # making and removing a directory per sample took longer than the sample itself.
        if not self.inside:
            os.chdir(_home[0] or _empty_dir())
            self.inside = True
        self.env[self.env_key] = self.env_one
        for d, nones, _, _ in self.parts:
            d.update(nones)
        sys.stdout = sys.stderr = sys.stdin = self.stream

    def undo(self):
        """Puts back everything apply changed; safe to call again (and when not applied)."""
        if not self.active:
            return
        for d, _, saved, missing in self.parts:
            d.update(saved)
            for k in missing:
                d.pop(k, None)
        if self.env_saved is _MISSING:
            self.env.pop(self.env_key, None)
        else:
            self.env[self.env_key] = self.env_saved
        home = _home[0]
        if home is not None:
            try:
                # Its time stamp was set to 0, and making an entry in it sets it to the clock. In
                # the browser a call naming a path (stat, listdir) took longer than a short sample;
                # fstat on the directory's descriptor costs next to nothing.
                fd = _home[1]
                if fd is None or os.fstat(fd).st_mtime_ns != 0 and not _emptied(home):
                    # The sample left files: the next one gets a new empty directory.
                    self.leave()
            except OSError:
                self.leave()
        self.active = False

    def leave(self):
        """Back in the batch's working directory, the guarded samples' one removed (idempotent)."""
        self.inside = False
        try:
            here = os.getcwd()
        except OSError:
            here = None
        if here != self.cwd:
            os.chdir(self.cwd)
        fd = _home[1]
        if fd is not None:
            _home[1] = None
            try:
                os.close(fd)
            except OSError:
                pass
        home = _home[0]
        if home is not None:
            try:
                os.rmdir(home)
            except FileNotFoundError:
                pass
            except OSError:
                import shutil
                shutil.rmtree(home, ignore_errors=True)
                # Should a file there resist, the next sample gets a directory of another name.
                _dirs[0] += 1
            _home[0] = None


def _emptied(path):
    """Whether the directory is empty again (its time stamp then goes back to 0)."""
    if os.listdir(path):
        return False
    os.utime(path, ns=(0, 0))
    return True


def _part(d, keys):
    return (d, dict.fromkeys(keys), {k: d[k] for k in keys if k in d}, [k for k in keys if k not in d])


# The guarded samples' working directory (kept while it stays empty) and a descriptor open on it;
# a number naming it.
_home = [None, None]
_dirs = [0]

def _empty_dir():
    while True:
        path = '/tmp/execlab-humaneval-' + str(_dirs[0])
        try:
            os.mkdir(path)
            os.utime(path, ns=(0, 0))
            _home[0] = path
            _home[1] = os.open(path, os.O_RDONLY)
            return path
        except FileExistsError:
            _dirs[0] += 1
