# Native baseline of bench part 'trace': the app's own line tracer (workers/python/tracer.py, the
# same file the worker runs) traced with sys.settrace by this interpreter, on the program the
# browser traces. Reads {"code", "tracer", "maxSteps"} as JSON on stdin; prints the traced and
# untraced times (ms, the run alone, as the worker's durationMs) and the number of steps.
import json
import sys
import time

job = json.load(sys.stdin)
namespace = {'sys': sys, 'FILENAME': '<exec>', '__name__': 'execlab_tracer'}
exec(compile(job['tracer'], 'tracer.py', 'exec'), namespace)
body = compile(job['code'], '<exec>', 'exec')


class Sink:
    """The tracer reads only how much stdout exists (the program prints nothing)."""
    parts = {'stdout': []}


def timed(tracer):
    ns = {'__name__': '__main__'}
    t0 = time.perf_counter()
    if tracer is not None:
        tracer.start(Sink())
    try:
        exec(body, ns)
    finally:
        if tracer is not None:
            tracer.stop()
    return (time.perf_counter() - t0) * 1000


tracer = namespace['Tracer'](job['maxSteps'], 200)
traced = timed(tracer)
plain = timed(None)
print(json.dumps({'tracedMs': traced, 'plainMs': plain, 'steps': len(tracer.steps),
                  'truncated': tracer.truncated}))
