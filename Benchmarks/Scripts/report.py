#!/usr/bin/env python3
"""Turns compare.sh's JSON lines into a markdown report and SVG charts (no plotting library needed).
   report.py RUNS.jsonl OUT_PREFIX DURATION CONNECTIONS"""
import datetime, json, platform, sys

runs_path, prefix, duration, conns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs = [json.loads(line) for line in open(runs_path)]
routes = [r for r in runs if r["kind"] == "routes"]
servers = list(dict.fromkeys(r["server"] for r in routes))
route_names = list(dict.fromkeys(r["route"] for r in routes))
colors = {"trellis": "#2a7ae2", "hummingbird": "#e2692a", "vapor": "#8e44ad", "flyingfox": "#27ae60", "fastapi": "#c0392b", "nginx": "#7f8c8d", "trellis-catalog": "#16a085"}

def bar_chart(title, value, unit, path):
    width, height, left, top, bottom = 900, 380, 70, 40, 70
    groups = len(route_names)
    max_value = max((value(r) for r in routes), default=1) or 1
    group_width = (width - left - 20) / max(1, groups)
    bar_width = group_width * 0.8 / max(1, len(servers))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<text x="{width/2}" y="20" text-anchor="middle" font-size="15">{title}</text>']
    for tick in range(6):
        v = max_value * tick / 5
        y = height - bottom - (height - top - bottom) * tick / 5
        parts.append(f'<line x1="{left}" x2="{width-20}" y1="{y}" y2="{y}" stroke="#ddd"/>')
        parts.append(f'<text x="{left-6}" y="{y+4}" text-anchor="end">{v:,.0f}</text>')
    for g, route in enumerate(route_names):
        x0 = left + g * group_width + group_width * 0.1
        parts.append(f'<text x="{left + g*group_width + group_width/2}" y="{height-bottom+18}" text-anchor="middle">{route}</text>')
        for s, server in enumerate(servers):
            match = [r for r in routes if r["server"] == server and r["route"] == route]
            if not match: continue
            v = value(match[0]); h = (height - top - bottom) * v / max_value
            x = x0 + s * bar_width
            parts.append(f'<rect x="{x:.1f}" y="{height-bottom-h:.1f}" width="{bar_width-2:.1f}" height="{h:.1f}" fill="{colors.get(server, "#555")}"><title>{server} {route}: {v:,.2f} {unit}</title></rect>')
    for s, server in enumerate(servers):
        x = left + s * 130
        parts.append(f'<rect x="{x}" y="{height-28}" width="12" height="12" fill="{colors.get(server, "#555")}"/><text x="{x+16}" y="{height-18}">{server}</text>')
    parts.append(f'<text x="14" y="{top + (height-top-bottom)/2}" transform="rotate(-90 14 {top + (height-top-bottom)/2})" text-anchor="middle">{unit}</text></svg>')
    open(path, "w").write("\n".join(parts))

def line_chart(path):
    growth = [r for r in runs if r["kind"] == "growth"]
    if not growth: return
    width, height, left, top, bottom, right = 900, 380, 70, 40, 60, 80
    xs = [r["connections"] for r in growth]
    import math
    def xpos(c): return left + (width - left - right) * (math.log2(c) / math.log2(max(xs))) if max(xs) > 1 else left
    series = {"p50": "#2a7ae2", "p99": "#e2692a", "p99.9": "#8e44ad"}
    keys = {"p50": "p50", "p99": "p99", "p99.9": "p999"}
    max_latency = max(r["latencyMicroseconds"]["p999"] for r in growth) / 1000 or 1
    max_rps = max(r["requestsPerSecond"] for r in growth) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<text x="{width/2}" y="20" text-anchor="middle" font-size="15">Trellis GET / as connections grow: latency (ms, left) and requests/s (right)</text>']
    for c in xs:
        parts.append(f'<text x="{xpos(c)}" y="{height-bottom+18}" text-anchor="middle">{c}</text>')
    parts.append(f'<text x="{width/2}" y="{height-bottom+36}" text-anchor="middle">connections</text>')
    for tick in range(6):
        y = height - bottom - (height - top - bottom) * tick / 5
        parts.append(f'<line x1="{left}" x2="{width-right}" y1="{y}" y2="{y}" stroke="#eee"/>')
        parts.append(f'<text x="{left-6}" y="{y+4}" text-anchor="end">{max_latency*tick/5:.2f}</text>')
        parts.append(f'<text x="{width-right+6}" y="{y+4}">{max_rps*tick/5:,.0f}</text>')
    def ypos(v, vmax): return height - bottom - (height - top - bottom) * v / vmax
    for name, color in series.items():
        pts = " ".join(f"{xpos(r['connections']):.1f},{ypos(r['latencyMicroseconds'][keys[name]]/1000, max_latency):.1f}" for r in growth)
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"><title>{name}</title></polyline>')
    pts = " ".join(f"{xpos(r['connections']):.1f},{ypos(r['requestsPerSecond'], max_rps):.1f}" for r in growth)
    parts.append(f'<polyline points="{pts}" fill="none" stroke="#27ae60" stroke-width="2" stroke-dasharray="6 4"><title>req/s</title></polyline>')
    for i, (name, color) in enumerate(list(series.items()) + [("req/s", "#27ae60")]):
        parts.append(f'<rect x="{left + i*110}" y="{height-22}" width="12" height="12" fill="{color}"/><text x="{left + i*110 + 16}" y="{height-12}">{name}</text>')
    parts.append("</svg>")
    open(path, "w").write("\n".join(parts))

