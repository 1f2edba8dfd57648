"""Expected outputs for test/unit/exec-trace-formats.test.ts, from the official code run natively.

Usage: python3 scripts/exec-trace-official.py SEMCODER CODERLPLUS COCONUT PROGRAMS.json LOGS.json
  SEMCODER    git dir of ARiSE-Lab/SemCoder        (experiments/construct_trace.py,
              experiments/build_self_refine_input.py)
  CODERLPLUS  git dir of jiangxxxue/CODERLPLUS     (recipe/code_extractor.py,
              recipe/reward/reward_function_coderlplus.py)
  COCONUT     git dir of seal-research/structural-code-understanding-dataset
              (Dataset/Tracing/PythonTracer/HumanEval_Tracer.py)
  PROGRAMS    {name: [source, entry, args]}; LOGS {name: {log}} (our pysnooper-layout logs)
The official functions are taken out of their files by name (ast) and run unchanged; imports the
files need but these functions do not (pandas, numpy, verl) are not loaded.
"""
import ast, io, json, logging, re, string, subprocess, sys, contextlib


def functions(git_dir, path, names, env):
    text = subprocess.run(['git', '--git-dir', git_dir, 'show', 'HEAD:' + path],
                          capture_output=True, text=True, check=True).stdout
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            exec(compile(ast.Module([node], []), path, 'exec'), env)
    return env


def main(semcoder, coderl, coconut, programs_path, logs_path):
    programs = json.load(open(programs_path))
    logs = json.load(open(logs_path))
    out = {'coconut': {}, 'semcoder': {}, 'coderl': {}}

    # CoCoNUT: run_code_and_trace looks the entry up in its own globals.
    for name, (source, entry, args) in programs.items():
        env = {'sys': sys}
        functions(coconut, 'Dataset/Tracing/PythonTracer/HumanEval_Tracer.py', {'run_code_and_trace'}, env)
        defs = source.rsplit('\n', 1)[0]
        exec(defs, env)
        # run_code_and_trace returns nothing when the call raises (its try has no except).
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                out['coconut'][name] = env['run_code_and_trace'](entry, *args)
        except Exception:
            out['coconut'][name] = None

    env = {'json': json, 're': re}
    functions(semcoder, 'experiments/construct_trace.py',
              {'handle_value', 'convertv2s', 'concise_spad', 'attach_trace_to_code'}, env)
    functions(semcoder, 'experiments/build_self_refine_input.py', {'attach_execution_exception'}, env)
    for name, (source, entry, args) in programs.items():
        log = logs[name]['log']
        inlined = env['attach_trace_to_code'](source, log, state_order_flag=True, ignore_intermediate_flag=True)
        out['semcoder'][name] = env['attach_execution_exception'](inlined, log)

    logging.disable(logging.CRITICAL)
    env = {'json': json, 're': re, 'logger': logging.getLogger('x'), 'Dict': dict, 'Any': object,
           'np': type('np', (), {'array': staticmethod(list)}),
           'calculate_cyclomatic_complexity': lambda code: 2}
    functions(coderl, 'recipe/code_extractor.py',
              {'create_exec_semantics_align_prompt', 'create_exec_semantics_align_task_record'}, env)
    functions(coderl, 'recipe/reward/reward_function_coderlplus.py',
              {'compute_exec_semantics_align_score', 'check_value_equality'}, env)
    record = {'code': 'def f(xs):\n    cnt = 0\n    for x in xs:\n        cnt += x\n    print(cnt)',
              'test_input': '[1, 2, 3]', 'actual_output': '6\n',
              'local_variable': {'xs': [1, 2, 3], 'cnt': 6, 'x': 3, 'name': "it's"}}
    task = env['create_exec_semantics_align_task_record'](record)
    out['coderl']['prompt'] = task['prompt'][0]['content']
    out['coderl']['ground_truth'] = task['reward_model']['ground_truth']
    truth = task['reward_model']['ground_truth']
    answers = json.load(open(programs_path.replace('.json', '-answers.json')))
    out['coderl']['scores'] = [env['compute_exec_semantics_align_score']('exec_semantics_align', a, truth)
                               for a in answers['answers']]
    out['coderl']['pairs'] = [env['check_value_equality'](json.loads(p), json.loads(e))
                              for p, e in answers['pairs']]
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main(*sys.argv[1:])
