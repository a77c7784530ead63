#!/usr/bin/python3
"""The IDNA oracle of tst_idna.cpp: for every name of the table (data/idna_names.tsv),
python3-idna's answer, one line each: the ACE form, or "refused".
Run with Debian's /usr/bin/python3 (python3-idna)."""
import sys

import idna


def names(path):
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        yield line.split("\t")[0].encode("ascii").decode("unicode_escape")


for name in names(sys.argv[1]):
    try:
        print(idna.encode(name, uts46=True).decode("ascii").lower())
    except (idna.IDNAError, UnicodeError, ValueError):
        print("refused")
