# The differential-testing oracles of ExecLab (issue 12 §4), run in the Python worker.
# Each entry point takes one base64 JSON payload and prints one JSON line.
# CodeARC: Anjiang-Wei/CodeARC@092edee (src/utils.py, src/invocators.py, differential_testing/src_mokav).
# Mokav: ASSERT-KTH/Mokav (src/code_runner.py, src/test_generator.py).
import ast as _dt_ast
import base64 as _dt_base64
import contextlib as _dt_contextlib
import io as _dt_io
import json as _dt_json

# Names an invocation may not use: they would read the hidden function instead of calling it.
_DT_BLOCKED = {
    "inspect", "dis", "globals", "locals", "vars", "dir", "open", "__import__", "eval",
    "exec", "compile", "getattr", "setattr", "delattr", "breakpoint", "help", "input",
}


def _dt_payload(text):
    return _dt_json.loads(_dt_base64.b64decode(text).decode("utf-8"))


def _dt_emit(value):
    print(_dt_json.dumps(value))


def _dt_load(source, filename):
    namespace = {"__name__": "__difftest__"}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def _dt_error_line(error):
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _dt_refusal(tree):
    for node in _dt_ast.walk(tree):
        if isinstance(node, (_dt_ast.Import, _dt_ast.ImportFrom)):
            return "an import"
        if isinstance(node, _dt_ast.Name) and node.id in _DT_BLOCKED:
            return f"the name '{node.id}'"
        if isinstance(node, _dt_ast.Attribute) and node.attr.startswith("__"):
            return f"the attribute '{node.attr}'"
    return None


def _dt_first_def(source):
    # Mokav's extract_function_name: the name after the first "def ".
    for node in _dt_ast.parse(source).body:
        if isinstance(node, (_dt_ast.FunctionDef, _dt_ast.AsyncFunctionDef)):
            return node.name
    raise ValueError("no function is defined")


def codearc_invoke(payload):
    """Runs one invocation with the hidden function defined: CodeARC's local_executor(gt + invocation)."""
    p = _dt_payload(payload)
    try:
        tree = _dt_ast.parse(p["invocation"])
    except SyntaxError as error:
        return _dt_emit({"output": _dt_error_line(error), "errored": True})
    refused = _dt_refusal(tree)
    if refused is not None:
        text = f"Invocation refused: it uses {refused}, which would inspect the hidden function."
        return _dt_emit({"output": text, "errored": True})
    namespace = _dt_load(p["hidden"], "<hidden>")
    out = _dt_io.StringIO()
    try:
        with _dt_contextlib.redirect_stdout(out):
            exec(compile(tree, "<invocation>", "exec"), namespace)
    except Exception as error:
        # CodeARC returns the whole stderr; only its last line is kept, the rest would quote the hidden source.
        return _dt_emit({"output": _dt_error_line(error), "errored": True})
    _dt_emit({"output": out.getvalue().strip(), "errored": False})


def _dt_call_of(text, name):
    tree = _dt_ast.parse(text)
    for node in _dt_ast.walk(tree):
        if isinstance(node, _dt_ast.Call) and isinstance(node.func, _dt_ast.Name) and node.func.id == name:
            return text, node
    return None


def _dt_arguments(text, name):
    """The argument source of the first call of `name` in an invocation, or `text` itself as an argument list."""
    found = _dt_call_of(text, name)
    if found is None:
        call_text = f"{name}({text})"
        found = _dt_call_of(call_text, name)
    source, call = found
    parts = [_dt_ast.get_source_segment(source, a) for a in call.args]
    parts += [
        f"{k.arg}={_dt_ast.get_source_segment(source, k.value)}" if k.arg else
        f"**{_dt_ast.get_source_segment(source, k.value)}"
        for k in call.keywords
    ]
    if len(call.args) == 1 and not call.keywords:
        only = call.args[0]
        shown = only.value if isinstance(only, _dt_ast.Constant) and isinstance(only.value, str) else parts[0]
    else:
        shown = "(" + ", ".join(parts) + ")"
    return ", ".join(parts), shown


def _dt_run(function, args_text, builtins_ns):
    args, kwargs = eval(f"(lambda *a, **k: (a, k))({args_text})", dict(builtins_ns))
    return function(*args, **kwargs)


def _dt_first_line(message):
    # run_tests.py keeps the line after "AssertionError: "; invocators.py cuts at a literal "\n\n".
    return message.split("\n")[0].split("\\n\\n")[0]


