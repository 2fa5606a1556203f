#!/usr/bin/env python3
"""The README's self-play evidence (issue 25), read from a lab's API: the results view's table, and the curves of the
Challenger's validity per 100 iterations for every LSP and LSP-Zero run (the degeneration LSP-Zero shows and LSP does not).

    bench/evidence/selfplay-table.py http://127.0.0.1:PORT [TOKEN] [--tag TAG]

Runs are those tagged TAG (default evidence-25, bench/evidence/selfplay-runs.sh; evidence-25-degeneration,
bench/evidence/selfplay-degeneration.sh, also prints its pre-registered verdicts, bench/evidence/selfplay-degeneration.md).
Every percentage comes from the lab's records."""
import json, sys, urllib.parse, urllib.request

args = sys.argv[1:]
tag = 'evidence-25'
if '--tag' in args:
    i = args.index('--tag')
    tag = args[i + 1]
    del args[i:i + 2]
lab = args[0].rstrip('/')
token = args[1] if len(args) > 1 else None

def get(path, raw=False):
    req = urllib.request.Request(lab + path, headers={'Accept': 'application/json', **({'Authorization': f'Bearer {token}'} if token else {})})
    with urllib.request.urlopen(req) as r:
        return r.read().decode() if raw else json.load(r)

def windows(run_id, name, width=100):
    """Mean of a metric per `width` iterations (steps 1–100, 101–200, …): [(first step, last step, mean)]."""
    by = {}
    for p in get(f'/api/experiments/{run_id}/metrics?name={urllib.parse.quote(name, safe="")}'):
        by.setdefault((p['step'] - 1) // width, []).append(p)
    return [(w * width + 1, (w + 1) * width, sum(p['value'] for p in c) / len(c)) for w, c in sorted(by.items())]

print(get(f'/api/results?tag={urllib.parse.quote(tag)}&group=method,domain&format=md', raw=True))
print()
runs = sorted((e for e in get(f'/api/experiments?q=tag:{urllib.parse.quote(tag)}') if e['status'] == 'Succeeded' and e['method'] in ('lsp', 'lsp-zero')),
              key=lambda e: e['name'])
curves = {e['name']: (e, windows(e['id'], 'challenger/valid_frac'), windows(e['id'], 'kl/challenger'), windows(e['id'], 'solver/reward_mean')) for e in runs}
if not curves:
    sys.exit(f'no succeeded LSP or LSP-Zero run tagged {tag}')
spans = next(iter(curves.values()))[1]
with_reward = tag != 'evidence-25'   # the first look's table printed no reward column
print('| run | ' + ' | '.join(f'{a}–{b}' for a, b, _ in spans) + f' | `kl/challenger` {spans[0][0]}–{spans[0][1]} → {spans[-1][0]}–{spans[-1][1]} |'
      + (' `solver/reward_mean`, same |' if with_reward else ''))
print('|---|' + '---|' * (len(spans) + 1 + with_reward))
for name, (e, valid, kl, reward) in curves.items():
    print(f'| {name} | ' + ' | '.join(f'{v:.3f}' for _, _, v in valid) + f' | {kl[0][2]:.2f} → {kl[-1][2]:.2f} |'
          + (f' {reward[0][2]:.3f} → {reward[-1][2]:.3f} |' if with_reward else ''))

if tag == 'evidence-25-degeneration':
    # The criteria of bench/evidence/selfplay-degeneration.md, per training seed.
    print()
    print('| training seed | LSP-Zero: valid 1–100 → last 100 | degenerates (≤ 0.90 and ≥ 5 points down) | LSP: lowest 100-iteration window | stable (≥ 0.95 throughout) |')
    print('|---|---|---|---|---|')
    held = []
    for seed in (1, 2, 3):
        zero, lsp = curves.get(f'lsp-zero degeneration seed {seed}'), curves.get(f'lsp degeneration seed {seed}')
        if zero is None or lsp is None:
            print(f'| {seed} | missing | – | missing | – |'); held.append(False); continue
        first, last = zero[1][0][2], zero[1][-1][2]
        degenerates = last <= 0.90 and first - last >= 0.05
        lowest = min(v for _, _, v in lsp[1])
        stable = lowest >= 0.95
        held.append(degenerates and stable)
        print(f'| {seed} | {first:.3f} → {last:.3f} | {"yes" if degenerates else "no"} | {lowest:.3f} | {"yes" if stable else "no"} |')
    print()
    print(f'Both hold in {sum(held)} of 3 training seeds.')
