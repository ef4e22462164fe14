#!/usr/bin/env python3
# gen-fold-tables.py: writes text/fold-tables.c, the character tables of
# text/normalize.c (case folding, accent stripping, composition, homoglyphs).
#
# Usage: scripts/gen-fold-tables.py CONFUSABLES.txt > text/fold-tables.c
#
# Case folding, composition and decomposition come from Python's unicodedata
# (the Unicode version is written into the output). Homoglyphs come from
# Unicode's UTS #39 confusables.txt (Unicode License v3), restricted to
# Latin, Cyrillic and Greek letters, plus a short hand-written supplement
# (SUPPLEMENT below) for look-alikes that confusables.txt does not list but
# that real Russian spam uses. The output is committed; rerun this script
# only to change the tables, and commit both.
import sys
import unicodedata as ud

# The direct table covers U+0000..U+052F: ASCII, Latin-1, Latin Extended-A/B,
# IPA, spacing modifiers, combining marks, Greek, Cyrillic and its supplement.
DIRECT_END = 0x530

# Letters beyond DIRECT_END that get an entry in the sorted extra table.
EXTRA_RANGES = [
    (0x0531, 0x058F),	# Armenian (Փ for ф)
    (0x13A0, 0x13FF),	# Cherokee (Ꭹ for у)
    (0x1C80, 0x1C8F),	# Cyrillic Extended-C (variant lower-case letters)
    (0x1D00, 0x1D7F),	# Phonetic Extensions (small capitals: ᴛ for т)
    (0x1E00, 0x1EFF),	# Latin Extended Additional
    (0x1F00, 0x1FFF),	# Greek Extended
    (0x2100, 0x214F),	# Letterlike Symbols (only LETTERLIKE below)
    (0x2C60, 0x2C7F),	# Latin Extended-C
    (0x2C80, 0x2CFF),	# Coptic (Ⲣ, ⲧ, ⲃ for Р, т, в)
    (0xA640, 0xA69F),	# Cyrillic Extended-B
    (0xA720, 0xA7FF),	# Latin Extended-D
    (0xAB30, 0xAB6F),	# Latin Extended-E
]

# Letters with diacritics that are letters of their own in the region's
# alphabets (Turkmen, Uzbek, Turkish, Azerbaijani, Kazakh Latin; Russian,
# Kazakh, Kyrgyz, Uzbek, Tajik Cyrillic) plus German umlauts and the
# West-Slavic carons: accent stripping keeps them, and a base letter
# followed by a combining mark is composed into them.
KEEP = set("äçğñňöşüýžščū" "йёўїӣӯ")
KEEP |= {c.upper() for c in list(KEEP)}

# Homoglyph targets: the letters a rule writer types. Latin: ASCII only.
# Cyrillic: the Russian alphabet, ё, and the letters of Kazakh, Kyrgyz,
# Uzbek and Tajik.
CYR_TARGETS = set(chr(c) for c in range(0x410, 0x450)) | set(
    "ЁёІіЎўҒғҚқҢңҮүҰұҲҳҶҷҺһӘәӨөӢӣӮӯ")
LAT_TARGETS = set(chr(c) for c in range(ord('A'), ord('Z') + 1)) | set(
    chr(c) for c in range(ord('a'), ord('z') + 1))

# Look-alikes missing from confusables.txt, found by measuring Latin letters
# inside Cyrillic words of the tg-spam job-scam samples (italic-shape and
# upper-case-shape substitutions): "прuбыли", "взaимobыгoдныx". Each entry
# is applied in both directions.
SUPPLEMENT = [("u", "и"), ("U", "И"), ("n", "п"), ("b", "в")]

# Look-alikes taken one way only, into Cyrillic words, measured on the
# obfuscated Telegram job scams: Latin r stands for р there ("rабота"),
# not for the г that confusables.txt pairs it with; small capitals and ß
# stand for the Cyrillic letter they resemble ("ᴧюдᴇй", "ʀабота",
# "люƃимых").
CYR_ONLY = [("r", "р"), ("R", "Р"), ("\u0280", "р"), ("\u1d27", "л"),
            ("\u00df", "в"), ("\u1d00", "а"), ("\u1d07", "е"),
            ("\u2c65", "а"), ("\u0183", "б")]

# Symbols that are letters in disguise: class olet, with look-alikes.
LETTERLIKE = {"\u212e": ("e", "е")}  # ℮ ESTIMATED SYMBOL

CL = {"other": 0, "space": 1, "punct": 2, "digit": 3, "mark": 4,
      "lat": 5, "cyr": 6, "grk": 7, "olet": 8}


def script(c):
    if not ud.category(c).startswith("L"):
        return None
    name = ud.name(c, "")
    if name.startswith("LATIN"):
        return "lat"
    if name.startswith("CYRILLIC"):
        return "cyr"
    if name.startswith("GREEK"):
        return "grk"
    return "olet"


