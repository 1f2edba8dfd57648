# eval.nativeFork baseline: one CPython parent that forks per sample; the child runs the sample in a
# fresh namespace under a wall-time alarm and exits with a status (0 passed, 1 assertion failed,
# 2 other error, 3 timeout), the parent waits. Reads a JSON list of programs on stdin and prints
# {"seconds": ..., "statuses": [...]} measured around the fork loop only (interpreter start excluded).
import json
import os
import signal
import sys
import time


def run_child(code, timeout_s):
    def on_alarm(signum, frame):
        os._exit(3)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        exec(compile(code, '<sample>', 'exec'), {'__name__': '__main__'})
    except AssertionError:
        os._exit(1)
    except BaseException:
        os._exit(2)
    os._exit(0)


def main():
    request = json.load(sys.stdin)
    programs, timeout_s = request['programs'], request['timeoutMs'] / 1000
    statuses = []
    start = time.perf_counter()
    for code in programs:
        pid = os.fork()
        if pid == 0:
            run_child(code, timeout_s)
        _, status = os.waitpid(pid, 0)
        statuses.append(os.waitstatus_to_exitcode(status))
    seconds = time.perf_counter() - start
    json.dump({'seconds': seconds, 'statuses': statuses}, sys.stdout)


main()
