#!/usr/bin/env python3
# gen-langid-model.py: writes text/langid-model.c, the tables of the
# language identifier text/langid.c.
#
# Usage: scripts/gen-langid-model.py [LM_DIR [WORDS]] > text/langid-model.c
#   LM_DIR  libexttextcat's language models [/usr/share/libexttextcat]
#   WORDS   the hand-written word list [text/langid-words.txt]
#
# The character n-gram statistics are libexttextcat's shipped models (Debian
# package libexttextcat-data; BSD licence, Copyright (c) 2003 WiseGuys
# Internet B.V., see its copyright file): for each language, the 400 most
# frequent n-grams of 1 to 5 characters ('_' marks a word boundary), ranked.
# Nothing of their code is used; only the ranked lists are read, with a few
# letters added by hand (SUPPLEMENT). The output is committed; rerun this
# script only to change the model, and commit both.
#
# What the output holds:
# - the models: the languages of redflag, the Russian model transliterated
#   to Latin letters ("ru-Latn", Russian as typed in Latin: "rabota"), and
#   some other languages whose text should come out as "other";
# - every n-gram of every model, lower case, ё as е, any apostrophe as
#   U+02BB, keyed by its code points packed 11 bits each, with a posting
#   per model: the n-gram's score in that model above the score of an
#   n-gram the model does not list, in units of 2/100 nat;
#   (and every suffix of a listed n-gram, maybe with no postings);
# - an open-addressing hash table over the keys;
# - per letter, the set of models whose alphabet has it;
# - the words of WORDS, by FNV-1a hash, with the models that list them.
import math
import os
import subprocess
import sys

LM_DIR = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/libexttextcat"
WORDS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "text",
    "langid-words.txt")

# (model name, libexttextcat file, enum lang_id)
TARGETS = [
    ("ru", "ru", "LANG_RU"),
    ("kk", "kk", "LANG_KK"),
    ("ky", "ky", "LANG_KY"),
    ("tg", "tg", "LANG_TG"),
    ("uz-Cyrl", "uz-Cyrl", "LANG_UZ_CYRL"),
    ("uz-Latn", "uz", "LANG_UZ_LATN"),
    ("tk", "tk", "LANG_TK"),
    ("en", "en", "LANG_EN"),
]
# Other languages likely on the region's sites, Cyrillic then Latin; more
# models also take short texts away from the region's languages, so the
# list stays short.
OTHERS = ["uk", "be", "bg", "mk", "sr-Cyrl", "mn", "tt",
          "tr", "az", "de", "fr", "es", "it", "pt", "pl", "cs", "nl", "ro",
          "hu"]

# Scores: an n-gram of rank r (0 = most frequent) scores -ln(r + K); one
# the model does not list scores -ln(400 + K) - U (Zipf's law, and a
# penalty for being absent).
K = 10.0
U = 1.0
MAX_MODELS = 32
MAX_GRAMS = 8192
# postings hold scores in units of 2/100 nat, 1 to 255
SCORE_UNIT = 2
MAX_SYMS = 5
APOSTROPHES = "'ʻʼ’‘`´′"
UZ_APOSTROPHE = "\u02bb"

# The alphabets of the region's languages, lower case, ё as е. Cyrillic
# languages all keep the Russian letters, which their loanwords use.
RU = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"
ALPHABETS = {
    "ru": RU,
    "kk": RU + "әғқңөұүһі",
    "ky": RU + "ңөү",
    "tg": RU + "ғӣқӯҳҷ",
    "uz-Cyrl": RU + "ўқғҳ",
    "uz-Latn": LATIN.replace("w", ""),
    "tk": "abdefghijklmnoprstuwyzäçňöşüýž",
    "en": LATIN,
    "ru-Latn": LATIN,
}

# Letters of the alphabet that a model's list lacks although the language
# writes them often (its training text must have spelt them otherwise):
# added as unigrams at about the rank of letters as frequent.
SUPPLEMENT = {
    "ky": [("ң", 40)],		# as frequent as Kazakh ң (rank 47 in kk)
    "tg": [("ғ", 60)],		# rarer than қ (19) and ӣ (55)
    "uz-Cyrl": [("ғ", 45)],	# about as frequent as ў (39)
}

