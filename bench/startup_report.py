#!/usr/bin/env python3
"""The tables of bench/startup.sh, from the JSON its measuring half writes
(tests/e2e/bench-startup.mjs measure): the start-up timeline (median of the
launches, each mark in ms from the app process's start), the memory after
opening stories and the CPU time of an idle minute.

    python3 bench/startup_report.py result.json
"""
import json
import statistics
import sys


def fmt(v):
    return "—" if v is None else f"{v:.0f}"


def report(r):
    runs = r["runs"]
    out = []

    def med(k):
        return statistics.median(x[k] for x in runs)

    def each(k):
        return ", ".join(f"{x[k]:.0f}" for x in runs)

    out.append("| figure | median | each run (ms) |")
    out.append("|---|---|---|")
    out.append(f"| navigation start → first list painted (UI mark) | **{med('markMs'):.0f} ms** | {each('markMs')} |")
    out.append(f"| app process start → first list painted (wall clock) | **{med('fromProcessStartMs'):.0f} ms** | {each('fromProcessStartMs')} |")
    out.append(f"| WebDriver session request → first list painted (wall clock) | {med('fromRequestMs'):.0f} ms | {each('fromRequestMs')} |")
    out.append(f"| story rows in the first paint (the virtual list's window) | {runs[0]['rows']} | |")
    if all("cpuAtFirstListMs" in x for x in runs):
        # CPU time moves far less with the machine's load than wall time.
        for role, label in (("app", "app process"), ("web", "WebKit web process"), ("network", "WebKit network process")):
            vals = [x["cpuAtFirstListMs"].get(role, 0) for x in runs]
            out.append(
                f"| CPU time of the {label} when the first list is painted (utime+stime, 10 ms steps) "
                f"| {statistics.median(vals):.0f} ms | {', '.join(f'{v:.0f}' for v in vals)} |"
            )
    out.append("")

    if all("timeline" in x for x in runs):
        names = list(runs[0]["timeline"].keys())
        out.append("| start-up mark (ms from the app process's start; median of the runs) | at | step | each run |")
        out.append("|---|---|---|---|")
        prev = None
        for name in names:
            vals = [x["timeline"].get(name) for x in runs]
            have = [v for v in vals if v is not None]
            if not have:
                out.append(f"| {name} | — | | (no such mark in this build) |")
                continue
            m = statistics.median(have)
            step = "" if prev is None else f"+{m - prev:.0f}"
            prev = m
            out.append(f"| {name} | {m:.0f} | {step} | {', '.join(fmt(v) for v in vals)} |")
        out.append("")

    def mem(rows, role):
        ps = [p for p in rows if p["role"] == role]
        return sum(p["rssKiB"] for p in ps) / 1024, sum(p["pssKiB"] for p in ps) / 1024, len(ps)

    out.append(f"| memory (MiB) | RSS at start | RSS after opening {r['opened']} stories | PSS after opening |")
    out.append("|---|---|---|---|")
    after = r["memory"]["afterOpening"]
    roles = ["app", "web", "network"] + sorted({p["role"] for p in after} - {"app", "web", "network"})
    names = {"app": "app process (gloss)", "web": "WebKit web process", "network": "WebKit network process"}
    for role in roles:
        a = mem(r["memory"]["atStart"], role)
        b = mem(after, role)
        if b[2] == 0 and a[2] == 0:
            continue
        label = names.get(role, role) + (f" ×{b[2]}" if b[2] > 1 else "")
        out.append(f"| {label} | {a[0]:.0f} | {b[0]:.0f} | {b[1]:.0f} |")
    ta = sum(p["rssKiB"] for p in r["memory"]["atStart"]) / 1024
    tb = sum(p["rssKiB"] for p in after) / 1024
    tp = sum(p["pssKiB"] for p in after) / 1024
    out.append(f"| **total** | {ta:.0f} | **{tb:.0f}** | **{tp:.0f}** |")

    # The RSS after opening, by kind (results older than these fields lack them).
    if after and all("rssFileKiB" in p for p in after):
        def kinds(ps):
            return [sum(p[k] for p in ps) / 1024 for k in ("rssAnonKiB", "rssFileKiB", "rssShmemKiB")]

        out.append("")
        out.append(
            f"| RSS after opening {r['opened']} stories, by kind (MiB) | own memory (RssAnon) "
            "| mapped files: code and data of the binary and its libraries (RssFile) | shared memory (RssShmem) |"
        )
        out.append("|---|---|---|---|")
        for role in roles:
            ps = [p for p in after if p["role"] == role]
            if ps:
                out.append(f"| {names.get(role, role)} | " + " | ".join(f"{v:.0f}" for v in kinds(ps)) + " |")
        out.append("| **total** | " + " | ".join(f"**{v:.0f}**" for v in kinds(after)) + " |")

    idle = r.get("idle")
    if idle:
        out.append("")
        roles = ", ".join(f"{names.get(k, k)} {v:.2f} s" for k, v in idle["byRole"].items())
        out.append(
            f"Idle (window open on the last story, nothing happening): **{idle['percentOfOneCore']:.2f}% of one core**, "
            f"{idle['cpuS']:.2f} s of CPU in {idle['wallS']:.0f} s ({roles}; utime+stime from /proc/PID/stat)."
        )
        if "settledMs" in r:
            out.append(
                f"The minute starts once the last story's work is done: the third whole second in a row in which "
                f"all the processes together used at most 2 clock ticks ended {r['settledMs']} ms after the last "
                f"story was shown and its memory read."
            )
    return "\n".join(out)


if __name__ == "__main__":
    print(report(json.load(open(sys.argv[1]))))
