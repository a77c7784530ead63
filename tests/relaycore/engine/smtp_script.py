#!/usr/bin/python3
"""A scripted SMTP client for the refusal tests: one reply line per step.

smtp_script.py PORT STEP...   connects to 127.0.0.1:PORT, prints the greeting,
then sends each STEP (a literal "\\n" becomes CRLF; a message text ends with
"\\n.") and prints the reply, continuation lines joined with " / "; then QUIT
and every line until the server closes.
smtp_script.py PORT --second   holds one session open and prints what a
second connection from the same address is told.
"""
import socket
import sys


def connect(port):
    s = socket.create_connection(('127.0.0.1', port), timeout=30)
    return s, s.makefile('rb')


def reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            break
        lines.append(line.decode('utf-8', 'replace').rstrip('\r\n'))
        if len(line) < 4 or line[3:4] != b'-':
            break
    print(' / '.join(lines) if lines else '(closed)', flush=True)


port = int(sys.argv[1])
steps = sys.argv[2:]
if steps == ['--second']:
    first, f1 = connect(port)
    reply(f1)
    second, f2 = connect(port)
    reply(f2)
    first.sendall(b'QUIT\r\n')
    reply(f1)
    sys.exit(0)
s, f = connect(port)
reply(f)
for step in steps:
    s.sendall(step.replace('\\n', '\r\n').encode('utf-8') + b'\r\n')
    reply(f)
# What the server still says (a 421 after the last error) until it closes.
try:
    s.sendall(b'QUIT\r\n')
except OSError:
    pass
try:
    while True:
        line = f.readline()
        if not line:
            break
        print(line.decode('utf-8', 'replace').rstrip('\r\n'), flush=True)
except OSError:
    pass
s.close()
