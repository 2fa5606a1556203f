#!/usr/bin/env python3
"""The self-play second look's tables (issue 25) from the outputs of bench/evidence/selfplay-second-look.sh: each run's
W / T / L as `weblab eval --against` printed it; the mean, min–max, pooled W / T / L, and the pooled two-sided exact sign
test recomputed from the pooled W and L (the lab's WinTally.SignTestP, in exact integers here).

    bench/evidence/selfplay-second-look-table.py OUT_DIR"""
import json, os, statistics, sys
from math import comb
from fractions import Fraction

out = sys.argv[1]
seeds = {'frontier': 13000001, 'headroom': 13000301}

def tally(name):
    a = json.load(open(os.path.join(out, name + '.json')))['against']
    return a['wins'], a['ties'], a['losses'], a['sign_test_p']

def rate(w, t, l): return (w + t / 2) / (w + t + l)

def sign_p(w, l):
    n, k = w + l, min(w, l)
    if n == 0: return 1.0
    return float(min(Fraction(1), 2 * Fraction(sum(comb(n, i) for i in range(k + 1)), 2 ** n)))

pct = lambda x: f'{100 * x:.1f}%'
print('| group | seed 1: W / T / L (eval seed) | seed 2 | seed 3 | mean win rate | min–max | pooled W / T / L | pooled p |')
print('|---|---|---|---|---|---|---|---|')
means = {}
for testbed in ('frontier', 'headroom'):
    for method in ('grpo', 'lsp', 'lsp-zero'):
        runs = [tally(f'{method}-{testbed}-s{k}') for k in (1, 2, 3)]
        rates = [rate(*r[:3]) for r in runs]
        W, T, L = (sum(r[i] for r in runs) for i in range(3))
        means[(method, testbed)] = statistics.mean(rates)
        cells = [f'{w} / {t} / {l}, {pct(rate(w, t, l))} ({seeds[testbed] + 100 * k})' for k, (w, t, l, _) in enumerate(runs)]
        print(f'| {method} · tinytasks-{testbed} | ' + ' | '.join(cells) + f' | {pct(statistics.mean(rates))} | {pct(min(rates))}–{pct(max(rates))} | {W} / {T} / {L} | {sign_p(W, L):.2g} |')

print()
print('| testbed | method | mean win rate − GRPO\'s | head to head against GRPO of the same seed: pooled W / T / L | p |')
print('|---|---|---|---|---|')
for testbed in ('frontier', 'headroom'):
    for method in ('lsp', 'lsp-zero'):
        runs = [tally(f'{method}-vs-grpo-{testbed}-s{k}') for k in (1, 2, 3)]
        W, T, L = (sum(r[i] for r in runs) for i in range(3))
        diff = 100 * (means[(method, testbed)] - means[('grpo', testbed)])
        print(f'| tinytasks-{testbed} | {method} | {diff:+.1f} points | {W} / {T} / {L} | {sign_p(W, L):.2g} |')
