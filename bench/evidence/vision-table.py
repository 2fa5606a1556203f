#!/usr/bin/env python3
"""The README's Vision-SR1 table (issue 26), read from a lab's API: every value from the runs' own records, nothing typed.

    bench/evidence/vision-table.py http://127.0.0.1:PORT [TOKEN]

Runs are those tagged evidence-26 (bench/evidence/vision-runs.sh). Training seed k of every arm was evaluated on the same
items (report seed 7200001 + 100(k - 1)), and each run evaluated the cold start at step 0 on them: the cold start's row
is those step-0 evaluations (see-think answers from the see-think arms, chain of thought from vision-r1), and every test
is paired item by item (GET /api/results/paired: the exact sign test of discordant items, pooled over the 3 seeds)."""
import json, statistics, sys, urllib.request

lab = sys.argv[1].rstrip('/')
token = sys.argv[2] if len(sys.argv) > 2 else None

def get(path):
    req = urllib.request.Request(lab + path, headers={'Accept': 'application/json', **({'Authorization': f'Bearer {token}'} if token else {})})
    with urllib.request.urlopen(req) as r:
        return json.load(r)

runs = [e for e in get('/api/experiments?q=tag:evidence-26') if e['status'] == 'Succeeded']
arms = ['vision-r1', 'seethink-noselfreward', 'vision-sr1']
by = {a: sorted((e for e in runs if e['method'] == a), key=lambda e: e['name']) for a in arms}

def metric(run, name, step):
    points = get(f'/api/experiments/{run["id"]}/metrics?name={urllib.parse.quote(name, safe="")}')
    at = {p['step']: p['value'] for p in points}
    return at.get(step if step is not None else max(at)) if at else None

import urllib.parse
cols = [('in-distribution accuracy', 'eval/accuracy'), ('counter-prior accuracy', 'eval/accuracy/counter-prior'),
        ('oracle LSR', 'eval/lsr_oracle'), ('start-model LSR', 'eval/lsr_start_model'), ('missing descriptions', 'eval/description/missing_frac')]

def cell(values):
    values = [v for v in values if v is not None]
    if not values: return '–'
    pct = lambda x: f'{100 * x:.1f}%'
    return f'{pct(statistics.mean(values))} ({pct(min(values))}–{pct(max(values))})'

def row(label, rs, step):
    return f'| {label} | ' + ' | '.join(cell([metric(r, m, step) for r in rs]) for _, m in cols) + ' |'

print('| arm (3 training seeds; mean (min–max)) | ' + ' | '.join(c for c, _ in cols) + ' |')
print('|---|' + '---|' * len(cols))
print(row('cold start, see-think (step 0 of the see-think runs)', by['seethink-noselfreward'], 0))
print(row('cold start, chain of thought (step 0 of vision-r1)', by['vision-r1'], 0))
for a in arms:
    print(row(f'`{a}`, step 300', by[a], None))

def paired(a, b, flag, split=None):
    q = f'/api/results/paired?a={",".join(a)}&b={",".join(b)}&flag={flag}' + (f'&split={split}' if split else '')
    r = get(q)
    return r

def side(rs, step):
    return [f'{r["id"]}@{"last" if step is None else step}' for r in rs]

print()
print('| paired test (items matched per seed, pooled over 3 seeds) | A | B | items | only A | only B | p (sign test) |')
print('|---|---|---|---|---|---|---|')
tests = [
    ('oracle LSR: vision-sr1 (A) vs see-think without self-reward (B)', 'shortcut_oracle', side(by['vision-sr1'], None), side(by['seethink-noselfreward'], None)),
    ('start-model LSR: vision-sr1 vs see-think without self-reward', 'shortcut_start_model', side(by['vision-sr1'], None), side(by['seethink-noselfreward'], None)),
    ('accuracy: vision-sr1 vs see-think without self-reward', 'correct', side(by['vision-sr1'], None), side(by['seethink-noselfreward'], None)),
    ('accuracy: vision-sr1 vs vision-r1', 'correct', side(by['vision-sr1'], None), side(by['vision-r1'], None)),
]
for a in arms:
    tests.append((f'accuracy: {a} at 300 vs its cold start (step 0)', 'correct', side(by[a], None), side(by[a], 0)))
    tests.append((f'oracle LSR: {a} at 300 vs its cold start', 'shortcut_oracle', side(by[a], None), side(by[a], 0)) if a != 'vision-r1' else None)
for t in tests:
    if t is None: continue
    label, flag, A, B = t
    r = paired(A, B, flag)
    p = r['signTestP']
    print(f'| {label} | {100 * r["shareA"]:.1f}% | {100 * r["shareB"]:.1f}% | {r["items"]} | {r["onlyA"]} | {r["onlyB"]} | {p:.3g} |')
