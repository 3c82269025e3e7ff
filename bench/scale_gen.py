#!/usr/bin/env python3
"""Writes COUNT varied stories for bench/scale.sh into DIR (temporary files).

  scale_gen.py CORPUS DIR COUNT SEED

The text comes from ../shared/corpus, read in place and never copied into the
repository: the paragraphs of the scrapinghub ground-truth articles and of
Mozilla's expected Readability output, shuffled and recombined (8 to 30
paragraphs a story, titles cut from other paragraphs, 40 sites, 200 authors).
Nine in ten are HTML pages with the chrome of a light news page (head
metadata, navigation, a related-stories list, footer); one in ten is plain
text. Deterministic for a SEED.

Writes DIR/cli.list (about 90%, for the timed `gloss save -`), DIR/feed.list
(the rest, saved as feed stories by the scale_bench example) and prints the
total bytes of the files.
"""
import html
import json
import os
import random
import re
import sys

corpus, out, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rand = random.Random(seed)

paras = []
truth = json.load(open(os.path.join(corpus, "scrapinghub", "ground-truth.json"), encoding="utf-8"))
for v in truth.values():
    paras += [p.strip() for p in v["articleBody"].split("\n") if len(p.strip()) > 40]
moz = os.path.join(corpus, "mozilla")
for name in sorted(os.listdir(moz)):
    path = os.path.join(moz, name, "expected.html")
    if not os.path.exists(path):
        continue
    doc = open(path, encoding="utf-8", errors="replace").read()
    for p in re.findall(r"<p[^>]*>(.*?)</p>", doc, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", p))
        text = re.sub(r"\s+", " ", text).strip()
        if len(text) > 40:
            paras.append(text)
if len(paras) < 100:
    sys.exit(f"too few paragraphs in {corpus}")

SECTIONS = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Culture", "Opinion", "Travel"]
sites = [f"{w}{s}.example" for w in ("daily", "morning", "harbour", "city", "north", "river", "open", "free")
         for s in ("news", "post", "times", "review", "herald")]
firsts = ["Ana", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas"]
lasts = ["Okafor", "Lindqvist", "Moreau", "Nakamura", "Petrova", "Quinn", "Rossi", "Silva", "Tanaka", "Weber",
         "Yilmaz", "Zhang", "Novak", "Kowalski", "Haddad", "Byrne", "Costa", "Dubois", "Ekström", "Fischer"]
authors = [f"{f} {l}" for f in firsts for l in lasts]


def title_from(p):
    words = re.sub(r"[^\w\s'’-]", "", p).split()
    start = rand.randrange(max(1, len(words) - 10))
    t = " ".join(words[start:start + rand.randint(4, 10)])
    return (t[:1].upper() + t[1:]) or "Untitled"


def chrome(site, section, title, related):
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    rel = "".join(f'<li><a href="/{section.lower()}/{i}">{html.escape(t)}</a></li>' for i, t in related)
    head = (f'<link rel="stylesheet" href="/static/site.{seed}.css"><script src="/static/app.js" defer></script>'
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle"}</script>'
            '<style>body{font-family:Georgia,serif;margin:0}header,footer{background:#f4f4f4;padding:1em}'
            'article{max-width:40em;margin:auto}nav ul{display:flex;gap:1em;list-style:none}</style>')
    top = (f'<header><a class="logo" href="/">{site}</a><nav><ul>{nav}</ul></nav>'
           '<form action="/search"><input name="q" placeholder="Search"></form></header>')
    bottom = (f'<aside class="related"><h2>More in {section}</h2><ul>{rel}</ul></aside>'
              f'<footer><p>© 2026 {site}. All rights reserved.</p><ul><li><a href="/about">About</a></li>'
              '<li><a href="/privacy">Privacy</a></li><li><a href="/contact">Contact</a></li></ul></footer>')
    return head, top, bottom


os.makedirs(out, exist_ok=True)
cli, feed = [], []
total = 0
for i in range(count):
    n = rand.randint(8, 30)
    body = [rand.choice(paras) for _ in range(n)]
    title = f"{title_from(rand.choice(paras))} ({i + 1})"
    site = rand.choice(sites)
    author = rand.choice(authors)
    section = rand.choice(SECTIONS)
    day = f"2025-{rand.randint(1, 12):02d}-{rand.randint(1, 28):02d}"
    if i % 10 == 9:
        path = os.path.join(out, f"s{i:06d}.txt")
        doc = title + "\n\n" + "\n\n".join(body) + "\n"
    else:
        path = os.path.join(out, f"s{i:06d}.html")
        related = [(rand.randint(1, 99999), title_from(rand.choice(paras))) for _ in range(6)]
        head, top, bottom = chrome(site, section, title, related)
        ps = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
        slug = re.sub(r"\W+", "-", title.lower()).strip("-")[:60]
        doc = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
               f"<title>{html.escape(title)} | {site}</title>"
               f'<meta name="author" content="{author}"><meta property="og:site_name" content="{site}">'
               f'<meta property="og:title" content="{html.escape(title)}">'
               f'<meta property="article:published_time" content="{day}T08:00:00Z">'
               f'<link rel="canonical" href="https://{site}/{section.lower()}/{day[:4]}/{slug}-{i}">{head}</head>'
               f'<body>{top}<main><article><h1>{html.escape(title)}</h1>'
               f'<p class="byline">By <a rel="author" href="/authors/{i % 200}">{author}</a> · {day}</p>\n'
               f"{ps}\n</article></main>{bottom}</body></html>\n")
    data = doc.encode("utf-8")
    total += len(data)
    with open(path, "wb") as f:
        f.write(data)
    (feed if i % 10 == 4 else cli).append(path)

open(os.path.join(out, "cli.list"), "w").write("\n".join(cli) + "\n")
open(os.path.join(out, "feed.list"), "w").write("\n".join(feed) + "\n")
print(total)