# Russian letters as typed in Latin (after ё -> е); every spelling of an
# n-gram gets the n-gram's rank.
TRANSLIT = {
    "а": ["a"], "б": ["b"], "в": ["v"], "г": ["g"], "д": ["d"], "е": ["e"],
    "ж": ["zh", "j"], "з": ["z"], "и": ["i"], "й": ["y", "i", "j"],
    "к": ["k"], "л": ["l"], "м": ["m"], "н": ["n"], "о": ["o"], "п": ["p"],
    "р": ["r"], "с": ["s"], "т": ["t"], "у": ["u"], "ф": ["f"],
    "х": ["h", "kh", "x"], "ц": ["ts", "c"], "ч": ["ch"], "ш": ["sh"],
    "щ": ["sch", "shch"], "ъ": [""], "ы": ["y"], "ь": [""], "э": ["e"],
    "ю": ["yu", "ju"], "я": ["ya", "ja"], "_": ["_"],
}


def norm(s):
    s = s.lower().replace("ё", "е")
    return "".join(UZ_APOSTROPHE if c in APOSTROPHES else c for c in s)


def read_lm(name):
    grams = {}
    with open(os.path.join(LM_DIR, name + ".lm"), encoding="utf-8") as f:
        rank = 0
        for line in f:
            g = line.rstrip("\n").split("\t")[0].strip()
            if not g:
                continue
            r = rank
            rank += 1
            g = norm(g)
            if g == "_" or not all(c == "_" or c.isalpha() for c in g):
                continue
            if g not in grams or grams[g] > r:
                grams[g] = r
    return grams


def translit(grams):
    out = {}
    for g, r in grams.items():
        if any(c not in TRANSLIT for c in g):
            continue
        spellings = [""]
        for c in g:
            spellings = [s + t for s in spellings for t in TRANSLIT[c]]
        for s in spellings:
            if not s or s == "_" or len(s) > MAX_SYMS:
                continue
            if s not in out or out[s] > r:
                out[s] = r
    return out


def sym(c):
    if c == "_":
        return 1
    assert 1 < ord(c) < 0x530, c
    return ord(c)


def key(g):
    k = 0
    for c in g:
        k = (k << 11) | sym(c)
    return k


