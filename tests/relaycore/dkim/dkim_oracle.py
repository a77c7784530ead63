#!/usr/bin/python3
"""dkimpy (Debian python3-dkim) as the independent DKIM oracle of the tests.

  dkim_oracle.py verify DIR RECORD_FILE
      Verifies the first DKIM-Signature of every DIR/*.eml with dkimpy; the
      key record is served from RECORD_FILE by a dnsfunc (no DNS). Prints one
      line "NAME pass" or "NAME fail" per file.
  dkim_oracle.py verify-dns DIR NAMESERVER
      The same, with the key record looked up by dkimpy itself (dnspython)
      at the DNS server NAMESERVER (ADDRESS or ADDRESS:PORT), e.g. dnsmasq.
  dkim_oracle.py sign IN OUT KEY_FILE SELECTOR DOMAIN HEADER_CANON BODY_CANON ALGORITHM
      Signs IN with dkimpy and writes the signed message to OUT. An Ed25519
      KEY_FILE may be PKCS#8 PEM (the 32-byte seed is its last 32 octets).
  dkim_oracle.py arc-sign IN OUT KEY_FILE SELECTOR DOMAIN SRV_ID
      ARC-seals IN with dkimpy (rsa-sha256; its Authentication-Results with
      authserv-id SRV_ID is the payload, its arc= the cv) and writes the
      sealed message to OUT. Exit 3 when dkimpy adds no set.
  dkim_oracle.py arc-verify FILE NAMESERVER
      dkimpy's arc_verify of FILE, the keys looked up at NAMESERVER
      (ADDRESS or ADDRESS:PORT). Prints "CV REASON" (CV: pass, fail, none,
      or terminated when the newest seal says cv=fail) and one line
      "ams-valid N yes|no" / "as-valid N yes|no" per instance.
"""
import base64
import os
import sys

import dkim
import dkim.dnsplug


def ed25519_seed(pem):
    body = b"".join(line for line in pem.splitlines() if line and not line.startswith(b"-----"))
    return base64.b64encode(base64.b64decode(body)[-32:])


def use_nameserver(server):
    import dns.resolver
    resolver = dns.resolver.Resolver(configure=False)
    address, _, port = server.rpartition(":") if server.count(":") == 1 else (server, "", "")
    resolver.nameservers = [address or server]
    if port:
        resolver.port = int(port)
    dns.resolver.default_resolver = resolver


def main():
    if sys.argv[1] == "arc-sign":
        src, dst, key_file, selector, domain, srv_id = sys.argv[2:8]
        with open(src, "rb") as f:
            message = f.read()
        with open(key_file, "rb") as f:
            key = f.read()
        fields = dkim.arc_sign(message, selector.encode(), domain.encode(), key, srv_id.encode())
        if not fields:
            return 3
        with open(dst, "wb") as f:
            f.write(b"".join(fields) + message)
        return 0
    if sys.argv[1] == "arc-verify":
        use_nameserver(sys.argv[3])
        with open(sys.argv[2], "rb") as f:
            message = f.read()
        cv, results, reason = dkim.arc_verify(message, dnsfunc=dkim.dnsplug.get_txt)
        word = "terminated" if cv is None else cv.decode()
        print(word, reason.replace("\n", " "))
        for r in results:
            print("ams-valid", r["instance"], "yes" if r.get("ams-valid") else "no")
            print("as-valid", r["instance"], "yes" if r.get("as-valid") else "no")
        return 0
    if sys.argv[1] in ("verify", "verify-dns"):
        folder = sys.argv[2]
        if sys.argv[1] == "verify":
            with open(sys.argv[3], "rb") as f:
                record = f.read().strip()

            def dnsfunc(name, timeout=5):
                return record
        else:
            import dns.resolver
            resolver = dns.resolver.Resolver(configure=False)
            address, _, port = sys.argv[3].rpartition(":") if sys.argv[3].count(":") == 1 else (sys.argv[3], "", "")
            resolver.nameservers = [address or sys.argv[3]]
            if port:
                resolver.port = int(port)
            dns.resolver.default_resolver = resolver
            dnsfunc = dkim.dnsplug.get_txt

        for name in sorted(os.listdir(folder)):
            if not name.endswith(".eml"):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                message = f.read()
            try:
                ok = dkim.DKIM(message).verify(dnsfunc=dnsfunc)
            except Exception as e:  # dkimpy raises on malformed input
                print(name, "fail", repr(e).replace("\n", " "))
                continue
            print(name, "pass" if ok else "fail")
        return 0
    if sys.argv[1] == "sign":
        src, dst, key_file, selector, domain, hc, bc, algorithm = sys.argv[2:10]
        with open(src, "rb") as f:
            message = f.read()
        with open(key_file, "rb") as f:
            key = f.read()
        if algorithm == "ed25519-sha256" and b"PRIVATE KEY" in key:
            key = ed25519_seed(key)
        sig = dkim.sign(message, selector.encode(), domain.encode(), key,
                        canonicalize=(hc.encode(), bc.encode()),
                        signature_algorithm=algorithm.encode())
        with open(dst, "wb") as f:
            f.write(sig + message)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