def _dt_compare(expected_call, got_call):
    """Mokav's generated unittest: errors must agree, then outputs (assertEqual); None when they do."""
    import unittest  # only the oracle needs it, and its import is slow in a fresh worker

    case = unittest.TestCase()
    out1 = out2 = None
    error1 = error2 = "No Error"
    try:
        out1 = expected_call()
    except Exception:
        error1 = "Error"
    try:
        out2 = got_call()
    except Exception:
        error2 = "Error"
    try:
        case.assertEqual(error1, error2)
        if error1 == "No Error" and error2 == "No Error":
            case.assertEqual(out1, out2)
    except AssertionError as failure:
        return _dt_first_line(str(failure))
    return None


def codearc_check(payload):
    """The oracle: the submission against the hidden function on every input, first difference reported."""
    p = _dt_payload(payload)
    name = p["functionName"]
    truth = _dt_load(p["hidden"], "<hidden>")[name]
    try:
        candidate_ns = _dt_load(p["candidate"], "<candidate>")
        candidate = candidate_ns.get(name) or candidate_ns[_dt_first_def(p["candidate"])]
    except Exception as error:
        candidate = None
        load_error = _dt_error_line(error)
    checked = 0
    for text in p["inputs"]:
        try:
            args_text, shown = _dt_arguments(text, name)
        except Exception:
            continue
        env = {"__builtins__": __builtins__}
        if candidate is None:
            def got_call():
                raise RuntimeError(load_error)
        else:
            def got_call(args_text=args_text):
                return _dt_run(candidate, args_text, env)
        with _dt_contextlib.redirect_stdout(_dt_io.StringIO()):
            values = _dt_compare(lambda: _dt_run(truth, args_text, env), got_call)
        checked += 1
        if values is not None:
            return _dt_emit({"equivalent": False, "input": shown, "values": values, "checked": checked})
    _dt_emit({"equivalent": True, "checked": checked})


def _dt_parse_test(response):
    """Mokav's change_test_to_dict of extract_regex_qb, then our fallbacks for chatty replies."""
    tries = [response.replace("python", "").strip("`")]
    blocks = [b for b in response.split("```")[1::2]]
    tries += [b[len("python"):] if b.startswith("python") else b for b in reversed(blocks)]
    start = response.rfind("{'inputdata'")
    if start < 0:
        start = response.rfind('{"inputdata"')
    if start >= 0:
        tries += [response[start:end + 1] for end in range(len(response) - 1, start, -1) if response[end] == "}"]
    last = "no {'inputdata': ...} dict was found"
    for text in tries:
        try:
            value = _dt_ast.literal_eval(text.strip())
        except Exception as error:
            last = _dt_error_line(error)
            continue
        if isinstance(value, dict) and "inputdata" in value:
            return value, None
        last = "the dict has no 'inputdata' key"
    return None, last


def _dt_is_multi_argument(source):
    # Mokav's is_multi_argument: the first FunctionDef found by ast.walk has more than one argument.
    for node in _dt_ast.walk(_dt_ast.parse(source)):
        if isinstance(node, _dt_ast.FunctionDef):
            return len(node.args.args) > 1
    return False


def _dt_output(source, inputdata, star):
    """get_code_output: what `print(function(input))` shows (the function's own prints first)."""
    out = _dt_io.StringIO()
    try:
        function = _dt_load(source, "<program>")[_dt_first_def(source)]
        with _dt_contextlib.redirect_stdout(out):
            value = function(*inputdata) if star else function(inputdata)
            print(value)
    except Exception as error:
        return {"ok": False, "output": _dt_error_line(error)}, None
    return {"ok": True, "output": out.getvalue().strip()}, value


def mokav_check(payload):
    """Runs both versions on a test input; `differ` is Mokav's AssertionError (a difference-exposing test)."""
    p = _dt_payload(payload)
    if "response" in p:
        test, problem = _dt_parse_test(p["response"])
        if test is None:
            return _dt_emit({"parsed": False, "problem": problem})
    else:
        test = {"inputdata": _dt_ast.literal_eval(p["inputText"])}
    inputdata = test["inputdata"]
    star = _dt_is_multi_argument(p["patched"])
    patched, value1 = _dt_output(p["patched"], inputdata, star)
    original, value2 = _dt_output(p["original"], inputdata, star)
    if patched["ok"] != original["ok"]:
        differ = True
    elif not patched["ok"]:
        differ = False
    else:
        try:
            differ = not (value1 == value2)
        except Exception:
            differ = True
    _dt_emit({
        "parsed": True,
        "test": repr(test),
        "input": repr(inputdata),
        "star": star,
        "original": original,
        "patched": patched,
        "differ": differ,
    })