def cls(c):
    if c in LETTERLIKE:
        return "olet"
    cat = ud.category(c)
    s = script(c)
    if s:
        # the class of what the letter folds to, so that folding a view
        # again sees the same classes: MICRO SIGN folds to Greek mu
        lo = lower(c)
        if lo != c and script(lo):
            return script(lo)
        return s
    if cat == "Nd" and c.isascii():
        return "digit"
    if cat in ("Mn", "Me"):
        return "mark"
    if c in " \t\n\r\v\f" or cat == "Zs" or c in "\x85\u2028\u2029":
        return "space"
    if cat.startswith("P") or cat.startswith("S"):
        return "punct"
    return "other"


def lower(c):
    """Simple case folding to one code point, with ı and İ folded to i."""
    if c in "\u0130\u0131":
        return "i"
    # A combining mark stays one: U+0345 (iota subscript) case-folds to
    # the letter ι, which a second fold would judge as a letter of the
    # word (a look-alike of i), so folding a view again changed it.
    if ud.category(c) in ("Mn", "Me"):
        return c
    f = c.casefold()
    if len(f) == 1:
        return f
    f = c.lower()
    if len(f) == 1:
        return f
    return c


def base(c):
    """c without diacritics, unless c is a letter of the region (KEEP)."""
    if c in KEEP or not script(c):
        return c
    d = ud.normalize("NFD", c)
    if len(d) < 2 or not script(d[0]):
        return c
    if any(ud.category(m) != "Mn" for m in d[1:]):
        return c
    return d[0]


def load_confusables(path):
    groups = {}
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            src = [chr(int(x, 16)) for x in fields[0].split()]
            tgt = tuple(chr(int(x, 16)) for x in fields[1].split())
            if len(src) != 1 or len(tgt) != 1:
                continue
            g = groups.setdefault(tgt, {tgt[0]})
            g.add(src[0])
    member = {}
    for g in groups.values():
        for m in g:
            member.setdefault(m, set()).update(g)
    return member


def homoglyphs(member):
    """(lat, cyr) look-alike of every Latin, Cyrillic and Greek letter, and
    the set of letters seen as disguises (see disguises())."""
    targets = {"lat": LAT_TARGETS, "cyr": CYR_TARGETS}
    src = [chr(c) for c in range(DIRECT_END)
           if script(chr(c)) in ("lat", "cyr", "grk")]
    src += [c for c in extra_chars() if cls(c) in ("lat", "cyr", "grk",
                                                   "olet")]
    table = {}
    for c in src:
        for t in ("lat", "cyr"):
            if script(c) == t:
                continue
            cands = [m for m in member.get(c, ()) if m in targets[t]]
            if not cands:
                continue
            same = [m for m in cands if m.isupper() == c.isupper()]
            table[(c, t)] = min(same or cands)
    direct = set(table)
    # Lower-case letters whose capitals look alike (в/B, н/H, т/T, м/M, к/K)
    # are typed for each other too: derive the missing lower-case pairs,
    # and the capital pairs of look-alike small letters.
    for c in src:
        for t in ("lat", "cyr"):
            if script(c) == t or (c, t) in table:
                continue
            if c.islower() and len(c.upper()) == 1:
                m = table.get((c.upper(), t))
                if m and len(m.lower()) == 1 and m.lower() in targets[t]:
                    table[(c, t)] = m.lower()
    for lat, cyr in SUPPLEMENT:
        table[(lat, "cyr")] = cyr
        table[(cyr, "lat")] = lat
    for c, cyr in CYR_ONLY:
        table[(c, "cyr")] = cyr
    for c, (lat, cyr) in LETTERLIKE.items():
        table[(c, "lat")] = lat
        table[(c, "cyr")] = cyr
    return table, disguises(table, direct), lone_letters(table, direct)


def extra_chars():
    """The characters of the extra table: letters and marks of
    EXTRA_RANGES (of Letterlike Symbols, only LETTERLIKE)."""
    for lo_cp, hi_cp in EXTRA_RANGES:
        for cp in range(lo_cp, hi_cp + 1):
            c = chr(cp)
            if 0x2100 <= cp <= 0x214F and c not in LETTERLIKE:
                continue
            if cls(c) not in ("lat", "cyr", "grk", "olet", "mark"):
                continue
            if ord(lower(c)) > 0xFFFF or ord(base(c)) > 0xFFFF:
                continue
            yield c


# Cyrillic letters that print like a Latin one in common fonts.
LONE_TARGETS = set("АВЕКМНОРСТУХІасеорхуі")


