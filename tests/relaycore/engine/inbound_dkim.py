#!/usr/bin/python3
"""dkimpy (Debian python3-dkim) as the independent signer and verifier of the
inbound DKIM tests and bench, and Python's smtplib as their SMTP client.

  inbound_dkim.py keygen rsa|ed25519 KEY_FILE
      Writes a new private key (PKCS#1 PEM for RSA 2048, the base64 seed for
      Ed25519, the forms dkimpy signs with) and prints its key record,
      "v=DKIM1; k=rsa; p=...".
  inbound_dkim.py sign rsa|ed25519 KEY_FILE SELECTOR DOMAIN HEADERS IN OUT
      Signs IN relaxed/relaxed with h= HEADERS ("From:To:Cc:Subject"), as
      Gmail and Exchange Online sign, and writes the signed message to OUT.
  inbound_dkim.py verify RECORD_FILE MESSAGE_FILE
      Prints "pass" or "fail": dkimpy's verdict on the first signature, the
      key record served from RECORD_FILE (no DNS).
  inbound_dkim.py send PORT FROM RCPT[,RCPT...] MESSAGE_FILE
      Sends the file as it is (smtplib); prints the reply to the final dot.
  inbound_dkim.py abandon PORT FROM RCPT MESSAGE_FILE
      Sends the message with its final dot, then closes the connection
      without waiting for the reply.
  inbound_dkim.py bench PORT FROM RCPT N MESSAGE_FILE...
      N rounds over the files in one session; prints per file the
      milliseconds from the final dot to the reply, one number a line,
      "FILE ms ms ...".
"""
import base64
import smtplib
import subprocess
import sys
import time

import dkim


def keygen(kind, key_file):
    if kind == "rsa":
        pem = subprocess.run(["openssl", "genrsa", "-traditional", "2048"], check=True,
                             capture_output=True).stdout
        der = subprocess.run(["openssl", "rsa", "-pubout", "-outform", "DER"], input=pem, check=True,
                             capture_output=True).stdout
        with open(key_file, "wb") as f:
            f.write(pem)
        print("v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode())
    else:
        import nacl.signing
        key = nacl.signing.SigningKey.generate()
        with open(key_file, "wb") as f:
            f.write(base64.b64encode(bytes(key)))
        print("v=DKIM1; k=ed25519; p=" + base64.b64encode(bytes(key.verify_key)).decode())


def sign(kind, key_file, selector, domain, headers, src, dst):
    with open(src, "rb") as f:
        message = f.read()
    with open(key_file, "rb") as f:
        key = f.read()
    sig = dkim.sign(message, selector.encode(), domain.encode(), key,
                    canonicalize=(b"relaxed", b"relaxed"),
                    signature_algorithm=b"rsa-sha256" if kind == "rsa" else b"ed25519-sha256",
                    include_headers=[h.encode() for h in headers.split(":")])
    with open(dst, "wb") as f:
        f.write(sig + message)


def verify(record_file, message_file):
    with open(record_file, "rb") as f:
        record = f.read().strip()
    with open(message_file, "rb") as f:
        message = f.read()
    try:
        ok = dkim.DKIM(message).verify(dnsfunc=lambda name, timeout=5: record)
    except Exception as e:  # dkimpy raises on malformed input
        print("fail", repr(e).replace("\n", " "))
        return
    print("pass" if ok else "fail")


def send(port, sender, rcpts, message_file):
    with open(message_file, "rb") as f:
        message = f.read()
    s = smtplib.SMTP("127.0.0.1", int(port), local_hostname="client.test", timeout=60)
    s.ehlo()
    s.mail(sender)
    for r in rcpts.split(","):
        s.rcpt(r)
    code, text = s.data(message)
    print(code, text.decode(errors="replace"))
    s.quit()


def abandon(port, sender, rcpt, message_file):
    with open(message_file, "rb") as f:
        body = f.read().replace(b"\r\n.", b"\r\n..")
    s = smtplib.SMTP("127.0.0.1", int(port), local_hostname="client.test", timeout=60)
    s.ehlo()
    s.mail(sender)
    s.rcpt(rcpt)
    code, _ = s.docmd("DATA")
    assert code == 354, code
    s.sock.sendall(body + b".\r\n")
    s.sock.close()
    print("abandoned")


def bench(port, sender, rcpt, rounds, files):
    messages = []
    for name in files:
        with open(name, "rb") as f:
            # The text as it goes after DATA: dot-stuffed, ending in CRLF . CRLF.
            body = f.read().replace(b"\r\n.", b"\r\n..")
            messages.append((name, body + b".\r\n"))
    s = smtplib.SMTP("127.0.0.1", int(port), local_hostname="client.test", timeout=60)
    s.ehlo()
    times = {name: [] for name, _ in messages}
    for _ in range(int(rounds)):
        for name, body in messages:
            s.mail(sender)
            s.rcpt(rcpt)
            code, _ = s.docmd("DATA")
            assert code == 354, code
            s.sock.sendall(body[:-3])
            t0 = time.perf_counter()
            s.sock.sendall(body[-3:])
            code, _ = s.getreply()
            t1 = time.perf_counter()
            assert code == 250, code
            times[name].append((t1 - t0) * 1000.0)
    s.quit()
    for name, values in times.items():
        print(name, " ".join("%.3f" % v for v in values))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "keygen":
        keygen(*sys.argv[2:4])
    elif cmd == "sign":
        sign(*sys.argv[2:9])
    elif cmd == "verify":
        verify(*sys.argv[2:4])
    elif cmd == "send":
        send(*sys.argv[2:6])
    elif cmd == "abandon":
        abandon(*sys.argv[2:6])
    elif cmd == "bench":
        bench(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
