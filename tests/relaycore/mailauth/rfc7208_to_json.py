# Converts the RFC 7208 test suite (Debian's python3-spf ships it as
# /usr/share/doc/python3-spf/rfc7208-tests.yml.gz) to JSON on stdout, for
# tst_spfsuite. Run with /usr/bin/python3 (needs python3-yaml).
import gzip
import json
import sys

import yaml

path = sys.argv[1]
opener = gzip.open if path.endswith(".gz") else open
with opener(path, "rt", encoding="utf-8") as f:
    docs = list(yaml.safe_load_all(f))
json.dump(docs, sys.stdout)