def slot_of(k, bits):
    return ((k * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> (64 - bits)


def fnv1a(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def unseen():
    return int(round(100 * (-math.log(400 + K) - U)))


def score(r):
    s = int(round((100 * -math.log(r + K) - unseen()) / SCORE_UNIT))
    assert 1 <= s <= 255
    return s


def version():
    try:
        return subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "libexttextcat-data"],
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    models = []	# (name, enum, grams, alphabet)
    lm = {}
    for name, fname, enum in TARGETS:
        lm[name] = read_lm(fname)
        for g, r in SUPPLEMENT.get(name, []):
            assert g not in lm[name]
            lm[name][g] = r
        models.append((name, enum, lm[name], set(ALPHABETS[name])))
    models.append(("ru-Latn", "LANG_RU", translit(lm["ru"]),
                   set(ALPHABETS["ru-Latn"])))
    for name in OTHERS:
        grams = read_lm(name)
        # the letters of the model's own script (some lists carry a few
        # Latin n-grams of a Cyrillic text)
        letters = set(c for g in grams for c in g if c.isalpha())
        letters.discard(UZ_APOSTROPHE)
        cyrillic = sum(1 for c in letters if "\u0400" <= c < "\u0530")
        if cyrillic * 2 > len(letters):
            letters = set(c for c in letters if "\u0400" <= c < "\u0530")
        else:
            letters = set(c for c in letters if c < "\u0400") | set(LATIN)
        models.append((name, "LANG_OTHER", grams, letters))
    assert len(models) <= MAX_MODELS
    index = {m[0]: i for i, m in enumerate(models)}

    posts = {}
    for i, (name, enum, grams, alpha) in enumerate(models):
        for g, r in grams.items():
            posts.setdefault(g, []).append((i, score(r)))
    # Every suffix of a listed n-gram is in the table too, with no
    # postings if no model lists it: an n-gram whose suffix is absent is
    # absent, so the scorer stops lengthening there.
    for g in list(posts):
        for i in range(1, len(g)):
            if g[i:] != "_":
                posts.setdefault(g[i:], [])
    grams = sorted(posts, key=key)
    assert len(grams) <= MAX_GRAMS
    bits = 1
    while (1 << bits) < 2 * len(grams):
        bits += 1
    slots = [0] * (1 << bits)
    for gi, g in enumerate(grams):
        s = slot_of(key(g), bits)
        while slots[s]:
            s = (s + 1) & ((1 << bits) - 1)
        slots[s] = gi + 1

    alpha = {}
    for i, (name, enum, gr, letters) in enumerate(models):
        for c in letters:
            alpha[ord(c)] = alpha.get(ord(c), 0) | (1 << i)

    words = {}
    with open(WORDS, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            m = index[fields[0]]
            for w in fields[1:]:
                h = fnv1a(norm(w))
                words[h] = words.get(h, 0) | (1 << m)

    w = sys.stdout.write
    w("/*\n * langid-model.c: the tables of text/langid.c.\n"
      " * GENERATED by scripts/gen-langid-model.py; do not edit.\n *\n"
      " * Character n-gram ranks: libexttextcat's language models\n"
      " * (libexttextcat-data %s), Copyright (c) 2003 WiseGuys Internet\n"
      " * B.V., BSD licence:\n *\n" % version())
    for line in BSD.strip("\n").split("\n"):
        w((" * " + line).rstrip() + "\n")
    w(" *\n * Words: text/langid-words.txt, written for redflag.\n"
      " * Scores: rank r scores -ln(r + %g), an absent n-gram\n"
      " * -ln(400 + %g) - %g; postings hold the difference in 2/100 nat.\n"
      " */\n" % (K, K, U))
    w('#include "text/text-int.h"\n\n')
    w("const struct langid_model langid_models[] = {\n")
    for name, enum, gr, letters in models:
        w('\t{ "%s", %s },\n' % (name, enum))
    w("};\nconst size_t langid_nmodels = %d;\n" % len(models))
    w("const size_t langid_latin_ru = %d;\n" % index["ru-Latn"])
    w("const size_t langid_first_other = %d;\n" % index[OTHERS[0]])
    w("const int langid_unseen = %d;\n\n" % unseen())
    w("/* { key, first posting, postings }, sorted by key */\n")
    w("const struct langid_gram langid_grams[] = {\n")
    plist = []
    for g in grams:
        p = sorted(posts[g])
        w('\t{ 0x%014x, %d, %d },\t/* %s */\n' % (key(g), len(plist), len(p),
                                                  g))
        plist.extend(p)
    assert len(plist) < 1 << 16	# struct langid_gram's first
    w("};\nconst size_t langid_ngrams = %d;\n\n" % len(grams))
    w("/* { model, score } */\nconst struct langid_post langid_posts[] = {\n")
    for i in range(0, len(plist), 6):
        w("\t" + " ".join("{ %d, %d }," % p for p in plist[i:i + 6]) + "\n")
    w("};\n\n")
    w("/* gram index + 1 by hash of key, 0 for empty */\n")
    w("const unsigned langid_slot_bits = %d;\n" % bits)
    w("const uint16_t langid_slots[] = {\n")
    for i in range(0, len(slots), 12):
        w("\t" + " ".join("%d," % s for s in slots[i:i + 12]) + "\n")
    w("};\n\n")
    w("/* the models whose alphabet has each letter */\n")
    w("const uint32_t langid_alpha[FOLD_DIRECT_END] = {\n")
    for cp in sorted(alpha):
        w("\t[0x%04x] = 0x%08x,\t/* %s */\n" % (cp, alpha[cp], chr(cp)))
    w("};\n\n")
    w("/* { FNV-1a hash, models }, sorted by hash */\n")
    w("const struct langid_word langid_words[] = {\n")
    for h in sorted(words):
        w("\t{ 0x%016xu, 0x%08x },\n" % (h, words[h]))
    w("};\nconst size_t langid_nwords = %d;\n" % len(words))


BSD = """
Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are
met:

- Redistributions of source code must retain the above copyright notice,
  this list of conditions and the following disclaimer.

- Redistributions in binary form must reproduce the above copyright
  notice, this list of conditions and the following disclaimer in the
  documentation and/or other materials provided with the distribution.

- Neither the name of the WiseGuys Internet B.V. nor the names of its
  contributors may be used to endorse or promote products derived from
  this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
"AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
OWNER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

if __name__ == "__main__":
    main()