def lone_letters(table, direct):
    """Latin letters that confusables.txt pairs with a Cyrillic letter of
    the same case that prints alike (a c e o p x y, A B C E H K M O P T X
    Y): only these are taken for Cyrillic when they stand alone ("работа c
    нами"); a lone u or w is the letter itself ("буква w")."""
    one_way = {c for c, _ in CYR_ONLY}
    return {c for (c, t) in direct
            if script(c) == "lat" and t == "cyr" and c not in one_way and
            table[(c, t)] in LONE_TARGETS and
            table[(c, t)].isupper() == c.isupper()}


def disguises(table, direct):
    """Letters that may stand in a word of another script as a disguise,
    and so say little about the script of the word they are in: every Latin
    and Greek letter with a Cyrillic look-alike (spam types Latin u, n, b,
    m, t, k for и, п, в, м, т, к), but only those Cyrillic letters that
    confusables.txt itself pairs with a Latin one (а с е о р х у і ...):
    nobody disguises a Latin word with в, м, н or т."""
    out = set()
    for (c, t) in table:
        if script(c) == "cyr" and (c, t) not in direct:
            continue
        out.add(c)
    # The folder decides on case-folded letters (its output has no
    # capitals, and folding it again must not change it), so a letter is a
    # disguise exactly when its lower-case form is.
    return {c for c in map(chr, range(DIRECT_END)) if lower(c) in out}


def cname(c):
    return "U+%04X" % ord(c)


def main():
    member = load_confusables(sys.argv[1])
    hg, weak, lone = homoglyphs(member)

    for cp in range(DIRECT_END):
        c = chr(cp)
        assert lower(lower(c)) == lower(c), cname(c)
        assert base(base(c)) == base(c), cname(c)

    out = sys.stdout
    out.write("/*\n"
              " * fold-tables.c: character tables of text/normalize.c.\n"
              " * GENERATED by scripts/gen-fold-tables.py; do not edit.\n"
              " *\n"
              " * Case folding, decomposition and composition: Unicode %s,"
              " via Python's\n"
              " * unicodedata. Homoglyphs: derived from Unicode UTS #39"
              " confusables.txt\n"
              " * (version 17.0.0, Copyright (c) 2025 Unicode, Inc.,"
              " Unicode License v3,\n"
              " * https://www.unicode.org/license.txt), restricted to"
              " Latin, Cyrillic and\n"
              " * Greek letters, plus the supplement listed in the"
              " generator.\n"
              " */\n" % ud.unidata_version)
    out.write('#include "text/text-int.h"\n\n')

    out.write("/* { lower, base, lat, cyr, class, flags } for"
              " U+0000..U+%04X */\n" % (DIRECT_END - 1))
    out.write("const struct fold_char fold_direct[FOLD_DIRECT_END] = {\n")
    for cp in range(DIRECT_END):
        c = chr(cp)
        lo, ba = lower(c), base(c)
        la, cy = hg.get((c, "lat")), hg.get((c, "cyr"))
        k = cls(c)
        show = c if script(c) else ""
        flags = ((1 if c in weak else 0) | (2 if c in lone else 0))
        out.write("\t/* %04X %s */ { 0x%04X, 0x%04X, 0x%04X, 0x%04X, "
                  "FOLD_CL_%s, %d },\n"
                  % (cp, show, ord(lo), ord(ba), ord(la) if la else 0,
                     ord(cy) if cy else 0, k.upper(), flags))
    out.write("};\n\n")

    out.write("/* { cp, lower, base, lat, cyr, class }, sorted, for"
              " letters past the\n * direct table */\n")
    out.write("const struct fold_xchar fold_extra[] = {\n")
    n = 0
    for c in extra_chars():
        lo, ba = lower(c), base(c)
        la, cy = hg.get((c, "lat")), hg.get((c, "cyr"))
        out.write("\t{ 0x%04X, 0x%04X, 0x%04X, 0x%04X, 0x%04X, "
                  "FOLD_CL_%s },\n"
                  % (ord(c), ord(lo), ord(ba), ord(la) if la else 0,
                     ord(cy) if cy else 0, cls(c).upper()))
        n += 1
    out.write("};\n")
    out.write("const size_t fold_extra_len = %d;\n\n" % n)

    comp = []
    for c in sorted(KEEP):
        d = ud.normalize("NFD", c)
        if len(d) == 2:
            comp.append((ord(d[0]), ord(d[1]), ord(c)))
    comp.sort()
    out.write("/* { base, mark, composed }, sorted: base letter + combining"
              " mark -> a letter\n * of the region's alphabets */\n")
    out.write("const struct fold_compose fold_compose[] = {\n")
    for b, m, c in comp:
        out.write("\t{ 0x%04X, 0x%04X, 0x%04X },\t/* %s */\n"
                  % (b, m, c, chr(c)))
    out.write("};\n")
    out.write("const size_t fold_compose_len = %d;\n" % len(comp))


if __name__ == "__main__":
    main()
