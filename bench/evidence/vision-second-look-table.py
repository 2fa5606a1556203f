#!/usr/bin/env python3
"""The second look's tables (issue 26) from the outputs of bench/evidence/vision-second-look.sh: every value as
`weblab eval` printed it (per-model JSON, paired-test JSON), only formatted here, plus the count of items the new seeds
share with the earlier TinyScenes seeds (from the --items records' keys).

    bench/evidence/vision-second-look-table.py OUT_DIR"""
import glob, json, os, statistics, sys

out = sys.argv[1]
load = lambda name: json.load(open(os.path.join(out, name + '.json')))
pct = lambda x: f'{100 * x:.1f}%'

def cell(values):
    values = [v for v in values if v is not None]
    if not values: return '–'
    return f'{pct(statistics.mean(values))} ({pct(min(values))}–{pct(max(values))})'

cols = [('in-distribution accuracy', 'in_distribution'), ('counter-prior accuracy', 'counter_prior'),
        ('oracle LSR', 'lsr_oracle'), ('start-model LSR', 'lsr_start_model'), ('missing descriptions', 'description_missing')]
rows = [('cold start, see-think, 96 tokens', 'cold-seethink-96'), ('cold start, see-think, 48 tokens', 'cold-seethink-48'),
        ('cold start, chain of thought, 96 tokens', 'cold-think-96'), ('cold start, chain of thought, 48 tokens', 'cold-think-48'),
        ('`vision-r1`, step 300 (48 tokens)', 'vision-r1'), ('`seethink-noselfreward`, step 300 (48 tokens)', 'seethink-noselfreward'),
        ('`vision-sr1`, step 300 (48 tokens)', 'vision-sr1')]
print('| model (3 report seeds; mean (min–max)) | ' + ' | '.join(c for c, _ in cols) + ' | items a seed |')
print('|---|' + '---|' * (len(cols) + 1))
for label, prefix in rows:
    runs = [load(f'{prefix}-s{k}') for k in (1, 2, 3)]
    items = {r['items'] for r in runs}
    print(f'| {label} | ' + ' | '.join(cell([r.get(key) for r in runs]) for _, key in cols) + f' | {"/".join(map(str, sorted(items)))} |')

print()
print('| paired test (items matched per seed, pooled over 3 seeds) | A | B | items | only A | only B | p (sign test) |')
print('|---|---|---|---|---|---|---|')
for line in open(os.path.join(out, 'tests.txt')):
    label, path = line.rstrip('\n').rsplit('|', 1)
    r = json.load(open(path))
    print(f'| {label} | {pct(r["share_a"])} | {pct(r["share_b"])} | {r["items"]} | {r["only_a"]} | {r["only_b"]} | {r["sign_test_p"]:.3g} |')

keys = lambda name: {json.loads(l)['key'] for l in open(os.path.join(out, name + '.jsonl')) if l.strip()}
earlier = {os.path.basename(p)[len('earlier-'):-len('.jsonl')]: keys(os.path.basename(p)[:-len('.jsonl')])
           for p in sorted(glob.glob(os.path.join(out, 'earlier-*.jsonl')))}
print()
print('Items of each new seed (all splits) also drawn by an earlier TinyScenes seed, or by another new seed:')
new = {k: keys(f'cold-think-96-s{k}') for k in (1, 2, 3)}
for k, ks in new.items():
    shared = {s: len(ks & e) for s, e in earlier.items()}
    others = {f'new s{j}': len(ks & new[j]) for j in new if j != k}
    print(f'- seed {7400001 + 100 * (k - 1)}: {len(ks)} items; ' + ', '.join(f'{n} with {s}' for s, n in {**shared, **others}.items()))
