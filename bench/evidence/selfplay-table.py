#!/usr/bin/env python3
"""The README's self-play evidence (issue 25), read from a lab's API: the results view's table, and the curves of the
Challenger's validity per 100 iterations for every LSP and LSP-Zero run (the degeneration LSP-Zero shows and LSP does not).

    bench/evidence/selfplay-table.py http://127.0.0.1:PORT [TOKEN]

Runs are those tagged evidence-25 (bench/evidence/selfplay-runs.sh); every percentage comes from the lab's records."""
import json, sys, urllib.parse, urllib.request

lab = sys.argv[1].rstrip('/')
token = sys.argv[2] if len(sys.argv) > 2 else None

def get(path, raw=False):
    req = urllib.request.Request(lab + path, headers={'Accept': 'application/json', **({'Authorization': f'Bearer {token}'} if token else {})})
    with urllib.request.urlopen(req) as r:
        return r.read().decode() if raw else json.load(r)

print(get('/api/results?tag=evidence-25&group=method,domain&format=md', raw=True))
print()
runs = sorted((e for e in get('/api/experiments?q=tag:evidence-25') if e['status'] == 'Succeeded' and e['method'] in ('lsp', 'lsp-zero')),
              key=lambda e: e['name'])
print('| run | ' + ' | '.join(f'{i * 100 + 1}–{(i + 1) * 100}' for i in range(6)) + ' | `kl/challenger` 1–100 → 501–600 |')
print('|---|' + '---|' * 7)
for e in runs:
    def chunks(name):
        pts = sorted(get(f'/api/experiments/{e["id"]}/metrics?name={urllib.parse.quote(name, safe="")}'), key=lambda p: p['step'])
        vals = [p['value'] for p in pts]
        return [sum(vals[i:i + 100]) / len(vals[i:i + 100]) for i in range(0, len(vals), 100)]
    valid, kl = chunks('challenger/valid_frac'), chunks('kl/challenger')
    print(f'| {e["name"]} | ' + ' | '.join(f'{v:.3f}' for v in valid) + f' | {kl[0]:.2f} → {kl[-1]:.2f} |')