bar_chart("Requests per second (higher is better)", lambda r: r["requestsPerSecond"], "req/s", prefix + "-throughput.svg")
bar_chart("p99 latency in ms (lower is better)", lambda r: r["latencyMicroseconds"]["p99"] / 1000, "ms", prefix + "-p99.svg")
line_chart(prefix + "-growth.svg")

name = prefix.split("/")[-1]
lines = [f"# Trellis vs peers — {name}", "",
         f"Machine: {platform.node()}, {platform.machine()}, Linux {platform.release()}. Generated {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC by `Benchmarks/compare.sh`.",
         f"Each server alone, pinned to one core; `trellis-load` ({conns} keep-alive connections, closed loop, {duration} s after a warm-up) pinned to the other.",
         "Latency from an HDR histogram. RSS is the server's peak (`VmHWM`) after the three routes.", "",
         f"![requests per second]({name}-throughput.svg)", "", f"![p99 latency]({name}-p99.svg)", "",
         "| server | route | req/s | p50 | p99 | p99.9 | peak RSS | errors / non-2xx |", "|---|---|---|---|---|---|---|---|"]
for r in routes:
    l = r["latencyMicroseconds"]
    rss = f"{r['rss_mib']} MiB" if r.get("rss_mib") else ""
    lines.append(f"| {r['server']} | `{r['route']}` | {r['requestsPerSecond']:,.0f} | {l['p50']/1000:.3f} ms | {l['p99']/1000:.3f} ms | {l['p999']/1000:.3f} ms | {rss} | {r['errors']} / {r['non2xx']} |")
trellis = {r["route"]: r for r in routes if r["server"] == "trellis"}
lines += ["", "Ratios (Trellis ÷ peer, requests/s; p99 peer ÷ Trellis):", "", "| peer | route | throughput ratio | p99 ratio |", "|---|---|---|---|"]
for r in routes:
    if r["server"] == "trellis" or r["route"] not in trellis: continue
    t = trellis[r["route"]]
    lines.append(f"| {r['server']} | `{r['route']}` | {t['requestsPerSecond']/r['requestsPerSecond']:.2f}× | {r['latencyMicroseconds']['p99']/max(1,t['latencyMicroseconds']['p99']):.2f}× |")
scaling = [r for r in runs if r["kind"].startswith("scaling")]
if scaling:
    lines += ["", "## Scaling (both cores, unpinned, 16 pipelined requests per connection)", "", "| event loops | req/s | p99 |", "|---|---|---|"]
    for r in scaling:
        lines.append(f"| {r['kind'].split('-')[1]} | {r['requestsPerSecond']:,.0f} | {r['latencyMicroseconds']['p99']/1000:.3f} ms |")
nginx1024 = [r for r in runs if r["kind"] == "growth-nginx"]
growth = [r for r in runs if r["kind"] == "growth"]
if growth:
    lines += ["", "## Cost growth (Trellis `GET /`, 1 event loop)", "", f"![growth]({name}-growth.svg)", "",
              "| connections | req/s | p50 | p90 | p99 | p99.9 | max |", "|---|---|---|---|---|---|---|"]
    for r in growth:
        l = r["latencyMicroseconds"]
        lines.append(f"| {r['connections']} | {r['requestsPerSecond']:,.0f} | {l['p50']/1000:.3f} ms | {l['p90']/1000:.3f} ms | {l['p99']/1000:.3f} ms | {l['p999']/1000:.3f} ms | {l['max']/1000:.3f} ms |")
    for r in nginx1024:
        l = r["latencyMicroseconds"]
        lines.append(f"| {r['connections']} (nginx) | {r['requestsPerSecond']:,.0f} | {l['p50']/1000:.3f} ms | {l['p90']/1000:.3f} ms | {l['p99']/1000:.3f} ms | {l['p999']/1000:.3f} ms | {l['max']/1000:.3f} ms |")
if any(r["server"] == "trellis-catalog" for r in routes):
    lines += ["", "`trellis-catalog` is the same app behind RequestID, AccessLog (one line per request, to `/dev/null`) and GZip (Benchmarks/Sources/trellis-catalog)."]
open(prefix + ".md", "w").write("\n".join(lines) + "\n")
